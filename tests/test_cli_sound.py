"""``kindful run`` with sound options, where no sound device exists (as in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kindful.cli import app
from kindful.sound.output import NoDevice, open_device

runner = CliRunner()

PRACTICE = """\
kindful: 1
title: Short
steps:
  - bell: 1
  - say: Rest.
    seconds: 0.5
  - bell: 2
"""


def no_device() -> bool:
    try:
        open_device().close()
    except NoDevice:
        return True
    return False


@pytest.fixture
def short(tmp_path: Path) -> Path:
    path = tmp_path / "short.yaml"
    path.write_text(PRACTICE, encoding="utf-8")
    return path


@pytest.mark.skipif(not no_device(), reason="this machine has a sound device")
def test_voice_without_a_device_says_so_once_and_runs_with_text(short: Path) -> None:
    result = runner.invoke(app, ["run", str(short), "--voice", "--speed", "50", "--no-log"])
    assert result.exit_code == 0, result.output
    assert result.output.count("No sound here") == 1
    assert "Rest." in result.output


@pytest.mark.skipif(not no_device(), reason="this machine has a sound device")
def test_the_bowl_asked_for_without_a_device_falls_back_to_the_terminal_bell(short: Path) -> None:
    result = runner.invoke(app, ["run", str(short), "--sound", "bowl", "--speed", "50", "--no-log"])
    assert result.exit_code == 0, result.output
    assert result.output.count("the bell rings in the terminal") == 1


def test_without_a_choice_a_pipe_gets_no_word_about_sound(short: Path) -> None:
    result = runner.invoke(app, ["run", str(short), "--speed", "50", "--no-log"])
    assert result.exit_code == 0, result.output
    assert "sound" not in result.output.lower()


def test_sound_takes_three_choices(short: Path) -> None:
    result = runner.invoke(app, ["run", str(short), "--sound", "gong"])
    assert result.exit_code == 2
    assert "bowl, terminal or off" in result.output
    result = runner.invoke(app, ["run", str(short), "--sound", "off", "--speed", "50", "--no-log"])
    assert result.exit_code == 0, result.output


def test_the_sound_libraries_load_only_in_the_commands_that_play_or_write_sound() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kindful.cli import main\n"
        "sys.argv = ['kindful', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('numpy', 'soundfile', 'miniaudio') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr
