"""The newest sessions, and the log exported as CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from kindful.errors import KindfulError
from kindful.journal.export import csv_header, refuse_log_file, write_csv, write_file, write_json
from kindful.journal.history import newest
from kindful.journal.record import rating_changes
from records import record, uuid


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KINDFUL_HOME", str(tmp_path))
    return tmp_path


def session(
    n: int, started_at: str = "2026-11-23T07:30:00+01:00", **changes: Any
) -> dict[str, Any]:
    return record(id=uuid(n), started_at=started_at, elapsed_seconds=301.5, **changes)


class Counting:
    """An iterable of sessions that remembers how many it handed out."""

    def __init__(self, sessions: list[dict[str, Any]]) -> None:
        self.sessions = sessions
        self.given = 0

    def __iter__(self) -> Any:
        for item in self.sessions:
            self.given += 1
            yield item


def test_newest_first_by_the_moment_whatever_the_time_zone() -> None:
    log = [
        session(1, "2026-11-23T07:30:00+01:00"),  # 06:30 UTC
        session(2, "2026-11-23T01:00:00-08:00"),  # 09:00 UTC
        session(3, "2026-11-23T08:00:00+05:00"),  # 03:00 UTC
        session(4, "2026-11-22T23:59:00+00:00"),
    ]
    assert [s["id"][-1] for s in newest(log, 10)] == ["2", "1", "3", "4"]
    assert [s["id"][-1] for s in newest(log, 2)] == ["2", "1"]


def test_newest_reads_the_sessions_once_and_filters_by_practice() -> None:
    log = Counting(
        [
            session(n, f"2026-11-{n:02d}T07:00:00+01:00", practice="box" if n % 2 else "check-in")
            for n in range(1, 29)
        ]
    )
    picked = newest(log, 3, practice="box")
    assert [s["id"][-2:] for s in picked] == ["27", "25", "23"]
    assert log.given == 28


def test_rating_changes_pair_before_and_after() -> None:
    ratings = {"stress_before": 6, "calm": 7, "stress_after": 3, "ease_after": 4}
    assert rating_changes(ratings) == [
        ("calm", 7, None),
        ("ease_after", 4, None),
        ("stress", 6, 3),
    ]


def sessions_of(records: list[dict[str, Any]]) -> Any:
    return lambda unique=True: iter(records)


def test_csv_has_a_column_per_rating_key_and_joins_reflections() -> None:
    log = [
        session(1, ratings={"stress_before": 6, "stress_after": 3}),
        session(
            2,
            speed=4,
            completed=False,
            ratings={"calm": 7.5},
            reflections=[
                {"prompt": "What do you need?", "text": 'rest, and "quiet"'},
                {"prompt": "Was hilft?", "text": "Tee\nund Ruhe"},
            ],
        ),
    ]
    out = io.StringIO()
    assert write_csv(sessions_of(log), out) == 2
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == csv_header(["calm", "stress_after", "stress_before"])
    assert rows[0][-4:] == [
        "rating:calm",
        "rating:stress_after",
        "rating:stress_before",
        "reflections",
    ]
    first, second = (dict(zip(rows[0], row, strict=True)) for row in rows[1:])
    assert first["completed"] == "true"
    assert first["speed"] == "1"
    assert (first["rating:calm"], first["rating:stress_before"], first["reflections"]) == (
        "",
        "6",
        "",
    )
    assert second["speed"] == "4"
    assert second["completed"] == "false"
    assert second["rating:calm"] == "7.5"
    assert (
        second["reflections"] == 'What do you need? — rest, and "quiet"\nWas hilft? — Tee\nund Ruhe'
    )


def test_an_empty_log_exports_a_header_or_an_empty_list() -> None:
    out = io.StringIO()
    assert write_csv(sessions_of([]), out) == 0
    assert out.getvalue().splitlines() == [",".join(csv_header([]))]
    out = io.StringIO()
    write_json(sessions_of([]), out)
    assert json.loads(out.getvalue()) == []


def test_json_export_is_the_records_as_in_the_log() -> None:
    log = [session(1, title="Selbstmitgefühl"), session(2, speed=2, mood="extra field kept")]
    out = io.StringIO()
    assert write_json(sessions_of(log), out) == 2
    assert json.loads(out.getvalue()) == log
    assert "Selbstmitgefühl" in out.getvalue()


def test_write_file_is_private_and_whole(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_text("old")
    target.chmod(0o644)
    assert write_file(target, lambda out: out.write("new") and 1) == 1
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_write_file_leaves_nothing_behind_when_writing_fails(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"

    def fail(out: Any) -> int:
        out.write("half")
        raise KindfulError("the log went away")

    with pytest.raises(KindfulError):
        write_file(target, fail)
    assert list(tmp_path.iterdir()) == []


def test_write_file_into_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KindfulError, match="cannot write the export: no such file"):
        write_file(tmp_path / "nowhere" / "export.csv", lambda out: 0)


def test_an_export_may_not_land_on_or_beside_the_log(home: Path) -> None:
    with pytest.raises(KindfulError, match="session log"):
        refuse_log_file(home / "sessions.jsonl", home)
    with pytest.raises(KindfulError, match="session log"):
        refuse_log_file(home / "sessions-export.jsonl", home)
    refuse_log_file(home / "export.json", home)
    refuse_log_file(home / "elsewhere" / "sessions.jsonl", home)
