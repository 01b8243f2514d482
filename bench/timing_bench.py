"""Session timing, measured from the outside: does each step start when the plan says?

Runs ``kindful run FILE --plain --no-log`` as a child process and stamps every line it prints
with the monotonic time it arrived on the pipe. The times the lines should come at are worked
out by the same plain runner driven by a fake clock (so the words must match too). Deviation of
a line = (its arrival - the arrival of the first step's line) - (its planned offset).

    python bench/timing_bench.py            # a 30 s practice: max and mean deviation, drift
    python bench/timing_bench.py --long     # a 20-minute practice at speed 1: the end's error

Targets: every step boundary within 30 ms over the 30 s practice, no growth over the run; the
20-minute session's end within 50 ms.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHORT = """\
kindful: 1
title: Timing bench
steps:
  - say: Arrive
    seconds: 2.5
  - breathe: ""
    in: 4
    hold: 1.5
    out: 5.5
    rest: 1
    cycles: 1
  - silence: 9
    bell_every: 5
  - bell: 2
  - say: Notice
    seconds: 3.25
  - breathe: ""
    in: 1
    out: 1.5
    cycles: 2
  - quote: Be kind
    seconds: 0.75
"""

LONG = """\
kindful: 1
title: Twenty minutes
steps:
  - repeat: 10
    steps:
      - say: "Round {round}: settle"
        seconds: 30
      - breathe: ""
        in: 5.5
        out: 5.5
        cycles: 5
      - silence: 35
        bell_every: 10
"""


END = "Thank you for taking this time."


def planned_lines(path: Path) -> list[tuple[float, str]]:
    """Give each line the plain runner prints, with its planned offset in seconds."""
    from kindful.practice.library import find_practice
    from kindful.practice.plan.planner import make_plan
    from kindful.session.engine import Session
    from kindful.session.plain import run_plain

    found = find_practice(str(path))
    plan = make_plan(found.practice, "en", {})
    now = [0.0]
    stamps: list[tuple[float, str]] = []

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            if text.strip():
                stamps.append((now[0], text.rstrip("\n")))
            return len(text)

    def sleep(seconds: float) -> None:
        now[0] += seconds

    session = Session(plan, lambda: now[0])
    clock = lambda: now[0]  # noqa: E731
    run_plain(session, lang="en", out=Out(), read_line=lambda: None, sleep=sleep, clock=clock)
    # The session ends when its last step does; the summary's first line comes then.
    stamps.append((plan.planned_seconds, END))
    return stamps


def arrived_lines(path: Path, home: Path) -> list[tuple[float, str]]:
    """Run kindful on ``path`` and give each line of its output with its arrival time."""
    env = {**os.environ, "KINDFUL_HOME": str(home), "KINDFUL_CONFIG": str(home / "none.yaml")}
    env["LANG"] = "C.UTF-8"
    env.pop("KINDFUL_LANG", None)
    command = [sys.executable, "-m", "kindful", "run", str(path), "--plain", "--no-log"]
    stamps: list[tuple[float, str]] = []
    with subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=env, bufsize=0
    ) as proc:
        assert proc.stdout is not None
        for raw in proc.stdout:  # a line at a time, as each arrives
            stamps.append((time.monotonic(), raw.decode("utf-8").rstrip("\n")))
    if proc.returncode != 0:
        raise SystemExit(f"kindful exited {proc.returncode}")
    return stamps


def deviations(path: Path, home: Path) -> list[tuple[float, float, str]]:
    """Give (planned offset, deviation in seconds, line) for every line of the session."""
    planned = planned_lines(path)
    arrived = arrived_lines(path, home)
    start = next(t for t, line in arrived if line.startswith("[1/"))
    first = next(i for i, (_, line) in enumerate(planned) if line.startswith("[1/"))
    out = []
    for (offset, want), (when, got) in zip(planned[first:], arrived[first:], strict=False):
        if want != got and not (want == END and got.startswith(END)):
            raise SystemExit(f"line mismatch: planned {want!r}, printed {got!r}")
        out.append((offset, (when - start) - offset, got))
    return out


def report_short(path: Path, home: Path) -> None:
    rows = deviations(path, home)
    errors = [abs(d) * 1000 for _, d, _ in rows[1:]]
    third = max(1, len(rows) // 3)
    early = statistics.mean(d * 1000 for _, d, _ in rows[1 : third + 1])
    late = statistics.mean(d * 1000 for _, d, _ in rows[-third:])
    print(f"lines timed: {len(errors)} over {rows[-1][0]:.2f} s planned")
    print(f"max deviation:  {max(errors):6.2f} ms  (target 30 ms)")
    print(f"mean deviation: {statistics.mean(errors):6.2f} ms")
    print(f"mean signed, first third: {early:6.2f} ms; last third: {late:6.2f} ms")
    print("grows over the run:", "yes" if late - early > 5 else "no")
    worst = max(rows[1:], key=lambda r: abs(r[1]))
    print(f"worst line: {worst[2]!r} at {worst[0]:.2f} s, {worst[1] * 1000:+.2f} ms")


def report_long(path: Path, home: Path) -> None:
    rows = deviations(path, home)
    end = rows[-1]
    errors = [abs(d) * 1000 for _, d, _ in rows[1:-1]]
    print(f"lines timed: {len(errors)} step and cue lines over {end[0]:.0f} s planned")
    print(f"max deviation of those: {max(errors):.2f} ms; mean {statistics.mean(errors):.2f} ms")
    print(f"the end, at {end[0]:.2f} s: {end[1] * 1000:+.2f} ms  (target 50 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="the 20-minute session at speed 1")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        path = home / ("long.yaml" if args.long else "short.yaml")
        path.write_text(LONG if args.long else SHORT, encoding="utf-8")
        (report_long if args.long else report_short)(path, home)


if __name__ == "__main__":
    main()
