"""Reading the session log: every ``sessions*.jsonl`` in the data home, line by line.

The log and the conflict copies a sync tool leaves beside it are read as one log: each valid
record 1 is yielded once (by ``id``), and every line that is not one is skipped and counted.
Nothing here holds the whole log: records are yielded as they are read, and only the ids seen
so far are kept, as 128-bit numbers. Nothing here ever writes.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from kindful.errors import LogError
from kindful.journal.line import MAX_LINE as MAX_LINE
from kindful.journal.line import Record
from kindful.paths import LOG_NAME

PLACES_SHOWN = 3  # skipped lines are named by file and line up to this many, else counted

CHUNK = 1024 * 1024  # bytes read at a time

_NUMBER = (int, float)
_LARGEST = sys.float_info.max  # a number beyond it (10**400) does not fit a float: no record


class Skipped:
    """The lines that were not records: how many, and where the first few were."""

    __slots__ = ("count", "places")

    def __init__(self, count: int = 0, places: list[tuple[str, int]] | None = None) -> None:
        self.count = count
        self.places: list[tuple[str, int]] = places if places is not None else []

    def add(self, path: str, line: int) -> None:
        self.count += 1
        if len(self.places) < PLACES_SHOWN:
            self.places.append((path, line))

    def named(self) -> list[str]:
        """Give ``FILE:LINE`` for each skipped line when there are few, else nothing."""
        if self.count > PLACES_SHOWN:
            return []
        return [f"{path}:{line}" for path, line in self.places]


class Rest:
    """How far a reading of one file got: its whole lines, and a torn last line if held back.

    Given to ``SessionLog.read``, it is filled in when the file has been read: ``lines`` whole
    lines (ending in a newline) end at byte ``end``. With ``hold``, a last line without its
    newline is not read but kept in ``torn`` (``None`` inside when it is too long to be a
    record), so that a caller can take it separately; otherwise it is read and counted in
    ``lines`` and ``end``.
    """

    __slots__ = ("end", "hold", "lines", "torn")

    def __init__(self, hold: bool = False) -> None:
        self.hold = hold
        self.lines = 0
        self.end = 0
        self.torn: tuple[bytes | None] | None = None


def log_files(folder: Path) -> list[Path]:
    """Give the log and its conflict copies in ``folder``: the log first, then by name."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise LogError("the kindful home is not a folder", path=folder) from None
    except OSError as error:
        raise LogError(f"cannot read the kindful home: {_reason(error)}", path=folder) from None
    found = sorted(n for n in names if n.startswith("sessions") and n.endswith(".jsonl"))
    found.sort(key=lambda name: name != LOG_NAME)
    return [folder / name for name in found]


class LogFile:
    """One file of the log as it was when the log was opened: where, how long, which file."""

    __slots__ = ("dev", "ino", "path", "size")

    def __init__(self, path: Path, size: int, dev: int, ino: int) -> None:
        self.path = path
        self.size = size
        self.dev = dev
        self.ino = ino


class SessionLog:
    """The session log of one data home, opened for reading as it is right now.

    Every file is looked at once, so that an unreadable one is an error before anything is
    shown, and only the bytes present then are read, however often ``sessions()`` is called: a
    second pass (as ``export`` makes) sees the same records. A file is held open only while it
    is read, one at a time (a thousand conflict copies need no thousand file descriptors);
    anything that is not a regular file (a FIFO, a device, a socket) is left out at once.
    """

    def __init__(self, folder: Path, files: list[Path] | None = None) -> None:
        """Open the log in ``folder``, or just ``files`` (as ``--log`` names them) when given."""
        self.folder = folder
        self.skipped = Skipped()
        self._files: list[LogFile] = []
        for path in log_files(folder) if files is None else files:
            found = _look(path)
            if found is not None:
                self._files.append(found)

    def __enter__(self) -> SessionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let the files go (none is held open between readings)."""

    @property
    def paths(self) -> list[Path]:
        return [file.path for file in self._files]

    @property
    def files(self) -> list[LogFile]:
        """Give each file as it was looked at: its path, its length then, its identity."""
        return list(self._files)

    @contextmanager
    def opened(self, index: int) -> Iterator[IO[bytes]]:
        """Give file ``index`` open for reading: the same file that was looked at, or an error."""
        found = self._files[index]
        with _open(found.path) as file:
            status = os.fstat(file.fileno())
            if (status.st_dev, status.st_ino) != (found.dev, found.ino):
                raise LogError("the log was replaced while it was read; try again", path=found.path)
            yield file

    def sessions(self, unique: bool = True) -> Iterator[Record]:
        """Yield each valid record once, file by file, line by line; count the rest.

        ``unique=False`` yields a record read twice twice, and keeps no ids: for a pass that
        only gathers what the records hold (as the rating keys of a CSV header).
        """
        self.skipped = skipped = Skipped()
        seen = SeenIds() if unique else None
        for index in range(len(self._files)):
            yield from self.read(index, seen, skipped)

    def read(
        self,
        index: int,
        seen: SeenIds | None,
        skipped: Skipped,
        start: int = 0,
        number: int = 0,
        rest: Rest | None = None,
    ) -> Iterator[Record]:
        """Yield the new valid records of file ``index`` from byte ``start``, a line's beginning.

        ``number`` is the count of lines before ``start``, so that skipped lines are named by
        their line in the file; ``rest`` is filled in with how far the reading got.
        """
        found = self._files[index]
        where = str(found.path)
        with self.opened(index) as file:
            for at, line in _lines(found.path, file, found.size, start, number, rest):
                record = parse_record(line) if line is not None else None
                if record is None:
                    if line is None or line.strip():
                        skipped.add(where, at)
                elif seen is None or seen.add(record["id"]):
                    yield record

    def take(
        self, index: int, number: int, line: bytes | None, seen: SeenIds, skipped: Skipped
    ) -> Record | None:
        """Give the record on the last line of the whole log if it is a new one; else count it.

        The line's id is not kept, since no line is read after it.
        """
        record = parse_record(line) if line is not None else None
        if record is None:
            if line is None or line.strip():
                skipped.add(str(self._files[index].path), number)
            return None
        return None if record["id"] in seen else record


def _open(path: Path) -> IO[bytes]:
    """Open a log file without waiting (a FIFO would wait for a writer forever)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise LogError("the log is a folder, not a file", path=path) from None
    except OSError as error:
        raise LogError(f"cannot read the log: {_reason(error)}", path=path) from None
    if stat.S_ISDIR(os.fstat(fd).st_mode):
        os.close(fd)
        raise LogError("the log is a folder, not a file", path=path)
    return os.fdopen(fd, "rb")


def _look(path: Path) -> LogFile | None:
    """Give a log file as it is now; ``None`` for one that is not a regular file."""
    with _open(path) as file:
        status = os.fstat(file.fileno())
    if not stat.S_ISREG(status.st_mode):
        return None
    return LogFile(path, status.st_size, status.st_dev, status.st_ino)


def _lines(
    path: Path,
    file: IO[bytes],
    size: int,
    start: int = 0,
    number: int = 0,
    rest: Rest | None = None,
) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, line) from ``start`` up to ``size`` bytes; ``None`` for a line too long.

    The file is read in large chunks and split here, so that a line's cost is mostly its
    parsing; a line longer than ``MAX_LINE`` is dropped as it is read, never held whole.
    ``start`` is the beginning of a line, ``number`` the lines before it; ``rest`` is filled in
    at the end (see ``Rest``).
    """
    remaining = size - start
    position = end = start  # bytes read so far; the end of the last whole line
    tail = b""
    too_long = False
    try:
        file.seek(start)
        while remaining > 0:
            chunk = file.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            position += len(chunk)
            pieces = chunk.split(b"\n")
            if len(pieces) == 1:  # still inside one line
                if not too_long:
                    tail += chunk
                    too_long = len(tail) > MAX_LINE
                    tail = b"" if too_long else tail
                continue
            number += 1
            first = pieces[0]
            long_first = too_long or len(tail) + len(first) > MAX_LINE
            yield number, None if long_first else tail + first
            for index in range(1, len(pieces) - 1):
                number += 1
                piece = pieces[index]
                yield number, piece if len(piece) <= MAX_LINE else None
            tail = pieces[-1]
            end = position - len(tail)
            too_long = len(tail) > MAX_LINE
            tail = b"" if too_long else tail
    except OSError as error:
        raise LogError(f"cannot read the log: {_reason(error)}", path=path) from None
    if tail or too_long:  # a last line without its newline: torn, or whole and read as such
        if rest is not None and rest.hold:
            rest.lines, rest.end, rest.torn = number, end, (None if too_long else tail,)
            return
        number += 1
        end = position
        yield number, None if too_long else tail
    if rest is not None:
        rest.lines, rest.end = number, end


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a record holds")


# ``raw_decode`` reads one value from the start of a line and says where it ended; unlike
# ``decode`` it does not look for whitespace around it with a regular expression, which costs a
# fifth of the reading. What follows the value is checked here instead.
_decode = json.JSONDecoder(parse_constant=_refuse_constant).raw_decode


def parse_record(line: bytes) -> Record | None:
    """Give the record 1 on this line, or ``None`` when the line is not one."""
    try:
        text = line.decode("utf-8")
        if not text.startswith("{"):
            text = text.lstrip()
        record, end = _decode(text)
    except (ValueError, RecursionError):
        return None
    if end != len(text) and text[end:].strip():
        return None
    return record if type(record) is dict and is_record(record) else None


def is_record(r: Record) -> bool:
    """Tell whether a parsed JSON object is a valid record 1 (contract section 5)."""
    # One expression, few calls: this runs for every line of the log.
    try:
        done, total, speed = r["steps_done"], r["steps_total"], r["speed"]
        planned, elapsed = r["planned_seconds"], r["elapsed_seconds"]
        return (
            type(r["v"]) is int
            and r["v"] == 1
            and type(r["id"]) is str
            and r["id"] != ""
            and type(r["practice"]) is str
            and type(r["title"]) is str
            and type(r["lang"]) is str
            and type(r["completed"]) is bool
            and type(done) is int
            and 0 <= done <= _LARGEST
            and type(total) is int
            and 0 <= total <= _LARGEST
            and type(planned) in _NUMBER
            and 0 <= planned <= _LARGEST
            and type(elapsed) in _NUMBER
            and 0 <= elapsed <= _LARGEST
            and type(speed) in _NUMBER
            and 0 < speed <= _LARGEST
            and _is_time(r["started_at"])
            and _is_time(r["ended_at"])
            and _are_ratings(r["ratings"])
            and _are_reflections(r["reflections"])
        )
    except KeyError:
        return False


def _is_time(text: object) -> bool:
    """Tell whether ``text`` is an ISO 8601 date and time with a UTC offset, date first."""
    if type(text) is not str or len(text) < 16 or text[4] != "-" or text[7] != "-":
        return False
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def _are_ratings(ratings: object) -> bool:
    if type(ratings) is not dict:
        return False
    for value in ratings.values():  # a loop: quicker than all() with a generator here
        if type(value) not in _NUMBER or not -_LARGEST <= value <= _LARGEST:
            return False
    return True


def _are_reflections(reflections: object) -> bool:
    if type(reflections) is not list:
        return False
    for item in reflections:
        if type(item) is not dict:
            return False
        if type(item.get("prompt")) is not str or type(item.get("text")) is not str:
            return False
    return True


ID_BYTES = 17  # an id's number packed: a UUID's 128 bits, one more bit for a hashed id


class SeenIds:
    """The record ids read so far, each kept as one 128-bit number (a UUID's own value).

    They can be given packed (``ID_BYTES`` each, big-endian, in order, as ``packed`` gives them
    back), or as a function that gives them so when they are first needed. Packed ids stay
    packed, a third of the memory of a set of numbers, and are searched by bisection; the ids
    read since are kept in a set beside them.
    """

    __slots__ = ("_given", "_new", "_packed", "_with_packed")

    def __init__(self, packed: bytes | Callable[[], bytes] = b"") -> None:
        """Start with no ids, or with ``packed`` ones (or a function that gives them when needed)."""
        self._given = packed if callable(packed) else None
        self._packed = b"" if callable(packed) else packed
        if len(self._packed) % ID_BYTES:
            raise ValueError("packed ids are not whole")
        self._with_packed = bool(packed)
        self._new: set[int] = set()

    @property
    def as_given(self) -> bool:
        """Tell whether the ids are still just the packed ones given."""
        return not self._new

    def add(self, record_id: str) -> bool:
        """Remember ``record_id``; tell whether it is new."""
        key = _id_number(record_id)
        new = self._new
        if key in new or (self._with_packed and self._in_packed(key)):
            return False
        new.add(key)
        return True

    def __contains__(self, record_id: str) -> bool:
        key = _id_number(record_id)
        return key in self._new or (self._with_packed and self._in_packed(key))

    def __len__(self) -> int:
        return len(self._given_ids()) // ID_BYTES + len(self._new)

    def packed(self, per_piece: int = 3 * 1365) -> Iterator[bytes]:
        """Give the ids packed and in order, about ``per_piece`` at a time, never all at once."""
        packed = self._given_ids()
        ordered = _Packed(packed)
        size = per_piece * ID_BYTES
        pending: list[bytes] = []
        length = done = 0  # bytes pending; bytes of ``packed`` given so far
        for key in sorted(self._new):
            needle = key.to_bytes(ID_BYTES, "big")
            point = bisect_left(ordered, needle, done // ID_BYTES) * ID_BYTES
            if length + point - done >= size:
                yield b"".join(pending)
                pending, length = [], 0
                for begin in range(done, point, size):
                    yield packed[begin : min(begin + size, point)]
            elif point > done:
                pending.append(packed[done:point])
                length += point - done
            done = point
            pending.append(needle)
            length += ID_BYTES
            if length >= size:
                yield b"".join(pending)
                pending, length = [], 0
        if pending:
            yield b"".join(pending)
        for begin in range(done, len(packed), size):
            yield packed[begin : begin + size]

    def _given_ids(self) -> bytes:
        if self._given is not None:
            self._packed = self._given()
            self._given = None
            if len(self._packed) % ID_BYTES:
                raise ValueError("packed ids are not whole")
        return self._packed

    def _in_packed(self, key: int) -> bool:
        packed = self._given_ids()
        needle = key.to_bytes(ID_BYTES, "big")
        at = bisect_left(_Packed(packed), needle) * ID_BYTES
        return packed[at : at + ID_BYTES] == needle


class _Packed:
    """Packed ids seen as a sequence of their ``ID_BYTES``-long values, for bisection."""

    __slots__ = ("packed",)

    def __init__(self, packed: bytes) -> None:
        self.packed = packed

    def __len__(self) -> int:
        return len(self.packed) // ID_BYTES

    def __getitem__(self, index: int) -> bytes:
        begin = index * ID_BYTES
        return self.packed[begin : begin + ID_BYTES]


def _id_number(record_id: str) -> int:
    """Give a UUID's 128-bit value; any other id is hashed to 128 bits (one bit set above)."""
    if len(record_id) == 36 and record_id[8] == record_id[13] == record_id[23] == "-":
        digits = record_id.replace("-", "")
        if len(digits) == 32 and digits.isalnum():
            try:
                return int(digits, 16)
            except ValueError:
                pass
    from hashlib import blake2b

    digest = blake2b(record_id.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return int.from_bytes(digest, "big") | (1 << 128)
