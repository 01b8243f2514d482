"""CSV export reads each record once when it can, and writes what reading it twice writes."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from kindful.cli import app
from kindful.journal import export, reader
from kindful.journal.reader import SessionLog
from records import record, uuid

NAMES = ["stress_before", "stress_after", "calm", "a}b", "{odd", 'say "hi"', "é", "x,y", "=sum"]


def reference(log: SessionLog) -> str:
    """The CSV as it was first written: every record read for the columns, then for the rows."""
    out = io.StringIO()
    table = export.columns(log.sessions(False))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(export.csv_header(table.ratings, table))
    for session in log.sessions(True):
        writer.writerow(export.csv_row(session, table))
    return out.getvalue()


class Pipe(io.StringIO):
    """An output that cannot be rewound, as a pipe."""

    def seekable(self) -> bool:
        return False


def exported(log: SessionLog, out: io.StringIO) -> str:
    export.write_csv(log.sessions, out, lambda: export.guess_columns(log))
    return out.getvalue()


def session(n: int, ratings: dict[str, Any], **more: Any) -> dict[str, Any]:
    return record(id=uuid(n % 40), ratings=ratings, **more)


SURVEY = {"scs": {"score": 3.5, "subscales": {"kind": 4.0}, "answers": [3, 4]}}
LINES = st.one_of(
    st.builds(
        lambda n, keys, value, extra: json.dumps(
            session(n, dict.fromkeys(keys, value), **extra), ensure_ascii=bool(n % 2)
        ),
        st.integers(0, 200),
        st.lists(st.sampled_from(NAMES), max_size=4),
        st.sampled_from([3, 2.5, -1, 10**6]),
        st.sampled_from(
            [
                {},
                {"surveys": SURVEY},
                {"client": "Anna"},
                {"program": {"id": "p", "week": 1, "day": 2}},
                {"title": "-minus, \x1b[31m"},
                {"title": "calm \x1b[31m\u202e", "lang": "@en"},
                {"reflections": [{"prompt": "Why?", "text": 'a, "b"\nc'}]},
                {"program": {"ratings": {"hidden": 1}}},
            ]
        ),
    ),
    st.sampled_from(
        [
            '{"ratings":{"junk":1}}',  # not a record, with a name no record has
            '{"v":1,"ratings":{"junk":2},"surveys":{"s":{"score":1}}}',
            "not json",
            "",
            json.dumps(session(7, {"only-twice": 1})),  # a second copy of an id, new names
        ]
    ),
    st.builds(
        lambda keys: json.dumps(session(300 + keys, {f"k{i}": i for i in range(keys)})),
        st.integers(38, 45),
    ),
)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(LINES, max_size=30))
def test_csv_read_once_or_twice_is_what_reading_it_twice_gave(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    home = tmp_path_factory.mktemp("home")
    (home / "sessions.jsonl").write_text("".join(line + "\n" for line in lines))
    log = SessionLog(home)
    wanted = reference(log)
    assert exported(log, io.StringIO()) == wanted  # a file: guessed, checked, rewound if wrong
    assert exported(log, Pipe()) == wanted  # a pipe: read twice
    out = io.StringIO("before\n")
    out.seek(7)
    assert exported(log, out) == "before\n" + wanted  # rewound to where it began


@pytest.mark.parametrize(
    "twice",
    [
        json.dumps(session(1, {"{odd": 1})),
        json.dumps(session(1, {"a}b": 1})),
        json.dumps(session(1, {"stress": 1}, surveys=SURVEY)),
        json.dumps(session(1, {"stress": 1}, client="Ben")),
        json.dumps(session(1, {"fresh": 1})).replace('"ratings"', '"r\\u0061tings"'),
        json.dumps(session(1, {"stress": 1}, surveys=SURVEY)).replace(
            '"surveys"', '"\\u0073urveys"'
        ),
        json.dumps(session(1, {"stress": 1}, client="Ben")).replace('"client"', '"c\\u006cient"'),
    ],
)
def test_names_only_a_session_read_twice_holds_get_their_columns(
    tmp_path: Path, twice: str
) -> None:
    """A session read twice is written once, but its names were always given columns."""
    first = json.dumps(session(1, {"stress": 1}))
    (tmp_path / "sessions.jsonl").write_text(f"{first}\n{twice}\n")
    log = SessionLog(tmp_path)
    wanted = reference(log)
    assert wanted.splitlines()[0] != reference_of([first]).splitlines()[0]
    assert exported(log, io.StringIO()) == wanted


def reference_of(lines: list[str]) -> str:
    with_lines = io.StringIO()
    sessions = [json.loads(line) for line in lines]
    table = export.columns(sessions)
    writer = csv.writer(with_lines, lineterminator="\n")
    writer.writerow(export.csv_header(table.ratings, table))
    return with_lines.getvalue()


def test_a_right_guess_reads_each_record_once_and_a_wrong_one_is_rewound(
    kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kindful_home.mkdir()
    log_file = kindful_home / "sessions.jsonl"
    sessions = [session(n, {"stress_before": n % 9, "stress_after": 2}) for n in range(1, 31)]
    log_file.write_text("".join(json.dumps(s) + "\n" for s in sessions))
    parsed: list[bytes] = []
    real = reader.parse_record

    def counting(line: bytes) -> dict[str, Any] | None:
        parsed.append(line)
        return real(line)

    monkeypatch.setattr(reader, "parse_record", counting)
    out = kindful_home.parent / "out.csv"
    result = CliRunner().invoke(app, ["export", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert len(parsed) == 30  # once each
    assert out.read_text() == reference(SessionLog(kindful_home))
    with log_file.open("a") as log:  # a line that is no record, with a name of its own
        log.write('{"ratings":{"not_a_column":1}}\n')
    parsed.clear()
    result = CliRunner().invoke(app, ["export", "--output", str(out), "--force"])
    assert result.exit_code == 0, result.output
    assert len(parsed) == 3 * 31  # guessed wrong: the rows once, then twice more
    assert "not_a_column" not in out.read_text()
    assert out.read_text() == reference(SessionLog(kindful_home))


def test_a_device_is_written_as_a_pipe_is(tmp_path: Path) -> None:
    """/dev/null seeks but cannot be cut short: a wrong guess there must not end the export."""
    line = json.dumps(session(1, {"stress": 1}))
    (tmp_path / "sessions.jsonl").write_text(f'{line}\n{{"ratings":{{"junk":1}}}}\n')
    log = SessionLog(tmp_path)
    with open(os.devnull, "w") as out:
        assert export.write_csv(log.sessions, out, lambda: export.guess_columns(log)) == 1
