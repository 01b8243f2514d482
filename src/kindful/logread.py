"""Reading the session log: every ``sessions*.jsonl`` in the data home, line by line.

The log and the conflict copies a sync tool leaves beside it are read as one log: each valid
record 1 is yielded once (by ``id``), and every line that is not one is skipped and counted.
Nothing here holds the whole log: records are yielded as they are read, and only the ids seen
so far are kept, as 128-bit numbers. Nothing here ever writes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from hashlib import blake2b
from pathlib import Path
from typing import IO, Any

from kindful.errors import LogError
from kindful.paths import LOG_NAME

Record = dict[str, Any]

MAX_LINE = 1024 * 1024  # a longer line is no record: skipped without holding it all
PLACES_SHOWN = 3  # skipped lines are named by file and line up to this many, else counted

_INF = float("inf")
_TEXT_FIELDS = ("id", "practice", "title", "lang", "started_at", "ended_at")
_COUNT_FIELDS = ("steps_done", "steps_total")
_SECONDS_FIELDS = ("planned_seconds", "elapsed_seconds")


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

    def sessions(self) -> Iterator[Record]:
        """Yield each valid record once, file by file, line by line; count the rest."""
        self.skipped = skipped = Skipped()
        seen = SeenIds()
        for path, file, size in self._files:
            where = str(path)
            for number, line in _lines(path, file, size):
                record = parse_record(line) if line is not None else None
                if record is None:
                    if line is None or line.strip():
                        skipped.add(where, number)
                elif seen.add(record["id"]):
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
    """Yield (line number, line) up to ``size`` bytes; ``None`` for a line too long to be one."""
    remaining = size
    number = 0
    try:
        file.seek(0)
        readline = file.readline
        while remaining > 0:
            line = readline(min(remaining, MAX_LINE + 1))
            if not line:
                return
            remaining -= len(line)
            number += 1
            if len(line) > MAX_LINE:
                while remaining > 0 and not line.endswith(b"\n"):
                    line = readline(min(remaining, MAX_LINE))
                    remaining -= len(line)
                    if not line:
                        break
                yield number, None
            else:
                yield number, line
    except OSError as error:
        raise LogError(f"{path}: cannot read the log: {_reason(error)}") from None


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def parse_record(line: bytes) -> Record | None:
    """Give the record 1 on this line, or ``None`` when the line is not one."""
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return None
    return record if type(record) is dict and is_record(record) else None


def is_record(r: Record) -> bool:
    """Tell whether a parsed JSON object is a valid record 1 (contract section 5)."""
    try:
        if r["v"] != 1 or type(r["v"]) is not int or type(r["completed"]) is not bool:
            return False
        for name in _TEXT_FIELDS:
            if type(r[name]) is not str:
                return False
        for name in _COUNT_FIELDS:
            value = r[name]
            if type(value) is not int or value < 0:
                return False
        for name in _SECONDS_FIELDS:
            value = r[name]
            if type(value) not in (int, float) or not 0 <= value < _INF:
                return False
        speed = r["speed"]
        if type(speed) not in (int, float) or not 0 < speed < _INF:
            return False
        return (
            r["id"] != ""
            and _is_time(r["started_at"])
            and _is_time(r["ended_at"])
            and _are_ratings(r["ratings"])
            and _are_reflections(r["reflections"])
        )
    except KeyError:
        return False


def _is_time(text: str) -> bool:
    """Tell whether ``text`` is an ISO 8601 date and time with a UTC offset, date first."""
    if len(text) < 16 or text[4] != "-" or text[7] != "-":
        return False
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def _are_ratings(ratings: object) -> bool:
    if type(ratings) is not dict:
        return False
    for value in ratings.values():
        if type(value) not in (int, float) or not -_INF < value < _INF:
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
    digest = blake2b(record_id.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    return int.from_bytes(digest, "big") | (1 << 128)
