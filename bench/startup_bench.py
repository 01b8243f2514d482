"""Start-up: `kindful --version` and `kindful list` against a bare three-command typer app.

The three commands run alternately, in the same environment, so that the machine's drift
touches them alike; the figure is each one's median wall time and its ratio to the bare app.
It also times loading and validating a 40-step practice once the imports are done.

``--main-job`` times what a person waits for: `kindful run` of a built-in practice, known from
a run before, until its first line (plain, through a pipe) and until its first frame (live, in
a pseudo-terminal), then `show` and `validate` of the practice's file, each against
`kindful --version` in the same alternation. A run is ended by SIGTERM once it has shown what
was waited for, and logs nothing (``--no-log``).

``--without-file`` times `kindful sit 10m` and `kindful breathe box`, practice made on the spot,
until their first line (plain, through a pipe) and their first frame (live, in a
pseudo-terminal), against `kindful --version` in the same alternation.

``--against SRC`` runs the same kindful commands from another source tree as well (the ``src``
folder of an older checkout, put first on ``PYTHONPATH``, with a home of its own), in the same
alternation, so that a change is measured against what it changes under the same load.
``--bytecode`` lets Python keep kindful's compiled modules (in a temporary folder), as an
installed kindful has them; without it the environment decides (``PYTHONDONTWRITEBYTECODE``).

    python bench/startup_bench.py [--runs 40] [--against ../main/src] [--bytecode]
    python bench/startup_bench.py --main-job [--runs 40] [--bytecode] [--practice ID] [--against SRC]
    python bench/startup_bench.py --without-file [--runs 40] [--bytecode]
"""

from __future__ import annotations

import argparse
import fcntl
import functools
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
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
    subprocess.run(
        command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def alternate(jobs: dict[str, Callable[[], float]], runs: int) -> dict[str, list[float]]:
    """Time each job ``runs`` times, taking turns, after one warm-up of each (caches, files)."""
    for job in jobs.values():
        job()
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            times[name].append(job())
    return times


def first_line(command: list[str], env: dict[str, str]) -> float:
    """Give the seconds until ``command`` writes its first whole line to a pipe."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.terminate()
    process.communicate()
    if not line:
        raise SystemExit(f"no line from {command}")
    return elapsed


_ESCAPE = re.compile(rb"\x1b(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)")
_WORDS = re.compile(rb"[A-Za-z]{4,} [A-Za-z]{2,}")


def first_frame(command: list[str], env: dict[str, str]) -> float:
    """Give the seconds until ``command``, in a 100x30 pseudo-terminal, shows words on screen."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        env={**env, "TERM": "xterm-256color"},
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    seen = b""
    elapsed = None
    while elapsed is None:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        if _WORDS.search(_ESCAPE.sub(b"", seen)):
            elapsed = time.perf_counter() - start
    process.send_signal(signal.SIGTERM)
    ends = time.monotonic() + 10
    while time.monotonic() < ends:  # drain, so the run can restore the terminal and end
        ready, _, _ = select.select([master], [], [], 0.5)
        try:
            if ready and not os.read(master, 65536):
                break
        except OSError:
            break
        if process.poll() is not None:
            break
    try:
        process.wait(timeout=max(0.0, ends - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        raise SystemExit(f"{command} did not end within 10 s of SIGTERM") from None
    finally:
        os.close(master)
    if elapsed is None:
        raise SystemExit(f"no words on screen from {command}")
    return elapsed


def main_job(options: argparse.Namespace) -> None:
    """Time the first line and frame of a run, show and validate, against --version."""
    kindful = [sys.executable, "-m", "kindful"]
    ref = options.practice
    with tempfile.TemporaryDirectory() as folder:
        env = environment(Path(folder), options.bytecode)
        file = str(Path(__file__).resolve().parent.parent / "practices" / f"{ref}.yaml")
        run = [*kindful, "run", ref, "--no-log"]
        jobs: dict[str, tuple[Callable[[list[str], dict[str, str]], float], list[str]]] = {
            "kindful --version": (timed, [*kindful, "--version"]),
            f"run {ref}: first line (--plain)": (first_line, [*run, "--plain"]),
            f"run {ref}: first frame (live)": (first_frame, run),
            f"show {ref}": (timed, [*kindful, "show", ref]),
            f"validate {ref}.yaml": (timed, [*kindful, "validate", file]),
        }
        envs = dict.fromkeys(jobs, env)
        if options.against:
            other = against_environment(env, Path(folder), options.against)
            for name in list(jobs)[1:]:
                jobs[f"  against: {name}"] = jobs[name]
                envs[f"  against: {name}"] = other
        times = alternate(
            {
                name: functools.partial(job, command, envs[name])
                for name, (job, command) in jobs.items()
            },
            options.runs,
        )
    report(times, "kindful --version", "--version", options, env)


def without_file(options: argparse.Namespace) -> None:
    """Time the first line and frame of `sit` and `breathe` against --version."""
    kindful = [sys.executable, "-m", "kindful"]
    sit = [*kindful, "sit", "10m", "--no-log"]
    breathe = [*kindful, "breathe", "box", "--no-log"]
    with tempfile.TemporaryDirectory() as folder:
        env = environment(Path(folder), options.bytecode)
        jobs: dict[str, tuple[Callable[[list[str], dict[str, str]], float], list[str]]] = {
            "kindful --version": (timed, [*kindful, "--version"]),
            "sit 10m: first line (--plain)": (first_line, [*sit, "--plain"]),
            "sit 10m: first frame (live)": (first_frame, sit),
            "breathe box: first line (--plain)": (first_line, [*breathe, "--plain"]),
            "breathe box: first frame (live)": (first_frame, breathe),
        }
        times = alternate(
            {name: functools.partial(job, command, env) for name, (job, command) in jobs.items()},
            options.runs,
        )
    report(times, "kindful --version", "--version", options, env)


def report(
    times: dict[str, list[float]],
    base: str,
    versus: str,
    options: argparse.Namespace,
    env: dict[str, str],
) -> None:
    """Print each median and its ratio to the median of ``base``."""
    base_median = statistics.median(times[base])
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {options.runs} runs each")
    print(f"compiled modules kept: {'PYTHONDONTWRITEBYTECODE' not in env}")
    if options.against:
        print(f"against: {options.against}")
    width = max(len(name) for name in times)
    for name, values in times.items():
        median = statistics.median(values)
        ratio = median / base_median
        print(f"{name:{width}} median {median * 1000:6.1f} ms  ({ratio:.2f}x {versus})")


def against_environment(env: dict[str, str], folder: Path, src: Path) -> dict[str, str]:
    """Give ``env`` for the kindful in ``src`` (first on ``PYTHONPATH``), with a home of its own."""
    other = {**env, "KINDFUL_HOME": str(folder / "other-home")}
    other["KINDFUL_CACHE"] = str(folder / "other-cache")  # an older kindful keeps it in its home
    where = [str(src.resolve()), env.get("PYTHONPATH", "")]
    other["PYTHONPATH"] = os.pathsep.join(path for path in where if path)
    return other


def environment(folder: Path, bytecode: bool) -> dict[str, str]:
    """Give the environment of a timed command: a home of its own, no settings file."""
    env = {**os.environ, "KINDFUL_HOME": str(folder / "home")}
    env["KINDFUL_CACHE"] = str(folder / "cache")
    env["KINDFUL_CONFIG"] = str(folder / "none.yaml")
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--against", type=Path, help="another kindful's src folder, to compare")
    parser.add_argument("--bytecode", action="store_true", help="keep compiled modules")
    parser.add_argument("--main-job", action="store_true", help="time run, show and validate")
    parser.add_argument("--practice", default="self-compassion-break", help="for --main-job")
    parser.add_argument("--without-file", action="store_true", help="time sit and breathe")
    options = parser.parse_args()
    if options.main_job:
        main_job(options)
        return
    if options.without_file:
        without_file(options)
        return
    runs = options.runs
    with tempfile.TemporaryDirectory() as folder:
        bare = Path(folder) / "bare.py"
        bare.write_text(BARE_APP)
        env = environment(Path(folder), options.bytecode)
        kindful = [sys.executable, "-m", "kindful"]
        commands = {
            "bare typer app": ([sys.executable, str(bare), "two"], env),
            "kindful --version": ([*kindful, "--version"], env),
            "kindful list": ([*kindful, "list"], env),
        }
        if options.against:
            other = against_environment(env, Path(folder), options.against)
            commands["  against: --version"] = ([*kindful, "--version"], other)
            commands["  against: list"] = ([*kindful, "list"], other)
        times = alternate(
            {name: functools.partial(timed, *command) for name, command in commands.items()}, runs
        )
    report(times, "bare typer app", "the bare app", options, env)
    load_forty()


def load_forty() -> None:
    from kindful.practice.checking.load import parse_practice
    from kindful.practice.plan.planner import make_plan

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
