"""Start-up: `kindful --version` and `kindful list` against a bare three-command typer app.

The three commands run alternately, in the same environment, so that the machine's drift
touches them alike; the figure is each one's median wall time and its ratio to the bare app.
It also times loading and validating a 40-step practice once the imports are done.

    python bench/startup_bench.py [--runs 40]
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
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare.py"
        bare.write_text(BARE_APP)
        env = {**os.environ, "KINDFUL_HOME": str(Path(folder) / "home")}
        env["KINDFUL_CONFIG"] = str(Path(folder) / "none.yaml")
        commands = {
            "bare typer app": [sys.executable, str(bare), "two"],
            "kindful --version": [sys.executable, "-m", "kindful", "--version"],
            "kindful list": [sys.executable, "-m", "kindful", "list"],
        }
        for command in commands.values():  # warm the file cache and kindful's list cache
            timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(timed(command, env))
    base = statistics.median(times["bare typer app"])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {runs} alternating runs each")
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
