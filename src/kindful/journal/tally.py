"""The sums behind ``stats``: fed the sessions once, in log order, kept and taken up again.

Apart from the figures (``stats``), so that what needs only the sums (``today``'s suggestion,
from the cache in ``stats_cache``) loads none of their dataclasses.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date
from itertools import chain
from operator import le
from typing import Any

from kindful.journal.line import AFTER, BEFORE, counts


class Tally:
    """The sums behind the figures before "today" is applied, fed the sessions in log order.

    Feeding it the sessions in two parts gives exactly what feeding them at once does, and
    ``state`` and ``day_state`` give it as plain JSON values that ``from_state`` takes up again:
    so a cache can keep it and feed it only what was appended to the log since
    (``kindful.journal.stats_cache``). The practice days are also kept as runs of days in a row, so that
    the figures of a long log need not go through every day. The sums per day, which only
    ``add`` and the calendar need, may be handed over later, as a function that gives them.
    """

    __slots__ = (
        "_day_seconds",
        "_days_given",
        "_ends",
        "_practice_days",
        "changes",
        "completed",
        "count",
        "practices",
        "ratings",
        "rehearsals",
        "runs",
        "seconds",
    )

    def __init__(self) -> None:
        self.count = 0
        self.completed = 0
        self.rehearsals = 0
        self.seconds = 0.0
        # id -> [title, sessions, completed, seconds, {stem: [count, sum before, sum after]},
        #        its last practice day ("YYYY-MM-DD", "" before the first)]
        self.practices: dict[str, list[Any]] = {}
        self.ratings: dict[str, list[float]] = {}  # key -> [count, sum]
        self.changes: dict[str, list[float]] = {}  # stem -> [count, sum before, sum after]
        self.runs: dict[int, int] = {}  # practice days in a row: first day -> last (ordinals)
        self._ends: dict[int, int] = {}  # the same runs: last day -> first
        self._day_seconds: dict[str, float] | None = {}  # day -> seconds of counted sessions
        self._practice_days: set[str] | None = set()  # days of completed ones
        self._days_given: Callable[[], tuple[dict[str, float], set[str]]] | None = None

    def days(self) -> tuple[dict[str, float], set[str]]:
        """Give the seconds practised each day, and the practice days (those of completed ones)."""
        if self._day_seconds is None or self._practice_days is None:
            assert self._days_given is not None
            self._day_seconds, self._practice_days = self._days_given()
            self._days_given = None
        return self._day_seconds, self._practice_days

    def add(self, sessions: Iterable[dict[str, Any]]) -> None:
        """Add ``sessions``, in the order they were read."""
        sessions = iter(sessions)
        first = next(sessions, None)
        if first is None:
            return
        count, completed, rehearsals = self.count, self.completed, self.rehearsals
        seconds = self.seconds
        practices, ratings, changes = self.practices, self.ratings, self.changes
        day_seconds, practice_days = self.days()
        try:
            for session in chain((first,), sessions):
                if session["speed"] != 1:
                    rehearsals += 1
                    continue
                count += 1
                elapsed = session["elapsed_seconds"]
                seconds += elapsed
                day = session["started_at"][:10]
                day_seconds[day] = day_seconds.get(day, 0.0) + elapsed
                title = session["title"]
                practice = practices.get(session["practice"])
                if practice is None:
                    practice = practices[session["practice"]] = [title, 0, 0, 0.0, {}, ""]
                else:
                    practice[0] = title
                practice[1] += 1
                practice[3] += elapsed
                if session["completed"]:
                    completed += 1
                    practice[2] += 1
                    new_day = day not in practice_days
                    if (new_day or day > practice[5]) and counts(session):
                        if day > practice[5]:
                            practice[5] = day
                        if new_day:
                            practice_days.add(day)
                            self._join(date.fromisoformat(day).toordinal())
                if session["ratings"]:
                    _add_ratings(session["ratings"], ratings, changes, practice[4])
        finally:
            self.count, self.completed, self.rehearsals = count, completed, rehearsals
            self.seconds = seconds

    def _join(self, day: int) -> None:
        """Add a new practice day (an ordinal) to the runs, joining the runs on either side."""
        first = self._ends.pop(day - 1, day)
        last = self.runs.pop(day + 1, day)
        if last != day:
            del self._ends[last]
        self.runs[first] = last
        self._ends[last] = first

    def state(self) -> dict[str, Any]:
        """Give the sums but those per day (see ``days``) as JSON values; floats kept exactly."""
        return {
            "count": self.count,
            "completed": self.completed,
            "rehearsals": self.rehearsals,
            "seconds": self.seconds,
            "practices": self.practices,
            "ratings": self.ratings,
            "changes": self.changes,
            "runs": sorted(self.runs.items()),
        }

    def last_days(self) -> dict[str, date]:
        """Give each practice's last practice day (``record.counts``), for those that have one."""
        return {key: date.fromisoformat(row[5]) for key, row in self.practices.items() if row[5]}

    def changes_of(self, stem: str) -> dict[str, tuple[int, float]]:
        """Give, per practice, the sessions that rated ``STEM_before`` and ``STEM_after``, and
        the sum of after minus before over them (exact for whole-number ratings)."""
        found: dict[str, tuple[int, float]] = {}
        for key, row in self.practices.items():
            pair = row[4].get(stem)
            if pair is not None:
                found[key] = (int(pair[0]), pair[2] - pair[1])
        return found

    def days_read(self) -> bool:
        """Tell whether the sums per day were handed over and taken (see ``from_state``)."""
        return self._days_given is None

    @classmethod
    def from_state(
        cls, state: dict[str, Any], days: Callable[[], tuple[dict[str, float], set[str]]]
    ) -> Tally:
        """Take up the sums ``state`` gave, and those per day when needed from ``days()``.

        ``ValueError`` when ``state`` is not in its shape.
        """
        sums = cls()
        try:
            sums.count, sums.completed, sums.rehearsals = _counts(
                state["count"], state["completed"], state["rehearsals"]
            )
            sums.seconds = state["seconds"]
            sums.practices = state["practices"]
            sums.ratings = state["ratings"]
            sums.changes = state["changes"]
            sums.runs = dict(state["runs"])
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"not the sums of a tally: {error}") from None
        # Read back exactly, or not at all: every figure of the shape and within the bounds
        # the sums can reach, so a cache that was tampered with or torn is rebuilt instead.
        if not _amount(sums.seconds) or not sums.completed <= sums.count:
            raise ValueError("not the sums of a tally")
        rows = (
            (sums.practices, (_text, _count, _count, _amount, _pairs, _day)),
            (sums.ratings, (_count, _finite)),
            (sums.changes, (_count, _finite, _finite)),
        )
        for table, checks in rows:
            if type(table) is not dict or not all(
                type(name) is str
                and type(row) is list
                and len(row) == len(checks)
                and all(check(value) for check, value in zip(checks, row, strict=True))
                for name, row in table.items()
            ):
                raise ValueError("not the sums of a tally")
        rows_of = sums.practices.values()
        if sum(row[1] for row in rows_of) != sums.count:
            raise ValueError("not the sums of a tally")
        if sum(row[2] for row in rows_of) != sums.completed:
            raise ValueError("not the sums of a tally")
        # Each run two whole days in order, within the calendar; checked a list at a time.
        firsts, lasts = list(sums.runs), list(sums.runs.values())
        if sums.runs and (
            not {*map(type, firsts), *map(type, lasts)} <= {int}
            or min(firsts) < 1
            or max(lasts) > _LAST_DAY
            or not all(map(le, firsts, lasts))
        ):
            raise ValueError("not the sums of a tally")
        sums._ends = dict(zip(lasts, firsts, strict=True))
        sums._day_seconds = sums._practice_days = None
        sums._days_given = days
        return sums


def _counts(*values: object) -> tuple[int, ...]:
    if any(type(value) is not int or value < 0 for value in values):
        raise ValueError("a count is not a whole number")
    return tuple(values)  # type: ignore[arg-type]


_LAST_DAY = date.max.toordinal()


def _count(value: object) -> bool:
    return type(value) is int and value >= 0


def _finite(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value)  # type: ignore[arg-type]


def _amount(value: object) -> bool:
    return type(value) is float and math.isfinite(value) and value >= 0


def _text(value: object) -> bool:
    return type(value) is str


def _day(value: object) -> bool:
    """Tell whether ``value`` is a practice's last practice day as kept: a date, or none yet."""
    if type(value) is not str:
        return False
    if not value:
        return True
    try:
        return len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _pairs(value: object) -> bool:
    """Tell whether ``value`` is a practice's before/after sums: stem -> [count, sum, sum]."""
    return type(value) is dict and all(
        type(stem) is str
        and type(row) is list
        and len(row) == 3
        and _count(row[0])
        and _finite(row[1])
        and _finite(row[2])
        for stem, row in value.items()
    )


def _add_ratings(
    given: dict[str, float],
    ratings: dict[str, list[float]],
    *tables: dict[str, list[float]],
) -> None:
    """Add a session's ratings to ``ratings``, and each before/after pair to every table."""
    for key, value in given.items():
        sums = ratings.get(key)
        if sums is None:
            ratings[key] = [1, value]
        else:
            sums[0] += 1
            sums[1] += value
        if key.endswith(BEFORE):
            stem = key[: -len(BEFORE)]
            after = given.get(stem + AFTER)
            if after is None:
                continue
            for changes in tables:
                pair = changes.get(stem)
                if pair is None:
                    changes[stem] = [1, value, after]
                else:
                    pair[0] += 1
                    pair[1] += value
                    pair[2] += after
