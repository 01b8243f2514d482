"""The latest sessions of the log, newest first, and how a session's ratings read."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from kindful.journal.stats import AFTER, BEFORE

Record = dict[str, Any]


def newest(sessions: Iterable[Record], limit: int, practice: str | None = None) -> list[Record]:
    """Give the newest ``limit`` sessions (of ``practice``, if given), newest first.

    Sessions are ordered by the moment they started, whatever time zone they were written in.
    Only ``limit`` sessions are held at any time, however long the log.
    """
    if practice is not None:
        sessions = (s for s in sessions if s["practice"] == practice)
    return heapq.nlargest(limit, sessions, key=started)


def started(session: Record) -> float:
    """Give the moment a session started, as a POSIX timestamp."""
    return datetime.fromisoformat(session["started_at"]).timestamp()


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
