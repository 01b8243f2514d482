"""History and stats: how `kindful stats` (and `history`, `export`) grow with the log.

It writes logs of daily practice itself, in a temporary folder: 10,000 sessions (27 years of
one session a day), 100,000 and 1,000,000 (several sessions a day), each with ratings, some
reflections, a few rehearsals and sessions ended early.

`stats` keeps a cache of its sums (``KINDFUL_CACHE/stats.json``, here ``KINDFUL_HOME/.cache``) and reads only what
was appended since. So it is measured three ways: warm (the cache written by the call before,
the log unchanged: a second `stats`), warm after one session was appended to the log, and
cold (the cache deleted before each run, so the whole log is read and the cache written).

1. Start-up: `kindful --version`, the bare typer app of ``startup_bench.py`` (what typer alone
   costs for a command), `kindful stats` on an empty log, on 1,000 sessions (about three years
   of daily practice) and on the 10,000-session log, warm, appended-to and cold, run
   alternately, ``--runs`` times each after a warm-up; medians of wall time.
2. Scale: `stats --json` (cold and warm), `history --json` and `export --format csv` on each
   log, ``--scale-runs`` times each; median wall time and the child's peak memory (max RSS,
   from ``wait4``).

``--bytecode`` lets Python keep kindful's compiled modules (in a temporary folder), as an
installed kindful has them; without it the environment decides (``PYTHONDONTWRITEBYTECODE``).

    python bench/stats_bench.py [--runs 30] [--scale-runs 3] [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


def run(
    command: list[str], env: dict[str, str], before: Callable[[], object] | None = None
) -> tuple[float, int]:
    """Run ``command`` (after ``before``, not timed); give its wall time (s) and peak memory (KiB)."""
    if before is not None:
        before()
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


def homed(home: Path) -> dict[str, str]:
    """Give the environment of a run in ``home``, its caches in ``home/.cache``."""
    return {"KINDFUL_HOME": str(home), "KINDFUL_CACHE": str(home / ".cache")}


def forget(home: Path) -> Callable[[], None]:
    """Give a function that deletes the stats cache of ``home``."""

    def delete() -> None:
        (home / ".cache" / "stats.json").unlink(missing_ok=True)

    return delete


def one_more(home: Path) -> Callable[[], None]:
    """Give a function that appends one session of today to the log of ``home``."""
    rnd = random.Random(7)

    def append() -> None:
        uid = f"{rnd.getrandbits(128):032x}"
        with (home / "sessions.jsonl").open("a", encoding="utf-8") as log:
            log.write(
                LINE.format(
                    id=f"{uid[:8]}-{uid[8:12]}-4{uid[13:16]}-a{uid[17:20]}-{uid[20:]}",
                    practice="check-in",
                    title="Daily check-in",
                    day=date.today().isoformat(),
                    time="21:00:00",
                    end="21:09:59",
                    elapsed="600.000",
                    completed="true",
                    done=7,
                    speed=1,
                    before=6,
                    after=3,
                    reflections="",
                )
            )

    return append


def start_up(folder: Path, runs: int, env: dict[str, str]) -> None:
    bare = folder / "bare.py"
    bare.write_text(BARE_APP)
    ten = folder / "10000"
    appended = folder / "10000-appended"
    Command = tuple[list[str], Path, Callable[[], object] | None]
    commands: dict[str, Command] = {
        "`kindful --version`": (kindful("--version"), folder / "empty", None),
        "bare typer app (`one`, an int option)": ([sys.executable, str(bare), "one"], folder, None),
        "`kindful stats`, empty log": (kindful("stats"), folder / "empty", None),
        "`kindful stats`, 1,000 sessions, warm": (kindful("stats"), folder / "1000", None),
        "`kindful stats`, 10,000 sessions, warm": (kindful("stats"), ten, None),
        "`kindful stats --json`, 10,000 sessions, warm": (kindful("stats", "--json"), ten, None),
        "`kindful stats --json`, 10,000 sessions, one session appended since": (
            kindful("stats", "--json"),
            appended,
            one_more(appended),
        ),
        "`kindful stats`, 10,000 sessions, cold": (kindful("stats"), ten, forget(ten)),
        "`kindful stats --json`, 10,000 sessions, cold": (
            kindful("stats", "--json"),
            ten,
            forget(ten),
        ),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    # The first round warms the file cache and writes the stats caches; a cold run writes the
    # cache again for the warm runs after it.
    for _ in range(runs + 1):
        for name, (command, home, before) in commands.items():
            times[name].append(run(command, {**env, **homed(home)}, before)[0])
    base = statistics.median(times["`kindful --version`"][1:])
    print("\n| command | median | vs. --version |\n| --- | ---: | ---: |")
    for name, values in times.items():
        middle = statistics.median(values[1:])
        print(f"| {name} | {middle * 1000:.1f} ms | {middle / base:.2f}x |")


def scale(folder: Path, sizes: list[int], runs: int, env: dict[str, str]) -> None:
    print("\n| sessions | log size | command | median | peak memory |")
    print("| ---: | ---: | --- | ---: | ---: |")
    for size in sizes:
        home = folder / str(size)
        megabytes = (home / "sessions.jsonl").stat().st_size / 1e6
        cases: list[tuple[str, list[str], Callable[[], object] | None]] = [
            ("`stats --json`, cold", ["stats", "--json"], forget(home)),
            ("`stats --json`, warm", ["stats", "--json"], None),
            ("`history --json`", ["history", "--json"], None),
            ("`export --format csv`", ["export", "--format", "csv"], None),
        ]
        for label, args, before in cases:
            results = [run(kindful(*args), {**env, **homed(home)}, before) for _ in range(runs)]
            wall = statistics.median(r[0] for r in results)
            peak = max(r[1] for r in results) / 1024
            print(f"| {size:,} | {megabytes:.0f} MB | {label} | {wall:.2f} s | {peak:.1f} MB |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--scale-runs", type=int, default=3)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--bytecode", action="store_true", help="keep compiled modules")
    parser.add_argument("--no-scale", action="store_true", help="only the start-up table")
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
        (folder / "10000-appended").mkdir()
        shutil.copy(folder / "10000" / "sessions.jsonl", folder / "10000-appended")
        env = {**os.environ, "KINDFUL_CONFIG": str(folder / "none.yaml"), "NO_COLOR": "1"}
        env.pop("KINDFUL_LANG", None)
        if options.bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
        print(f"compiled modules kept: {'PYTHONDONTWRITEBYTECODE' not in env}")
        start_up(folder, options.runs, env)
        if not options.no_scale:
            scale(folder, sizes, options.scale_runs, env)


if __name__ == "__main__":
    main()
