"""What the log says about a practice: totals, practice days, streaks, ratings, their changes.

``tally`` is pure: it takes the sessions (log records, in any order) and the person's today, and
gives figures. It reads each session once and keeps only sums and the set of days practised, so
it runs in constant memory per practice, rating key and day, however long the log.

Which sessions count where (contract section 6, and ``docs/history-and-stats.md``):

- Only sessions with ``speed`` 1 count; rehearsals are only counted, as ``rehearsals``.
- ``sessions`` and the minutes take every counted session, ended early or not; ``completed``
  and the practice days (so the streaks and the calendar) only the completed ones.
- A practice day is the date written in ``started_at``: where and when it was practised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

AFTER = "_after"
BEFORE = "_before"


@dataclass(frozen=True)
class PracticeFigures:
    """One practice: how often it was done, how often to the end, for how many minutes."""

    title: str
    sessions: int
    completed: int
    minutes: float


@dataclass(frozen=True)
class RatingFigures:
    """One rating key: how often it was given, and its mean."""

    count: int
    mean: float


@dataclass(frozen=True)
class Change:
    """One ``STEM_before``/``STEM_after`` pair: in how many sessions, and the means."""

    count: int
    mean_before: float
    mean_after: float

    @property
    def mean_change(self) -> float:
        return self.mean_after - self.mean_before


@dataclass(frozen=True)
class Stats:
    """The figures of a practice up to ``today`` (contract section 6, plus what is drawn)."""

    today: date
    sessions: int = 0
    completed: int = 0
    total_minutes: float = 0.0
    rehearsals: int = 0
    current_streak: int = 0
    longest_streak: int = 0
    last_practiced: date | None = None
    days_last_7: int = 0
    days_last_30: int = 0
    practices: dict[str, PracticeFigures] = field(default_factory=dict)
    ratings: dict[str, RatingFigures] = field(default_factory=dict)
    changes: dict[str, Change] = field(default_factory=dict)
    day_minutes: dict[date, float] = field(
        default_factory=dict
    )  # practice days -> minutes practised that day
    skipped_lines: int = 0


class _Practice:
    __slots__ = ("completed", "seconds", "sessions", "title")

    def __init__(self, title: str) -> None:
        self.title = title
        self.sessions = 0
        self.completed = 0
        self.seconds = 0.0


def tally(sessions: Iterable[dict[str, Any]], today: date, skipped_lines: int = 0) -> Stats:
    """Give the figures of ``sessions`` as seen on ``today``."""
    count = completed = rehearsals = 0
    seconds = 0.0
    practices: dict[str, _Practice] = {}
    ratings: dict[str, list[float]] = {}  # key -> [count, sum]
    changes: dict[str, list[float]] = {}  # stem -> [count, sum before, sum after]
    day_seconds: dict[str, float] = {}
    practice_days: set[str] = set()
    for session in sessions:
        if session["speed"] != 1:
            rehearsals += 1
            continue
        count += 1
        elapsed = session["elapsed_seconds"]
        seconds += elapsed
        day = session["started_at"][:10]
        day_seconds[day] = day_seconds.get(day, 0.0) + elapsed
        practice = practices.get(session["practice"])
        if practice is None:
            practice = practices[session["practice"]] = _Practice(session["title"])
        practice.sessions += 1
        practice.seconds += elapsed
        practice.title = session["title"]
        if session["completed"]:
            completed += 1
            practice.completed += 1
            practice_days.add(day)
        if session["ratings"]:
            _add_ratings(session["ratings"], ratings, changes)
    days = {date.fromisoformat(day) for day in practice_days}
    return Stats(
        today=today,
        sessions=count,
        completed=completed,
        total_minutes=seconds / 60,
        rehearsals=rehearsals,
        current_streak=current_streak(days, today),
        longest_streak=longest_streak(days),
        last_practiced=max(days) if days else None,
        days_last_7=days_within(days, today, 7),
        days_last_30=days_within(days, today, 30),
        practices={
            key: PracticeFigures(p.title, p.sessions, p.completed, p.seconds / 60)
            for key, p in sorted(practices.items())
        },
        ratings={
            key: RatingFigures(int(n), total / n) for key, (n, total) in sorted(ratings.items())
        },
        changes={
            stem: Change(int(n), before / n, after / n)
            for stem, (n, before, after) in sorted(changes.items())
        },
        day_minutes={date.fromisoformat(day): day_seconds[day] / 60 for day in practice_days},
        skipped_lines=skipped_lines,
    )


def _add_ratings(
    given: dict[str, float], ratings: dict[str, list[float]], changes: dict[str, list[float]]
) -> None:
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
            if after is not None:
                pair = changes.get(stem)
                if pair is None:
                    changes[stem] = [1, value, after]
                else:
                    pair[0] += 1
                    pair[1] += value
                    pair[2] += after


def current_streak(days: set[date], today: date) -> int:
    """Give the practice days in a row ending today, or yesterday when today has none yet."""
    day = today if today in days else today - timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= timedelta(days=1)
    return streak


def longest_streak(days: set[date]) -> int:
    """Give the most practice days in a row there have ever been."""
    longest = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous is not None and (day - previous).days == 1 else 1
        longest = max(longest, run)
        previous = day
    return longest


def days_within(days: set[date], today: date, span: int) -> int:
    """Give the practice days among the last ``span`` days, today included."""
    first = today - timedelta(days=span - 1)
    return sum(1 for day in days if first <= day <= today)


def as_json(stats: Stats) -> dict[str, Any]:
    """Give the figures in the shape of ``stats --json`` (contract section 6).

    Minutes are rounded to one decimal, means and changes to two.
    """
    return {
        "sessions": stats.sessions,
        "completed": stats.completed,
        "total_minutes": round(stats.total_minutes, 1),
        "current_streak": stats.current_streak,
        "longest_streak": stats.longest_streak,
        "last_practiced": stats.last_practiced.isoformat() if stats.last_practiced else None,
        "days_last_7": stats.days_last_7,
        "days_last_30": stats.days_last_30,
        "practices": {
            key: {"sessions": p.sessions, "completed": p.completed, "minutes": round(p.minutes, 1)}
            for key, p in stats.practices.items()
        },
        "ratings": {
            key: {"count": r.count, "mean": round(float(r.mean), 2)}
            for key, r in stats.ratings.items()
        },
        "changes": {
            stem: {"count": c.count, "mean_change": round(float(c.mean_change), 2)}
            for stem, c in stats.changes.items()
        },
        "skipped_lines": stats.skipped_lines,
    }
