"""The latest sessions of the log, newest first."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta

from kindful.journal.line import Record


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


def chosen(
    sessions: Iterable[Record],
    since: date | None = None,
    completed: bool = False,
    rehearsals: bool = True,
) -> Iterator[Record]:
    """Give the sessions started on ``since`` or later (by the date written), completed ones
    only if ``completed``, and rehearsals (``speed`` other than 1) only if ``rehearsals``."""
    first = since.isoformat() if since is not None else ""
    for session in sessions:
        if first and session["started_at"][:10] < first:
            continue
        if completed and not session["completed"]:
            continue
        if not rehearsals and session["speed"] != 1:
            continue
        yield session


def wanted(
    since: date | None = None,
    completed: bool = False,
    rehearsals: bool = True,
    practice: str | None = None,
) -> Callable[[Record], bool]:
    """Give the test ``chosen`` applies to one session, and of ``practice`` if given."""
    first = since.isoformat() if since is not None else ""

    def keep(session: Record) -> bool:
        return (
            (practice is None or session["practice"] == practice)
            and (not first or session["started_at"][:10] >= first)
            and (not completed or session["completed"])
            and (rehearsals or session["speed"] == 1)
        )

    return keep


def since_date(text: str, today: date) -> date | None:
    """Give the first day ``text`` means: a date ``YYYY-MM-DD``, or ``Nd`` for the last N days
    (today included, as in ``stats``); ``None`` when it is neither."""
    text = text.strip().lower()
    if text.endswith("d") and text[:-1].isdigit() and int(text[:-1]) > 0:
        return today - timedelta(days=int(text[:-1]) - 1)
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def did_you_mean(wanted: str, known: Iterable[str]) -> str | None:
    """Give the known practice id nearest to a mistyped one, if one is near."""
    from difflib import get_close_matches

    near = get_close_matches(wanted, sorted(set(known)), n=1, cutoff=0.6)
    return near[0] if near else None
