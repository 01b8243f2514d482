"""How wide and how large `kindful export` CSV gets for a log with many distinct rating keys.

Writes a log of N sessions, each with one rating key of its own (the worst case for a column
per key), and times `kindful export --log LOG -f csv` once as a subprocess, counting the bytes
and the columns of what it writes. Run it from a checkout with kindful installed:

    python bench/export_bench.py --sessions 5000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def record(n: int) -> dict[str, object]:
    at = f"2026-11-{1 + n % 28:02d}T07:{n % 60:02d}:00+01:00"
    return {
        "v": 1,
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "practice": "check-in",
        "title": "Check-in",
        "lang": "en",
        "started_at": at,
        "ended_at": at,
        "planned_seconds": 300,
        "elapsed_seconds": 300,
        "completed": True,
        "steps_done": 4,
        "steps_total": 4,
        "speed": 1,
        "ratings": {f"key_{n:05d}": n % 11, "calm_before": 3, "calm_after": 6},
        "reflections": [],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "client.jsonl"
        with log.open("w", encoding="utf-8") as out:
            for n in range(args.sessions):
                out.write(json.dumps(record(n)) + "\n")
        env = {**os.environ, "KINDFUL_HOME": str(Path(folder) / "home")}
        command = [sys.executable, "-m", "kindful", "export", "--log", str(log), "-f", "csv"]
        began = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
        took = time.perf_counter() - began
        header = next(csv.reader([done.stdout.split("\n", 1)[0]]))
        size = len(done.stdout.encode())
        print(f"sessions {args.sessions}: {len(header)} columns, {size / 1e6:.2f} MB, {took:.2f} s")


if __name__ == "__main__":
    main()
