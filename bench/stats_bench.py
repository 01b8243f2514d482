"""History and stats: how `kindful stats` (and `history`, `export`) grow with the log.

It writes logs of daily practice itself, in a temporary folder: 10,000 sessions (27 years of
one session a day), 100,000 and 1,000,000 (several sessions a day), each with ratings, some
reflections, a few rehearsals and sessions ended early.

1. Start-up: `kindful --version`, the bare typer app of ``startup_bench.py`` (what typer alone
   costs for a command), `kindful stats` on an empty log, on 1,000 sessions (about three years
   of daily practice) and on the 10,000-session log run alternately, ``--runs`` times each after a warm-up; medians of wall time.
2. Scale: `stats --json`, `history --json` and `export --format csv` on each log, ``--scale-runs``
   times each; median wall time and the child's peak memory (max RSS, from ``wait4``).

    python bench/stats_bench.py [--runs 30] [--scale-runs 3] [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from startup_bench import BARE_APP

PRACTICES = [
    ("self-compassion-break", "Self-compassion break"),
    ("check-in", "Daily check-in"),
    ("box-breathing", "Box breathing"),
    ("loving-kindness", "Loving-kindness"),
]
LINE = (
    '{{"v":1,"id":"{id}","practice":"{practice}","title":"{title}","lang":"en",'
    '"started_at":"{day}T{time}+01:00","ended_at":"{day}T{end}+01:00",'
    '"planned_seconds":600,"elapsed_seconds":{elapsed},"completed":{completed},'
    '"steps_done":{done},"steps_total":7,"speed":{speed},'
    '"ratings":{{"stress_before":{before},"stress_after":{after}}},"reflections":[{reflections}]}}\n'
)
REFLECTION = (
    '{"prompt":"What do you need right now?","text":"A little rest, and to be kind to myself."}'
)


def write_log(path: Path, sessions: int, today: date) -> None:
    """Write ``sessions`` sessions ending today, at most 27 years back, several a day if need be."""
    rnd = random.Random(sessions)
    days = min(sessions, 10_000)
    first = today - timedelta(days=days - 1)
    with path.open("w", encoding="utf-8") as log:
        for n in range(sessions):
            day = first + timedelta(days=n * days // sessions)
            hour, minute = 6 + n % 14, rnd.randrange(60)
            elapsed = rnd.choice((240, 480, 600, 900, 1500, 2400)) + rnd.random()
            practice, title = PRACTICES[n % len(PRACTICES)]
            uid = f"{rnd.getrandbits(128):032x}"
            log.write(
                LINE.format(
                    id=f"{uid[:8]}-{uid[8:12]}-4{uid[13:16]}-a{uid[17:20]}-{uid[20:]}",
                    practice=practice,
                    title=title,
                    day=day.isoformat(),
                    time=f"{hour:02d}:{minute:02d}:00",
                    end=f"{hour:02d}:{minute:02d}:59",
                    elapsed=f"{elapsed:.3f}",
                    completed="false" if n % 13 == 0 else "true",
                    done=3 if n % 13 == 0 else 7,
                    speed=4 if n % 97 == 0 else 1,
                    before=rnd.randint(3, 9),
                    after=rnd.randint(1, 6),
                    reflections=REFLECTION if n % 5 == 0 else "",
                )
            )


def run(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run ``command``; give its wall time in seconds and its peak memory in KiB."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} exited {child.returncode}")
    return elapsed, usage.ru_maxrss


def kindful(*args: str) -> list[str]:
    return [sys.executable, "-m", "kindful", *args]


def start_up(folder: Path, runs: int, env: dict[str, str]) -> None:
    bare = folder / "bare.py"
    bare.write_text(BARE_APP)
    commands = {
        "kindful --version": (kindful("--version"), folder / "empty"),
        "bare typer app (`one`, an int option)": ([sys.executable, str(bare), "one"], folder),
        "kindful stats, empty log": (kindful("stats"), folder / "empty"),
        "kindful stats, 1,000 sessions": (kindful("stats"), folder / "1000"),
        "kindful stats, 10,000 sessions": (kindful("stats"), folder / "10000"),
        "kindful stats --json, 10,000 sessions": (kindful("stats", "--json"), folder / "10000"),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs + 1):  # the first round warms the file cache and is dropped
        for name, (command, home) in commands.items():
            times[name].append(run(command, {**env, "KINDFUL_HOME": str(home)})[0])
    base = statistics.median(times["kindful --version"][1:])
    print("\n| command | median | vs. --version |\n| --- | ---: | ---: |")
    for name, values in times.items():
        middle = statistics.median(values[1:])
        label = name if name.startswith("bare") else f"`{name}`"
        print(f"| {label} | {middle * 1000:.1f} ms | {middle / base:.2f}x |")


def scale(folder: Path, sizes: list[int], runs: int, env: dict[str, str]) -> None:
    print("\n| sessions | log size | command | median | peak memory |")
    print("| ---: | ---: | --- | ---: | ---: |")
    for size in sizes:
        home = folder / str(size)
        megabytes = (home / "sessions.jsonl").stat().st_size / 1e6
        for args in (["stats", "--json"], ["history", "--json"], ["export", "--format", "csv"]):
            results = [run(kindful(*args), {**env, "KINDFUL_HOME": str(home)}) for _ in range(runs)]
            wall = statistics.median(r[0] for r in results)
            peak = max(r[1] for r in results) / 1024
            print(
                f"| {size:,} | {megabytes:.0f} MB | `{' '.join(args)}` | {wall:.2f} s | {peak:.1f} MB |"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--scale-runs", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    options = parser.parse_args()
    sizes = sorted({10_000, *(int(s) for s in options.sizes.split(","))})
    start_up_sizes = sorted({1_000, 10_000, *sizes})
    print(f"nproc {os.cpu_count()}, Python {sys.version.split()[0]}, {sys.platform}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "empty").mkdir()
        for size in start_up_sizes:
            (folder / str(size)).mkdir()
            write_log(folder / str(size) / "sessions.jsonl", size, date.today())
        env = {**os.environ, "KINDFUL_CONFIG": str(folder / "none.yaml"), "NO_COLOR": "1"}
        env.pop("KINDFUL_LANG", None)
        start_up(folder, options.runs, env)
        scale(folder, sizes, options.scale_runs, env)


if __name__ == "__main__":
    main()
