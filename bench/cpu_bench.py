"""How much CPU a live session costs once it has started, as % of one core.

Runs ``kindful run`` on a small practice in a pseudo-terminal of 80 by 24 (pexpect), waits
until the first screen is up and a few seconds more, then reads the process's CPU time from
/proc at the start and at the end of the measured window, draining the terminal all along as a
terminal emulator would. Linux only.

    python bench/cpu_bench.py                      # breathing and silence, 60 s each
    python bench/cpu_bench.py --kind silence --seconds 120
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pexpect

PRACTICES = {
    # 4 s in, 6 s out: the pacer moves in sixteenths, the countdown by the second.
    "breathe": """\
kindful: 1
title: Bench breathing
steps:
  - breathe: Breathe with the shape.
    in: 4
    out: 6
    cycles: 100
""",
    # A long silence with interval bells: a countdown and nothing else.
    "silence": """\
kindful: 1
title: Bench silence
steps:
  - silence: 1h
    text: Rest here.
    bell_every: 1m
""",
}

WARM_UP = 3.0  # seconds after the first screen before measuring: start-up left out


def cpu_seconds(pid: int) -> tuple[float, float]:
    """Give the process's CPU time: (utime+stime from /proc/PID/stat, schedstat's finer one)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    coarse = ticks / os.sysconf("SC_CLK_TCK")
    try:
        fine = int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        fine = coarse
    return coarse, fine


def drain(child: pexpect.spawn, seconds: float) -> int:
    """Read what the session draws for ``seconds``; give the number of characters."""
    end = time.monotonic() + seconds
    count = 0
    while (left := end - time.monotonic()) > 0:
        with contextlib.suppress(pexpect.TIMEOUT):
            count += len(child.read_nonblocking(size=65536, timeout=min(left, 1.0)))
    return count


def bench(
    kind: str, seconds: float, speed: float, kindful: str, heart: str | None = None
) -> dict[str, float]:
    """Run one session of ``kind``; give its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        practice = Path(tmp) / f"bench-{kind}.yaml"
        practice.write_text(PRACTICES[kind], encoding="utf-8")
        env = {
            **os.environ,
            "KINDFUL_HOME": str(Path(tmp) / "home"),
            "KINDFUL_CACHE": str(Path(tmp) / "cache"),
            "KINDFUL_CONFIG": str(Path(tmp) / "no-config.yaml"),
            "TERM": os.environ.get("TERM", "xterm-256color"),
        }
        args = ["run", str(practice), "--speed", str(speed), "--no-bell", "--no-log"]
        if heart:
            args += ["--heart", heart]
        started = time.monotonic()
        child = pexpect.spawn(
            kindful, args, env=env, dimensions=(24, 80), encoding="utf-8", timeout=20
        )
        try:
            child.expect("Bench ")
            first_screen = time.monotonic() - started
            drain(child, WARM_UP)
            coarse0, fine0 = cpu_seconds(child.pid)
            t0 = time.monotonic()
            drawn = drain(child, seconds)
            coarse1, fine1 = cpu_seconds(child.pid)
            wall = time.monotonic() - t0
            startup_cpu = coarse0
            child.send("q")
            child.expect(pexpect.EOF)
        finally:
            child.close(force=True)
    return {
        "first_screen_s": first_screen,
        "startup_cpu_s": startup_cpu,
        "wall_s": wall,
        "cpu_s": fine1 - fine0,
        "percent": 100 * (fine1 - fine0) / wall,
        "percent_ticks": 100 * (coarse1 - coarse0) / wall,
        "chars_per_s": drawn / wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=[*PRACTICES, "both"], default="both")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured window")
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--heart", help="follow this RR file, as --heart does (the trace drawn)")
    found = shutil.which("kindful", path=str(Path(sys.executable).parent))
    parser.add_argument("--kindful", default=found or "kindful", help="the command to run")
    options = parser.parse_args()
    kinds = list(PRACTICES) if options.kind == "both" else [options.kind]
    print(f"{'session':<10} {'window':>7} {'CPU':>8} {'% core':>7} {'% (ticks)':>9} {'chars/s':>8}")
    for kind in kinds:
        r = bench(kind, options.seconds, options.speed, options.kindful, options.heart)
        print(
            f"{kind:<10} {r['wall_s']:>6.1f}s {r['cpu_s']:>7.3f}s {r['percent']:>6.2f}%"
            f" {r['percent_ticks']:>8.2f}% {r['chars_per_s']:>8.0f}"
            f"   (first screen after {r['first_screen_s']:.2f}s,"
            f" start-up CPU {r['startup_cpu_s']:.2f}s)"
        )


if __name__ == "__main__":
    main()
