"""``show`` of a program and of a survey: weeks and days, items, scale, reverse keys, scoring."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kindful.cli import app

runner = CliRunner()


@pytest.mark.parametrize("output", ["text", "markdown", "html"])
def test_a_program_prints_its_weeks_and_days_in_the_readers_language(output: str) -> None:
    shown = runner.invoke(
        app, ["show", "four-weeks-of-kindness", "--lang", "de", "--format", output]
    )
    assert shown.exit_code == 0, shown.output
    text = shown.stdout
    assert "Vier Wochen Freundlichkeit" in text
    assert "Woche 1: Den Körper beruhigen" in text and "Woche 4" in text
    assert "Tag 7" in text
    assert "Wöchentlicher Freundlichkeits-Check" in text  # a practice by its German title
    assert "weekly-kindness-check" not in text  # never by its id
    assert text.index("Woche 1") < text.index("Woche 2") < text.index("Woche 3")
    if output == "html":
        assert text.startswith("<!DOCTYPE html>") and '<html lang="de">' in text


def test_an_author_sees_the_programs_practice_ids() -> None:
    shown = runner.invoke(app, ["show", "four-weeks-of-kindness", "--for-author"])
    assert shown.exit_code == 0, shown.output
    assert "[weekly-kindness-check]" in shown.stdout


@pytest.mark.parametrize("output", ["text", "markdown", "html"])
def test_a_survey_prints_its_items_scale_reverse_keys_subscales_and_scoring(output: str) -> None:
    shown = runner.invoke(app, ["show", "weekly-kindness-check", "--format", output])
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.stdout.split())  # the terminal wraps; the words stay
    assert "Each item on a scale of 1–5: 1 almost never, 3 sometimes, 5 almost always" in text
    assert "2. I was hard on myself about my mistakes. [kindness, reversed]" in text.replace(
        "\\[", "["
    ).replace("\\]", "]")
    assert "6." in text
    assert "Score: the mean of the items answered." in text
    assert "A reversed item counts as 6 minus its answer." in text
    assert "kindness, humanity, balance" in text
    assert "weekly_kindness" not in text.replace("\\_", "_")  # the log key is for authors


def test_a_survey_printed_in_german() -> None:
    shown = runner.invoke(app, ["show", "weekly-kindness-check", "--lang", "de"])
    text = " ".join(shown.stdout.split())
    assert "[kindness, umgepolt]" in text
    assert "Eine umgepolte Aussage zählt als 6 minus ihre Antwort." in text
