"""Parts of the log read without parsing all of it: the newest sessions, read from the end of
each file, and the sessions since a time.

The log is appended to as sessions end, so the newest sessions, and the sessions since a time
(the start of a program, the first of the last 12 weeks), sit at the end of each file. A file
is read backwards from its end until its lines are well older than what is wanted (``MARGIN``
before it, for clocks and time zones that disagree a little); a session appended out of order
within that margin is still found and judged by its own times.

This holds for the files kindful appends to (each device appends as its sessions end), not for
a file joined from several by hand or by an export: callers read those whole.

Lines that are not records are counted in what was read, and named by their line in the file:
the lines before the part read are counted only when a skipped line is to be named.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import IO

from kindful.journal.line import Record
from kindful.journal.reader import (
    MAX_LINE,
    SeenIds,
    SessionLog,
    Skipped,
    parse_record,
)

MARGIN = timedelta(days=2)
PATIENCE = 256  # sessions in a row that began before what is wanted, before a file is left
BLOCK = 64 * 1024
_STARTED = re.compile(rb'"started_at"\s*:\s*"([^"]{16,40})"')


def newest_sessions(
    log: SessionLog,
    limit: int,
    wanted: Callable[[Record], bool] = lambda record: True,
    since: datetime | None = None,
) -> list[Record]:
    """Give the newest ``limit`` sessions that are ``wanted``, newest first, reading from the end.

    Each file is read backwards until ``PATIENCE`` sessions in a row started ``MARGIN`` before
    the oldest of the ``limit`` found so far, or before ``since``: a log kindful appends to is
    in time order but for a little, and a log put together by hand may be less so. A session
    read twice (the same ``id``) counts once: the one read first, nearest the end of the log.
    ``log.skipped`` counts the lines skipped in what was read.
    """
    best: list[tuple[float, int, Record]] = []  # a heap of the newest found, oldest on top
    seen: set[str] = set()
    skipped = Skipped()
    order = 0
    margin = MARGIN.total_seconds()
    oldest = since.timestamp() - margin if since is not None else None
    for index, found in enumerate(log.files):
        places: list[int] = []
        count = older = 0
        with log.opened(index) as file:
            for offset, line in _backwards(file, found.size):
                record = parse_record(line) if line is not None else None
                if record is None:
                    if line is None or line.strip():
                        count += 1
                        if len(places) < 3:
                            places.append(offset)
                    continue
                started = datetime.fromisoformat(record["started_at"]).timestamp()
                if (len(best) == limit and started < best[0][0] - margin) or (
                    oldest is not None and started < oldest
                ):
                    older += 1  # began well before what is shown, or what was asked for
                    if older >= PATIENCE:
                        break  # so did every session before them
                    continue
                older = 0
                if record["id"] in seen or not wanted(record):
                    continue
                seen.add(record["id"])
                order += 1
                item = (started, -order, record)
                if len(best) < limit:
                    heapq.heappush(best, item)
                elif item > best[0]:
                    heapq.heapreplace(best, item)
            _name_skipped(skipped, str(found.path), file, count, sorted(places))
    log.skipped = skipped
    return [record for _, _, record in sorted(best, reverse=True)]


def sessions_since(log: SessionLog, since: datetime) -> Iterator[Record]:
    """Yield each valid record once from the line of each file where ``since`` may begin.

    ``log.skipped`` counts the lines skipped in what was read.
    """
    cutoff = since - MARGIN
    seen = SeenIds()
    skipped = Skipped()
    for index, found in enumerate(log.files):
        with log.opened(index) as file:
            start = _start(file, found.size, cutoff)
        part = Skipped()
        yield from log.read(index, seen, part, start=start)
        if part.count:
            with log.opened(index) as file:
                before = _lines_before(file, start) if part.places else 0
            skipped.count += part.count
            for path, line in part.places:
                if len(skipped.places) < 3:
                    skipped.places.append((path, line + before))
    log.skipped = skipped


def _name_skipped(
    skipped: Skipped, path: str, file: IO[bytes], count: int, offsets: list[int]
) -> None:
    """Add ``count`` skipped lines, naming those at ``offsets`` by their line in the file."""
    if not count:
        return
    skipped.count += count
    line, done = 0, 0
    for offset in offsets:
        if len(skipped.places) >= 3:
            break
        line += _newlines(file, done, offset)
        done = offset
        skipped.places.append((path, line + 1))


def _backwards(file: IO[bytes], size: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (offset, line) from the last line to the first; ``None`` for a line too long."""
    end = size
    tail = b""  # the start of the line cut by the block after this one
    too_long = False
    while end > 0:
        begin = max(0, end - BLOCK)
        file.seek(begin)
        pieces = (file.read(end - begin) + tail).split(b"\n")
        if end == size and pieces[-1] == b"":
            pieces.pop()  # the newline that ends the last line
        offset = begin + sum(len(p) + 1 for p in pieces) - 1 if pieces else begin
        first = 1 if begin > 0 else 0
        for piece in reversed(pieces[first:]):
            offset -= len(piece)
            if too_long:
                yield offset, None
                too_long = False
            else:
                yield offset, piece if len(piece) <= MAX_LINE else None
            offset -= 1
        tail = pieces[0] if begin > 0 and pieces else b""
        if len(tail) > MAX_LINE:
            too_long, tail = True, b""
        end = begin
    if too_long:
        yield 0, None


def _started(line: bytes) -> datetime | None:
    match = _STARTED.search(line)
    if match is None:
        return None
    try:
        when = datetime.fromisoformat(match.group(1).decode("ascii"))
    except (ValueError, UnicodeDecodeError):
        return None
    return when if when.tzinfo is not None else None


def _start(file: IO[bytes], size: int, cutoff: datetime) -> int:
    """Give the byte where the line after the last one started before ``cutoff`` begins."""
    end = size
    tail = b""  # the first, maybe cut, line of the block after this one
    while end > 0:
        begin = max(0, end - BLOCK)
        file.seek(begin)
        lines = (file.read(end - begin) + tail).split(b"\n")  # from byte ``begin`` on
        if begin > 0:
            tail, first, offset = lines[0], 1, begin + len(lines[0]) + 1
        else:
            tail, first, offset = b"", 0, 0
        positions = []
        for line in lines[first:]:
            positions.append((offset, line))
            offset += len(line) + 1
        for at, line in reversed(positions):
            when = _started(line)
            if when is not None and when < cutoff:
                return min(at + len(line) + 1, size)
        end = begin
    return 0


def _lines_before(file: IO[bytes], start: int) -> int:
    """Give how many lines of ``file`` end before byte ``start``."""
    return _newlines(file, 0, start)


def _newlines(file: IO[bytes], start: int, end: int) -> int:
    """Give how many newlines ``file`` holds from byte ``start`` up to ``end``."""
    file.seek(start)
    count = 0
    left = end - start
    while left > 0:
        chunk = file.read(min(BLOCK * 16, left))
        if not chunk:
            break
        count += chunk.count(b"\n")
        left -= len(chunk)
    return count
