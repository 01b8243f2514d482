"""kindful log add: a session done elsewhere, checked like a record, appended, counted, marked."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kindful.cli import app, log_add
from kindful.journal.reader import is_record

runner = CliRunner()
NOW = datetime(2026, 11, 23, 12, 0).astimezone()


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(log_add, "_now", lambda: NOW)


def add(*args: str) -> Any:
    return runner.invoke(app, ["log", "add", *args, "--lang", "en"])


def logged(home: Path) -> list[dict[str, Any]]:
    path = home / "sessions.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_known_practice_is_added_with_its_own_length_and_marked(kindful_home: Path) -> None:
    result = add("daily-check-in", "--at", "2026-11-23 07:30", "--rating", "stress_after=3")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Added Daily check-in, 2026-11-23 07:30, ")
    [added] = logged(kindful_home)
    assert is_record(added)
    assert added["source"] == "added"
    assert added["practice"] == "daily-check-in" and added["title"] == "Daily check-in"
    assert added["started_at"] == NOW.replace(hour=7, minute=30).isoformat()
    assert added["elapsed_seconds"] == added["planned_seconds"] > 60
    assert added["completed"] is True and added["steps_done"] == added["steps_total"] > 1
    assert added["ratings"] == {"stress_after": 3}
    assert added["speed"] == 1 and added["reflections"] == []
    assert "program" not in added
    history = runner.invoke(app, ["history"], env={"COLUMNS": "200"})
    assert "completed · added by hand" in history.stdout
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert stats["sessions"] == 1 and stats["completed"] == 1
    assert stats["practices"]["daily-check-in"]["sessions"] == 1


def test_minutes_and_not_completed_are_as_said(kindful_home: Path) -> None:
    result = add(
        "daily-check-in", "--at", "2026-11-22 21:00", "--minutes", "12.5", "--not-completed"
    )
    assert result.exit_code == 0, result.output
    [added] = logged(kindful_home)
    assert added["planned_seconds"] == added["elapsed_seconds"] == 750
    assert added["completed"] is False and added["steps_done"] == 0
    assert added["ended_at"] == NOW.replace(day=22, hour=21, minute=12, second=30).isoformat()


def test_an_own_practice_needs_a_title_and_a_length(kindful_home: Path) -> None:
    result = add("walk", "--at", "2026-11-23 08:00", "--minutes", "40")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "there is no practice called 'walk'" in result.stderr
    assert result.stderr.endswith("to add a practice of your own, give it a --title\n")
    result = add("walk", "--at", "2026-11-23 08:00", "--title", "A walk")
    assert result.exit_code == 1
    assert result.stderr == "kindful: --minutes is needed for a practice kindful does not know\n"
    result = add("my walk/x", "--at", "2026-11-23 08:00", "--title", "A walk", "--minutes", "4")
    assert result.exit_code == 1 and "a practice id is a word" in result.stderr
    assert logged(kindful_home) == []
    result = add(
        "walk", "--at", "2026-11-23 08:00", "--title", "A walk\nby the river", "--minutes", "40"
    )
    assert result.exit_code == 0, result.output
    [added] = logged(kindful_home)
    assert (added["practice"], added["title"]) == ("walk", "A walk by the river")
    assert added["planned_seconds"] == added["elapsed_seconds"] == 2400
    assert added["steps_total"] == added["steps_done"] == 1


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--at", "2026-11-23 11:59"],  # began a minute ago, and lasts longer than that
            "kindful: that session would end in the future; --at says when it started\n",
        ),
        (
            ["--at", "2026-11-24 07:00", "--minutes", "5"],
            "kindful: that session would end in the future; --at says when it started\n",
        ),
        (
            ["--at", "2026-11-23 07:00", "--minutes", "-5"],
            "kindful: --minutes must be a number above 0, at most 1440\n",
        ),
        (
            ["--at", "2026-11-23 07:00", "--minutes", "0"],
            "kindful: --minutes must be a number above 0, at most 1440\n",
        ),
        (
            ["--at", "yesterday"],
            "kindful: --at needs a local time as YYYY-MM-DD HH:MM, not 'yesterday'\n",
        ),
        (
            ["--at", "2026-11-23 07:00", "--rating", "calm=high"],
            "kindful: --rating needs KEY=N, a word and a whole number, not 'calm=high'\n",
        ),
    ],
)
def test_what_cannot_be_a_session_is_one_line_and_exit_1(
    kindful_home: Path, args: list[str], line: str
) -> None:
    result = add("daily-check-in", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == line
    assert logged(kindful_home) == []


def test_the_at_option_is_required() -> None:
    result = add("daily-check-in")
    assert result.exit_code == 2


def program_status() -> dict[str, Any]:
    result = runner.invoke(app, ["program", "status", "--json"])
    assert result.exit_code == 0, result.output
    status: dict[str, Any] = json.loads(result.stdout)
    return status


PROGRAM = """\
kindful: 1
program: true
title: Two a day
weeks:
  - title: The only week
    days: [[daily-check-in, first-aid], [soothing-touch]]
"""


def test_a_program_counts_an_added_session_only_with_program(
    kindful_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = add("daily-check-in", "--at", "2026-11-23 07:30", "--program")
    assert result.exit_code == 1
    assert result.stderr == "kindful: --program: you follow no program (kindful program start ID)\n"
    folder = tmp_path / "programs"
    folder.mkdir()
    (folder / "two-a-day.yaml").write_text(PROGRAM)
    monkeypatch.setenv("KINDFUL_PATH", str(folder))
    result = runner.invoke(app, ["program", "start", "two-a-day"])
    assert result.exit_code == 0, result.output
    later = datetime.now().astimezone().replace(second=0, microsecond=0) + timedelta(hours=1)
    monkeypatch.setattr(log_add, "_now", lambda: later + timedelta(hours=1))
    at = later.strftime("%Y-%m-%d %H:%M")
    first = program_status()["days"][0]
    assert first["practices"] == ["daily-check-in", "first-aid"]
    for practice in first["practices"]:  # added without --program: counted nowhere
        assert add(practice, "--at", at).exit_code == 0
    assert program_status()["days"][0]["done"] is False
    result = add("soothing-touch", "--at", at, "--program")  # day 2's, not today's
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "kindful: --program: this session would count toward no day of two-a-day"
    )
    for practice in ("daily-check-in", "first-aid"):
        result = add(practice, "--at", at, "--program")
        assert result.exit_code == 0, result.output
        assert result.stdout.endswith("It counts toward week 1, day 1 of two-a-day.\n")
    assert program_status()["days"][0]["done"] is True
    records = logged(kindful_home)
    assert [r.get("program") for r in records] == [
        None,
        None,
        {"id": "two-a-day", "week": 1, "day": 1},
        {"id": "two-a-day", "week": 1, "day": 1},
    ]
