"""``kindful sit`` and ``kindful breathe``: practice without a file, end to end on a fake clock."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fakes import FakeClock
from kindful.cli import app
from kindful.cli import run as running
from kindful.practice.plan import timers
from kindful.practice.plan.planner import Bell, Breathe, Say, Silence, make_plan

runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    clock = FakeClock()
    monkeypatch.setattr(running, "EDGES", running.Edges(clock=clock, sleep=clock.tick))
    return clock


def logged(home: Path) -> list[dict[str, Any]]:
    path = home / "sessions.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args), input="")
    assert result.exit_code == 0, result.output
    return result


def test_sit_rings_in_and_out_with_interval_bells_and_is_logged_as_sit(
    kindful_home: Path, fake_time: FakeClock
) -> None:
    start = fake_time.now
    out = invoke("sit", "10m", "--bell-every", "2m30s").stdout.splitlines()
    assert out[0] == "Sitting quietly · 1 step · 10 min"
    assert out[1] == "Bell"
    assert out[2] == (
        "[1/1] Sit comfortably and rest here. There is nothing to do. (10 min, a bell every 2 min 30 s)"
    )
    assert out[3:7] == ["Bell"] * 4  # three interval bells at 2:30, 5:00, 7:30, then the close
    assert out[7] == "Thank you for taking this time. You practised for 10 min."
    assert fake_time.now - start == pytest.approx(600)
    [record] = logged(kindful_home)
    assert record["practice"] == "sit" and record["title"] == "Sitting quietly"
    assert record["completed"] is True
    assert record["planned_seconds"] == 600 and record["elapsed_seconds"] == pytest.approx(600)
    assert (record["steps_done"], record["steps_total"]) == (1, 1)  # the bells are no steps
    stats = json.loads(invoke("stats", "--json").stdout)
    assert stats["practices"]["sit"]["sessions"] == 1
    assert stats["current_streak"] == 1


def test_sit_shows_a_line_of_ones_own_as_typed(kindful_home: Path) -> None:
    out = invoke("sit", "1:30", "--text", "Just {this} breath", "--lang", "de").stdout
    assert "[1/1] Just {this} breath (1 min 30 s)" in out
    assert logged(kindful_home)[0]["lang"] == "de"
    assert logged(kindful_home)[0]["title"] == "Stilles Sitzen"


@pytest.mark.parametrize(
    ("pattern", "inhale", "hold", "out", "rest", "cycles"),
    [
        ("resonant", 60 / 11, 0, 60 / 11, 0, 28),  # 5.5 a minute for five minutes
        ("box", 4, 4, 4, 4, 15),  # four minutes
        ("4-7-8", 4, 7, 8, 0, 4),  # four breaths, after the caution
        ("sigh", 3, 0, 6, 0, 33),
        ("4-2-6", 4, 2, 6, 0, 25),
        ("4-2-6-1.5", 4, 2, 6, 1.5, 22),
    ],
)
def test_each_pattern_paces_its_breaths(
    pattern: str, inhale: float, hold: float, out: float, rest: float, cycles: int
) -> None:
    chosen = timers.pattern(pattern)
    plan = make_plan(timers.breathe_practice(chosen, timers.cycles_for(chosen, None, None)), "en")
    breathing = next(s for s in plan.steps if isinstance(s, Breathe))
    shape = breathing.pattern
    assert (shape.inhale, shape.hold, shape.exhale, shape.rest) == pytest.approx(
        (inhale, hold, out, rest)
    )
    assert breathing.cycles == cycles
    assert isinstance(plan.steps[0], Bell) and isinstance(plan.steps[-1], Bell)
    cautioned = any(isinstance(s, Say) and "light-headed" in s.text for s in plan.steps)
    assert cautioned == (pattern == "4-7-8")


def test_breathe_runs_the_pattern_and_is_logged_as_breathe(kindful_home: Path) -> None:
    out = invoke("breathe", "box", "--cycles", "2").stdout.splitlines()
    assert out[0] == "Breathing: box · 1 step · 32 s"
    assert out[1] == "Bell"
    assert out[3:7] == ["Breathe in 4 s (1 of 2)", "Hold 4 s", "Breathe out 4 s", "Rest 4 s"]
    [record] = logged(kindful_home)
    assert (record["practice"], record["completed"], record["planned_seconds"]) == (
        "breathe",
        True,
        32,
    )


def test_4_7_8_says_its_caution_first_and_minutes_choose_whole_breaths(kindful_home: Path) -> None:
    out = invoke("breathe", "4-7-8", "--minutes", "1").stdout
    assert "[1/2] A long hold is not for everyone." in out
    assert "(3 breaths, 57 s)" in out  # 60 s of 19 s breaths: three
    resonant = invoke("breathe", "resonant", "--minutes", "2", "--lang", "de").stdout
    assert resonant.startswith("Atmen: Resonanz, 5,5 Atemzüge pro Minute")
    assert "(11 Atemzüge, 2 min)" in resonant


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sit", "ten"], "'ten' is not a duration"),
        (["sit", "0"], "'0' is not a duration"),
        (["sit", "2d"], "'2d' is not a duration"),
        (["sit", "10m", "--bell-every", "3s"], "--bell-every must be at least 5 seconds"),
        (["sit", "10m", "--bell-every", "10m"], "--bell-every must be shorter"),
        (["sit", "1m", "--text", "a\x1b[31m"], "--text cannot hold control characters"),
        (["sit", "1m", "--text", "  "], "--text needs some words"),
        (["breathe", "deep"], "'deep' is no breathing pattern: name one (resonant, box, 4-7-8"),
        (["breathe", "4-6"], "'4-6' is no breathing pattern"),
        (["breathe", "0.5-0-4"], "breathing in and out take at least a second each"),
        (["breathe", "box", "--minutes", "2", "--cycles", "3"], "not both"),
        (["breathe", "box", "--cycles", "0"], "--cycles must be a whole number from 1"),
        (["breathe", "box", "--minutes", "0"], "--minutes must be a number above 0"),
        (["breathe", "box", "--minutes", "100000"], "longer than a day"),
        (["sit", "1m", "--speed", "0"], "--speed must be a number above 0"),
        (["breathe", "box", "--sound", "gong"], "--sound takes bowl, terminal or off"),
    ],
)
def test_bad_input_is_one_line_and_wrong_usage(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_both_are_in_help() -> None:
    shown = runner.invoke(app, ["--help"]).stdout
    assert "sit" in shown and "breathe" in shown
    sit_help = runner.invoke(app, ["sit", "-h"]).stdout
    for option in ("--bell-every", "--text", "--plain", "--speed", "--no-bell", "--voice"):
        assert option in sit_help
    assert "--cycles" in runner.invoke(app, ["breathe", "-h"]).stdout


HEAVY = ("yaml", "pydantic", "kindful.practice.library", "kindful.cache", "tempfile")


def test_starting_them_loads_neither_yaml_nor_pydantic_nor_the_library(tmp_path: Path) -> None:
    # Made on the spot, a practice needs no file, no list of practices and no cache.
    probe = (
        "import sys\n"
        "from kindful.cli import app\n"
        "status = 0\n"
        "try:\n"
        "    app(['sit', '1s', '--no-log', '--no-bell'])\n"
        "except SystemExit as stop:\n"
        "    status = stop.code or 0\n"
        f"print(status, sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    env = {"KINDFUL_HOME": str(tmp_path), "KINDFUL_CONFIG": str(tmp_path / "none.yaml")}
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        input="",
        env={**env, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "0 []", done.stdout + done.stderr


def test_a_silence_of_the_sitting_is_what_the_plan_holds() -> None:
    plan = make_plan(timers.sit_practice(90, None, None), "en")
    assert [type(s) for s in plan.steps] == [Bell, Silence, Bell]
    assert plan.planned_seconds == 90
