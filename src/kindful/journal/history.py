"""The latest sessions of the log, newest first."""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime

from kindful.journal.record import Record


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
