"""Smaller holes at the edges of commands: a name that is no name, a file that is not kindful's,
a path where an id was expected, a device where a file was expected."""

from __future__ import annotations

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
