"""The whole log for other tools: CSV with a column per rating and survey score, or JSON.

Both are written as the log is read, record by record, each record parsed once. CSV needs
every rating key for its header before the first row: when the output can be rewound (a file,
``--output``), the columns are first guessed from the log's bytes (``guess_columns``, no
record parsed), the rows written under them, and the guess checked against the records as
they pass; a guess that was not exactly right (a line that only looked like a record, more
keys than get columns) is rewound and the log read twice, as it is for a pipe: once for the
columns, once for the rows (the same bytes both times; see ``SessionLog``). A file is written
beside its final place and moved there whole, private.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kindful.errors import KindfulError
from kindful.journal.line import Record
from kindful.journal.reader import SessionLog, parse_record
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


def write_csv(
    sessions: Sessions, out: TextIO, guess: Callable[[], Columns | None] | None = None
) -> int:
    """Write the log as CSV to ``out``; give the number of sessions written.

    With ``guess`` (``guess_columns`` of the same log) and an ``out`` that can be rewound,
    the log is read once when the guess is right (see the module's words), else twice.
    """
    start = _start(out) if guess is not None else None
    table = guess() if guess is not None and start is not None else None
    if table is not None and start is not None:
        count, found = _rows(sessions, out, table)
        if found == table:
            return count
        out.seek(start)  # the guess was not exactly the columns: write it all again
        out.truncate()
    table = columns(sessions(False))  # a duplicate brings no new key: no need to drop it
    count, _ = _rows(sessions, out, table)
    return count


# A ratings object found quickly (``_OBJECT`` then says whether it is one a record holds: names
# to numbers, nothing else); a name with a brace in it makes the two counts differ.
_RATINGS = re.compile(rb'"ratings"\s*:\s*(\{[^{}]*\})')
_OBJECT = re.compile(rb'\{\s*(?:"(?:[^"\\]|\\.)*"\s*:\s*[-+0-9.eE]+\s*,?\s*)*\}')
_NAME = re.compile(rb'"((?:[^"\\]|\\.)*)"\s*:')
# Lines read whole: a survey, a client, or an escape (which could spell any name).
_READ_WHOLE = (b'"surveys"', b'"client"', b"\\u")


def guess_columns(log: SessionLog) -> Columns | None:
    """Guess the columns of ``log`` from its bytes: every rating name in a ratings object, and
    the surveys and the client of the lines that name them, read whole.

    Never fewer columns than ``columns`` of its records gives, but more when a line that is
    no record (or is a session read twice) holds a name no record has: ``write_csv`` checks.
    ``None`` when more than ``MAX_KEY_COLUMNS`` would be needed (then counts decide), or
    when a ratings object is not as kindful writes it (a name with a brace in it).
    """
    from kindful.journal.reader import CHUNK, MAX_LINE

    guess = _Guess()
    for index, found in enumerate(log.files):
        with log.opened(index) as file:
            left, tail = found.size, b""
            while left > 0:
                data = file.read(min(CHUNK, left))
                if not data:
                    break
                left -= len(data)
                cut = data.rfind(b"\n") + 1
                if cut == 0:  # still inside one line: a line too long is no record
                    tail = tail + data if len(tail) <= MAX_LINE else b"-"
                    continue
                if not guess.scan(tail + data[:cut]):
                    return None
                tail = data[cut:]
            if not guess.scan(tail):
                return None
        if len(guess.keys) > MAX_KEY_COLUMNS or len(guess.cells) > MAX_KEY_COLUMNS:
            return None
    cells = sorted(guess.cells, key=lambda c: (c[0], c[1] or ""))
    return Columns(sorted(guess.keys), cells, False, False, guess.client)


class _Guess:
    """The rating names, survey cells and client found so far in the bytes of a log."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.cells: set[Survey] = set()
        self.client = False

    def scan(self, data: bytes) -> bool:
        """Take the names in ``data`` (whole lines); false when a ratings object is odd."""
        objects = _RATINGS.findall(data)
        if len(objects) != data.count(b'"ratings"'):
            return False
        for inner in set(objects):
            if _OBJECT.fullmatch(inner) is None:
                return False
            self.keys.update(_name(name) for name in _NAME.findall(inner))
        starts = set()
        for needle in _READ_WHOLE:
            at = data.find(needle)
            while at >= 0:
                starts.add(data.rfind(b"\n", 0, at) + 1)
                at = data.find(needle, at + 1)
        for begin in starts:
            done = data.find(b"\n", begin)
            record = parse_record(data[begin : done if done >= 0 else len(data)])
            if record is not None:
                self.keys.update(record["ratings"])
                self.cells.update(cell for cell, _ in _survey_cells(record))
                self.client = self.client or CLIENT in record
        return True


def _name(raw: bytes) -> str:
    """Give a JSON string's text from between its quotes (a name that is no text: its bytes)."""
    try:
        return raw.decode("utf-8") if b"\\" not in raw else json.loads(b'"' + raw + b'"')
    except ValueError:
        return raw.decode("utf-8", "replace")


def _start(out: TextIO) -> int | None:
    """Give where ``out`` can be rewound to, or ``None`` when it cannot: a pipe, a terminal,
    a device (``/dev/null`` seeks, but cannot be cut short)."""
    import os
    import stat

    try:
        if not out.seekable():
            return None
        try:
            fd = out.fileno()
        except (OSError, ValueError):  # in memory: no file to ask
            fd = None
        if fd is not None and not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        return out.tell()
    except (OSError, ValueError):
        return None


def _rows(sessions: Sessions, out: TextIO, table: Columns) -> tuple[int, Columns | None]:
    """Write the header and a row per session under ``table``; give the count, and the columns
    the sessions written need when at most ``MAX_KEY_COLUMNS`` each (else ``None``)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(table.ratings, table))
    keys: set[str] = set()
    cells: set[Survey] = set()
    client = False
    count = 0
    lines: list[str] = []  # rows that need no quoting, written a few at a time
    for session in sessions(True):
        keys.update(session["ratings"])
        if "surveys" in session:
            cells.update(cell for cell, _ in _survey_cells(session))
        client = client or CLIENT in session
        row = _row(session, table)
        line = ",".join(row)
        if _QUOTED.search(line) is None:  # as the writer would write it
            lines.append(line)
            if len(lines) >= 256:
                out.write("\n".join(lines) + "\n")
                lines.clear()
        else:
            if lines:
                out.write("\n".join(lines) + "\n")
                lines.clear()
            writer.writerow(row)
        count += 1
    if lines:
        out.write("\n".join(lines) + "\n")
    if len(keys) > MAX_KEY_COLUMNS or len(cells) > MAX_KEY_COLUMNS:
        return count, None
    return count, Columns(
        sorted(keys), sorted(cells, key=lambda c: (c[0], c[1] or "")), False, False, client
    )


_FORMULA = frozenset("=+-@\t\r")  # the first characters ``csv_cell`` guards
_TEXTS = ("id", "practice", "title", "lang", "started_at", "ended_at")
_NUMBER = (int, float)
_QUOTED = re.compile('[,"\r\n]')  # what makes the CSV writer quote a cell


def _row(session: Record, table: Columns) -> list[str]:
    """Give ``csv_row(session, table)``, the usual record's quicker: texts with nothing to guard
    taken as they are, numbers as they are written. Anything else goes through ``csv_row``."""
    texts = [session[name] for name in _TEXTS]
    completed = session["completed"]
    planned, elapsed = session["planned_seconds"], session["elapsed_seconds"]
    done, total, speed = session["steps_done"], session["steps_total"], session["speed"]
    try:
        joined = "".join(texts)
    except TypeError:  # not texts: not a record as the reader gives it
        return csv_row(session, table)
    if (
        table.more_ratings
        or table.more_surveys
        or type(completed) is not bool
        or type(planned) not in _NUMBER
        or type(elapsed) not in _NUMBER
        or type(done) not in _NUMBER
        or type(total) not in _NUMBER
        or type(speed) not in _NUMBER
        or forbidden(joined) is not None
        or not _FORMULA.isdisjoint([text[:1] for text in texts])
    ):
        return csv_row(session, table)
    ratings = session["ratings"]
    program = session.get("program")
    row = [
        *([_cell(session.get(CLIENT, ""))] if table.client else []),
        *texts,
        str(planned),
        str(elapsed),
        "true" if completed else "false",
        str(done),
        str(total),
        str(speed),
    ]
    if type(program) is dict:
        row += [_cell(program.get(name, "")) for name in ("id", "week", "day")]
    else:
        row += ["", "", ""]
    row += [_cell(ratings[key]) if key in ratings else "" for key in table.ratings]
    if table.surveys:
        cells = dict(_survey_cells(session)) if "surveys" in session else {}
        row += [_cell(cells.get(cell, "")) for cell in table.surveys]
    reflections = session["reflections"]
    row.append(
        csv_cell("\n".join(f"{r['prompt']} — {r['text']}" for r in reflections))
        if reflections
        else ""
    )
    return row


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
