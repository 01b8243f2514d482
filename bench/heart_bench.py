"""What following the heart costs a run: parsing, the monitor and its trace, the figures.

A strap sends about one Heart Rate Measurement a second; the live screen takes the beats and
draws the trace once a second; the figures are computed once, at the end. This replays an
hour of that (pyhrv's 60-minute sample series, packed into real 0x2A37 packets) in process and
gives the CPU time each part takes against the hour it covers.

    python bench/heart_bench.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import struct
import time
from pathlib import Path

from kindful.heart.figures import heart_figures
from kindful.heart.measurement import parse_measurement
from kindful.heart.monitor import HeartMonitor

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "pyhrv-nni-long.txt"


class Replay:
    """The intervals of a list, handed over a second's worth at a time, as a strap would."""

    kind = "ble"

    def __init__(self, intervals: list[float]) -> None:
        self.intervals, self.at, self.due = intervals, 0, 0.0

    def open(self, now: float) -> None:
        self.start = now

    def take(self, now: float) -> list[float]:
        first = self.at
        while (
            self.at < len(self.intervals)
            and self.due + self.intervals[self.at] <= (now - self.start) * 1000
        ):
            self.due += self.intervals[self.at]
            self.at += 1
        return self.intervals[first : self.at]

    def ended(self) -> str | None:
        return None

    def close(self) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    intervals = [float(w) for w in DATA.read_text().split("\n") if w and not w.startswith("#")]
    hour = sum(intervals) / 1000
    # One packet a second: the flags (RR present), an 8-bit rate, that second's intervals.
    packets, second, ms = [], [], 0.0
    for rr in intervals:
        second.append(round(rr * 1024 / 1000))
        ms += rr
        if ms >= 1000:
            packets.append(bytes([0x10, 70]) + b"".join(struct.pack("<H", r) for r in second))
            second, ms = [], 0.0
    parse, follow, figures = [], [], []
    for _ in range(rounds):
        t0 = time.process_time()
        for packet in packets:
            parse_measurement(packet)
        parse.append(time.process_time() - t0)

        monitor = HeartMonitor(Replay(intervals), lambda _: None)
        monitor.start(0.0)
        t0 = time.process_time()
        for now in range(1, int(hour) + 1):
            if now % 10 == 0:
                monitor.breath_began(float(now), first=now == 10)
            monitor.poll(float(now))
            monitor.trace(float(now))
        follow.append(time.process_time() - t0)

        t0 = time.process_time()
        heart_figures(intervals, "ble")
        monitor.figures()
        figures.append(time.process_time() - t0)
    print(
        f"{len(intervals)} beats, {len(packets)} packets, {hour / 60:.1f} minutes; median of {rounds}"
    )
    for name, times in (
        ("parse every packet", parse),
        ("poll and trace each second", follow),
        ("the figures at the end", figures),
    ):
        cpu = statistics.median(times)
        print(f"{name:28} {cpu * 1000:8.1f} ms CPU  {cpu / hour * 100:7.4f} % of a core")


if __name__ == "__main__":
    main()
