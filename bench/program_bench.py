"""Programs and the nudge: `today` and `program status` against `kindful --version`, and the
time the shell snippet adds to a prompt.

The commands run alternately on a data home holding a started program (the two-week test
fixture, found through KINDFUL_PATH) and a log of --sessions sessions, some of them toward the
program; the figure is each one's median wall time and its ratio to `--version`. Target:
within 1.5x. The caches (practice summaries, program outlines) are warmed by one run first,
as they are after the first `today`.

The snippet is sourced in `bash --norc` and its prompt function called --calls times in a loop
timed by bash's own $EPOCHREALTIME, for the common case (already checked today) and for the
first prompt of a day (the files are read, nothing is shown because today was practised).
Target: under 5 ms a prompt.

    python bench/program_bench.py [--runs 30] [--sessions 1000,10000] [--calls 2000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "programs"


def write_home(home: Path, sessions: int) -> None:
    home.mkdir(parents=True)
    start = datetime.now().astimezone() - timedelta(days=sessions)
    lines = []
    for n in range(sessions):
        when = (start + timedelta(days=n)).isoformat(timespec="seconds")
        practice = ("self-compassion-break", "soothing-touch", "box-breathing")[n % 3]
        record = {
            "v": 1,
            "id": f"00000000-0000-4000-8000-{n:012d}",
            "practice": practice,
            "title": practice,
            "lang": "en",
            "started_at": when,
            "ended_at": when,
            "planned_seconds": 300,
            "elapsed_seconds": 300,
            "completed": n % 13 != 0,
            "steps_done": 4,
            "steps_total": 4,
            "speed": 1 if n % 97 else 10,
            "ratings": {"stress_before": 6, "stress_after": 3},
            "reflections": [],
        }
        lines.append(json.dumps(record))
    (home / "sessions.jsonl").write_text("\n".join(lines) + "\n")
    begun = (start + timedelta(days=sessions - 2)).isoformat(timespec="seconds")
    event = {"v": 1, "event": "start", "program": "two-weeks", "at": begun}
    (home / "programs.jsonl").write_text(json.dumps(event) + "\n")


def time_commands(
    commands: dict[str, list[str]], env: dict[str, str], runs: int
) -> dict[str, float]:
    times: dict[str, list[float]] = {name: [] for name in commands}
    for args in commands.values():  # warm-up: caches written, files in the page cache
        subprocess.run(args, env=env, capture_output=True, check=True)
    for _ in range(runs):
        for name, args in commands.items():
            began = time.perf_counter()
            subprocess.run(args, env=env, capture_output=True, check=True)
            times[name].append(time.perf_counter() - began)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


SHELL_LOOP = r"""
source "$1"
calls=$2
__kindful_nudge  # the first prompt of the day: reads the files
began=$EPOCHREALTIME
for ((i = 0; i < calls; i++)); do __kindful_nudge; done
ended=$EPOCHREALTIME
echo "checked $(( (${ended/./} - ${began/./}) / calls ))"
began=$EPOCHREALTIME
for ((i = 0; i < calls; i++)); do unset __kindful_day; __kindful_nudge; done
ended=$EPOCHREALTIME
echo "first $(( (${ended/./} - ${began/./}) / calls ))"
"""


def time_snippet(kindful: str, env: dict[str, str], calls: int) -> dict[str, float]:
    home = Path(env["KINDFUL_HOME"])
    (home / ".last-practice").write_text(datetime.now().date().isoformat() + "\n")
    snippet = subprocess.run(
        [kindful, "shell-init", "bash"], env=env, capture_output=True, text=True, check=True
    ).stdout
    path = home.parent / "snippet.bash"
    path.write_text(snippet)
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", SHELL_LOOP, "bench", str(path), str(calls)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = dict(line.split() for line in done.stdout.splitlines())
    return {name: int(micro) / 1000 for name, micro in figures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--sessions", default="1000,10000")
    parser.add_argument("--calls", type=int, default=2000)
    options = parser.parse_args()
    kindful = shutil.which("kindful") or str(Path(sys.executable).with_name("kindful"))
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for count in (int(x) for x in options.sessions.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            home = Path(folder) / "home"
            write_home(home, count)
            env = {
                **os.environ,
                "KINDFUL_HOME": str(home),
                "KINDFUL_CACHE": str(Path(folder) / "cache"),
                "KINDFUL_PATH": str(FIXTURES),
                "KINDFUL_CONFIG": str(Path(folder) / "none.yaml"),
                "LANG": "C.UTF-8",
            }
            figures = time_commands(
                {
                    "kindful --version": [kindful, "--version"],
                    "kindful today": [kindful, "today"],
                    "kindful today --json": [kindful, "today", "--json"],
                    "kindful program status": [kindful, "program", "status"],
                },
                env,
                options.runs,
            )
            base = figures["kindful --version"]
            print(f"\n{count:,} sessions in the log")
            for name, median in figures.items():
                print(f"  {name:<26} {median:7.1f} ms  {median / base:5.2f}x")
            if count == int(options.sessions.split(",")[0]) and shutil.which("bash"):
                shell = time_snippet(kindful, env, options.calls)
                print(f"  bash prompt, already checked today   {shell['checked']:.3f} ms")
                print(f"  bash prompt, first of the day        {shell['first']:.3f} ms")


if __name__ == "__main__":
    main()
