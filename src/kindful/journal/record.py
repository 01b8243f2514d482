"""The session record (log record 1): what one practice session leaves in the log."""

from __future__ import annotations

import json
from dataclasses import asdict, field
from typing import Any

from kindful.frozen import frozen
from kindful.journal.line import (  # kept here too, where they were first
    AFTER,
    BEFORE,
    HALF,
    MAX_LINE,
    OPTIONAL,
    RECORD_VERSION,
    Record,
    counts,
)

__all__ = [
    "AFTER",
    "BEFORE",
    "HALF",
    "MAX_LINE",
    "OPTIONAL",
    "RECORD_VERSION",
    "Record",
    "Reflection",
    "SessionRecord",
    "counts",
    "rating_changes",
]


@frozen
class Reflection:
    """A question a ``reflect`` step asked, and the answer given."""

    prompt: str
    text: str


@frozen
class SessionRecord:
    """One session, as written to the log (contract section 5)."""

    id: str
    practice: str
    title: str
    lang: str
    started_at: str  # ISO 8601 local time with UTC offset
    ended_at: str
    planned_seconds: float
    elapsed_seconds: float
    completed: bool
    steps_done: int
    steps_total: int
    speed: float = 1
    ratings: dict[str, int] = field(default_factory=dict)
    reflections: list[Reflection] = field(default_factory=list)
    surveys: dict[str, Any] | None = None  # {key: {"score", "subscales", "answers"}}
    program: dict[str, Any] | None = None  # {"id", "week", "day"} when a program's day
    heart: dict[str, Any] | None = None  # heart-rhythm figures, with a heart source (section 12)
    reflections_sealed: str | None = None  # the reflections, sealed (journal/sealing.py)
    source: str | None = None  # "added": a session added by hand with ``log add``
    v: int = RECORD_VERSION

    def to_dict(self) -> dict[str, Any]:
        """Give the record as the JSON object of the log, ``v`` first; optional fields if set."""
        data = asdict(self)
        for name in OPTIONAL:
            if data[name] is None:
                del data[name]
        return {"v": data.pop("v"), **data}

    def to_line(self) -> str:
        """Give the record as one log line, newline included, non-ASCII kept as is."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n"


def rating_changes(ratings: dict[str, float]) -> list[tuple[str, float, float | None]]:
    """Give the ratings of one session as (name, value, value after): pairs joined, by name.

    ``stress_before`` and ``stress_after`` become ``("stress", before, after)``; any other
    rating ``("key", value, None)``.
    """
    shown: list[tuple[str, float, float | None]] = []
    for key, value in ratings.items():
        if key.endswith(BEFORE) and key[: -len(BEFORE)] + AFTER in ratings:
            stem = key[: -len(BEFORE)]
            shown.append((stem, value, ratings[stem + AFTER]))
        elif key.endswith(AFTER) and key[: -len(AFTER)] + BEFORE in ratings:
            continue
        else:
            shown.append((key, value, None))
    return sorted(shown, key=lambda item: item[0])
