"""The corpus of broken files: each mistake an author makes gets the one message written for it.

``tests/fixtures/invalid`` holds files kindful refuses, ``tests/fixtures/warned`` files it runs
but warns about; beside them, ``expected.txt`` holds exactly what ``kindful validate`` prints for
them, run in that folder. A new case is a new file and its lines there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kindful.cli import app

FIXTURES = Path(__file__).parent / "fixtures"


def corpus(folder: str) -> tuple[list[str], list[str]]:
    """Give the files of a corpus folder, relative to it, and the lines expected for them."""
    root = FIXTURES / folder
    files = sorted(str(p.relative_to(root)) for p in root.rglob("*.yaml"))
    expected = (root / "expected.txt").read_text(encoding="utf-8").splitlines()
    return files, expected


@pytest.mark.parametrize("folder", ["invalid", "warned"])
def test_each_file_gets_exactly_its_messages(folder: str, monkeypatch: pytest.MonkeyPatch) -> None:
    files, expected = corpus(folder)
    monkeypatch.chdir(FIXTURES / folder)
    result = CliRunner().invoke(app, ["validate", *files])
    assert result.stdout.splitlines() == expected
    assert result.exit_code == (1 if folder == "invalid" else 0), result.output


def test_every_broken_file_has_an_error_and_every_warned_file_none() -> None:
    for folder, severity in (("invalid", ": "), ("warned", ": warning: ")):
        files, expected = corpus(folder)
        named = {line.split(":", 1)[0] for line in expected}
        practices = {f for f in files if "program-languages/" not in f or "bilingual" in f}
        assert practices <= named, f"{folder}: no expected message for {practices - named}"
        if folder == "warned":
            assert all(severity in line for line in expected)
        else:
            assert not any(": warning: " in line for line in expected)


def test_one_cause_gives_one_line() -> None:
    """A bilingual declaration over plain strings, and a flat list of days: one line each."""
    _, expected = corpus("invalid")
    for name in ("bilingual-plain.yaml", "flat-days.yaml", "no-program.yaml", "program-yes.yaml"):
        assert sum(line.startswith(f"{name}:") for line in expected) == 1, name


@pytest.mark.parametrize(
    ("count", "stderr"),
    [
        (1, "1 practice file, with 1 problem."),
        (2, "2 practice files: 2 with problems, 2 problems in all."),
    ],
)
def test_the_summary_counts_in_words(
    count: int, stderr: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(FIXTURES / "invalid")
    files = ["lone-dash.yaml", "no-colon.yaml"][:count]
    result = CliRunner().invoke(app, ["validate", *files])
    assert result.stderr.strip() == stderr


def test_one_warning_is_said_in_the_singular(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES / "warned")
    result = CliRunner().invoke(app, ["validate", "comment-in-text.yaml"])
    assert result.stderr.strip() == "1 practice file, valid; 1 warning."


def test_every_code_the_corpus_gives_is_documented(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    docs = (Path(__file__).parents[1] / "docs" / "authoring.md").read_text(encoding="utf-8")
    codes = set()
    for folder in ("invalid", "warned"):
        files, _ = corpus(folder)
        monkeypatch.chdir(FIXTURES / folder)
        result = CliRunner().invoke(app, ["validate", "--format", "json", *files])
        codes |= {p["code"] for p in json.loads(result.stdout)}
    assert len(codes) > 15
    assert not {c for c in codes if f"`{c}`" not in docs}


def test_a_run_asked_for_a_region_finds_its_language(tmp_path: Path) -> None:
    """`languages: [de]` reaches `--lang de-AT`: a file names languages, a person may name more."""
    practice = tmp_path / "ruhe.yaml"
    practice.write_text(
        "kindful: 1\ntitle: {en: Calm, de: Ruhe}\nlanguages: [en, de]\n"
        "steps:\n  - say: {en: Breathe., de: Atme.}\n",
        encoding="utf-8",
    )
    shown = CliRunner().invoke(app, ["show", str(practice), "--lang", "de-AT"])
    assert shown.exit_code == 0, shown.output
    assert "Ruhe" in shown.stdout and "Atme." in shown.stdout


def test_the_coaching_guides_survey_is_a_valid_step(tmp_path: Path) -> None:
    guide = (Path(__file__).parents[1] / "docs" / "coaching.md").read_text(encoding="utf-8")
    step = guide.split("```yaml\n  - survey:", 1)[1].split("```", 1)[0]
    practice = tmp_path / "weekly.yaml"
    practice.write_text(
        "kindful: 1\ntitle: {en: W, de: W}\nlanguages: [en, de]\nsteps:\n  - survey:" + step,
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", "--strict", str(practice)])
    assert result.exit_code == 0, result.output
