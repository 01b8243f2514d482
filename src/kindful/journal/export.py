"""The whole log for other tools: CSV with one column per rating key, or a JSON list.

Both are written as the log is read, record by record. CSV needs every rating key for its
header before the first row, so it reads the log twice (the same bytes both times; see
``SessionLog``). A file is written beside its final place and moved there whole, private.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from kindful.errors import KindfulError
from kindful.journal.record import Record
from kindful.safe_text import csv_cell, json_safe

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


def write_csv(sessions: Sessions, out: TextIO) -> int:
    """Write the log as CSV to ``out``; give the number of sessions written."""
    keys = rating_keys(sessions(False))  # a duplicate brings no new key: no need to drop it
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(keys))
    count = 0
    for session in sessions(True):
        writer.writerow(csv_row(session, keys))
        count += 1
    return count


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
