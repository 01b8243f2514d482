"""The shell snippet, sourced for real in bash, zsh and fish, under data folders whose names
hold spaces, quotes, ``$(...)``, backticks and newlines, and beside state files that are links,
FIFOs, devices or far too long. It runs nothing it reads, writes through no link, and never
holds the prompt."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kindful.cli import app

runner = CliRunner()
LINE = "A moment for yourself? kindful today"
SHELLS = ["bash", "zsh", "fish"]
NAMES = [
    "Application Support/kindful",
    'it\'s "quoted"',
    "$(touch PWNED)",
    "`touch PWNED`",
    "new\nline; touch PWNED",
    "back\\slash\\'; touch PWNED; echo '",
    "{braces} * ? [x] ~ $HOME %s",
]


def needs(shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")


def snippet(tmp_path: Path, shell: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KINDFUL_HOME", str(home))
    result = runner.invoke(app, ["shell-init", shell])
    assert result.exit_code == 0, result.output
    path = tmp_path / f"snippet.{shell}"
    path.write_text(result.stdout)
    return path


def prompt(shell: str, path: Path, cwd: Path, home: Path | None = None) -> str:
    """Source the snippet in ``shell`` and call the nudge twice, as two prompts would."""
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(cwd)}
    if home is not None:
        env["KINDFUL_HOME"] = str(home)
    args = {"bash": ["bash", "--norc", "--noprofile", "-c"], "zsh": ["zsh", "-f", "-c"]}
    command = [*args.get(shell, ["fish", "--no-config", "-c"])]
    done = subprocess.run(
        [*command, f"source '{path}'; __kindful_nudge; __kindful_nudge"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=10,  # a FIFO or /dev/zero as a state file held the prompt for ever
        check=True,
    )
    assert done.stderr == ""
    return done.stdout


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("name", NAMES)
def test_a_data_folder_of_any_name_is_one_word_in_each_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shell: str, name: str
) -> None:
    needs(shell)
    home = tmp_path / "data" / name
    home.mkdir(parents=True)
    work = tmp_path / "work"
    work.mkdir()
    path = snippet(tmp_path, shell, home, monkeypatch)
    assert prompt(shell, path, work) == LINE + "\n"  # the folder it was made for, by default
    assert (home / ".nudged").read_text() == date.today().isoformat() + "\n"
    (home / ".nudged").unlink()
    (home / ".last-practice").write_text(date.today().isoformat() + "\n")
    assert prompt(shell, path, work) == ""
    assert prompt(shell, path, work, home=home) == ""  # and the same folder named at run time
    assert not list(tmp_path.rglob("PWNED"))


@pytest.mark.parametrize("shell", SHELLS)
def test_a_linked_nudged_mark_is_not_written_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shell: str
) -> None:
    needs(shell)
    home = tmp_path / "home"
    home.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n")
    (home / ".nudged").symlink_to(precious)
    path = snippet(tmp_path, shell, home, monkeypatch)
    assert prompt(shell, path, tmp_path, home) == LINE + "\n"
    assert precious.read_text() == "keep me\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize("state", [".last-practice", ".nudged"])
def test_a_fifo_as_a_state_file_never_holds_the_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shell: str, state: str
) -> None:
    needs(shell)
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / state)
    path = snippet(tmp_path, shell, home, monkeypatch)
    assert prompt(shell, path, tmp_path, home) == LINE + "\n"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("shell", SHELLS)
def test_a_device_or_a_huge_file_as_the_last_practice_never_holds_the_prompt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shell: str
) -> None:
    needs(shell)
    home = tmp_path / "home"
    home.mkdir()
    (home / ".last-practice").symlink_to("/dev/zero")
    path = snippet(tmp_path, shell, home, monkeypatch)
    assert prompt(shell, path, tmp_path, home) == LINE + "\n"
    (home / ".last-practice").unlink()
    (home / ".nudged").unlink()
    with (home / ".last-practice").open("wb") as huge:  # 1 GB of NULs, sparse: no newline
        huge.truncate(1024 * 1024 * 1024)
    assert prompt(shell, path, tmp_path, home) == LINE + "\n"
    (home / ".nudged").unlink()
    (home / ".last-practice").write_text(date.today().isoformat() + "x" * 10_000_000)
    assert prompt(shell, path, tmp_path, home) == ""  # a date first is read as the date
