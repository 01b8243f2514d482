"""``kindful today --run`` through every day of the built-in program, as a pipe and in plain mode.

A day of several practices runs them one after the other in one process, so whatever the first
practice did to stdin and stdout (read it, set its error handler) must leave the second able to
run. The live screen and plain mode on a real terminal are in ``tests/e2e/test_today_terminal.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fakes import FakeClock
from kindful.cli import app
from kindful.cli import run as running
from kindful.program.library import find_program

runner = CliRunner()
PROGRAM = "four-weeks-of-kindness"


@pytest.fixture(autouse=True)
def fake_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run on a fake clock that sleeping moves; answers come from the real stdin of the run."""
    clock = FakeClock()
    monkeypatch.setattr(running, "EDGES", running.Edges(clock=clock, sleep=clock.tick))


def logged(home: Path) -> list[dict[str, Any]]:
    path = home / "sessions.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def days() -> list[list[str]]:
    return [list(ids) for _, _, ids in find_program(PROGRAM).days()]


def test_the_program_has_days_of_several_practices_to_test() -> None:
    assert sum(len(day) > 1 for day in days()) >= 3


@pytest.mark.parametrize("mode", [[], ["--plain"]], ids=["piped", "plain"])
def test_every_day_runs_whole_in_one_go(mode: list[str], kindful_home: Path) -> None:
    assert runner.invoke(app, ["program", "start", PROGRAM]).exit_code == 0
    answers = "5\nok\n\n3\n" * 20  # ratings, a reflection, a skip: whatever each practice asks
    seen = 0
    for number, practices in enumerate(days(), 1):
        result = runner.invoke(app, ["today", "--run", *mode], input=answers)
        assert result.exit_code == 0, f"day {number}: {result.output}"
        assert "Traceback" not in result.output
        ran = logged(kindful_home)[seen:]
        assert [r["practice"] for r in ran] == practices, f"day {number}: {result.output}"
        assert all(r["completed"] and r["program"]["id"] == PROGRAM for r in ran)
        assert result.output.count("Logged in") == len(practices)
        seen += len(ran)
    done = runner.invoke(app, ["today", "--json"])
    assert json.loads(done.stdout)["done"] is True


def test_the_first_day_takes_its_answers_in_order_from_one_pipe(kindful_home: Path) -> None:
    runner.invoke(app, ["program", "start", PROGRAM])
    # The weekly check's six statements first (a baseline), then the daily check-in.
    answers = "4\n" * 6 + "5\nok\n\n3\n"
    result = runner.invoke(app, ["today", "--run"], input=answers)
    assert result.exit_code == 0, result.output
    check, first, second = logged(kindful_home)
    assert [r["practice"] for r in (check, first, second)] == [
        "weekly-kindness-check",
        "daily-check-in",
        "first-aid",
    ]
    assert check["surveys"]
    assert first["ratings"] == {"stress_before": 5, "stress_after": 3}
    assert first["reflections"][0]["text"] == "ok"


def test_today_run_takes_the_options_of_run(kindful_home: Path) -> None:
    runner.invoke(app, ["program", "start", PROGRAM])
    options = ["--plain", "--speed", "20", "--no-bell", "--no-voice", "--sound", "off"]
    result = runner.invoke(app, ["today", "--run", *options, "--lang", "de"], input="")
    assert result.exit_code == 0, result.output
    assert "mit 20-facher Geschwindigkeit" in result.output, result.output
    assert [r["speed"] for r in logged(kindful_home)] == [20, 20, 20]
    assert {r["lang"] for r in logged(kindful_home)} == {"de"}
    unlogged = runner.invoke(app, ["today", "--run", "--no-log"], input="")
    assert unlogged.exit_code == 0, unlogged.output
    assert "Logged in" not in unlogged.output
    assert unlogged.output.count("You practised") == 3  # every practice of the day, unlogged
    assert len(logged(kindful_home)) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--speed", "0"], "speed"), (["--sound", "loud"], "loud")],
)
def test_a_wrong_option_of_today_run_is_a_usage_error(args: list[str], message: str) -> None:
    result = runner.invoke(app, ["today", "--run", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
