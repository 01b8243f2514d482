"""Budgets for the whole: each piece of a practice has its bound, and so does the sum. A
practice over its budget, or an option beyond the practice's reach, is one line, before any
work; numbers from a file or the log never overflow on their way to the screen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fakes import FakeClock
from kindful.cli import app
from kindful.cli import run as run_command
from records import record, uuid

runner = CliRunner()


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(run_command, "EDGES", run_command.Edges(clock=clock, sleep=clock.tick))


def practice(tmp_path: Path, body: str, name: str = "big.yaml") -> Path:
    path = tmp_path / name
    path.write_text("kindful: 1\ntitle: Big\nlanguages: [en]\nsteps:\n" + body)
    return path


@pytest.fixture
def days_of_silence(tmp_path: Path) -> Path:
    return practice(tmp_path, "  - repeat: 10000\n    steps:\n      - silence: 24h\n")


def test_a_practice_longer_than_twelve_hours_is_refused_by_validate(days_of_silence: Path) -> None:
    result = runner.invoke(app, ["validate", str(days_of_silence)])
    assert result.exit_code == 1
    assert f"{days_of_silence}:4:1: the practice would take 240,000 h in all; at most 12 h" in (
        result.stdout
    )


@pytest.mark.parametrize("command", ["run", "show", "render"])
def test_a_practice_over_its_budget_is_one_line_before_any_work(
    days_of_silence: Path, tmp_path: Path, command: str
) -> None:
    args = [command, str(days_of_silence)]
    if command == "render":
        args += ["-o", str(tmp_path / "out.wav")]
    result = runner.invoke(app, args, input="")
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert "at most 12 h" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "out.wav").exists()


def test_a_practice_of_twelve_hours_is_within_budget(tmp_path: Path) -> None:
    path = practice(tmp_path, "  - repeat: 12\n    steps:\n      - silence: 1h\n")
    result = runner.invoke(app, ["show", str(path)])
    assert result.exit_code == 0, result.output


def test_too_much_text_to_speak_is_refused(tmp_path: Path) -> None:
    text = "word " * 1999 + "word"
    path = practice(tmp_path, f"  - repeat: 100\n    steps:\n      - say: {text}\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "the practice's texts come to 999,900 characters in all; at most 500,000" in (
        result.stdout
    )
    result = runner.invoke(app, ["show", str(path)])
    assert result.exit_code == 1
    assert "at most 500,000" in result.stderr


@pytest.mark.parametrize("command", ["run", "show", "render"])
@pytest.mark.parametrize("minutes", ["1e308", "721", "1e400"])
def test_minutes_beyond_the_practices_reach_is_one_line(
    command: str, minutes: str, tmp_path: Path
) -> None:
    args = [command, "box-breathing", "--minutes", minutes]
    if command == "render":
        args += ["-o", str(tmp_path / "out.wav")]
    result = runner.invoke(app, args, input="")
    assert result.exit_code == 2, result.output
    assert result.stderr == "kindful: --minutes must be above 0 and at most 720 (12 h)\n"


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ("rate: How?\n    key: calm\n    max: " + "1" * 400, "at most 2147483647"),
        ("rate: How?\n    key: calm\n    min: -" + "1" * 400, "at least -2147483648"),
        ("rate: How?\n    key: calm\n    max: 100", "a scale has at most 100 points"),
        (
            "survey: How?\n    key: s\n    scale: {max: " + "9" * 400 + "}\n    items: [{text: a}]",
            "",
        ),
    ],
)
def test_a_scale_fits_in_32_bits_and_100_points(tmp_path: Path, step: str, message: str) -> None:
    path = practice(tmp_path, f"  - {step}\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert message in result.stdout
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["run", str(path), "--plain", "--no-log"], input="5\n")
    assert result.exit_code == 1, result.output


def test_a_scale_of_100_points_is_within_budget(tmp_path: Path) -> None:
    path = practice(tmp_path, "  - rate: How?\n    key: calm\n    min: 1\n    max: 100\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_stats_over_sessions_too_long_to_add_up_is_no_traceback(kindful_home: Path) -> None:
    kindful_home.mkdir(parents=True)
    lines = [
        json.dumps(record(id=uuid(n), planned_seconds=1.7e308, elapsed_seconds=1.7e308))
        for n in range(2)
    ] + [
        json.dumps(record(id=uuid(n), ratings={"calm_before": -1.7e308, "calm_after": 1.7e308}))
        for n in range(2, 4)
    ]
    (kindful_home / "sessions.jsonl").write_text("\n".join(lines) + "\n")
    for args in (["stats"], ["history"], ["stats", "--json"], ["export", "--format", "json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
    json.loads(runner.invoke(app, ["stats", "--json"]).stdout)  # no Infinity: JSON as it is
