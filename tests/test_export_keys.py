"""The CSV header's rating keys, found without parsing every record, are those of every record."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kindful.journal import export
from kindful.journal.reader import SessionLog
from records import record, uuid

KEYS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)
TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@st.composite
def lines(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["record", "record", "spaced", "invalid", "junk", "words"]))
    fields = record(
        id=uuid(draw(st.integers(0, 30))),
        title=draw(st.one_of(TEXTS, st.sampled_from(["=1+1", "-2", "\x1b[31mred", "a\u202eb"]))),
        ratings=draw(st.dictionaries(KEYS, st.integers(0, 10), max_size=3)),
    )
    if kind == "record":
        return json.dumps(fields, ensure_ascii=draw(st.booleans()), separators=(",", ":"))
    if kind == "spaced":
        return json.dumps(fields, indent=None, separators=(" , ", " : "))
    if kind == "invalid":  # ratings of a line that is no record: no column of their own
        return json.dumps({**fields, "v": 2})
    if kind == "words":  # the word in a title, escaped or not
        fields["title"] = draw(st.sampled_from(['"ratings": {"x": 1}', "ratings", '{"ratings"']))
        return json.dumps(fields)
    return draw(TEXTS)


@settings(max_examples=150, deadline=None)
@given(st.lists(lines(), max_size=12))
def test_the_keys_found_in_the_lines_are_the_keys_of_the_records(log_lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "sessions.jsonl").write_text("\n".join(log_lines) + "\n", encoding="utf-8")
        with SessionLog(folder) as log:
            assert export.log_rating_keys(log) == export.rating_keys(log.sessions(False))
            quick, careful = io.StringIO(), io.StringIO()
            export.write_csv(log.sessions, quick, export.log_rating_keys(log))
            keys = export.rating_keys(log.sessions(False))
            writer = csv.writer(careful, lineterminator="\n")
            writer.writerow(export.csv_header(keys))
            for session in log.sessions(True):
                writer.writerow(export.csv_row(session, keys))
            assert quick.getvalue() == careful.getvalue()
