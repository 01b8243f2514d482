"""A log line as the readers take it: a record's plain form, its bounds, and what counts.

Apart from ``record`` (the dataclasses a session is written from), so that what only reads
the log loads no dataclass: making one costs more than reading a few hundred lines.
"""

from __future__ import annotations

from typing import Any

RECORD_VERSION = 1
BEFORE = "_before"
AFTER = "_after"

OPTIONAL = (
    "surveys",
    "program",
    "reflections_sealed",
    "source",
    "heart",
)  # fields a record holds only when they have a value
Record = dict[str, Any]
"""A record as read back from the log: the JSON object of one line."""

MAX_LINE = 1024 * 1024  # a longer line is no record: a reader skips it without holding it all

HALF = 0.5  # of the planned time, practised, for a session to count as a practice day


def counts(record: Record) -> bool:
    """Tell whether a session counts toward practice days, streaks and a program's days.

    It counts when it was completed at normal speed and at least half its planned time was
    practised: skipping through every step reaches the end, but it is not a day's practice.
    A practice with no planned time (questions only) counts once completed.
    """
    if record.get("completed") is not True or record.get("speed") != 1:
        return False
    planned, elapsed = record.get("planned_seconds"), record.get("elapsed_seconds")
    if not isinstance(planned, int | float) or isinstance(planned, bool) or not planned > 0:
        return True
    return isinstance(elapsed, int | float) and elapsed >= HALF * planned
