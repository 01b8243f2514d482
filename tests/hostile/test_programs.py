"""What kindful keeps about programs, from anyone: ``programs.jsonl`` as a FIFO, a device, a
line nested without end, a time at the edge of the calendar. Each is a clear line or a line
skipped, and ``program stop`` always works while the file can be read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kindful.cli import app

runner = CliRunner()
PROGRAM = "four-weeks-of-kindness"
COMMANDS = (["program", "status"], ["program", "stop"], ["program", "start", PROGRAM], ["today"])


def run_kindful(args: list[str], home: Path, timeout: float = 20) -> Any:
    return subprocess.run(
        [sys.executable, "-m", "kindful", *args],
        capture_output=True,
        text=True,
        timeout=timeout,  # a FIFO made every program command wait here for ever
        env={**os.environ, "KINDFUL_HOME": str(home)},
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def home(kindful_home: Path) -> Path:
    kindful_home.mkdir(parents=True, exist_ok=True)
    return kindful_home


def event(at: str = "2026-11-01T08:00:00+01:00", **more: Any) -> str:
    line = {"v": 1, "event": "start", "program": PROGRAM, "at": at, **more}
    return json.dumps(line) + "\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("args", COMMANDS)
def test_a_fifo_as_the_program_state_is_one_clear_line(home: Path, args: list[str]) -> None:
    os.mkfifo(home / "programs.jsonl")
    done = run_kindful(args, home)
    assert done.returncode == 1
    assert done.stderr == f"{home / 'programs.jsonl'}: cannot read it: not a regular file\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_as_the_program_state_is_one_clear_line(home: Path) -> None:
    (home / "programs.jsonl").symlink_to("/dev/zero")
    result = runner.invoke(app, ["program", "status"])
    assert result.exit_code == 1
    assert result.stderr == f"{home / 'programs.jsonl'}: cannot read it: not a regular file\n"


def test_a_line_nested_without_end_is_skipped_and_stop_still_works(home: Path) -> None:
    deep = '{"v": 1, "event": "start", "program": "x", "at": ' + "[" * 100_000 + "]" * 100_000
    (home / "programs.jsonl").write_text(event() + deep + "}\n")
    for args in (["program", "status"], ["today"], ["program", "stop"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert "Four weeks of kindness" in result.stdout  # stop named the program it stopped
    assert runner.invoke(app, ["program", "status"]).stdout.startswith("You are not following")


@pytest.mark.parametrize(
    "at",
    [
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00-14:00",
        "9999-12-31T23:59:59+14:00",
        "9999-12-31T23:59:59-14:00",
    ],
)
def test_a_time_at_the_edge_of_the_calendar_is_skipped(home: Path, at: str) -> None:
    (home / "programs.jsonl").write_text(event(at=at))
    for args in (["program", "status"], ["today"], ["today", "--json"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["program"] is None


def test_a_large_program_state_is_read_from_its_end(home: Path) -> None:
    stop = json.dumps({"v": 1, "event": "stop", "program": PROGRAM, "at": "2026-01-01T08:00:00Z"})
    filler = (event("2026-01-01T07:00:00Z") + stop + "\n") * 60_000  # about 10 MB
    (home / "programs.jsonl").write_text(filler + event())
    result = runner.invoke(app, ["today", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["program"] == PROGRAM


# ----------------------------------------------------------------------------- shown, never obeyed

RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def shows_nothing_raw(text: str) -> bool:
    return not any(char in text for char in RAW)


def test_a_program_file_with_control_characters_is_refused_at_their_place(tmp_path: Path) -> None:
    path = tmp_path / "sly.yaml"
    path.write_text(
        'kindful: 1\nprogram: true\ntitle: "P\\e]0;x\\a"\nsummary: s\nlanguages: [en]\n'
        'weeks:\n  - title: "Week \\u202e"\n    text: t\n    days: [[box-breathing]]\n'
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:3:8: the text holds the control character U+001B" in result.stdout
    assert f"{path}:7:12: the text holds the control character U+202E" in result.stdout
    result = runner.invoke(app, ["program", "list"], env={"KINDFUL_PATH": str(tmp_path)})
    assert result.exit_code == 0
    assert shows_nothing_raw(result.output)
    assert "sly" not in result.stdout


def test_program_ids_from_the_state_are_shown_as_text(home: Path) -> None:
    sly = "\x1b]0;owned\x07\u202e" + "x" * 5000
    (home / "programs.jsonl").write_text(event(program=sly))
    for args in (["program", "status"], ["today"], ["program", "stop"]):
        result = runner.invoke(app, args)
        assert shows_nothing_raw(result.output), args
        assert "\\x1b]0;owned\\x07\\u202e" in result.output
    assert result.exit_code == 0  # stop still ends it


def test_lang_and_input_values_are_echoed_visible_and_short() -> None:
    sly = "\x1b]0;owned\x07" * 50
    result = runner.invoke(
        app, ["run", "box-breathing", "--no-log", "--lang", sly, "--input", f"{sly}=1"]
    )
    assert result.exit_code == 2
    assert shows_nothing_raw(result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert all(len(line) < 200 for line in lines)
    assert "\\x1b]0;owned\\x07" in lines[0] and "…" in lines[0]
