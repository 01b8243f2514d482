"""Log records for tests: every field of record 1, set to a plain five-minute check-in."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import Any

from kindful.journal.record import OPTIONAL, SessionRecord

FIELDS = {f.name for f in dataclass_fields(SessionRecord)} - set(OPTIONAL)


def uuid(n: int) -> str:
    """Give a well-formed session id made from ``n``."""
    return f"00000000-0000-4000-8000-{n:012d}"


def record(**fields: Any) -> dict[str, Any]:
    """Give a log record (as the JSON object of a log line) with ``fields`` changed."""
    started_at = fields.get("started_at", "2026-11-23T07:30:00+01:00")
    base: dict[str, Any] = {
        "v": 1,
        "id": uuid(1),
        "practice": "check-in",
        "title": "Check-in",
        "lang": "en",
        "started_at": started_at,
        "ended_at": started_at,
        "planned_seconds": 300,
        "elapsed_seconds": 300,
        "completed": True,
        "steps_done": 4,
        "steps_total": 4,
        "speed": 1,
        "ratings": {},
        "reflections": [],
    }
    assert set(base) == FIELDS, "the helper is out of step with SessionRecord"
    return {**base, **fields}


EMPTY_STATS: dict[str, Any] = {
    "sessions": 0,
    "completed": 0,
    "total_minutes": 0.0,
    "current_streak": 0,
    "longest_streak": 0,
    "last_practiced": None,
    "days_last_7": 0,
    "days_last_30": 0,
    "practices": {},
    "ratings": {},
    "changes": {},
    "skipped_lines": 0,
}
"""``stats --json`` of an empty or missing log (contract section 6)."""
