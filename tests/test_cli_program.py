"""``kindful program`` and ``kindful today`` on the command line: state, output, runs."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fakes import FakeClock
from kindful.cli import app
from kindful.cli import run as running
from records import record, uuid

runner = CliRunner()
PROGRAMS = Path(__file__).parent / "fixtures" / "programs"

STEP = "kindful: 1\ntitle: {title}\nsteps:\n  - say: {title} begins\n    seconds: 2\n"
PATH = """\
kindful: 1
program: true
title: {en: Little path, de: Kleiner Weg}
languages: [en, de]
weeks:
  - title: {en: First, de: Erste}
    text: {en: Go gently., de: Geh sanft.}
    days: [[one], [two, three]]
  - title: {en: Second, de: Zweite}
    days: [[one]]
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give a practice folder with three tiny practices and a program, on KINDFUL_PATH."""
    folder = tmp_path / "mine"
    folder.mkdir()
    for name in ("one", "two", "three"):
        (folder / f"{name}.yaml").write_text(STEP.format(title=name.title()))
    (folder / "little-path.yaml").write_text(PATH)
    monkeypatch.setenv("KINDFUL_PATH", str(folder))
    clock = FakeClock()
    monkeypatch.setattr(
        running, "EDGES", running.Edges(clock=clock, sleep=clock.tick, read_line=lambda: None)
    )
    return folder


def logged(home: Path) -> list[dict[str, Any]]:
    path = home / "sessions.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def invoke(*args: str, input: str | None = None) -> Any:
    result = runner.invoke(app, list(args), input=input)
    assert result.exit_code == 0, result.output
    return result


def test_list_shows_programs_and_list_of_practices_does_not(folder: Path) -> None:
    listed = json.loads(invoke("program", "list", "--json").stdout)
    ours = [(p["id"], p["weeks"], p["days"]) for p in listed if p["origin"] != "built-in"]
    assert ours == [("little-path", 2, 3)]
    assert "four-weeks-of-kindness" in [p["id"] for p in listed]  # the built-in one
    practices = json.loads(invoke("list", "--json").stdout)
    assert "little-path" not in [p["id"] for p in practices]
    assert "Little path  (2 weeks, 3 days" in invoke("program", "list").stdout


def test_start_status_stop_are_kept_appended_in_home(folder: Path, kindful_home: Path) -> None:
    assert "not following a program" in invoke("program", "status").stdout
    assert "You have started Little path." in invoke("program", "start", "little-path").stdout
    assert (
        "started Little path again" in invoke("program", "start", "little-path", "--again").stdout
    )
    shown = invoke("program", "status").stdout
    assert "→ day 1  one  (next)" in shown
    assert "Days done: 0 of 3." in shown
    assert "You have stopped Little path." in invoke("program", "stop").stdout
    state = kindful_home / "programs.jsonl"
    events = [json.loads(line)["event"] for line in state.read_text().splitlines()]
    assert events == ["start", "start", "stop"]
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o600
    assert json.loads(invoke("today", "--json").stdout)["program"] is None


def test_an_unknown_program_is_one_clear_line(folder: Path) -> None:
    result = runner.invoke(app, ["program", "start", "little-pat"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "kindful: there is no program called 'little-pat'; did you mean little-path?"
    )


def test_today_offers_the_day_with_its_week_text_in_the_readers_language(folder: Path) -> None:
    invoke("program", "start", "little-path")
    shown = invoke("today", "--lang", "de").stdout
    assert shown.splitlines()[:4] == [
        "Kleiner Weg · Woche 1, Tag 1 von 2",
        "Erste",
        "",
        "Geh sanft.",
    ]
    assert "Heute: One (0:02)" in shown
    assert json.loads(invoke("today", "--json").stdout) == {
        "program": "little-path",
        "week": 1,
        "day": 1,
        "practices": ["one"],
        "done": False,
    }


def test_today_run_runs_the_day_and_the_record_carries_it(folder: Path, kindful_home: Path) -> None:
    invoke("program", "start", "little-path")
    invoke("today", "--run")
    assert [(r["practice"], r["program"]) for r in logged(kindful_home)] == [
        ("one", {"id": "little-path", "week": 1, "day": 1})
    ]
    invoke("today", "--run")  # a day of two practices runs both
    assert [(r["practice"], r["program"]["day"]) for r in logged(kindful_home)[1:]] == [
        ("two", 2),
        ("three", 2),
    ]
    assert "You have finished a day of the program today." in invoke("today").stdout
    shown = invoke("program", "status").stdout
    assert "✓ day 2  two, three" in shown and "→ day 1  one  (next)" in shown
    invoke("today", "--run")
    assert "You have done every day of Little path." in invoke("today").stdout
    assert json.loads(invoke("today", "--json").stdout)["done"] is True
    assert "nothing left to run" in invoke("today", "--run").stdout
    plain_run = invoke("run", "one")  # a session outside today: no program in its record
    assert "program" not in logged(kindful_home)[-1], plain_run.output


def test_after_a_gap_today_welcomes_back_and_can_repeat_the_last_day(
    folder: Path, kindful_home: Path
) -> None:
    kindful_home.mkdir()
    (kindful_home / "programs.jsonl").write_text(
        json.dumps(
            {"v": 1, "event": "start", "program": "little-path", "at": "2026-01-05T08:00:00+01:00"}
        )
        + "\nnot json\n"
    )
    (kindful_home / "sessions.jsonl").write_text(
        json.dumps(
            record(
                practice="one",
                started_at="2026-01-05T09:00:00+01:00",
                ended_at="2026-01-05T09:05:00+01:00",
            )
        )
        + "\n"
    )
    shown = invoke("today").stdout
    assert shown.startswith("Welcome back.")
    assert "repeat the last day (week 1, day 1): kindful today --repeat --run" in shown
    assert "behind" not in shown and "missed" not in shown
    invoke("today", "--repeat", "--run")
    last = logged(kindful_home)[-1]
    assert (last["practice"], last["program"]) == (
        "one",
        {"id": "little-path", "week": 1, "day": 1},
    )
    assert last["id"] != uuid(1)


def test_without_a_program_today_suggests_a_short_practice(folder: Path) -> None:
    shown = invoke("today").stdout
    assert shown.splitlines() == [
        # One (2 s) is too short to begin with: the shortest of a minute and a half or more.
        "A short practice for today: Daily check-in (1:42): kindful run daily-check-in",
        "For a path over several weeks: kindful program list",
    ]


def test_a_program_that_went_away_is_said_kindly(folder: Path) -> None:
    invoke("program", "start", "little-path")
    (folder / "little-path.yaml").unlink()
    result = runner.invoke(app, ["today"])
    assert result.exit_code == 1
    assert "cannot be found any more" in result.stderr


def test_starting_the_program_followed_again_is_refused_without_a_terminal_or_again(
    folder: Path, kindful_home: Path
) -> None:
    invoke("program", "start", "little-path")
    invoke("today", "--run")  # day 1 done
    state = kindful_home / "programs.jsonl"
    kept = state.read_bytes()
    result = runner.invoke(app, ["program", "start", "little-path"], input="y\n")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "kindful: you already follow little-path; to begin it again from its first day, add"
        " --again (`kindful program resume` brings the old start back)"
    ]
    assert state.read_bytes() == kept  # nothing started
    assert "Days done: 1 of 3." in invoke("program", "status").stdout


def test_on_a_terminal_starting_again_asks_and_no_keeps_the_progress(
    folder: Path, kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from kindful.cli import program as program_command

    invoke("program", "start", "little-path")
    invoke("today", "--run")
    monkeypatch.setattr(program_command, "_at_terminal", lambda: True)
    kept = (kindful_home / "programs.jsonl").read_bytes()
    said_no = invoke("program", "start", "little-path", input="\n").stdout
    assert "You are following Little path: week 1, day 2, with 1 of 3 days done." in said_no
    assert "Start it again from the first day?" in said_no
    assert "Nothing changed" in said_no
    assert (kindful_home / "programs.jsonl").read_bytes() == kept
    later = program_command._now() + timedelta(minutes=1)  # a start after the session
    monkeypatch.setattr(program_command, "_now", lambda: later)
    said_yes = invoke("program", "start", "little-path", input="y\n").stdout
    assert "started Little path again" in said_yes
    assert "Days done: 0 of 3." in invoke("program", "status").stdout


def test_resume_brings_back_the_start_that_starting_again_put_aside(
    folder: Path, kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import datetime, timedelta

    from kindful.cli import program as program_command

    when = [datetime(2026, 11, 2, 8, 0).astimezone()]
    monkeypatch.setattr(program_command, "_now", lambda: when[0])
    assert "no earlier start" in invoke("program", "resume").stdout
    invoke("program", "start", "little-path")
    when[0] += timedelta(days=1)
    log = kindful_home / "sessions.jsonl"
    log.write_text(
        json.dumps(
            record(
                practice="one",
                started_at="2026-11-02T09:00:00+00:00",
                ended_at="2026-11-02T09:05:00+00:00",
            )
        )
        + "\n"
    )
    assert "Days done: 1 of 3." in invoke("program", "status").stdout
    invoke("program", "start", "little-path", "--again")
    assert "Days done: 0 of 3." in invoke("program", "status").stdout
    back = invoke("program", "resume").stdout
    assert "You are back in Little path, as it was since 2026-11-02: 1 of 3 days done." in back
    assert "Days done: 1 of 3." in invoke("program", "status").stdout
    assert "no earlier start" in invoke("program", "resume").stdout  # no going round in circles
    invoke("program", "stop")
    assert "Little path" in invoke("program", "resume").stdout  # a stop is undone too
    assert "Days done: 1 of 3." in invoke("program", "status").stdout
    events = [
        json.loads(line) for line in (kindful_home / "programs.jsonl").read_text().splitlines()
    ]
    assert [e["event"] for e in events] == ["start", "start", "start", "stop", "start"]
    assert events[2]["at"] == events[0]["at"] and "resumed" in events[2]
