"""A cache of the sums behind ``stats``, so that it reads only what was appended to the log since.

The log is the only source of truth; the cache is a shortcut that gives exactly the figures a
reading of the whole log gives, or is not used. It holds the ``Tally`` (the sums before "today"
is applied), the skipped lines, and the ids read, after reading the log's files in their
order up to a byte offset of the last one, at the end of a whole line. Each file is named by its
resolved path, device and inode, and checked by a hash (BLAKE2b, 128 bits) of every byte it
read: the cache is exact, whatever changed and however (an in-place rewrite of the same length
too). Hashing costs a few milliseconds for 10,000 sessions (4 MB).

It is used only when the files read then are still the first files of the log, in the same
order, each the same file with the same bytes in all that was read, every one of them but the
last exactly as long as then, the last at least as long: the log was only appended to, or a
conflict copy was added after the others. Then only the new bytes are read, and the sums
go on from where they were, in the same order, so every figure (floating-point sums included)
comes out as without the cache. Anything else (a file replaced, truncated, rewritten by a sync
tool, a copy added before another or gone, another kindful version) reads the whole log again.

A torn last line is never in the cache: it is read after the sums are kept, every time, so that
it counts once completed, and is skipped as without the cache while it stays torn.

The cache is ``stats.json`` in ``paths.cache_folder()``, private (mode 0600), replaced at once
when written. If it cannot be read or written, it is silently left out.
"""

from __future__ import annotations

import binascii
import json
import os
import sys
from array import array
from datetime import date
from hashlib import blake2b
from pathlib import Path
from typing import IO, Any

from kindful import __version__, atomic
from kindful.files import read_regular
from kindful.journal.reader import ID_BYTES, LogFile, Rest, SeenIds, SessionLog, Skipped
from kindful.journal.stats import Stats, Tally
from kindful.paths import private_folder

FORMAT = 3
NAME = "stats.json"
HASH_CHUNK = 1024 * 1024  # bytes hashed at a time


def cache_file() -> Path:
    """Give the cache's path."""
    from kindful.paths import cache_folder

    return cache_folder() / NAME


class _Unusable(Exception):
    """The cache turned out not to be usable: read the whole log instead."""


def figures(
    log: SessionLog, today: date, cache: Path | None = None, calendar_from: date | None = None
) -> Stats:
    """Give the figures of ``log`` on ``today``, as ``stats.tally`` of all its sessions would.

    Reads what the cache does not hold, and keeps the cache up to date. ``log.skipped`` is
    set to the lines skipped in the whole log, as ``log.sessions()`` would set it.
    ``calendar_from`` is handed to ``Tally.figures``.
    """
    if cache is None:
        cache = cache_file()
    files = log.files
    paths = [str(found.path) for found in files]
    idents = [_identity(found) for found in files]
    resumed = _resume(_load(cache), log, idents, paths) if files else None
    if resumed is not None:
        try:
            return _figures(log, today, cache, calendar_from, idents, paths, resumed)
        except _Unusable:
            pass
    return _figures(log, today, cache, calendar_from, idents, paths, None)


def _figures(
    log: SessionLog,
    today: date,
    cache: Path,
    calendar_from: date | None,
    idents: list[tuple[str, int, int]],
    paths: list[str],
    resumed: _Resumed | None,
) -> Stats:
    files = log.files
    kept: list[dict[str, Any]]
    if resumed is None:
        sums, seen, skipped, kept, parts = Tally(), SeenIds(), Skipped(), [], None
        index = offset = number = 0
        covered = blake2b(digest_size=16)
    else:
        sums, seen, skipped, kept, parts, covered = resumed
        index = len(kept) - 1
        offset, number = kept[index]["offset"], kept[index]["lines"]
        kept = kept[:index]
    last = len(files) - 1
    entries = list(kept)
    rest = Rest()
    exact = True  # false when a file shrank while it was read: no cache is kept of it
    for at in range(index, len(files)):
        rest = Rest(hold=at == last)
        begin, lines = (offset, number) if at == index else (0, 0)
        sums.add(log.read(at, seen, skipped, begin, lines, rest))
        digest = covered if at == index else blake2b(digest_size=16)
        try:
            with log.opened(at) as file:
                _hash(file, begin, rest.end, digest)
        except _Unusable:
            if resumed is not None:
                raise
            exact = False
        entries.append(_entry(idents[at], digest.hexdigest(), rest.end, rest.lines))
    changed = exact and (resumed is None or len(files) > index + 1 or rest.end != offset)
    # Taken before the torn line is read, so that it is never in the cache.
    head = _head(entries, sums, skipped, paths) if changed and files else None
    days = None
    if head is not None:
        days = parts.days if parts is not None and not sums.days_read() else _days(*sums.days())
    if rest.torn is not None:
        record = log.take(last, rest.lines + 1, rest.torn[0], seen, skipped)
        if record is not None:
            sums.add((record,))
    log.skipped = skipped
    stats = sums.figures(today, skipped.count, calendar_from)
    if head is not None and days is not None:
        ids = parts.ids if parts is not None and seen.as_given else None  # None: decoded
        _write(cache, head, days, ids, seen)
    return stats


class _Parts:
    """The parts of a cache that are read only when needed: the sums per day, and the ids."""

    __slots__ = ("days", "ids")

    def __init__(self, days: bytes, ids: memoryview) -> None:
        self.days = days
        self.ids: memoryview | None = ids  # uncopied; let go once decoded, to spare memory

    def day_state(self) -> tuple[dict[str, float], set[str]]:
        """Give the sums per day: the seconds practised each day, and the practice days."""
        try:
            days, seconds, done = json.loads(self.days)
            values = array("d")
            values.frombytes(binascii.a2b_base64(seconds, strict_mode=True))
        except (ValueError, TypeError, binascii.Error):
            raise _Unusable from None
        if sys.byteorder != "little":  # pragma: no cover - kept little-endian everywhere
            values.byteswap()
        if (
            type(days) is not list
            or type(done) is not str
            or not len(days) == len(values) == len(done)
            or not all(type(day) is str for day in days)
        ):
            raise _Unusable
        practice_days = {day for day, flag in zip(days, done, strict=True) if flag == "1"}
        return dict(zip(days, values, strict=True)), practice_days

    def packed_ids(self) -> bytes:
        if self.ids is None:
            raise _Unusable
        try:
            packed = binascii.a2b_base64(self.ids, strict_mode=True)
        except binascii.Error:
            raise _Unusable from None
        self.ids.release()
        self.ids = None
        if len(packed) % ID_BYTES:
            raise _Unusable
        return packed


def _days(day_seconds: dict[str, float], practice_days: set[str]) -> bytes:
    """Give the sums per day as kept: the days, their seconds as exact doubles, which are done."""
    values = array("d", day_seconds.values())
    if sys.byteorder != "little":  # pragma: no cover
        values.byteswap()
    seconds = binascii.b2a_base64(values.tobytes(), newline=False).decode("ascii")
    done = "".join(["1" if day in practice_days else "0" for day in day_seconds])
    return _dumps([list(day_seconds), seconds, done])


def _dumps(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("ascii")


def _identity(found: LogFile) -> tuple[str, int, int]:
    return os.path.realpath(found.path), found.dev, found.ino


def _hash(file: IO[bytes], start: int, end: int, digest: Any) -> None:
    """Add the bytes of ``file`` from ``start`` up to ``end`` to ``digest``."""
    file.seek(start)
    left = end - start
    while left > 0:
        chunk = file.read(min(HASH_CHUNK, left))
        if not chunk:
            raise _Unusable  # shorter than it was a moment ago: read it all again
        digest.update(chunk)
        left -= len(chunk)


def _entry(ident: tuple[str, int, int], digest: str, offset: int, lines: int) -> dict[str, Any]:
    path, dev, ino = ident
    return {"path": path, "dev": dev, "ino": ino, "offset": offset, "lines": lines, "hash": digest}


def _load(cache: Path) -> tuple[dict[str, Any], _Parts] | None:
    """Give the cache's header and its other parts, or ``None`` when there is none to use.

    The cache is three lines: the header (JSON), the sums per day (JSON), the ids (base64).
    Only the header is parsed here; the other parts stay as they were read, uncopied.
    """
    try:
        data = read_regular(cache, 1 << 30)
        first = data.index(b"\n")
        second = data.index(b"\n", first + 1)
        third = data.index(b"\n", second + 1)
        if third != len(data) - 1:
            return None
        header = json.loads(data[:first])
    except (OSError, ValueError, RecursionError):
        return None
    if type(header) is not dict:
        return None
    with memoryview(data) as view:
        return header, _Parts(data[first + 1 : second], view[second + 1 : third])


_Resumed = tuple[Tally, SeenIds, Skipped, list[dict[str, Any]], "_Parts", Any]


def _resume(
    loaded: tuple[dict[str, Any], _Parts] | None,
    log: SessionLog,
    idents: list[tuple[str, int, int]],
    paths: list[str],
) -> _Resumed | None:
    """Take up the cached sums if the files read then are still there as they were.

    Gives them with the hash of the last file's bytes read then, to go on from.
    """
    if loaded is None:
        return None
    cached, parts = loaded
    if cached.get("format") != FORMAT or cached.get("kindful") != __version__:
        return None
    files = log.files
    digest = None
    try:
        entries = cached["files"]
        if type(entries) is not list or not 0 < len(entries) <= len(files):
            return None
        last = len(entries) - 1
        for at, entry in enumerate(entries):
            path, dev, ino = idents[at]
            offset = entry["offset"]
            if (
                (entry["path"], entry["dev"], entry["ino"]) != (path, dev, ino)
                or type(offset) is not int
                or type(entry["lines"]) is not int
                or not 0 <= offset <= files[at].size
                or (at < last and offset != files[at].size)
            ):
                return None
        for at, entry in enumerate(entries):  # the cheap checks first, then every byte
            digest = blake2b(digest_size=16)
            with log.opened(at) as file:
                _hash(file, 0, entry["offset"], digest)
            if digest.hexdigest() != entry["hash"]:
                return None
        count, places = cached["skipped"]
        if type(count) is not int or len(places) > count:
            return None
        named = []
        for at, line in places:
            if type(at) is not int or not 0 <= at < len(entries) or type(line) is not int:
                return None
            named.append((paths[at], line))
        sums = Tally.from_state(cached["tally"], parts.day_state)
    except (KeyError, TypeError, ValueError, _Unusable):
        return None
    return sums, SeenIds(parts.packed_ids), Skipped(count, named), entries, parts, digest


def _head(entries: list[dict[str, Any]], sums: Tally, skipped: Skipped, paths: list[str]) -> bytes:
    """Give the cache's header as it is now."""
    index = {path: at for at, path in enumerate(paths)}
    return _dumps(
        {
            "format": FORMAT,
            "kindful": __version__,
            "files": entries,
            "skipped": [skipped.count, [[index[path], line] for path, line in skipped.places]],
            "tally": sums.state(),
        }
    )


def _write(cache: Path, head: bytes, days: bytes, ids: memoryview | None, seen: SeenIds) -> None:
    """Write the cache beside its old self, private, and put it in place at once; or give up.

    ``ids`` are the cached ids as they were read, when no id had to be checked against them.
    """
    try:
        private_folder(cache.parent)
        with atomic.replacing(cache) as out:
            out.write(head + b"\n" + days + b"\n")
            if ids is not None:
                out.write(ids)
            else:
                carry = b""  # base64 goes by 3 bytes: pieces are joined at such a border
                for piece in seen.packed():
                    data = carry + piece
                    cut = len(data) - len(data) % 3
                    out.write(binascii.b2a_base64(data[:cut], newline=False))
                    carry = data[cut:]
                out.write(binascii.b2a_base64(carry, newline=False))
            out.write(b"\n")
    except OSError:
        pass  # a cache that cannot be written only costs time
