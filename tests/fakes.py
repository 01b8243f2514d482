"""Stand-ins that tests drive by hand: time moves only when a test says so."""

from __future__ import annotations


class FakeClock:
    """A monotonic clock that moves only when told."""

    def __init__(self, now: float = 1000.0) -> None:
        assert now >= 0, now
        self.now = now

    def __call__(self) -> float:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += seconds
