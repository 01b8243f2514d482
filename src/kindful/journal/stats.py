"""What the log says about a practice: totals, practice days, streaks, ratings, their changes.

``tally`` is pure: it takes the sessions (log records, in any order) and the person's today, and
gives figures. It reads each session once and keeps only sums and the set of days practised, so
it runs in constant memory per practice, rating key and day, however long the log.

Which sessions count where (contract section 6, and ``docs/history-and-stats.md``):

- Only sessions with ``speed`` 1 count; rehearsals are only counted, as ``rehearsals``.
- ``sessions`` and the minutes take every counted session, ended early or not; ``completed``
  the completed ones; the practice days (so the streaks and the calendar) only those that
  ``record.counts``: completed, with at least half the planned time practised.
- A practice day is the date written in ``started_at``: where and when it was practised.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kindful.journal.tally import Tally as Tally


@dataclass(slots=True)
class PracticeFigures:
    """One practice: how often it was done, how often to the end, for how many minutes."""

    title: str
    sessions: int
    completed: int
    minutes: float
    changes: dict[str, Change] = field(default_factory=dict)  # by stem: before and after


@dataclass(slots=True)
class RatingFigures:
    """One rating key: how often it was given, and its mean."""

    count: int
    mean: float


@dataclass(slots=True)
class Change:
    """One ``STEM_before``/``STEM_after`` pair: in how many sessions, and the means."""

    count: int
    mean_before: float
    mean_after: float

    @property
    def mean_change(self) -> float:
        return self.mean_after - self.mean_before


@dataclass(slots=True)
class Stats:
    """The figures of a practice up to ``today`` (contract section 6, plus what is drawn).

    ``day_minutes`` gives each practice day the minutes practised that day.
    """

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
    day_minutes: dict[date, float] = field(default_factory=dict)
    skipped_lines: int = 0


def tally(sessions: Iterable[dict[str, Any]], today: date, skipped_lines: int = 0) -> Stats:
    """Give the figures of ``sessions`` as seen on ``today``."""
    sums = Tally()
    sums.add(sessions)
    return figures(sums, today, skipped_lines)


def figures(
    sums: Tally, today: date, skipped_lines: int = 0, calendar_from: date | None = None
) -> Stats:
    """Give the figures of ``sums`` as seen on ``today``.

    ``day_minutes`` holds the practice days from ``calendar_from`` on (all when ``None``;
    ``date.max`` for none, when no calendar is drawn).
    """
    runs = sums.runs
    now = today.toordinal()
    streak = 0
    for first, last in runs.items():
        if first <= now <= last:
            streak = now - first + 1
            break
    else:
        for first, last in runs.items():
            if first <= now - 1 <= last:
                streak = now - first
                break
    day_minutes: dict[date, float] = {}
    if calendar_from is None or calendar_from <= today:
        since = "" if calendar_from is None else calendar_from.isoformat()
        day_seconds, practice_days = sums.days()
        day_minutes = {
            date.fromisoformat(day): day_seconds[day] / 60 for day in practice_days if day >= since
        }
    return Stats(
        today=today,
        sessions=sums.count,
        completed=sums.completed,
        total_minutes=sums.seconds / 60,
        rehearsals=sums.rehearsals,
        current_streak=streak,
        longest_streak=max((last - first + 1 for first, last in runs.items()), default=0),
        last_practiced=date.fromordinal(max(sums.runs.values())) if runs else None,
        days_last_7=_days_within(runs, now, 7),
        days_last_30=_days_within(runs, now, 30),
        practices={
            key: PracticeFigures(title, n, done, secs / 60, _changes(pairs))
            for key, (title, n, done, secs, pairs, _) in sorted(sums.practices.items())
        },
        ratings={
            key: RatingFigures(int(n), total / n)
            for key, (n, total) in sorted(sums.ratings.items())
        },
        changes=_changes(sums.changes),
        day_minutes=day_minutes,
        skipped_lines=skipped_lines,
    )


def _days_within(runs: dict[int, int], today: int, span: int) -> int:
    """Give the practice days among the last ``span`` days, today included (as ordinals)."""
    first = today - span + 1
    return sum(max(0, min(last, today) - max(start, first) + 1) for start, last in runs.items())


def _changes(pairs: dict[str, list[float]]) -> dict[str, Change]:
    return {
        stem: Change(int(n), before / n, after / n)
        for stem, (n, before, after) in sorted(pairs.items())
    }


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
            key: {
                "sessions": p.sessions,
                "completed": p.completed,
                "minutes": round(p.minutes, 1),
                "changes": _changes_json(p.changes),
            }
            for key, p in stats.practices.items()
        },
        "ratings": {
            key: {"count": r.count, "mean": round(float(r.mean), 2)}
            for key, r in stats.ratings.items()
        },
        "changes": _changes_json(stats.changes),
        "skipped_lines": stats.skipped_lines,
    }


def _changes_json(changes: dict[str, Change]) -> dict[str, Any]:
    return {
        stem: {"count": c.count, "mean_change": round(float(c.mean_change), 2)}
        for stem, c in changes.items()
    }
