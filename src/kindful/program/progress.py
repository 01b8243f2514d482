"""How far a person is in a program: pure, from the log's records and the person's today.

Progress goes by completion, never by the calendar (contract section 9). Sessions that count
(``journal.record.counts``: completed at speed 1, at least half the planned time practised)
that ended since the program was started count in time order, each toward the day that
was current when it ended (the first day not yet done), if that day lists its practice and
still lacks it; a day is done when each of its practices has counted. Rehearsals, sessions
ended early or skipped through, and sessions from before the start do not count, nor does a
session added by hand (``log add``) unless it was added with ``--program``. A day the program
lists a practice on twice needs it twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kindful.journal.line import counts

GAP_DAYS = 3  # this many days or more without practice, and kindful says welcome back


@dataclass(frozen=True)
class Day:
    """One day of a program: its week and its place in the week (from 1), and its practices."""

    week: int
    day: int
    practices: list[str]


@dataclass(frozen=True)
class Progress:
    """Which days are done, what counted toward each, and when the person last practised."""

    days: list[Day]
    counted: list[list[str]]  # per day, the practices that counted, in order
    done_on: list[date | None]  # per day, the practice day it was done on
    last_practised: date | None  # the last practice day since the start, counted or not

    @property
    def done(self) -> list[bool]:
        return [when is not None for when in self.done_on]

    @property
    def current(self) -> int | None:
        """Give the index of the first day not yet done; ``None`` when all are."""
        return next((i for i, when in enumerate(self.done_on) if when is None), None)

    @property
    def finished(self) -> bool:
        return self.current is None

    @property
    def last_done(self) -> int | None:
        """Give the index of the last day done, if any."""
        done = [i for i, when in enumerate(self.done_on) if when is not None]
        return done[-1] if done else None

    def missing(self, index: int) -> list[str]:
        """Give the practices day ``index`` still lacks, in the order the day lists them."""
        left = Counter(self.counted[index])
        out = []
        for practice in self.days[index].practices:
            if left[practice]:
                left[practice] -= 1
            else:
                out.append(practice)
        return out


def _time(text: object) -> datetime | None:
    if type(text) is not str:
        return None
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return None
    return when if when.tzinfo is not None else None


def counting(
    records: Iterable[dict[str, Any]], since: datetime
) -> list[tuple[datetime, str, date]]:
    """Give the sessions that may count since ``since``: (ended, practice, practice day), in order.

    A practice day is the date written in ``started_at`` (as in ``stats``).
    """
    found = []
    for record in records:
        if not counts(record):
            continue
        if record.get("source") == "added" and "program" not in record:
            continue  # added by hand: counts toward a program only when `log add --program` said so
        ended = _time(record.get("ended_at"))
        started = record.get("started_at")
        if ended is None or ended < since or type(started) is not str:
            continue
        try:
            day = date.fromisoformat(started[:10])
        except ValueError:
            continue
        found.append((ended, str(record.get("practice")), day))
    found.sort(key=lambda item: item[0])
    return found


def progress(days: list[Day], records: Iterable[dict[str, Any]], since: datetime) -> Progress:
    """Give the progress through ``days`` that the ``records`` make since ``since``."""
    counted: list[list[str]] = [[] for _ in days]
    done_on: list[date | None] = [None] * len(days)
    needs = [Counter(day.practices) for day in days]
    current = 0
    last: date | None = None
    for _, practice, day in counting(records, since):
        last = day if last is None or day > last else last
        if current >= len(days):
            continue
        have = counted[current]
        if have.count(practice) < needs[current][practice]:
            have.append(practice)
            if len(have) == len(days[current].practices):
                done_on[current] = day
                current += 1
    return Progress(days, counted, done_on, last)


@dataclass(frozen=True)
class Greeting:
    """What ``today`` says before the day: welcome back after a gap, or done for today."""

    welcome_back: bool  # a gap of GAP_DAYS or more since the last practice (or the start)
    done_today: bool  # a day of the program was finished today


def greeting(state: Progress, since: datetime, today: date) -> Greeting:
    """Give how ``today`` greets the person; it never counts the days missed."""
    last = state.last_practised or since.date()
    welcome = (today - last).days >= GAP_DAYS
    done_today = any(when == today for when in state.done_on)
    return Greeting(welcome_back=welcome and not done_today, done_today=done_today)
