"""``kindful shell-init``: the snippet sourced in a real bash, speaking once a day at most."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kindful.cli import app

runner = CliRunner()
LINE = "A moment for yourself? kindful today"
needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def snippet(tmp_path: Path, shell: str = "bash", *args: str) -> Path:
    result = runner.invoke(app, ["shell-init", shell, *args])
    assert result.exit_code == 0, result.output
    path = tmp_path / f"snippet.{shell}"
    path.write_text(result.stdout)
    return path


def bash(script: str, home: Path | None) -> str:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    if home is not None:
        env["KINDFUL_HOME"] = str(home)
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == ""
    return done.stdout


@needs_bash
def test_it_speaks_once_and_a_second_shell_stays_quiet(tmp_path: Path, kindful_home: Path) -> None:
    kindful_home.mkdir()
    path = snippet(tmp_path)
    assert bash(f"source {path}; __kindful_nudge; __kindful_nudge", kindful_home) == LINE + "\n"
    assert (kindful_home / ".nudged").read_text() == date.today().isoformat() + "\n"
    assert bash(f"source {path}; __kindful_nudge", kindful_home) == ""


@needs_bash
def test_it_stays_quiet_once_practised_today_and_speaks_after_yesterday(
    tmp_path: Path, kindful_home: Path
) -> None:
    kindful_home.mkdir()
    path = snippet(tmp_path)
    marker = kindful_home / ".last-practice"
    marker.write_text(date.today().isoformat() + "\n")
    assert bash(f"source {path}; __kindful_nudge", kindful_home) == ""
    marker.write_text((date.today() - timedelta(days=1)).isoformat() + "\n")
    (kindful_home / ".nudged").write_text((date.today() - timedelta(days=1)).isoformat() + "\n")
    assert bash(f"source {path}; __kindful_nudge", kindful_home) == LINE + "\n"


@needs_bash
def test_sourcing_twice_hooks_the_prompt_once_and_keeps_what_was_there(tmp_path: Path) -> None:
    path = snippet(tmp_path)
    out = bash(
        f'PROMPT_COMMAND="echo hi"; source {path}; source {path}; echo "$PROMPT_COMMAND"', None
    )
    assert out == "__kindful_nudge;echo hi\n"


@needs_bash
def test_without_kindful_home_it_uses_the_home_it_was_made_for(
    tmp_path: Path, kindful_home: Path
) -> None:
    kindful_home.mkdir()
    path = snippet(tmp_path)
    (kindful_home / ".last-practice").write_text(date.today().isoformat() + "\n")
    assert bash(f"source {path}; __kindful_nudge", None) == ""
    missing = tmp_path / "no such home"  # nothing there: it speaks, and writes nothing
    assert bash(f"source {path}; __kindful_nudge", missing) == LINE + "\n"
    assert not missing.exists()


def test_a_session_marks_the_day_it_was_practised(tmp_path: Path, kindful_home: Path) -> None:
    practice = tmp_path / "p.yaml"
    practice.write_text("kindful: 1\ntitle: P\nsteps: [{say: Hello}]\n")
    assert runner.invoke(app, ["run", str(practice), "--speed", "2"]).exit_code == 0
    assert not (kindful_home / ".last-practice").exists()  # a rehearsal is no practice
    assert runner.invoke(app, ["run", str(practice)]).exit_code == 0
    assert (kindful_home / ".last-practice").read_text() == date.today().isoformat() + "\n"


def test_the_line_speaks_the_persons_language_and_runs_no_python(tmp_path: Path) -> None:
    text = snippet(tmp_path, "bash", "--lang", "de").read_text()
    assert "'Ein Moment für dich? kindful today'" in text
    for shell in ("bash", "zsh", "fish"):
        code = snippet(tmp_path, shell).read_text()
        assert "python" not in code and "kindful today" in code
    result = runner.invoke(app, ["shell-init", "tcsh"])
    assert result.exit_code == 2
    assert "bash, zsh, fish" in result.stderr


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_the_other_shells_read_their_snippet(
    tmp_path: Path, kindful_home: Path, shell: str
) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    kindful_home.mkdir()
    path = snippet(tmp_path, shell)
    call = f"source {path}; __kindful_nudge; __kindful_nudge"
    done = subprocess.run(
        [shell, "-c", call],
        env={"PATH": "/usr/bin:/bin", "KINDFUL_HOME": str(kindful_home)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == LINE + "\n"
