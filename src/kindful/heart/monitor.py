"""What a run sees of the heart: the rate now, its recent trace, and the figures at the end.

The runner polls the monitor on its clock; the monitor takes the source's new intervals, lays
them on the session's time line, and says once when the source is absent or goes quiet, so the
practice goes on without it.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from pathlib import Path

from kindful.heart.figures import HeartFigures, heart_figures
from kindful.heart.sources import FileSource, HeartSource, HeartUnavailable

QUIET_SECONDS = 15.0  # no beat for this long after beats came: the strap is said to be lost
RATE_BEATS = 5  # the heart rate shown is over the last few beats
TRACE_SECONDS = 30.0
SPARKS = "▁▂▃▄▅▆▇█"


class HeartMonitor:
    """A heart source followed through one run."""

    def __init__(self, source: HeartSource, note: Callable[[str], None], speed: float = 1.0):
        self.source: HeartSource | None = source
        self.kind = source.kind
        self.note = note  # says a notice once: absent, lost
        self._speed = speed
        self.intervals: list[float] = []  # every interval, as received (ms)
        self._times: list[float] = []  # when each beat fell, on the session's clock
        self._breaths: list[float] = []  # when each paced in-breath began, on that clock
        self._paced: list[float] = []  # when each breathing step's first in-breath began
        self._started = False
        self._last_beat_at: float | None = None
        self._said_lost = False
        self.version = 0  # raised with each batch of beats: what is shown changes only then

    def start(self, now: float) -> None:
        """Open the source; where it cannot be, say why once and go on without it."""
        if self._started or self.source is None:
            return  # opened already (``resonance`` waits for the first beats before it begins)
        self._started = True
        try:
            self.source.open(now)
        except HeartUnavailable as error:
            self.source = None
            self.note(error.lines()[0].removeprefix("kindful: "))
        self._last_beat_at = now

    def poll(self, now: float) -> bool:
        """Take what the source has; give whether anything new came."""
        if self.source is None:
            return False
        new = self.source.take(now)
        if new:
            at = now - sum(new) / 1000.0 / self._speed
            if self._times and at < self._times[-1]:
                at = self._times[-1]  # a batch's beats never fall before the last one
            for rr in new:
                at += rr / 1000.0 / self._speed
                self._times.append(at)
            self.intervals.extend(new)
            self._last_beat_at = now
            self.version += 1
        elif not self._said_lost:
            why = self.source.ended()
            quiet = self._last_beat_at is not None and now - self._last_beat_at > QUIET_SECONDS
            if why is not None or (quiet and self.intervals):
                self._said_lost = True
                self.note(
                    f"heart: {why or 'the strap went quiet'}; the practice goes on without it"
                )
        return bool(new)

    def breath_began(self, now: float, first: bool = False) -> None:
        """Mark the start of a paced in-breath (``first`` of its breathing step)."""
        self._breaths.append(now)
        if first:
            self._paced.append(now)

    def beats(self) -> tuple[list[float], list[float]]:
        """Give when each beat fell (on the session's clock) and its interval (ms)."""
        return list(self._times), list(self.intervals)

    def paced(self, end: float) -> list[tuple[float, float]]:
        """Give each breathing step's span on the session's clock, the last ending at ``end``."""
        starts = self._paced
        return [(a, b) for a, b in zip(starts, [*starts[1:], end], strict=True)]

    @property
    def heart_rate(self) -> float | None:
        """Give the heart rate over the last few beats, in beats a minute; None before any."""
        last = self.intervals[-RATE_BEATS:]
        return 60_000.0 / (sum(last) / len(last)) if last else None

    def trace(self, now: float, seconds: float = TRACE_SECONDS, width: int = 24) -> str:
        """Give the heart rate over the last ``seconds`` as a line of ``width`` block marks."""
        first = bisect.bisect_left(self._times, now - seconds)  # the beats in the window only
        rates = [60_000.0 / rr for rr in self.intervals[first:] if rr > 0]
        if len(rates) < 2:
            return ""
        if len(rates) > width:  # the latest ``width`` beats, evenly taken
            step = len(rates) / width
            rates = [rates[int(i * step)] for i in range(width)]
        low, high = min(rates), max(rates)
        span = high - low or 1.0
        return "".join(SPARKS[min(7, int((r - low) / span * 8))] for r in rates)

    def figures(self) -> HeartFigures | None:
        """Give the session's figures over every interval received, or None with too few."""
        if not self.intervals:
            return None
        cycles = None
        if len(self._breaths) >= 2 and self._times:
            origin = self._times[0] - self.intervals[0] / 1000.0 / self._speed
            line = [(b - origin) * self._speed for b in self._breaths]
            cycles = list(itertools.pairwise(line))
        return heart_figures(self.intervals, self.kind, cycles)

    def close(self) -> None:
        if self.source is not None:
            self.source.close()


def monitor_for(source: str, speed: float = 1.0) -> HeartMonitor:
    """Give the monitor of the source ``--heart`` names (``ble``, ``ble:ADDRESS``, a file)."""

    def note(line: str) -> None:
        from kindful.safe_text import say

        say(f"kindful: {line}", err=True)  # a strap's name or a file's line, never obeyed

    return HeartMonitor(parse_source(source, speed), note, speed)


def parse_source(text: str, speed: float = 1.0) -> HeartSource:
    """Give the source ``--heart`` names: ``ble``, ``ble:ADDRESS``, or a file of RR intervals."""
    if text == "ble" or text.startswith("ble:"):
        from kindful.heart.ble import BleSource

        return BleSource(text[4:] or None)
    return FileSource(Path(text).expanduser(), speed)
