"""The whole log for other tools: CSV with a column per rating and survey score, or JSON.

Both are written as the log is read, record by record. CSV needs every rating key for its
header before the first row, so it reads the log twice (the same bytes both times; see
``SessionLog``). A file is written beside its final place and moved there whole, private.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

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
SURVEY_PREFIX = "survey:"
PROGRAM_COLUMNS = ("program", "program_week", "program_day")
REFLECTIONS = "reflections"
CLIENT = "client"  # when several clients' logs are exported together
# A column per key, for the keys used most; the rest share one cell as `key=value; ...`, so
# that a log with thousands of distinct keys still gives a sheet of bounded width.
MAX_KEY_COLUMNS = 40
MORE_RATINGS = "ratings_more"
MORE_SURVEYS = "surveys_more"

Survey = tuple[str, str | None]  # a survey key, and one of its subscales or None for its score


@dataclass
class Columns:
    """The columns a log needs: its rating keys and survey scores, at most MAX_KEY_COLUMNS each."""

    ratings: list[str] = field(default_factory=list)
    surveys: list[Survey] = field(default_factory=list)
    more_ratings: bool = False
    more_surveys: bool = False
    client: bool = False


def columns(sessions: Iterable[Record]) -> Columns:
    """Give the columns for ``sessions``: the keys used most get their own, sorted by name."""
    ratings: Counter[str] = Counter()
    surveys: Counter[Survey] = Counter()
    client = False
    for session in sessions:
        ratings.update(session["ratings"])
        surveys.update(cell for cell, _ in _survey_cells(session))
        client = client or CLIENT in session
    kept_ratings = _most(ratings)
    kept_surveys = _most(surveys)
    return Columns(
        sorted(kept_ratings),
        sorted(kept_surveys, key=lambda c: (c[0], c[1] or "")),
        len(kept_ratings) < len(ratings),
        len(kept_surveys) < len(surveys),
        client,
    )


def _most(counts: Counter[Any]) -> list[Any]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return [key for key, _ in ranked[:MAX_KEY_COLUMNS]]


def _survey_cells(session: Record) -> list[tuple[Survey, object]]:
    """Give a session's survey scores and subscale scores, each with the column it goes in."""
    found = session.get("surveys")
    if type(found) is not dict:
        return []
    cells: list[tuple[Survey, object]] = []
    for key, value in found.items():
        if type(value) is not dict:
            continue
        cells.append(((key, None), value.get("score", "")))
        subscales = value.get("subscales")
        if type(subscales) is dict:
            cells += [((key, name), score) for name, score in subscales.items()]
    return cells


def _survey_name(cell: Survey) -> str:
    key, subscale = cell
    return f"{SURVEY_PREFIX}{key}" + (f":{subscale}" if subscale is not None else "")


def csv_header(keys: list[str], table: Columns | None = None) -> list[str]:
    """Give the CSV header: the record's fields, the program's day, ``rating:KEY`` per key,
    ``survey:KEY`` and ``survey:KEY:SUBSCALE`` per survey, then reflections."""
    table = table or Columns(ratings=keys)
    return [
        *([CLIENT] if table.client else []),
        *COLUMNS,
        *PROGRAM_COLUMNS,
        *(csv_cell(RATING_PREFIX + key) for key in table.ratings),
        *([MORE_RATINGS] if table.more_ratings else []),
        *(csv_cell(_survey_name(cell)) for cell in table.surveys),
        *([MORE_SURVEYS] if table.more_surveys else []),
        REFLECTIONS,
    ]


def csv_row(session: Record, table: Columns) -> list[str]:
    """Give one session as a CSV row under ``csv_header(table.ratings, table)``."""
    ratings = session["ratings"]
    program = session.get("program")
    program = program if type(program) is dict else {}
    cells = dict(_survey_cells(session))
    kept = set(table.ratings)
    kept_surveys = set(table.surveys)
    row = [
        *([_cell(session.get(CLIENT, ""))] if table.client else []),
        *(_cell(session[name]) for name in COLUMNS),
        *(_cell(program.get(name, "")) for name in ("id", "week", "day")),
        *(_cell(ratings.get(key, "")) for key in table.ratings),
    ]
    if table.more_ratings:
        rest = [f"{k}={_cell(v)}" for k, v in sorted(ratings.items()) if k not in kept]
        row.append(csv_cell("; ".join(rest)))
    row += [_cell(cells.get(cell, "")) for cell in table.surveys]
    if table.more_surveys:
        rest = [
            f"{_survey_name(c).removeprefix(SURVEY_PREFIX)}={_cell(v)}"
            for c, v in cells.items()
            if c not in kept_surveys
        ]
        row.append(csv_cell("; ".join(rest)))
    row.append(csv_cell("\n".join(f"{r['prompt']} — {r['text']}" for r in session["reflections"])))
    return row


def _cell(value: object) -> str:
    """Give a value as its cell: text guarded against formulas (``csv_cell``), numbers as they are."""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_cell(value)
    return str(value)


def write_csv(sessions: Sessions, out: TextIO) -> int:
    """Write the log as CSV to ``out``; give the number of sessions written."""
    table = columns(sessions(False))  # a duplicate brings no new key: no need to drop it
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(table.ratings, table))
    count = 0
    for session in sessions(True):
        writer.writerow(csv_row(session, table))
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
    """Raise when ``output`` would be, or be read as, a session log in ``home``, or is there
    and is no regular file (a device, a FIFO, a folder): an export writes only to a regular
    file or a new path, so that not even root's ``--force`` replaces ``/dev/full``."""
    import os
    import stat

    try:
        mode = os.stat(output).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise KindfulError(f"cannot write the export: {_reason(error)}", path=output) from None
    if mode is not None and not stat.S_ISREG(mode):
        raise KindfulError(
            "is not a regular file: an export is written only to a file or a new path",
            path=output,
        )
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
