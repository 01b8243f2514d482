"""Plain mode at a terminal: n, s and q read as lines while a step runs, on a fake clock."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fakes import FakeClock
from kindful.cli import app
from kindful.cli import run as running

runner = CliRunner()

PRACTICE = """\
kindful: 1
title: Keys
steps:
  - bell: 1
  - say: First words.
    seconds: 60
  - bell: 2
  - say: Second words.
    seconds: 60
  - rate: How is it?
    key: ease
  - say: Last words.
    seconds: 60
"""


class Person:
    """Types lines at set seconds into the run, and answers questions from a list."""

    def __init__(self, clock: FakeClock, typed: list[tuple[float, str]], answers: list[str]):
        self.clock = clock
        self.start = clock.now
        self.script = list(typed)
        self.answers = list(answers)
        self.discarded = 0
        self.read: list[str] = []

    def typed(self, timeout: float) -> str | None:
        if self.script and self.start + self.script[0][0] <= self.clock.now + timeout:
            at, line = self.script.pop(0)
            self.clock.now = max(self.clock.now, self.start + at)
            return line
        self.clock.tick(timeout)
        return None

    def read_line(self) -> str | None:
        self.clock.tick(30)  # a person takes their time to answer
        line = self.answers.pop(0) if self.answers else None
        self.read.append(str(line))
        return line

    def discard(self) -> None:
        self.discarded += 1


@pytest.fixture
def practice(tmp_path: Path) -> Path:
    path = tmp_path / "keys.yaml"
    path.write_text(PRACTICE)
    return path


def run_with(
    monkeypatch: pytest.MonkeyPatch, path: Path, typed: list[tuple[float, str]], answers: list[str]
) -> tuple[Any, Person]:
    clock = FakeClock()
    person = Person(clock, typed, answers)
    edges = running.Edges(
        clock=clock,
        sleep=clock.tick,
        read_line=person.read_line,
        typed=person.typed,
        discard=person.discard,
    )
    monkeypatch.setattr(running, "EDGES", edges)
    result = runner.invoke(app, ["run", str(path), "--plain"])
    assert result.exit_code == 0, result.output
    return result, person


def logged(home: Path) -> dict[str, Any]:
    [record] = [json.loads(x) for x in (home / "sessions.jsonl").read_text().splitlines()]
    return record


def test_plain_mode_says_the_keys_once_and_n_moves_on(
    monkeypatch: pytest.MonkeyPatch, practice: Path, kindful_home: Path
) -> None:
    result, person = run_with(monkeypatch, practice, [(10, "n")], ["7"])
    lines = result.stdout.splitlines()
    assert lines[0] == "Keys · 4 steps · 3 min"
    assert lines[1] == (
        "While a step runs, type n then Enter to move on, s then Enter for a softer moment,"
        " q then Enter to end."
    )
    assert result.stdout.count("type n then Enter") == 1
    assert lines[2:5] == ["Bell", "[1/4] First words. (1 min)", "Bell ×2"]  # moved on at 10 s
    record = logged(kindful_home)
    assert record["ratings"] == {"ease": 7}  # the n went to the step, not into the answer
    assert record["completed"] is True
    assert record["elapsed_seconds"] == pytest.approx(10 + 60 + 30 + 60)
    assert person.discarded == 1  # before the question: what was typed and not sent goes


def test_s_softens_as_lines_and_enter_comes_back_with_the_steps_time_kept(
    monkeypatch: pytest.MonkeyPatch, practice: Path, kindful_home: Path
) -> None:
    result, person = run_with(monkeypatch, practice, [(20, "s")], ["", "5"])
    out = result.stdout
    assert "A moment for you" in out and "Feel your feet on the ground." in out
    assert "Press Enter when you are ready to come back." in out
    assert "Back to the practice." in out
    after = out.split("Back to the practice.")[1].split()
    assert after[:2] == ["Bell", "×2"]  # back in the first step, which then ran to its end
    assert person.read == ["", "5"]  # Enter came back; the rating was the next line
    record = logged(kindful_home)
    assert record["ratings"] == {"ease": 5}
    # 60 + 60 + 30 answering + 60: the 30 s of the interlude are no step's time.
    assert record["elapsed_seconds"] == pytest.approx(210)


def test_q_ends_the_practice_and_the_counts_agree_everywhere(
    monkeypatch: pytest.MonkeyPatch, practice: Path, kindful_home: Path
) -> None:
    result, _ = run_with(monkeypatch, practice, [(90, "q")], [])
    out = result.stdout
    assert "[2/4] Second words. (1 min)" in out
    assert "1 of 4 steps" in out  # the summary: the first step done, bells not counted
    record = logged(kindful_home)
    assert record["completed"] is False
    assert (record["steps_done"], record["steps_total"]) == (1, 4)
    history = runner.invoke(app, ["history"]).stdout
    assert "1 of 4 steps" in history


def test_anything_else_typed_is_answered_with_the_keys(
    monkeypatch: pytest.MonkeyPatch, practice: Path
) -> None:
    result, _ = run_with(monkeypatch, practice, [(5, "hello")], [""])
    assert "n, s or q, then Enter." in result.stdout


def test_a_pipe_gets_no_word_about_keys_and_its_lines_stay_answers(
    practice: Path, kindful_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(running, "EDGES", running.Edges(clock=clock, sleep=clock.tick))
    result = runner.invoke(app, ["run", str(practice)], input="n\n")
    assert result.exit_code == 0
    assert "then Enter" not in result.stdout
    record = logged(kindful_home)
    # "n" is no rating: asked again, then the end of input skips it.
    assert record["completed"] is True and record["ratings"] == {}
