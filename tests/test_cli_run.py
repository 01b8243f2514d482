"""``kindful run`` without a terminal: plain lines, piped answers, the log, options, signals."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from fakes import FakeClock
from kindful.cli import app
from kindful.cli import run as run_command

runner = CliRunner()
FAST = ["--speed", "10"]  # where timing is not the point

CHECK_IN = """\
kindful: 1
id: check-in
title: {en: A short check-in, de: Ein kurzes Innehalten}
inputs:
  - name: friend
    ask: {en: Who is a good friend to you?, de: Wer ist dir ein guter Freund?}
    default: a friend
steps:
  - say: {en: "Imagine {friend} beside you.", de: "Stell dir {friend} neben dir vor."}
  - rate: {en: How stressed do you feel?, de: Wie gestresst fühlst du dich?}
    key: stress_before
    labels: {0: {en: calm, de: ruhig}, 10: {en: very, de: sehr}}
  - breathe: {en: Slow down, de: Langsamer werden}
    in: 2
    out: 3
    cycles: 2
  - bell: 2
  - silence: 15
    bell_every: 5
  - reflect: {en: What do you need?, de: Was brauchst du?}
  - reflect: {en: A private thought, de: Ein privater Gedanke}
    save: false
  - rate: {en: And now?, de: Und jetzt?}
    key: stress_after
"""


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in-process sessions on a fake clock that a sleep moves on: no test waits."""
    clock = FakeClock()
    monkeypatch.setattr(run_command, "EDGES", run_command.Edges(clock=clock, sleep=clock.tick))


@pytest.fixture
def check_in(tmp_path: Path) -> Path:
    path = tmp_path / "check-in.yaml"
    path.write_text(CHECK_IN, encoding="utf-8")
    return path


def practice(tmp_path: Path, body: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text("kindful: 1\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def logged(home: Path) -> list[dict[str, Any]]:
    path = home / "sessions.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_piped_answers_are_logged_with_umlauts_intact(check_in: Path, kindful_home: Path) -> None:
    answers = "Jürgen\n6\nRuhe, ä ö ü ß\nnur für mich\n3\n"
    result = runner.invoke(app, ["run", str(check_in), "--lang", "de"], input=answers)
    assert result.exit_code == 0, result.output + result.stderr
    out = result.stdout
    assert "Stell dir Jürgen neben dir vor." in out
    assert "Einatmen 2 s (1 von 2)" in out
    assert "Glocke ×2" in out
    assert "stress 6 → 3" in out
    assert "\x1b" not in out and "\a" not in out
    [record] = logged(kindful_home)
    assert record["v"] == 1
    assert record["practice"] == "check-in"
    assert record["title"] == "Ein kurzes Innehalten"
    assert record["lang"] == "de"
    assert record["completed"] is True
    assert record["steps_done"] == record["steps_total"] == 7  # the bell is no step to count
    assert record["ratings"] == {"stress_before": 6, "stress_after": 3}
    assert record["reflections"] == [{"prompt": "Was brauchst du?", "text": "Ruhe, ä ö ü ß"}]
    assert record["speed"] == 1
    assert record["planned_seconds"] == pytest.approx(25)
    assert "ä ö ü ß" in (kindful_home / "sessions.jsonl").read_text(encoding="utf-8")
    started = datetime.fromisoformat(record["started_at"])
    assert started.utcoffset() is not None
    assert datetime.fromisoformat(record["ended_at"]) >= started
    assert uuid.UUID(record["id"]).version == 4


def test_one_line_per_prompt_in_order(check_in: Path) -> None:
    result = runner.invoke(app, ["run", str(check_in), "--no-log"], input="\n\n\n\n\n")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Who is a good friend to you? (Enter keeps “a friend”)"
    assert lines[1].startswith("A short check-in · 7 steps")  # a bell is not a step
    assert lines[2] == "[1/7] Imagine a friend beside you."
    assert lines[3].startswith("[2/7] How stressed do you feel? (0–10: 0 = calm, 10 = very")
    assert lines[4:9] == [
        "[3/7] Slow down (2 breaths, 10 s)",
        "Breathe in 2 s (1 of 2)",
        "Breathe out 3 s",
        "Breathe in 2 s (2 of 2)",
        "Breathe out 3 s",
    ]
    assert lines[9] == "Bell ×2"
    assert lines[10:13] == ["[4/7] Silence (15 s, a bell every 5 s)", "Bell", "Bell"]


def test_end_of_input_skips_every_question(check_in: Path, kindful_home: Path) -> None:
    result = runner.invoke(app, ["run", str(check_in), *FAST], input="")
    assert result.exit_code == 0, result.output
    [record] = logged(kindful_home)
    assert record["completed"] is True
    assert record["ratings"] == {}
    assert record["reflections"] == []


def test_an_invalid_rating_is_asked_again(check_in: Path, kindful_home: Path) -> None:
    result = runner.invoke(app, ["run", str(check_in), *FAST], input="\nlots\n11\n7\n\n\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("Please type a whole number from 0 to 10") == 2
    assert logged(kindful_home)[0]["ratings"] == {"stress_before": 7}


def test_no_log_leaves_the_log_alone(check_in: Path, kindful_home: Path) -> None:
    result = runner.invoke(app, ["run", str(check_in), *FAST, "--no-log"], input="")
    assert result.exit_code == 0, result.output
    assert not (kindful_home / "sessions.jsonl").exists()
    assert "Logged in" not in result.stdout


def test_the_summary_says_where_it_was_logged(check_in: Path, kindful_home: Path) -> None:
    result = runner.invoke(app, ["run", str(check_in), *FAST], input="")
    assert f"Logged in {kindful_home / 'sessions.jsonl'}" in result.stdout
    assert "Thank you for taking this time" in result.stdout


def test_input_option_answers_ahead(check_in: Path, kindful_home: Path) -> None:
    result = runner.invoke(app, ["run", str(check_in), *FAST, "--input", "friend=Ana=B"], input="")
    assert result.exit_code == 0, result.output
    assert "Who is a good friend" not in result.stdout
    assert "Imagine Ana=B beside you." in result.stdout


@pytest.mark.parametrize(
    ("option", "message"),
    [("enemy=x", "no input named 'enemy'"), ("friend", "needs NAME=VALUE"), ("=x", "NAME=VALUE")],
)
def test_a_wrong_input_option_is_a_usage_error(check_in: Path, option: str, message: str) -> None:
    result = runner.invoke(app, ["run", str(check_in), "--input", option], input="")
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.startswith("kindful: ")


@pytest.mark.parametrize(
    "args",
    [
        ["--speed", "0"],
        ["--speed", "-2"],
        ["--speed", "nan"],
        ["--speed", "inf"],
        ["--minutes", "0"],
        ["--minutes", "inf"],
    ],
)
def test_speed_and_minutes_must_be_positive(check_in: Path, args: list[str]) -> None:
    result = runner.invoke(app, ["run", str(check_in), *args], input="")
    assert result.exit_code == 2
    assert "above 0" in result.stderr


def test_minutes_scales_the_timed_steps(tmp_path: Path, kindful_home: Path) -> None:
    path = practice(
        tmp_path,
        """\
        title: Two
        steps:
          - say: One
            seconds: 10
          - silence: 20
        """,
    )
    result = runner.invoke(app, ["run", str(path), "--minutes", "1", "--speed", "300"])
    assert result.exit_code == 0, result.output
    assert "[1/2] One (20 s)" in result.stdout
    [record] = logged(kindful_home)
    assert record["planned_seconds"] == pytest.approx(60)


def test_minutes_without_timed_steps_is_a_usage_error(tmp_path: Path) -> None:
    path = practice(tmp_path, "title: Words\nsteps:\n  - say: Hello\n")
    result = runner.invoke(app, ["run", str(path), "--minutes", "5"])
    assert result.exit_code == 2
    assert "--minutes needs timed steps" in result.stderr


def test_speed_runs_the_clock_faster_and_is_logged(tmp_path: Path, kindful_home: Path) -> None:
    path = practice(tmp_path, "title: Quiet\nsteps:\n  - silence: 3\n")
    result = runner.invoke(app, ["run", str(path), "--speed", "20"])
    assert result.exit_code == 0, result.output
    assert "at 20× speed" in result.stdout.splitlines()[0]
    [record] = logged(kindful_home)
    assert record["speed"] == 20
    assert record["planned_seconds"] == 3
    assert record["elapsed_seconds"] == pytest.approx(0.15, abs=0.1)


def test_reflections_are_not_kept_when_the_setting_says_so(
    check_in: Path, kindful_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "config.yaml"
    settings.write_text("save_reflections: false\nlang: de\n", encoding="utf-8")
    monkeypatch.setenv("KINDFUL_CONFIG", str(settings))
    result = runner.invoke(app, ["run", str(check_in), *FAST], input="\n5\nmine\n\n")
    assert result.exit_code == 0, result.output
    assert "Wie gestresst" in result.stdout  # the lang setting is used
    [record] = logged(kindful_home)
    assert record["reflections"] == []
    assert record["ratings"] == {"stress_before": 5}


def test_a_bad_settings_file_is_one_clear_line(
    check_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "config.yaml"
    settings.write_text("bell: maybe\n", encoding="utf-8")
    monkeypatch.setenv("KINDFUL_CONFIG", str(settings))
    result = runner.invoke(app, ["run", str(check_in), *FAST], input="")
    assert result.exit_code == 1
    assert result.stderr == f"{settings}:1:7: 'bell' must be true or false\n"


def test_an_unknown_practice_is_exit_1(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", str(tmp_path / "nowhere.yaml")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output + result.stderr


def test_a_log_that_cannot_be_written_prints_the_record_on_stderr(
    check_in: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("KINDFUL_HOME", str(blocker / "home"))
    result = runner.invoke(app, ["run", str(check_in), *FAST], input="\n4\n")
    assert result.exit_code == 1
    first, second = result.stderr.splitlines()
    assert first.startswith("kindful: the session could not be logged: ")
    record = json.loads(second)
    assert record["ratings"] == {"stress_before": 4}
    assert record["completed"] is True
    assert "Thank you for taking this time" in result.stdout


def test_a_practice_with_plain_texts_speaks_the_persons_language(tmp_path: Path) -> None:
    path = practice(tmp_path, "title: Einfach\nsteps:\n  - say: Hallo\n")
    result = runner.invoke(app, ["run", str(path), "--lang", "de", "--no-log"])
    assert result.exit_code == 0, result.output
    assert "Einfach · 1 Schritt\n" in result.stdout


# -- a real process, for signals -----------------------------------------------------------


def start_run(path: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kindful", "run", str(path), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=os.environ.copy(),
    )


@pytest.mark.parametrize(
    ("signum", "status"),
    [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130)],
)
def test_a_signal_ends_the_run_and_it_is_still_logged(
    tmp_path: Path, kindful_home: Path, signum: int, status: int
) -> None:
    path = practice(
        tmp_path,
        """\
        title: Long quiet
        steps:
          - say: Settle
            seconds: 1
          - silence: 600
        """,
    )
    proc = start_run(path, "--plain")
    try:
        assert proc.stdout is not None
        while "[2/2]" not in proc.stdout.readline():
            assert proc.poll() is None, proc.communicate()
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()  # a run that missed the signal must not sit out its silence
        proc.wait()
    assert proc.returncode == status, err
    assert "Traceback" not in err
    assert "1 of 2 steps" in out
    [record] = logged(kindful_home)
    assert record["completed"] is False
    assert record["steps_done"] == 1
    assert 1 <= record["elapsed_seconds"] < 30


def test_a_reader_that_goes_away_ends_the_run_quietly_and_it_is_logged(
    tmp_path: Path, kindful_home: Path
) -> None:
    steps = "".join(f"  - say: Step {n}\n    seconds: 0.2\n" for n in range(5))
    path = practice(tmp_path, "title: Steps\nsteps:\n" + steps)
    proc = start_run(path, "--plain")  # as in: kindful run ... | head -2
    try:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.readline()
        proc.stdout.close()
        assert proc.wait(timeout=30) == 141
        assert "Traceback" not in proc.stderr.read()
    finally:
        proc.kill()
        proc.wait()
    [record] = logged(kindful_home)
    assert record["completed"] is False


def test_minutes_that_breathing_cannot_reach_are_said_on_stderr() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "kindful",
            "run",
            "box-breathing",
            "--plain",
            "--speed",
            "10000",
            "--minutes",
            "0.01",
            "--no-log",
        ],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "as near to 0.01 min as it can: " in done.stderr
    assert "breathing keeps at least one whole cycle" in done.stderr
