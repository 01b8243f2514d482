"""The journal at 1k, 10k, 100k and 1M sessions: history, today, stats and export against --version.

For each size it writes a log of daily practice (``stats_bench.write_log``: ratings, some
reflections, rehearsals, sessions ended early) in a temporary home, then runs these commands
alternately, round after round, so that the shared machine's drift touches them alike:

- ``kindful --version`` (the floor: Python, typer and kindful's own start-up),
- ``history --json`` (the newest 20 sessions), and ``today`` twice: following a program (it
  reads the log from the program's start) and without one (a suggestion, which needs each
  practice's last day),
- ``stats --json`` warm (the command before it left its cache) and cold (the cache deleted),
- ``export --format csv`` (stdout to a file, as ``kindful export > log.csv``: a file can be
  rewound, so the columns are guessed from the log's bytes and each record parsed once).

Each figure is the median CPU time (user + system, from ``wait4``) of the child over the
rounds, its ratio to ``--version`` in the same rounds, and the largest peak memory (max RSS)
seen. ``export`` is also given per session: (its CPU time - ``--version``'s) / sessions.

    python bench/journal_bench.py [--sizes 1000,10000,100000,1000000] [--runs 7] [--big-runs 3]
        [--bytecode]

``--bytecode`` lets Python keep kindful's compiled modules (in a temporary folder), as an
installed kindful has them; without it the environment decides (``PYTHONDONTWRITEBYTECODE``).

Sizes of 100,000 and more run ``--big-runs`` rounds (the machine is shared: keep them few).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from stats_bench import write_log

Job = tuple[list[str], Callable[[], object] | None]


def kindful(*args: str) -> list[str]:
    return [sys.executable, "-m", "kindful", *args]


def run(command: list[str], env: dict[str, str], out: Path | None = None) -> tuple[float, int]:
    """Run ``command`` (stdout to the file ``out``, else nowhere); give its CPU time in seconds
    and its peak memory in KiB."""
    with open(out or os.devnull, "wb") as stdout:
        child = subprocess.Popen(command, env=env, stdout=stdout, stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {errors.decode(errors='replace')}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def measure(
    size: int, runs: int, folder: Path, bytecode: bool
) -> dict[str, tuple[float, float, int]]:
    """Give each command's median CPU time, its ratio to --version, and its peak memory."""
    home, cache = folder / f"home-{size}", folder / f"cache-{size}"
    home.mkdir()
    write_log(home / "sessions.jsonl", size, date.today())
    env = {**os.environ, "KINDFUL_HOME": str(home), "KINDFUL_CACHE": str(cache)}
    env["KINDFUL_CONFIG"] = str(folder / "none.yaml")
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    following = folder / f"following-{size}"  # the same log, and a program started
    following.mkdir()
    os.link(home / "sessions.jsonl", following / "sessions.jsonl")
    env_following = {**env, "KINDFUL_HOME": str(following)}
    run(kindful("program", "start", "four-weeks-of-kindness"), env_following)

    def cold() -> None:
        shutil.rmtree(cache / "stats", ignore_errors=True)
        (cache / "stats.json").unlink(missing_ok=True)

    jobs: dict[str, Job] = {
        "--version": (kindful("--version"), None),
        "history --json": (kindful("history", "--json"), None),
        "today (a program)": (kindful("today"), None),
        "today (a suggestion)": (kindful("today"), None),
        "stats --json (warm)": (kindful("stats", "--json"), None),
        "stats --json (cold)": (kindful("stats", "--json"), cold),
        "export --format csv": (kindful("export", "--format", "csv"), None),
    }
    envs = {name: env_following if name == "today (a program)" else env for name in jobs}
    outs = {name: folder / "export.csv" if name.startswith("export") else None for name in jobs}
    for name, (command, _) in jobs.items():  # a warm-up round: bytecode, the caches
        run(command, envs[name], outs[name])
    times: dict[str, list[float]] = {name: [] for name in jobs}
    peaks: dict[str, int] = dict.fromkeys(jobs, 0)
    for _ in range(runs):
        for name, (command, before) in jobs.items():
            if before is not None:
                before()
            cpu, peak = run(command, envs[name], outs[name])
            times[name].append(cpu)
            peaks[name] = max(peaks[name], peak)
    floor = statistics.median(times["--version"])
    out = {}
    for name in jobs:
        middle = statistics.median(times[name])
        out[name] = (middle, middle / floor, peaks[name])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--big-runs", type=int, default=3)
    parser.add_argument("--bytecode", action="store_true", help="keep compiled modules")
    options = parser.parse_args()
    print(
        f"compiled modules kept: {options.bytecode or 'PYTHONDONTWRITEBYTECODE' not in os.environ}"
    )
    with tempfile.TemporaryDirectory(prefix="kindful-journal-") as name:
        folder = Path(name)
        for size in (int(s) for s in options.sizes.split(",")):
            runs = options.runs if size < 100_000 else options.big_runs
            figures = measure(size, runs, folder, options.bytecode)
            print(f"\n{size:,} sessions, {runs} rounds (median CPU, ratio to --version, peak RSS)")
            for command, (cpu, ratio, peak) in figures.items():
                print(f"  {command:22} {cpu * 1000:9.1f} ms  {ratio:6.2f}x  {peak / 1024:7.1f} MB")
            per = (figures["export --format csv"][0] - figures["--version"][0]) / size
            print(f"  export per session: {per * 1e6:.2f} us")
            shutil.rmtree(folder / f"home-{size}")
            shutil.rmtree(folder / f"following-{size}")
            shutil.rmtree(folder / f"cache-{size}", ignore_errors=True)


if __name__ == "__main__":
    main()
