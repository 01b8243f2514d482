"""Render: CPU time against the audio's length, and peak memory, per format and length.

Each render runs as its own process (``kindful render``), measured with ``os.wait4``: the CPU
time (user and system, of kindful and of every espeak-ng it ran) and the peak resident memory
of that process. Everything runs in a temporary home and cache folder, with compiled modules
kept (as an installed kindful has them): a first render of each length compiles them, fills
the speech cache and makes the bowl, and is not counted.

Speech is counted two ways. ``warm`` (the default): the speech cache holds every text, as on
any render after the first of a practice, and a run measures laying out, mixing, measuring,
limiting and encoding. ``cold``: the speech cache is emptied before each run, so espeak-ng
says every text again inside the measured time, as on a practice's very first render.

A figure is the median over ``--runs`` rounds (each round renders every format once, one after
the other, so that the machine's drift touches them alike); the peak memory is the largest
seen. ``--source`` runs another checkout's ``src`` folder (``.`` is this one's); given more than
once, each render is made by each source in turn, to compare before and after in the same
conditions on a shared machine.

    python bench/render_bench.py                               # 10 and 60 minutes, every format
    python bench/render_bench.py --minutes 10 --runs 5 --speech warm cold
    python bench/render_bench.py --minutes 10 240 --runs 1     # how memory grows with length
    python bench/render_bench.py --minutes 10 --source /tmp/before/src --source .
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

FORMATS = ("wav", "flac", "ogg", "opus", "mp3")


def render(out: Path, practice: str, minutes: float, env: dict[str, str]) -> tuple[float, float]:
    """Give the CPU seconds and the peak memory (MB) of one render."""
    command = [sys.executable, "-m", "kindful", "render", practice, "-o", str(out)]
    command += ["--minutes", f"{minutes:g}", "--force"]
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    assert child.stderr is not None
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        sys.exit(f"render failed: {err.decode()}")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # kilobytes on Linux


def environment(folder: Path, source: str) -> dict[str, str]:
    """Give the renders' environment: a home, config and cache of their own, bytecode kept."""
    env = {**os.environ, "KINDFUL_HOME": str(folder / "home")}
    env["KINDFUL_CONFIG"] = str(folder / "config.yaml")  # not there: the defaults
    env["KINDFUL_CACHE"] = str(folder / "cache")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "bytecode")
    if source != ".":
        env["PYTHONPATH"] = str(Path(source).resolve())
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practice", default="loving-kindness")
    parser.add_argument("--minutes", type=float, nargs="+", default=[10, 60])
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--speech", nargs="+", default=["warm"], choices=["warm", "cold"])
    parser.add_argument(
        "--source", action="append", help="the src folder of a checkout (. for this one)"
    )
    options = parser.parse_args()
    sources: list[str] = options.source or ["."]
    import soundfile

    with tempfile.TemporaryDirectory() as name:
        top = Path(name)
        envs = {}
        for i, source in enumerate(sources):  # each its own caches: another version, other keys
            (top / str(i)).mkdir()
            envs[source] = (top / str(i), environment(top / str(i), source))
        print(
            f"{'source':<16} {'format':<6} {'minutes':>7} {'speech':<6} {'audio s':>8}"
            f" {'CPU s':>7} {'x real':>7} {'peak MB':>8}",
            flush=True,
        )
        for minutes in options.minutes:
            for folder, env in envs.values():
                render(folder / "first.wav", options.practice, minutes, env)  # not counted
            for speech in options.speech:
                runs = [(source, suffix) for suffix in options.formats for source in sources]
                cpu: dict[tuple[str, str], list[float]] = {run: [] for run in runs}
                peak = dict.fromkeys(runs, 0.0)
                for _ in range(options.runs):
                    for source, suffix in runs:
                        folder, env = envs[source]
                        if speech == "cold":
                            shutil.rmtree(folder / "cache" / "speech", ignore_errors=True)
                        seconds, megabytes = render(
                            folder / f"a.{suffix}", options.practice, minutes, env
                        )
                        cpu[source, suffix].append(seconds)
                        peak[source, suffix] = max(peak[source, suffix], megabytes)
                for source, suffix in runs:
                    audio = soundfile.info(str(envs[source][0] / f"a.{suffix}")).duration
                    middle = statistics.median(cpu[source, suffix])
                    print(
                        f"{source[-16:]:<16} {suffix:<6} {minutes:>7g} {speech:<6} {audio:>8.0f}"
                        f" {middle:>7.2f} {audio / middle:>7.0f} {peak[source, suffix]:>8.0f}",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
