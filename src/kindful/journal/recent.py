"""Parts of the log read without parsing all of it: the sessions since a time, and the
sessions whose line holds a word (as ``"surveys"``).

The log is appended to as sessions end, so the sessions since a time (the start of a program,
the first of the last 12 weeks) sit at the end of each file. Each file is searched backwards for the last line that started well
before the program (``MARGIN`` before it, for clocks and time zones that disagree a little);
the journal reader then reads on from the line after it, with its own checks and skipping. A
session appended out of order after that line is still read and judged by its own times.

This holds for the files kindful appends to (each device appends as its sessions end), not for
a file joined from several by hand or by an export: callers read those whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import IO

from kindful.journal.reader import SeenIds, SessionLog, Skipped, _lines, parse_record
from kindful.journal.record import Record

MARGIN = timedelta(days=2)
BLOCK = 64 * 1024
_STARTED = re.compile(rb'"started_at"\s*:\s*"([^"]{16,40})"')


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
            number = _lines_before(file, start)
        yield from log.read(index, seen, skipped, start=start, number=number)
    log.skipped = skipped


def sessions_with(log: SessionLog, word: bytes) -> Iterator[Record]:
    """Yield each valid record once whose line holds ``word``; other lines are not parsed.

    Lines that are not records are not counted here: a full reading counts them.
    """
    seen = SeenIds()
    for index, found in enumerate(log.files):
        with log.opened(index) as file:
            lines = [
                line for _, line in _lines(found.path, file, found.size) if line and word in line
            ]
        for line in lines:
            record = parse_record(line)
            if record is not None and seen.add(record["id"]):
                yield record


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
    if start == 0:
        return 0
    file.seek(0)
    count = 0
    left = start
    while left > 0:
        chunk = file.read(min(BLOCK * 16, left))
        if not chunk:
            break
        count += chunk.count(b"\n")
        left -= len(chunk)
    return count
