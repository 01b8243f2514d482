"""Reading the session log: every ``sessions*.jsonl`` in the data home, line by line.

The log and the conflict copies a sync tool leaves beside it are read as one log: each valid
record 1 is yielded once (by ``id``), and every line that is not one is skipped and counted.
Nothing here holds the whole log: records are yielded as they are read, and only the ids seen
so far are kept, as 128-bit numbers. Nothing here ever writes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from kindful.errors import LogError
from kindful.paths import LOG_NAME

Record = dict[str, Any]

MAX_LINE = 1024 * 1024  # a longer line is no record: skipped without holding it all
PLACES_SHOWN = 3  # skipped lines are named by file and line up to this many, else counted

CHUNK = 1024 * 1024  # bytes read at a time

_INF = float("inf")
_NUMBER = (int, float)


@dataclass
class Skipped:
    """The lines that were not records: how many, and where the first few were."""

    count: int = 0
    places: list[tuple[str, int]] = field(default_factory=list)

    def add(self, path: str, line: int) -> None:
        self.count += 1
        if len(self.places) < PLACES_SHOWN:
            self.places.append((path, line))

    def named(self) -> list[str]:
        """Give ``FILE:LINE`` for each skipped line when there are few, else nothing."""
        if self.count > PLACES_SHOWN:
            return []
        return [f"{path}:{line}" for path, line in self.places]


def log_files(folder: Path) -> list[Path]:
    """Give the log and its conflict copies in ``folder``: the log first, then by name."""
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise LogError(f"{folder}: the kindful home is not a folder") from None
    except OSError as error:
        raise LogError(f"{folder}: cannot read the kindful home: {_reason(error)}") from None
    found = sorted(n for n in names if n.startswith("sessions") and n.endswith(".jsonl"))
    found.sort(key=lambda name: name != LOG_NAME)
    return [folder / name for name in found]


class SessionLog:
    """The session log of one data home, opened for reading as it is right now.

    Every file is opened at once, so that an unreadable one is an error before anything is
    shown, and only the bytes present at opening are read, however often ``sessions()`` is
    called: a second pass (as ``export`` makes) sees the same records.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.skipped = Skipped()
        self._files: list[tuple[Path, IO[bytes], int]] = []
        try:
            for path in log_files(folder):
                self._files.append(_open(path))
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> SessionLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for _, file, _ in self._files:
            file.close()
        self._files.clear()

    @property
    def paths(self) -> list[Path]:
        return [path for path, _, _ in self._files]

    def sessions(self, unique: bool = True) -> Iterator[Record]:
        """Yield each valid record once, file by file, line by line; count the rest.

        ``unique=False`` yields a record read twice twice, and keeps no ids: for a pass that
        only gathers what the records hold (as the rating keys of a CSV header).
        """
        self.skipped = skipped = Skipped()
        seen = SeenIds() if unique else None
        for path, file, size in self._files:
            where = str(path)
            for number, line in _lines(path, file, size):
                record = parse_record(line) if line is not None else None
                if record is None:
                    if line is None or line.strip():
                        skipped.add(where, number)
                elif seen is None or seen.add(record["id"]):
                    yield record


def _open(path: Path) -> tuple[Path, IO[bytes], int]:
    try:
        file = path.open("rb")
    except IsADirectoryError:
        raise LogError(f"{path}: the log is a folder, not a file") from None
    except OSError as error:
        raise LogError(f"{path}: cannot read the log: {_reason(error)}") from None
    return path, file, os.fstat(file.fileno()).st_size


def _lines(path: Path, file: IO[bytes], size: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, line) up to ``size`` bytes; ``None`` for a line too long to be one.

    The file is read in large chunks and split here, so that a line's cost is mostly its
    parsing; a line longer than ``MAX_LINE`` is dropped as it is read, never held whole.
    """
    remaining = size
    number = 0
    tail = b""
    too_long = False
    try:
        file.seek(0)
        while remaining > 0:
            chunk = file.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
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
            too_long = len(tail) > MAX_LINE
            tail = b"" if too_long else tail
    except OSError as error:
        raise LogError(f"{path}: cannot read the log: {_reason(error)}") from None
    if tail or too_long:  # a last line without its newline: torn, or whole and read as such
        yield number + 1, None if too_long else tail


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number a record holds")


# The decoder's own scanner, called directly: a line is one object, with nothing around it.
_scan: Callable[[str, int], tuple[Any, int]]
_scan = json.JSONDecoder(parse_constant=_refuse_constant).scan_once  # type: ignore[attr-defined]


def parse_record(line: bytes) -> Record | None:
    """Give the record 1 on this line, or ``None`` when the line is not one."""
    try:
        text = line.decode("utf-8")
        if not text.startswith("{"):
            text = text.lstrip()
        record, end = _scan(text, 0)
    except (ValueError, StopIteration, RecursionError):
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
            and done >= 0
            and type(total) is int
            and total >= 0
            and type(planned) in _NUMBER
            and 0 <= planned < _INF
            and type(elapsed) in _NUMBER
            and 0 <= elapsed < _INF
            and type(speed) in _NUMBER
            and 0 < speed < _INF
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
        if type(value) not in _NUMBER or not -_INF < value < _INF:
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


class SeenIds:
    """The record ids read so far, each kept as one 128-bit number (a UUID's own value)."""

    def __init__(self) -> None:
        self._seen: set[int] = set()

    def add(self, record_id: str) -> bool:
        """Remember ``record_id``; tell whether it is new."""
        key = _id_number(record_id)
        seen = self._seen
        if key in seen:
            return False
        seen.add(key)
        return True

    def __len__(self) -> int:
        return len(self._seen)


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
