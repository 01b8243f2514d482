"""What to practise today: the next day of the program followed, or a gentle suggestion.

Pure: it takes the program's outline, when it was started, the log's records and the person's
today, and gives what ``kindful today`` shows, runs and prints as JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from kindful.journal.line import counts

if TYPE_CHECKING:  # a program's outline and progress load only for a program's day
    from kindful.program.outline import Outline
    from kindful.program.progress import Day, Greeting, Progress

SHORT_SECONDS = 6 * 60  # a practice this long or shorter is offered as a short one
# Shorter than this is a quick check or a questionnaire (the weekly one asks about a week that
# has not happened yet): not what a person begins with.
BEGIN_SECONDS = 90


@dataclass(frozen=True)
class Today:
    """The day ``today`` offers in a program, how far the person is, and how to greet them."""

    outline: Outline
    progress: Progress
    index: int  # the day offered: the first not yet done, or the last when all are
    greeting: Greeting

    @property
    def day(self) -> Day:
        return self.progress.days[self.index]

    @property
    def finished(self) -> bool:
        return self.progress.finished

    @property
    def missing(self) -> list[str]:
        """Give the practices of the day offered that still lack a session."""
        return [] if self.finished else self.progress.missing(self.index)

    @property
    def last_day(self) -> Day | None:
        """Give the last day done, which a person coming back may repeat."""
        last = self.progress.last_done
        return None if last is None else self.progress.days[last]

    def as_json(self) -> dict[str, Any]:
        """Give ``today --json`` (contract section 9)."""
        return {
            "program": self.outline.id,
            "week": self.day.week,
            "day": self.day.day,
            "practices": list(self.day.practices),
            "done": self.finished,
        }


def days_of(outline: Outline) -> list[Day]:
    """Give the days of a program in order."""
    from kindful.program.progress import Day

    return [Day(week, day, list(ids)) for week, day, ids in outline.days()]


def today_in(
    outline: Outline, since: datetime, records: Iterable[dict[str, Any]], today: date
) -> Today:
    """Give what ``today`` offers in ``outline``, started at ``since``, given the log."""
    from kindful.program.progress import greeting, progress

    state = progress(days_of(outline), records, since)
    current = state.current
    index = current if current is not None else max(len(state.days) - 1, 0)
    return Today(outline, state, index, greeting(state, since, today))


@dataclass(frozen=True)
class Suggestion:
    """A practice offered without a program, and why: new and short, or least recently done."""

    practice: str | None
    why: str  # "short" (never done yet, the shortest such) or "least_recent"
    last: date | None = None

    def as_json(self) -> dict[str, Any]:
        """Give ``today --json`` without a program."""
        practices = [self.practice] if self.practice else []
        return {"program": None, "week": None, "day": None, "practices": practices, "done": False}


def last_days(records: Iterable[dict[str, Any]]) -> dict[str, date]:
    """Give each practice's last practice day, from the sessions that count."""
    last: dict[str, date] = {}
    for record in records:
        if not counts(record):
            continue
        practice, started = record.get("practice"), record.get("started_at")
        if type(practice) is not str or type(started) is not str:
            continue
        try:
            day = date.fromisoformat(started[:10])
        except ValueError:
            continue
        if practice not in last or day > last[practice]:
            last[practice] = day
    return last


def suggest(practices: list[tuple[str, float]], last: dict[str, date]) -> Suggestion:
    """Give a practice to offer: the shortest never done, else the one least recently done.

    The shortest is taken among those of ``BEGIN_SECONDS`` to ``SHORT_SECONDS`` first.

    ``practices`` are (id, planned seconds) in lookup order.
    """
    if not practices:
        return Suggestion(None, "short")
    fresh = [(seconds, i, ref) for i, (ref, seconds) in enumerate(practices) if ref not in last]
    if fresh:
        short = (
            [item for item in fresh if BEGIN_SECONDS <= item[0] <= SHORT_SECONDS]
            or [item for item in fresh if item[0] <= SHORT_SECONDS]
            or fresh
        )
        return Suggestion(min(short)[2], "short")
    order = [(last[ref], seconds, i, ref) for i, (ref, seconds) in enumerate(practices)]
    oldest = min(order)
    return Suggestion(oldest[3], "least_recent", oldest[0])
