"""Taking sessions back out of the log, and sealing old reflections: the log's one rewrite.

``find`` says which sessions a person means; ``forget`` removes exactly those. Every
``sessions*.jsonl`` that holds one of them is rewritten: the lines kept go, byte for byte, to a
new file beside it, which is synced and renamed over the old one (``kindful.atomic``), with the
old file's mode and owner. Each file is rewritten under the lock appends take, and a writer
that waited for it appends to the new file, so a session ending meanwhile is never lost. A
crash before the rename leaves the old file whole. Lines that are not records are kept.
``kindful key seal-old`` goes through the same rewrite (``rewrite``), changing only lines.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import IO

from kindful.errors import KindfulError, UsageError
from kindful.journal.line import MAX_LINE, Record
from kindful.journal.reader import SessionLog, log_files, parse_record

SHORT_ID = 8  # history --ids shows this many characters of an id; fewer would rarely be unique


class ForgetError(KindfulError):
    """What a person asked to forget is not in the log, or is not one session."""


def find(
    folder: Path,
    session: str | None = None,
    practice: str | None = None,
    rehearsals: bool = False,
) -> list[Record]:
    """Give the sessions (one record per id) that one of the choices names.

    ``session`` is a whole id or at least its first ``SHORT_ID`` characters, and must name one
    session; ``practice`` every session of that practice id; ``rehearsals`` every session run at
    a ``speed`` other than 1. Raises ``UsageError`` for a short id and ``ForgetError`` when an id
    names no session or several.
    """
    wanted = session.strip().lower() if session is not None else None
    if wanted is not None and len(wanted) < SHORT_ID:
        raise UsageError(f"give a session's id or at least its first {SHORT_ID} characters")
    with SessionLog(folder) as log:
        found = [r for r in log.sessions() if _chosen(r, wanted, practice, rehearsals)]
    if wanted is not None:
        if not found:
            raise ForgetError(f"no session in the log has the id {session}")
        exact = [r for r in found if r["id"].lower() == wanted]
        if exact:
            found = exact[:1]
        elif len(found) > 1:
            raise ForgetError(
                f"{len(found)} sessions have ids that start with {session}: give more of the id"
            )
    return found


def _chosen(record: Record, session: str | None, practice: str | None, rehearsals: bool) -> bool:
    if session is not None:
        return bool(record["id"].lower().startswith(session))
    if practice is not None:
        return bool(record["practice"] == practice)
    return rehearsals and record["speed"] != 1


def forget(folder: Path, ids: Iterable[str]) -> int:
    """Remove every line holding one of the sessions ``ids`` from the log; give how many went.

    Raises ``KindfulError`` (with the file) when a log file cannot be read or rewritten; the
    files already rewritten stay so, the others as they were.
    """
    chosen = set(ids)
    return rewrite(folder, lambda line: _holds(line, chosen), lambda line: b"")


Touches = Callable[[bytes], bool]
Change = Callable[[bytes], bytes]


def rewrite(folder: Path, touches: Touches, change: Change) -> int:
    """Rewrite every log file in ``folder``: each line ``touches`` picks becomes ``change(line)``.

    Every other byte is kept. Gives how many lines were changed. A file with no line picked is
    left as it is. Raises ``KindfulError`` (with the file) when a log file cannot be read or
    rewritten; the files already rewritten stay so, the others as they were.
    """
    changed = 0
    for path in log_files(folder):
        if not _regular(path):
            continue  # a FIFO or a device among the copies: the readers leave it out too
        try:
            changed += _rewrite(Path(os.path.realpath(path)), touches, change)
        except OSError as error:
            reason = (error.strerror or str(error)).lower()
            raise KindfulError(f"cannot rewrite the log: {reason}", path=path) from None
    return changed


def _rewrite(path: Path, touches: Touches, change: Change) -> int:
    """Rewrite one log file, the lines picked changed, under the append lock; give the count."""
    from kindful import atomic
    from kindful.journal.locking import open_locked

    fd = open_locked(path, os.O_RDONLY)
    with os.fdopen(fd, "rb") as old:
        picked = sum(1 for line, whole in _pieces(old) if whole and touches(line))
        if not picked:
            return 0
        status = os.fstat(fd)
        old.seek(0)
        with atomic.replacing(path) as new:
            _keep_mode_and_owner(new.fileno(), status)
            for line, whole in _pieces(old):
                new.write(change(line) if whole and touches(line) else line)
    return picked


def _pieces(file: IO[bytes]) -> Iterator[tuple[bytes, bool]]:
    """Yield the file in pieces of at most a record's length, each with whether it is a whole
    line: a longer line (no record) is copied piece by piece, never held whole."""
    limit = MAX_LINE + 2  # a record, its newline, and one byte more to tell a longer line
    inside = False  # whether the piece before ended mid-line
    while piece := file.readline(limit):
        ended = piece.endswith(b"\n")
        yield piece, not inside and (ended or len(piece) < limit)
        inside = not ended


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return True  # said as the file is opened, with its reason


def _holds(line: bytes, ids: set[str]) -> bool:
    if not ids or b'"id"' not in line:
        return False
    record = parse_record(line[:-1] if line.endswith(b"\n") else line)
    return record is not None and record["id"] in ids


def _keep_mode_and_owner(fd: int, old: os.stat_result) -> None:
    os.fchmod(fd, stat.S_IMODE(old.st_mode))
    now = os.fstat(fd)
    if (now.st_uid, now.st_gid) != (old.st_uid, old.st_gid):
        with suppress(PermissionError):  # only root may give a file away; then it stays ours
            os.fchown(fd, old.st_uid, old.st_gid)
