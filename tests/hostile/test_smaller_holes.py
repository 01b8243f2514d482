"""Smaller holes at the edges of commands: a name that is no name, a file that is not kindful's,
a path where an id was expected, a device where a file was expected."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kindful.cli import app

runner = CliRunner()


@pytest.mark.parametrize("name", ["", ".", "/"])
def test_new_without_a_name_is_one_line(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", name])
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("kindful: ")


def test_new_keeps_a_schema_file_kindful_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "kindful-practice.schema.json"
    mine.write_text('{"my": "own notes"}\n')
    result = runner.invoke(app, ["new", str(tmp_path / "kind-pause")])
    assert result.exit_code == 0, result.output
    assert mine.read_text() == '{"my": "own notes"}\n'
    assert "is not a schema kindful wrote: it is kept as it is" in result.stderr
    assert (tmp_path / "kind-pause.yaml").exists()


def test_new_brings_its_own_older_schema_up_to_date(tmp_path: Path) -> None:
    ours = tmp_path / "kindful-practice.schema.json"
    ours.write_text('{"$id": "urn:kindful:file:0"}\n')
    result = runner.invoke(app, ["new", str(tmp_path / "kind-pause")])
    assert result.exit_code == 0, result.output
    assert "oneOf" in ours.read_text()


PROGRAM = """\
kindful: 1
program: true
title: Mine
summary: A week of mine.
languages: [en]
weeks:
  - title: One
    text: The first week.
    days: [[box-breathing]]
"""


def test_a_program_started_by_a_path_kindful_cannot_find_again_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(PROGRAM)
    result = runner.invoke(app, ["program", "start", str(path)])
    assert result.exit_code == 1
    assert "kindful program start mine" in result.stderr
    assert runner.invoke(app, ["program", "status"]).stdout.startswith("You are not following")
    result = runner.invoke(
        app, ["program", "start", str(path)], env={"KINDFUL_PATH": str(tmp_path)}
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["program", "status"], env={"KINDFUL_PATH": str(tmp_path)})
    assert result.exit_code == 0, result.output


def test_a_program_too_large_to_load_says_why(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(PROGRAM + "#" * (1024 * 1024 + 1) + "\n")
    result = runner.invoke(app, ["program", "start", "mine"], env={"KINDFUL_PATH": str(tmp_path)})
    assert result.exit_code == 1
    assert "no program called" not in result.stderr
    assert "the program mine cannot be used" in result.stderr
    assert "larger than" in result.stderr or "1 MiB" in result.stderr


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_export_never_replaces_a_device(device: str, tmp_path: Path) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device}")
    # Through a link to it: were the check to fail, only the link would be replaced, never
    # the machine's own device (the export used to replace /dev/full itself, as root).
    link = tmp_path / "out.csv"
    link.symlink_to(device)
    result = runner.invoke(app, ["export", "--force", "--output", str(link)])
    assert result.exit_code == 1
    assert f"{link}: is not a regular file" in result.stderr
    assert link.is_symlink()


def test_export_refuses_a_folder_and_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.csv")
    for target in (tmp_path, tmp_path / "pipe.csv"):
        result = runner.invoke(app, ["export", "--force", "--output", str(target)])
        assert result.exit_code == 1
        assert "is not a regular file" in result.stderr


def test_a_survey_inside_a_repeat_is_warned_of(tmp_path: Path) -> None:
    path = tmp_path / "rounds.yaml"
    path.write_text(
        "kindful: 1\ntitle: Rounds\nlanguages: [en]\nsteps:\n  - repeat: 3\n    steps:\n"
        "      - survey: How?\n        key: mood\n        items: [{text: Calm}]\n"
        "      - rate: Now?\n        key: now\n"
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert (
        f"{path}:8:14: warning: this `survey` is asked in each of 3 rounds under one key"
        in result.stdout
    )
    assert f"{path}:11:14: warning: this `rate` is asked in each of 3 rounds" in result.stdout
    assert runner.invoke(app, ["validate", "--strict", str(path)]).exit_code == 1
