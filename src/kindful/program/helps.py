"""What has helped a person, from their own log: for ``today`` to offer, never to push.

Pure: it takes the log's records and the person's today. A practice *helped* when its sessions
rated ``stress_before`` and ``stress_after`` and the stress came down, on average, by at least
``EASED`` points over at least ``AT_LEAST`` such sessions; the one that helped most is the one
whose stress came down most. A day is *hard* when the latest session of it that rated
``stress_before`` rated it ``HIGH`` or more (on the 0 to 10 scale the built-in practices use)
and did not bring it below ``HIGH`` by its end. Only sessions at speed 1 are read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

STEM = "stress"
BEFORE, AFTER = f"{STEM}_before", f"{STEM}_after"
HIGH = 8  # of 10: a before-rating this high or higher makes a hard day
EASED = 1.0  # points the stress must come down on average for a practice to have helped
AT_LEAST = 2  # sessions with a before and an after rating, before saying a practice helped
FIRST_AID = "first-aid"  # the practice offered on a hard day when none has helped yet


@dataclass(frozen=True)
class Helped:
    """A practice that eased the person's stress: by how much on average, over how many."""

    practice: str
    count: int
    mean_change: float  # after minus before: below 0


@dataclass(frozen=True)
class Offer:
    """A practice ``today`` offers beside (or instead of) the program's day, and why.

    ``reason``: ``helped`` (it eased stress most), ``first_aid`` (a hard day, nothing has
    helped yet); ``hard`` says it is offered because today is a hard day.
    """

    practice: str
    reason: str
    hard: bool
    helped: Helped | None = None


class Reading:
    """Reads the records once: the stress changes by practice, and today's latest stress."""

    def __init__(self, today: date) -> None:
        self.today = today.isoformat()
        self.changes: dict[str, list[float]] = {}  # practice -> [count, sum of changes]
        self.latest: tuple[str, float, float | None] | None = None  # today's: (started, b, a)

    def add(self, records: Iterable[dict[str, Any]], changes: bool = True) -> Reading:
        """Read ``records``: the stress changes (unless ``changes`` is false), today's latest."""
        for record in records:
            if record.get("speed") != 1:
                continue
            ratings = record.get("ratings")
            started = record.get("started_at")
            if not isinstance(ratings, dict) or type(started) is not str:
                continue
            before, after = _number(ratings.get(BEFORE)), _number(ratings.get(AFTER))
            if before is None:
                continue
            practice = record.get("practice")
            if changes and after is not None and type(practice) is str:
                sums = self.changes.setdefault(practice, [0, 0.0])
                sums[0] += 1
                sums[1] += after - before
            if started[:10] == self.today and (self.latest is None or started > self.latest[0]):
                self.latest = (started, before, after)
        return self

    def take_changes(self, changes: dict[str, tuple[int, float]]) -> Reading:
        """Take the stress changes as already summed: practice -> (sessions, sum of changes)."""
        self.changes = {ref: [n, total] for ref, (n, total) in changes.items()}
        return self

    def passing(self, records: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Give the records on, reading each as it passes (for a second reader of one pass)."""
        for record in records:
            self.add((record,))
            yield record

    def most_helped(self, available: Iterable[str]) -> Helped | None:
        """Give the practice among ``available`` that eased stress most, if any did."""
        found = [
            Helped(ref, int(n), total / n)
            for ref, (n, total) in self.changes.items()
            if n >= AT_LEAST and total / n <= -EASED
        ]
        there = set(available)
        found = [h for h in found if h.practice in there]
        return min(found, key=lambda h: (h.mean_change, -h.count, h.practice), default=None)

    @property
    def hard_day(self) -> bool:
        """Tell whether today's latest stress rating before a practice was high and stayed so."""
        if self.latest is None:
            return False
        _, before, after = self.latest
        return before >= HIGH and (after is None or after >= HIGH)


def offer(reading: Reading, available: Iterable[str], following: bool) -> Offer | None:
    """Give what ``today`` offers: on a hard day what helped most or first aid; outside a
    program what helped most; else nothing (the program's day, or the usual suggestion)."""
    there = list(available)
    helped = reading.most_helped(there)
    hard = reading.hard_day
    if hard:
        if helped is not None:
            return Offer(helped.practice, "helped", True, helped)
        return Offer(FIRST_AID, "first_aid", True) if FIRST_AID in there else None
    if not following and helped is not None:
        return Offer(helped.practice, "helped", False, helped)
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)
