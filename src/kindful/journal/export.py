"""The whole log for other tools: CSV with one column per rating key, or a JSON list.

Both are written as the log is read, record by record, each record parsed once. CSV needs
every rating key for its header before the first row: ``log_rating_keys`` finds them in the
log's lines without parsing the records (the same bytes the rows are read from; see
``SessionLog``), and parses only a line it cannot read so, or one that brings a key not yet
seen. A file is written beside its final place and moved there whole, private.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from kindful.errors import KindfulError
from kindful.journal.reader import SessionLog, _lines, parse_record
from kindful.journal.record import Record
from kindful.safe_text import csv_cell, forbidden, json_safe

# Gives a fresh pass over the log each call; ``False``: duplicates may come twice (no ids kept).
Sessions = Callable[[bool], Iterable[Record]]

COLUMNS = (
    "id",
    "practice",
    "title",
    "lang",
    "started_at",
    "ended_at",
    "planned_seconds",
    "elapsed_seconds",
    "completed",
    "steps_done",
    "steps_total",
    "speed",
)
RATING_PREFIX = "rating:"
REFLECTIONS = "reflections"


def rating_keys(sessions: Iterable[Record]) -> list[str]:
    """Give every rating key used in the log, sorted."""
    keys: set[str] = set()
    for session in sessions:
        keys.update(session["ratings"])
    return sorted(keys)


def csv_header(keys: list[str]) -> list[str]:
    """Give the CSV header: the record's fields, ``rating:KEY`` per key, then reflections."""
    return [*COLUMNS, *(csv_cell(RATING_PREFIX + key) for key in keys), REFLECTIONS]


def csv_row(session: Record, keys: list[str]) -> list[str]:
    """Give one session as a CSV row under ``csv_header(keys)``."""
    ratings = session["ratings"]
    return [
        *(_cell(session[name]) for name in COLUMNS),
        *(_cell(ratings.get(key, "")) for key in keys),
        csv_cell("\n".join(f"{r['prompt']} — {r['text']}" for r in session["reflections"])),
    ]


def _cell(value: object) -> str:
    """Give a value as its cell: text guarded against formulas (``csv_cell``), numbers as they are."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_cell(value)
    return str(value)


def write_csv(sessions: Sessions, out: TextIO, keys: list[str] | None = None) -> int:
    """Write the log as CSV to ``out``; give the number of sessions written.

    ``keys`` are the rating keys of the header, when known (``log_rating_keys``); else they are
    gathered in a first pass over ``sessions``.
    """
    if keys is None:
        keys = rating_keys(sessions(False))  # a duplicate brings no new key: no need to drop it
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(keys))
    count = 0
    row = writer.writerow
    for session in sessions(True):
        row(_quick_row(session, keys))
        count += 1
    return count


_TEXTS = COLUMNS[:6]  # id, practice, title, lang, started_at, ended_at
_NUMBERS = ("planned_seconds", "elapsed_seconds")
_COUNTS = ("steps_done", "steps_total", "speed")


def _quick_row(session: Record, keys: list[str]) -> list[str]:
    """Give ``csv_row(session, keys)``, sparing its checks for a record of plain text."""
    texts = [session[name] for name in _TEXTS]
    if any(text.startswith(_FORMULA) for text in texts) or forbidden("".join(texts)) is not None:
        return csv_row(session, keys)  # a cell that needs care: the careful way
    ratings = session["ratings"]
    reflections = session["reflections"]
    return [
        *texts,
        str(session["planned_seconds"]),
        str(session["elapsed_seconds"]),
        "true" if session["completed"] else "false",
        str(session["steps_done"]),
        str(session["steps_total"]),
        str(session["speed"]),
        *[str(ratings[key]) if key in ratings else "" for key in keys],
        csv_cell("\n".join(f"{r['prompt']} — {r['text']}" for r in reflections))
        if reflections
        else "",
    ]


_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # as ``csv_cell`` guards them
_RATINGS = re.compile(rb'"ratings"\s*:\s*\{([^{}]*)\}')
_KEY = re.compile(rb'"([^"]*)"\s*:')


def log_rating_keys(log: SessionLog) -> list[str]:
    """Give every rating key of the valid records of ``log``, sorted, parsing few of them.

    A line holding no backslash and ``"ratings"`` once has its keys written as they are, in
    the one object after that word: they are read there, and the line is parsed only when one
    of them is not yet known to be a key of a valid record. Any other line that could be a
    record (one with a backslash, or ``"ratings"`` twice) is parsed.
    """
    known: set[str] = set()
    for index, found in enumerate(log.files):
        with log.opened(index) as file:
            for _, line in _lines(found.path, file, found.size):
                if line is None:
                    continue
                if b"\\" not in line:
                    times = line.count(b'"ratings"')
                    if times == 0:
                        continue  # no ratings, and no way to write the word otherwise
                    match = _RATINGS.search(line) if times == 1 else None
                    if match is not None:
                        try:
                            seen = {k.decode() for k in _KEY.findall(match.group(1))}
                        except UnicodeDecodeError:
                            continue  # no record
                        if seen <= known:
                            continue
                record = parse_record(line)
                if record is not None:
                    known.update(record["ratings"])
    return sorted(known)


def write_json(sessions: Sessions, out: TextIO) -> int:
    """Write the log as a JSON list of records to ``out``; give the number written."""
    count = 0
    out.write("[")
    for session in sessions(True):
        out.write(",\n  " if count else "\n  ")
        out.write(json_safe(json.dumps(session, ensure_ascii=False)))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_jsonl(sessions: Sessions, out: TextIO) -> int:
    """Write the log as the log itself is, one record a line, to ``out``; give the number written.

    This is the file a coach reads back with ``--log``.
    """
    count = 0
    for session in sessions(True):
        out.write(json.dumps(session, ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count


WRITERS: dict[str, Callable[[Sessions, TextIO], int]] = {
    "csv": write_csv,
    "json": write_json,
    "jsonl": write_jsonl,
}


def refuse_log_file(output: Path, home: Path) -> None:
    """Raise when ``output`` would be, or be read as, a session log in ``home``."""
    name = output.name
    in_home = output.absolute().parent.resolve() == home.absolute().resolve()
    if in_home and name.startswith("sessions") and name.endswith(".jsonl"):
        raise KindfulError(
            "will not write over or beside the session log; choose another name", path=output
        )


def write_file(path: Path, write: Callable[[TextIO], int]) -> int:
    """Write a file through ``write``: to a private temp file beside it, then moved into place."""
    from kindful.atomic import replacing_text

    try:
        with replacing_text(path) as out:
            return write(out)
    except OSError as error:
        raise KindfulError(f"cannot write the export: {_reason(error)}", path=path) from None


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
