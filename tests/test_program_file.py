"""Program files: read like practices, every problem at its line, found beside practices."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from kindful.cli import app
from kindful.errors import PracticeError
from kindful.practice.library import read_catalogue
from kindful.program.library import find_program, read_programs
from kindful.program.load import ProgramError, load_program, parse_program
from kindful.program.model import json_schema

runner = CliRunner()
PROGRAMS = Path(__file__).parent / "fixtures" / "programs"
KNOWN = {"self-compassion-break", "soothing-touch", "box-breathing", "loving-kindness"}


def program(body: str) -> str:
    return "kindful: 1\nprogram: true\n" + textwrap.dedent(body)


def problems(text: str, known: set[str] | None = None) -> list[str]:
    with pytest.raises(PracticeError) as caught:
        parse_program(text, "p.yaml", "p", known)
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def test_the_two_week_fixture_loads_with_its_weeks_and_days() -> None:
    loaded = load_program(PROGRAMS / "two-weeks.yaml", KNOWN)
    assert loaded.warnings == []
    assert loaded.program.id == "two-weeks"
    assert [w.days for w in loaded.program.weeks] == [
        [["self-compassion-break"], ["soothing-touch", "box-breathing"]],
        [["loving-kindness"]],
    ]
    assert loaded.program.languages_used() == ["en", "de"]


def test_every_problem_is_reported_at_its_line_with_a_hint() -> None:
    text = program(
        """\
        title: Broken
        weeks:
          - title: One
            days:
              - [self-compasion-break]
              - []
            dayz: 3
          - titel: Two
            days: [[box-breathing]]
        """
    )
    assert problems(text, KNOWN) == [
        "7:10: there is no practice `self-compasion-break`: did you mean `self-compassion-break`?",
        "8:9: a day needs at least one practice id",
        "9:5: unknown key `dayz`: did you mean `days`?",
        "10:5: a week needs `title`",
        "10:5: unknown key `titel`: did you mean `title`?",
    ]


def test_an_empty_week_is_a_warning_and_the_program_still_loads() -> None:
    text = program(
        """\
        title: Quiet
        weeks:
          - title: One
            days: [[box-breathing]]
          - title: Two
            days: []
        """
    )
    loaded = parse_program(text, "p.yaml", "p", KNOWN)
    assert [f"{w.line}:{w.column}: {w.message}" for w in loaded.warnings] == [
        "8:11: week 2 has no days: add days or leave the week out"
    ]
    assert [w.severity for w in loaded.warnings] == ["warning"]


def test_warnings_stay_beside_the_problems_of_a_broken_program() -> None:
    text = program("title: Broken\nweeks:\n  - title: One\n    days: []\n  - {}\n")
    with pytest.raises(ProgramError) as caught:
        parse_program(text, "p.yaml", "p")
    assert [w.line for w in caught.value.warnings] == [6, 7]
    assert [p.message for p in caught.value.problems] == ["a week needs `title`"]


def test_program_must_be_true_and_weeks_not_empty() -> None:
    assert problems("kindful: 1\nprogram: false\ntitle: X\nweeks: []\n") == [
        "2:10: `program: false` does not mark a program: write `program: true`",
        "4:8: a program needs at least one week",
    ]


def test_texts_follow_the_languages_rule() -> None:
    text = program(
        """\
        title: {en: Two, de: Zwei}
        languages: [en, de]
        weeks:
          - title: {en: One}
            days: [[box-breathing]]
        """
    )
    assert problems(text) == ["6:12: `title`: this text has no de (see `languages`)"]


def test_the_library_lists_no_program_as_a_practice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KINDFUL_PATH", str(PROGRAMS))
    catalogue = read_catalogue()
    assert "two-weeks" not in [e.id for e in catalogue.entries]
    assert catalogue.problems == []
    assert [o.id for o in read_programs().outlines if o.origin != "built-in"] == ["two-weeks"]
    assert find_program("two-weeks").weeks[1].days == [["loving-kindness"]]


def test_validate_checks_programs_and_their_practice_ids() -> None:
    broken = PROGRAMS / "broken" / "broken.yaml"
    result = runner.invoke(app, ["validate", str(broken), str(PROGRAMS / "two-weeks.yaml")])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines == [
        f"{broken}:7:10: there is no practice `self-compasion-break`: did you mean "
        "`self-compassion-break`?",
        f"{broken}:8:9: a day needs at least one practice id",
        f"{broken}:9:5: unknown key `dayz`: did you mean `days`?",
        f"{broken}:11:11: warning: week 2 has no days: add days or leave the week out",
    ]


def test_validate_knows_the_practices_validated_beside_a_program(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("kindful: 1\ntitle: Mine\nsteps: [{bell: 1}]\n")
    (tmp_path / "path.yaml").write_text(
        program("title: Path\nweeks:\n  - title: One\n    days: [[mine], [box-breathing]]\n")
    )
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output


def test_schema_accepts_a_practice_or_a_program() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    data = yaml.safe_load((PROGRAMS / "two-weeks.yaml").read_text())
    assert list(validator.iter_errors(data)) == []
    practice = {"kindful": 1, "title": "T", "steps": [{"bell": 1}]}
    assert list(validator.iter_errors(practice)) == []
    assert list(validator.iter_errors({**data, "weeks": "no"}))
    assert list(validator.iter_errors({**practice, "program": True}))
