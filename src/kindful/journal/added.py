"""Sessions added by hand (``kindful log add``): a walk, a retreat, a practice from a recording.

An added session is a record like any other, with ``"source": "added"``; it is checked as the
readers check every record before it is appended, so that what is written is read back. Its
own rules: it happened (it ends no later than now), it lasted a while (more than nothing, at
most a day), and its ratings are numbers.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from kindful.journal.record import SessionRecord

ADDED = "added"
MOST_MINUTES = 24 * 60  # longer is a slip of the keyboard, not a session
RATING_KEY = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,63}")


class Invalid(ValueError):
    """What was given cannot be a session; ``key`` names the interface string that says why."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True, kw_only=True)
class Added:
    """What a person says about a session done elsewhere, settled."""

    practice: str
    title: str
    lang: str
    started: datetime  # aware, local
    seconds: float  # time practised
    planned_seconds: float
    steps_total: int
    completed: bool
    ratings: dict[str, int]
    program: dict[str, object] | None = None


def parse_at(text: str) -> datetime:
    """Give the local time ``YYYY-MM-DD HH:MM`` means, with that day's UTC offset.

    Raises ``Invalid`` for another shape.
    """
    for shape in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"):
        try:
            return datetime.strptime(text.strip(), shape).astimezone()
        except ValueError:
            continue
    raise Invalid("add.bad_time", at=text)


def parse_minutes(minutes: float) -> float:
    """Give ``minutes`` as seconds; ``Invalid`` unless above 0 and at most a day."""
    if not 0 < minutes <= MOST_MINUTES:  # nan fails this too
        raise Invalid("add.bad_minutes", most=MOST_MINUTES)
    return minutes * 60


def parse_ratings(given: list[str]) -> dict[str, int]:
    """Give ``KEY=N`` ratings as a mapping; ``Invalid`` for one that is not a word and a whole
    number (as a ``rate`` step gives)."""
    ratings: dict[str, int] = {}
    for item in given:
        key, _, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not RATING_KEY.fullmatch(key) or not re.fullmatch(r"[+-]?[0-9]{1,7}", value):
            raise Invalid("add.bad_rating", rating=item)
        ratings[key] = int(value)
    return ratings


def record(added: Added, now: datetime) -> SessionRecord:
    """Give the log record of an added session; ``Invalid`` when it would end after ``now``."""
    from kindful.journal.reader import is_record

    ended = added.started + timedelta(seconds=added.seconds)
    if ended > now:
        raise Invalid("add.future")
    made = SessionRecord(
        id=str(uuid.uuid4()),
        practice=added.practice,
        title=added.title,
        lang=added.lang,
        started_at=added.started.isoformat(timespec="seconds"),
        ended_at=ended.isoformat(timespec="seconds"),
        planned_seconds=round(added.planned_seconds, 3),
        elapsed_seconds=round(added.seconds, 2),
        completed=added.completed,
        steps_done=added.steps_total if added.completed else 0,
        steps_total=added.steps_total,
        ratings=dict(added.ratings),
        program=added.program,
        source=ADDED,
    )
    if not is_record(made.to_dict()):  # what the readers would skip is never written
        raise Invalid("add.not_a_record")
    return made
