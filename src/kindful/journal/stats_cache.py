"""A cache of the sums behind ``stats``, so that it reads only what was appended to the log since.

The log is the only source of truth; the cache is a shortcut that gives exactly the figures a
reading of the whole log gives, or is not used. It holds the ``Tally`` (the sums before "today"
is applied), the skipped lines, and the ids read, after reading the log's files in their
order up to a byte offset of the last one, at the end of a whole line. Each file is named by its
resolved path, device and inode, and checked by its length and a hash (BLAKE2b, 128 bits) of the
``TAIL`` bytes just before where the reading ended: what kindful does to a log (appending;
``forget`` writing a new file in its place) and what sync tools do (a new file, a new inode)
are all seen, and the cost does not grow with the log. A rewrite in place that keeps the file,
its inode and the bytes just before the offset is not seen: nothing kindful does, and no sync
tool, writes so (delete the cache, as always safe, after editing a log by hand).

It is used only when the files read then are still the first files of the log, in the same
order, each the same file with the same bytes in all that was read, every one of them but the
last exactly as long as then, the last at least as long: the log was only appended to, or a
conflict copy was added after the others. Then only the new bytes are read, and the sums
go on from where they were, in the same order, so every figure (floating-point sums included)
comes out as without the cache. Anything else (a file replaced, truncated, rewritten by a sync
tool, a copy added before another or gone, another kindful version) reads the whole log again.
The sessions that hold surveys (few) are kept too, so that ``stats`` need not search the whole
log for them.

A torn last line is never in the cache: it is read after the sums are kept, every time, so that
it counts once completed, and is skipped as without the cache while it stays torn.

The cache is ``stats.json`` in the cache folder (``kindful.cache``), keyed by kindful's version,
its format and the journal's code, private (mode 0600), replaced at once when written. Its
parts stay in a form of their own (the ids packed, 17 bytes each, in base64) rather than
``decoding``'s, since a million ids must be read back without a million objects. If it cannot
be read or written, it is silently left out.
"""

from __future__ import annotations

import binascii
import json
import os
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from hashlib import blake2b
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kindful import atomic
from kindful import cache as kept
from kindful.files import read_regular
from kindful.journal.line import Record
from kindful.journal.reader import (
    ID_BYTES,
    LogFile,
    Rest,
    SeenIds,
    SessionLog,
    Skipped,
)
from kindful.journal.tally import Tally

if TYPE_CHECKING:
    from kindful.journal.stats import Stats
from kindful.paths import private_folder

FORMAT = 5
NAME = "stats.json"
_SURVEYED = {"started_at", "speed", "surveys"}  # what is kept of a session holding surveys
TAIL = 4096  # bytes before where the cache ended, hashed to know the file is the one read


def cache_file() -> Path:
    """Give the cache's path."""
    return kept.folder(NAME)


class _Unusable(Exception):
    """The cache turned out not to be usable: read the whole log instead."""


def figures(
    log: SessionLog,
    today: date,
    cache: Path | None = None,
    calendar_from: date | None = None,
    surveys: list[Record] | None = None,
) -> Stats:
    """Give the figures of ``log`` on ``today``, as ``stats.tally`` of all its sessions would.

    Reads what the cache does not hold, and keeps the cache up to date. ``log.skipped`` is
    set to the lines skipped in the whole log, as ``log.sessions()`` would set it.
    ``calendar_from`` is handed to ``Tally.figures``. ``surveys``, when given, is filled with
    every session of the log that holds surveys, each once, in the order of the log.
    """
    from kindful.journal.stats import figures as of

    found = sums(log, cache, surveys)
    try:
        return of(found, today, log.skipped.count, calendar_from)
    except _Unusable:  # the cached sums per day did not read back: read the whole log
        if surveys is not None:
            surveys.clear()
        found = sums(log, cache, surveys, whole=True)
        return of(found, today, log.skipped.count, calendar_from)


def sums(
    log: SessionLog,
    cache: Path | None = None,
    surveys: list[Record] | None = None,
    *,
    whole: bool = False,
) -> Tally:
    """Give the sums of every session of ``log`` (``Tally``), reading what the cache does not hold.

    As ``figures``, without applying a day: for what needs the sums but not the figures (what
    ``today`` offers). ``log.skipped`` and ``surveys`` as there; ``whole`` reads the whole log
    whatever the cache holds.
    """
    if cache is None:
        cache = cache_file()
    files = log.files
    paths = [str(found.path) for found in files]
    idents = [_identity(found) for found in files]
    resumed = _resume(_load(cache), log, idents, paths) if files and not whole else None
    if resumed is not None:
        try:
            return _sums(log, cache, idents, paths, resumed, surveys)
        except _Unusable:
            if surveys is not None:
                surveys.clear()
    return _sums(log, cache, idents, paths, None, surveys)


def _sums(
    log: SessionLog,
    cache: Path,
    idents: list[tuple[str, int, int]],
    paths: list[str],
    resumed: _Resumed | None,
    wanted: list[Record] | None,
) -> Tally:
    files = log.files
    kept: list[dict[str, Any]]
    before: list[Record] | None = []  # the sessions with surveys up to where the cache ends
    if resumed is None:
        sums, seen, skipped, kept, parts = Tally(), SeenIds(), Skipped(), [], None
        index = offset = number = 0
    else:
        sums, seen, skipped, kept, parts = resumed
        index = len(kept) - 1
        offset, number = kept[index]["offset"], kept[index]["lines"]
        kept = kept[:index]
        before = parts.surveys() if wanted is not None else None  # else read only if needed
    found: list[Record] = []  # those read now
    last = len(files) - 1
    entries = list(kept)
    rest = Rest()
    exact = True  # false when a file shrank while it was read: no cache is kept of it
    for at in range(index, len(files)):
        rest = Rest(hold=at == last)
        begin, lines = (offset, number) if at == index else (0, 0)
        sums.add(_noting_surveys(log.read(at, seen, skipped, begin, lines, rest), found))
        try:
            with log.opened(at) as file:
                digest = _tail_hash(file, rest.end)
        except _Unusable:
            if resumed is not None:
                raise
            exact, digest = False, ""
        entries.append(_entry(idents[at], digest, rest.end, rest.lines))
    changed = exact and (resumed is None or len(files) > index + 1 or rest.end != offset)
    # Taken before the torn line is read, so that it is never in the cache.
    head = _head(entries, sums, skipped, paths) if changed and files else None
    kept_surveys = b""
    if head is not None:
        if parts is not None and not found:
            kept_surveys = parts.kept_surveys  # as it was read: nothing new to add
        else:
            if before is None:
                before = parts.surveys() if parts is not None else []
            kept_surveys = _dumps_lines(before + found)
    days = None
    if head is not None:
        days = parts.days if parts is not None and not sums.days_read() else _days(*sums.days())
    if rest.torn is not None:
        record = log.take(last, rest.lines + 1, rest.torn[0], seen, skipped)
        if record is not None:
            sums.add(_noting_surveys((record,), found))
    log.skipped = skipped
    if wanted is not None:
        wanted.extend(before or ())
        wanted.extend(found)
    if head is not None and days is not None:
        ids = parts.raw_ids() if parts is not None and seen.as_given else None  # None: decoded
        _write(cache, head, days, kept_surveys, ids, seen)
    return sums


def _noting_surveys(records: Iterable[Record], surveys: list[Record]) -> Iterator[Record]:
    """Give ``records`` on, keeping the time, speed and surveys of those that hold surveys."""
    for record in records:
        if "surveys" in record:  # what the trends need of it: no reflection is kept
            surveys.append({k: record[k] for k in ("started_at", "speed", "surveys")})
        yield record


def _dumps_lines(records: list[Record]) -> bytes:
    """Give ``records`` as one line of JSON, for the cache."""
    return json.dumps(records, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class _Parts:
    """The parts of a cache that are read only when needed: the sums per day, and the ids."""

    __slots__ = ("days", "ids", "kept_surveys", "later")

    def __init__(
        self,
        days: bytes,
        kept_surveys: bytes,
        ids: memoryview | None,
        later: Callable[[], memoryview] | None = None,
    ) -> None:
        self.days = days
        self.kept_surveys = kept_surveys
        self.ids = ids  # uncopied; let go once decoded, to spare memory
        self.later = later  # what reads the ids when they were not read with the rest

    def raw_ids(self) -> memoryview:
        """Give the ids as kept (base64), reading them now if they were left unread."""
        if self.ids is None and self.later is not None:
            self.ids, self.later = self.later(), None
        if self.ids is None:
            raise _Unusable
        return self.ids

    def surveys(self) -> list[Record]:
        """Give the sessions holding surveys that were read up to where the cache ends."""
        try:
            found = json.loads(self.kept_surveys)
        except (ValueError, RecursionError):
            raise _Unusable from None
        if type(found) is not list or not all(
            type(r) is dict and r.keys() == _SURVEYED and type(r["started_at"]) is str
            for r in found
        ):
            raise _Unusable
        return found

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
        ids = self.raw_ids()
        try:
            packed = binascii.a2b_base64(ids, strict_mode=True)
        except binascii.Error:
            raise _Unusable from None
        ids.release()
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


def _tail_hash(file: IO[bytes], end: int) -> str:
    """Give the hash of the ``TAIL`` bytes of ``file`` just before ``end`` (fewer at its start).

    With the file's device, inode and length, it tells the file kindful appended to from one
    that was replaced or rewritten: ``forget`` and sync tools write a new file (a new inode),
    and an edit in place of the end the cache read changes these bytes.
    """
    begin = max(0, end - TAIL)
    file.seek(begin)
    data = file.read(end - begin)
    if len(data) != end - begin:
        raise _Unusable  # shorter than it was a moment ago: read it all again
    return blake2b(data, digest_size=16).hexdigest()


def _entry(ident: tuple[str, int, int], digest: str, offset: int, lines: int) -> dict[str, Any]:
    path, dev, ino = ident
    return {"path": path, "dev": dev, "ino": ino, "offset": offset, "lines": lines, "hash": digest}


def _load(cache: Path) -> tuple[dict[str, Any], _Parts] | None:
    """Give the cache's header and its other parts, or ``None`` when there is none to use.

    The cache is four lines: the header (JSON), the sums per day (JSON), the sessions holding
    surveys (JSON), the ids (base64). Only the header is parsed here; the other parts stay as
    they were read, uncopied. Of a large cache only the first ``HEAD`` bytes are read, and the
    ids (the most of it: 23 MB for a million sessions) only when they are needed.
    """
    try:
        data = read_regular(cache, HEAD + 1)
        whole = len(data) <= HEAD  # one byte more tells a longer file
        ends = _ends(data)
        if ends is None and not whole:
            data, whole = read_regular(cache, WHOLE), True
            ends = _ends(data)
        if ends is None:
            return None
        first, second, third = ends
        fourth = data.find(b"\n", third + 1)
        if (fourth != len(data) - 1) if whole else fourth >= 0:  # four lines, no more
            return None
        header = json.loads(data[:first])
    except (OSError, ValueError, RecursionError):
        return None
    if type(header) is not dict:
        return None
    days, surveys = data[first + 1 : second], data[second + 1 : third]
    if fourth < 0:  # the ids were not read: read them if needed, from the same cache
        return header, _Parts(days, surveys, None, lambda: _ids(cache, data[: third + 1]))
    with memoryview(data) as view:
        return header, _Parts(days, surveys, view[third + 1 : fourth])


HEAD = 4 << 20  # bytes of the cache read at first: its header, sums per day and surveys
WHOLE = 1 << 30  # bytes of the cache read at most


def _ends(data: bytes) -> tuple[int, int, int] | None:
    """Give where the first three lines of ``data`` end, or ``None`` when they do not."""
    first = data.find(b"\n")
    second = data.find(b"\n", first + 1) if first >= 0 else -1
    third = data.find(b"\n", second + 1) if second >= 0 else -1
    return (first, second, third) if third >= 0 else None


def _ids(cache: Path, before: bytes) -> memoryview:
    """Give the ids of ``cache``, if it still begins with ``before``; else it is no longer
    the cache that was read: ``_Unusable``."""
    try:
        data = read_regular(cache, WHOLE)
    except OSError:
        raise _Unusable from None
    if not data.startswith(before) or data.find(b"\n", len(before)) != len(data) - 1:
        raise _Unusable
    with memoryview(data) as view:
        return view[len(before) : -1]


_Resumed = tuple[Tally, SeenIds, Skipped, list[dict[str, Any]], "_Parts"]


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
    if cached.get("key") != _key():
        return None
    files = log.files
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
        for at, entry in enumerate(entries):  # the cheap checks first, then the bytes
            with log.opened(at) as file:
                if _tail_hash(file, entry["offset"]) != entry["hash"]:
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
    return sums, SeenIds(parts.packed_ids), Skipped(count, named), entries, parts


def _head(entries: list[dict[str, Any]], sums: Tally, skipped: Skipped, paths: list[str]) -> bytes:
    """Give the cache's header as it is now."""
    index = {path: at for at, path in enumerate(paths)}
    return _dumps(
        {
            "key": _key(),
            "files": entries,
            "skipped": [skipped.count, [[index[path], line] for path, line in skipped.places]],
            "tally": sums.state(),
        }
    )


def _write(
    cache: Path, head: bytes, days: bytes, surveys: bytes, ids: memoryview | None, seen: SeenIds
) -> None:
    """Write the cache beside its old self, private, and put it in place at once; or give up.

    ``ids`` are the cached ids as they were read, when no id had to be checked against them.
    """
    try:
        private_folder(cache.parent)
        with atomic.replacing(cache) as out:
            out.write(head + b"\n" + days + b"\n" + surveys + b"\n")
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


def _key() -> str:
    """Give the key the cache is kept under: kindful's version, the format, the code of the journal."""
    return kept.key(NAME, str(FORMAT), kept.code("journal"))
