"""Start-up: `kindful --version` and `kindful list` against a bare three-command typer app.

The three commands run alternately, in the same environment, so that the machine's drift
touches them alike; the figure is each one's median wall time and its ratio to the bare app.
It also times loading and validating a 40-step practice once the imports are done.

``--against SRC`` runs the same kindful commands from another source tree as well (the ``src``
folder of an older checkout, put first on ``PYTHONPATH``, with a home of its own), in the same
alternation, so that a change is measured against what it changes under the same load.
``--bytecode`` lets Python keep kindful's compiled modules (in a temporary folder), as an
installed kindful has them; without it the environment decides (``PYTHONDONTWRITEBYTECODE``).

    python bench/startup_bench.py [--runs 40] [--against ../main/src] [--bytecode]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = """
import typer

app = typer.Typer()


@app.command()
def one(x: int = 1) -> None:
    print("one", x)


@app.command()
def two() -> None:
    print("two")


@app.command()
def three() -> None:
    print("three")


if __name__ == "__main__":
    app()
"""

FORTY_STEPS = "\n".join(
    [
        "kindful: 1",
        "title: {en: Forty steps, de: Vierzig Schritte}",
        "languages: [en, de]",
        "steps:",
    ]
    + [
        f"  - say: {{en: 'Step {i}: breathe and soften.', de: 'Schritt {i}: atme und werde weich.'}}\n"
        f"    seconds: {10 + i % 5}"
        if i % 4
        else "  - breathe: {en: Slowly, de: Langsam}\n    in: 4\n    out: 6\n    cycles: 3"
        for i in range(40)
    ]
)


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--against", type=Path, help="another kindful's src folder, to compare")
    parser.add_argument("--bytecode", action="store_true", help="keep compiled modules")
    options = parser.parse_args()
    runs = options.runs
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare.py"
        bare.write_text(BARE_APP)
        env = {**os.environ, "KINDFUL_HOME": str(Path(folder) / "home")}
        env["KINDFUL_CONFIG"] = str(Path(folder) / "none.yaml")
        if options.bytecode:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
        kindful = [sys.executable, "-m", "kindful"]
        commands = {
            "bare typer app": ([sys.executable, str(bare), "two"], env),
            "kindful --version": ([*kindful, "--version"], env),
            "kindful list": ([*kindful, "list"], env),
        }
        if options.against:
            other = {**env, "KINDFUL_HOME": str(Path(folder) / "other-home")}
            paths = [str(options.against.resolve()), env.get("PYTHONPATH", "")]
            other["PYTHONPATH"] = os.pathsep.join(path for path in paths if path)
            commands["  against: --version"] = ([*kindful, "--version"], other)
            commands["  against: list"] = ([*kindful, "list"], other)
        for command, command_env in commands.values():  # warm the file cache, the list cache
            timed(command, command_env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, (command, command_env) in commands.items():
                times[name].append(timed(command, command_env))
    base = statistics.median(times["bare typer app"])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {runs} alternating runs each")
    print(f"compiled modules kept: {'PYTHONDONTWRITEBYTECODE' not in env}")
    if options.against:
        print(f"against: {options.against}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:20} median {median * 1000:6.1f} ms  ({median / base:.2f}x the bare app)")
    load_forty()


def load_forty() -> None:
    from kindful.practice.load import parse_practice
    from kindful.practice.plan import make_plan

    parse_practice(FORTY_STEPS, "forty.yaml", "forty")  # imports and first-use set-up
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        practice = parse_practice(FORTY_STEPS, "forty.yaml", "forty")
        make_plan(practice, "de")
    each = (time.perf_counter() - start) / rounds
    print(f"load + validate + plan a 40-step practice: {each * 1000:.2f} ms (mean of {rounds})")


if __name__ == "__main__":
    main()
