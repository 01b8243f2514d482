"""Reading the session log: valid records once, every other line skipped and counted."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindful.errors import LogError
from kindful.journal.reader import MAX_LINE, SessionLog, log_files, parse_record
from kindful.journal.record import Reflection, SessionRecord
from records import record, uuid


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KINDFUL_HOME", str(tmp_path))
    return tmp_path


def session(n: int = 1, **changes: Any) -> SessionRecord:
    fields = record(
        id=uuid(n),
        ended_at="2026-11-23T07:35:00+01:00",
        elapsed_seconds=301.5,
        ratings={"stress_before": 6, "stress_after": 3},
        reflections=[Reflection("How are you?", "tired, kind")],
    )
    return SessionRecord(**{**fields, **changes})


def line(n: int = 1, **changes: object) -> str:
    return session(n, **changes).to_line()


def with_field(n: int, name: str, value: object) -> str:
    data = session(n).to_dict()
    if value is ...:
        del data[name]
    else:
        data[name] = value
    return json.dumps(data) + "\n"


def write(path: Path, text: str | bytes) -> Path:
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(data)
    return path


def read(folder: Path) -> tuple[list[dict[str, object]], SessionLog]:
    with SessionLog(folder) as log:
        records = list(log.sessions())
    return records, log


def test_reads_every_record_in_order(home: Path) -> None:
    write(home / "sessions.jsonl", line(1) + line(2) + line(3))
    records, log = read(home)
    assert [r["id"][-1] for r in records] == ["1", "2", "3"]  # type: ignore[index]
    assert records[0] == session(1).to_dict()
    assert log.skipped.count == 0


def test_missing_home_or_log_is_an_empty_log(home: Path) -> None:
    assert read(home / "nowhere")[0] == []
    assert read(home)[0] == []


@pytest.mark.parametrize(
    "bad",
    [
        "{not json\n",
        "\x00\x00\x00\x00\n",
        "[1, 2]\n",
        '"a string"\n',
        '{"v": 1}\n',
        with_field(9, "v", 2),
        with_field(9, "v", True),
        with_field(9, "v", "1"),
        with_field(9, "id", ...),
        with_field(9, "id", ""),
        with_field(9, "id", 7),
        with_field(9, "title", None),
        with_field(9, "completed", "yes"),
        with_field(9, "completed", 1),
        with_field(9, "steps_done", 2.5),
        with_field(9, "steps_done", -1),
        with_field(9, "elapsed_seconds", "300"),
        with_field(9, "elapsed_seconds", -3),
        with_field(9, "speed", 0),
        with_field(9, "speed", ...),
        with_field(9, "started_at", "yesterday"),
        with_field(9, "started_at", "2026-11-23T07:30:00"),  # no UTC offset
        with_field(9, "started_at", "20261123T073000+0100"),  # not the extended form
        with_field(9, "ratings", []),
        with_field(9, "ratings", {"calm": "high"}),
        with_field(9, "ratings", {"calm": True}),
        with_field(9, "reflections", [{"prompt": "Why?"}]),
        with_field(9, "reflections", ["just text"]),
        line(9).replace('"planned_seconds":300', '"planned_seconds":NaN'),
        line(9).replace('"planned_seconds":300', '"planned_seconds":1e999'),
        line(9).rstrip("\n") + " trailing\n",
        b"\xff\xfe not utf-8\n".decode("latin-1"),
    ],
)
def test_a_line_that_is_not_a_record_is_skipped_and_counted(home: Path, bad: str) -> None:
    data = line(1).encode() + bad.encode("latin-1" if "\xff" in bad else "utf-8") + line(2).encode()
    write(home / "sessions.jsonl", data)
    records, log = read(home)
    assert len(records) == 2
    assert log.skipped.count == 1
    assert log.skipped.named() == [f"{home / 'sessions.jsonl'}:2"]


def test_parse_record_accepts_spaces_and_a_carriage_return() -> None:
    text = json.dumps(session(1).to_dict(), indent=None)  # ", " and ": " separators
    assert parse_record(("  " + text + "\r\n").encode()) == session(1).to_dict()


def test_unknown_fields_are_kept() -> None:
    data = {**session(1).to_dict(), "mood": "sunny"}
    assert parse_record(json.dumps(data).encode()) == data


def test_a_torn_last_line_is_skipped(home: Path) -> None:
    write(home / "sessions.jsonl", line(1) + line(2)[:40])
    records, log = read(home)
    assert len(records) == 1
    assert log.skipped.named() == [f"{home / 'sessions.jsonl'}:2"]


def test_a_whole_last_line_without_its_newline_is_read(home: Path) -> None:
    write(home / "sessions.jsonl", line(1) + line(2).rstrip("\n"))
    assert len(read(home)[0]) == 2


def test_blank_lines_are_passed_over_quietly(home: Path) -> None:
    write(home / "sessions.jsonl", "\n" + line(1) + "   \n\n" + line(2))
    records, log = read(home)
    assert len(records) == 2
    assert log.skipped.count == 0


def test_many_skipped_lines_are_only_counted(home: Path) -> None:
    write(home / "sessions.jsonl", "junk\n" * 5 + line(1))
    records, log = read(home)
    assert len(records) == 1
    assert log.skipped.count == 5
    assert log.skipped.named() == []


def test_a_line_longer_than_the_limit_is_skipped_without_losing_the_next(home: Path) -> None:
    huge = '{"v": 1, "id": "' + "x" * (MAX_LINE + 10) + '"}\n'
    write(home / "sessions.jsonl", line(1) + huge + line(2) + "y" * (MAX_LINE + 5))
    records, log = read(home)
    assert [r["id"][-1] for r in records] == ["1", "2"]  # type: ignore[index]
    assert log.skipped.named() == [f"{home / 'sessions.jsonl'}:{n}" for n in (2, 4)]


def test_lines_across_read_chunks_are_whole(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kindful.journal.reader.CHUNK", 7)
    write(home / "sessions.jsonl", line(1) + "\n" + line(2) + "bad\n" + line(3))
    records, log = read(home)
    assert len(records) == 3
    assert log.skipped.named() == [f"{home / 'sessions.jsonl'}:4"]


def test_a_record_read_twice_counts_once(home: Path) -> None:
    write(home / "sessions.jsonl", line(1) + line(2) + line(1))
    assert len(read(home)[0]) == 2


def test_uuid_spelling_does_not_make_a_new_record(home: Path) -> None:
    upper = line(1, id="ABCDEF00-0000-4000-8000-000000000001")
    lower = line(1, id="abcdef00-0000-4000-8000-000000000001")
    write(
        home / "sessions.jsonl", upper + lower + line(2, id="not-a-uuid") + line(3, id="not-a-uuid")
    )
    assert len(read(home)[0]) == 2


def test_conflict_copies_are_merged_after_the_log(home: Path) -> None:
    write(home / "sessions.jsonl", line(1) + line(2))
    write(home / "sessions.sync-conflict-20261101-123456-ABCDEFG.jsonl", line(1) + line(3))
    write(home / "sessions (Laptop's conflicted copy 2026-11-01).jsonl", line(2) + line(4))
    write(home / "other.jsonl", line(5))
    write(home / "sessions.jsonl.bak", line(6))
    assert [p.name for p in log_files(home)] == [
        "sessions.jsonl",
        "sessions (Laptop's conflicted copy 2026-11-01).jsonl",
        "sessions.sync-conflict-20261101-123456-ABCDEFG.jsonl",
    ]
    ids = sorted(r["id"][-1] for r in read(home)[0])  # type: ignore[index]
    assert ids == ["1", "2", "3", "4"]


def test_a_second_pass_reads_the_same_records(home: Path) -> None:
    log_file = write(home / "sessions.jsonl", line(1) + line(2))
    with SessionLog(home) as log:
        first = list(log.sessions())
        with log_file.open("a") as more:
            more.write(line(3))
        assert list(log.sessions()) == first


def test_the_log_is_never_written(home: Path) -> None:
    log_file = write(home / "sessions.jsonl", line(1) + "junk\n" + line(2)[:30])
    before = (log_file.read_bytes(), log_file.stat().st_mtime_ns)
    read(home)
    assert (log_file.read_bytes(), log_file.stat().st_mtime_ns) == before


def test_a_log_that_is_a_folder_is_an_error(home: Path) -> None:
    (home / "sessions.jsonl").mkdir()
    with pytest.raises(LogError, match="is a folder"):
        read(home)


def test_an_unreadable_log_is_an_error(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(home / "sessions.jsonl", line(1))

    real_open = os.open

    def refuse(path: object, *args: Any, **kwargs: Any) -> int:
        if str(path).endswith(".jsonl"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(LogError, match="cannot read the log: permission denied"):
        read(home)


def test_a_home_that_is_a_file_is_an_error(home: Path) -> None:
    write(home / "file", "")
    with pytest.raises(LogError, match="not a folder"):
        read(home / "file")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(
        st.one_of(
            st.integers(min_value=1, max_value=40).map(lambda n: ("record", n)),
            st.binary(max_size=60).map(lambda b: ("junk", b.replace(b"\n", b" "))),
        ),
        max_size=30,
    ),
    chunk=st.integers(min_value=1, max_value=300),
)
def test_any_mix_of_records_and_junk_reads_the_records_once(
    home: Path, monkeypatch: pytest.MonkeyPatch, lines: list[tuple[str, Any]], chunk: int
) -> None:
    monkeypatch.setattr("kindful.journal.reader.CHUNK", chunk)
    data = b"".join(line(n).encode() if kind == "record" else n + b"\n" for kind, n in lines)
    write(home / "sessions.jsonl", data)
    records, log = read(home)
    wanted = list(dict.fromkeys(n for kind, n in lines if kind == "record"))
    assert [int(r["id"][-12:]) for r in records] == wanted  # type: ignore[index]
    junk = [b for kind, b in lines if kind == "junk" and b.strip() and parse_record(b) is None]
    assert log.skipped.count == len(junk)
