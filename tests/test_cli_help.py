"""Help that reads like a person wrote it, a welcome for bare kindful, completion, --lang."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from kindful.cli import app
from kindful.cli.complete import practice_ids, program_ids

runner = CliRunner()


def help_of(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_bare_kindful_welcomes_with_three_commands() -> None:
    result = runner.invoke(app, [])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("kindful: a calm companion")
    assert [line.split()[1] for line in lines if line.startswith("  kindful ")] == [
        "list",
        "run",
        "history",
    ]
    german = runner.invoke(app, [], env={"KINDFUL_LANG": "de"})
    assert "Zum Anfangen:" in german.stdout


@pytest.mark.parametrize(
    "command",
    [
        "",
        "run",
        "show",
        "list",
        "history",
        "stats",
        "export",
        "forget",
        "validate",
        "new",
        "schema",
    ],
)
def test_help_shows_no_types_no_braces_and_takes_h(command: str) -> None:
    args = [command] if command else []
    text = help_of(*args)
    assert "<bool>" not in text and "<str>" not in text and "<list" not in text
    assert not re.search(r"\{\w+\}", text)
    short = runner.invoke(app, [*args, "-h"], env={"COLUMNS": "200"})
    assert short.exit_code == 0 and short.stdout == text


def test_help_names_values_as_people_read_them() -> None:
    assert "Usage: kindful run [OPTIONS] PRACTICE" in help_of("run")
    assert "Usage: kindful show [OPTIONS] PRACTICE" in help_of("show")
    assert "Usage: kindful validate [OPTIONS] FILE..." in help_of("validate")
    assert "Usage: kindful forget [OPTIONS] [ID]" in help_of("forget")
    assert re.search(r"--format\s+-f\s+\[csv\|json\|jsonl\]", help_of("export"))
    assert re.search(r"--limit\s+-n\s+N ", help_of("history"))
    assert re.search(r"--lang\s+CODE ", help_of("run"))


def test_help_paragraphs_have_no_hard_line_breaks() -> None:
    assert "Without a terminal, or with --plain, questions read one line each" in help_of("run")


def test_shell_completion_is_offered_and_completes_practice_ids() -> None:
    text = help_of()
    assert "--install-completion" in text and "--show-completion" in text
    assert practice_ids("box") == ["box-breathing"]
    assert "soothing-touch" in practice_ids("so")
    assert practice_ids("zzz") == []
    assert program_ids("four") == ["four-weeks-of-kindness"]
    assert "four-weeks-of-kindness" not in practice_ids("four")
    assert program_ids("zzz") == []


def test_a_language_kindful_does_not_speak_is_said_and_gone_on_from() -> None:
    result = runner.invoke(app, ["list", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "kindful: fr is not available; kindful speaks en, de. Going on in en.\n" in result.stderr
    assert result.stderr.count("not available") == 1
    assert "box-breathing" in result.stdout
