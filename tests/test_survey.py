"""The ``survey`` step: its file format, its scoring, and how both runners ask it."""

from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from kindful.cli import app
from kindful.errors import PracticeError
from kindful.practice.checking.load import parse_practice
from kindful.practice.plan.planner import Plan, Survey, SurveyItem, make_plan
from kindful.practice.plan.survey import score_survey
from kindful.session.engine import Session
from kindful.session.plain import Lines, PlainRunner
from kindful.session.screen import render_item
from test_live import Answers, live

runner = CliRunner()

STEP = Survey(
    "In the past week?",
    None,
    key="check",
    low=1,
    high=5,
    labels={1: "never", 5: "always"},
    items=(
        SurveyItem("I was kind to myself.", subscale="kind"),
        SurveyItem("I was harsh with myself.", reverse=True, subscale="kind"),
        SurveyItem("I felt connected.", subscale="common"),
        SurveyItem("Something else."),
    ),
)


def test_reverse_items_score_low_plus_high_minus_the_answer() -> None:
    scored = score_survey(STEP, [4, 2, 3, 5])
    assert scored is not None
    assert scored.score == (4 + 4 + 3 + 5) / 4
    assert scored.subscales == {"common": 3.0, "kind": 4.0}
    assert scored.to_record() == {
        "score": 4.0,
        "subscales": {"common": 3.0, "kind": 4.0},
        "answers": [4, 2, 3, 5],
    }


def test_skipped_items_leave_the_score_to_the_items_answered_and_say_how_many() -> None:
    scored = score_survey(STEP, [None, 1, None, 2])
    assert scored is not None
    assert (scored.score, scored.answered, scored.subscales) == (3.5, 2, {"kind": 5.0})
    assert scored.to_record()["answers"] == [None, 1, None, 2]
    assert score_survey(STEP, [None] * 4) is None


def test_a_sum_adds_the_scored_answers() -> None:
    summed = Survey("S", None, key="s", low=0, high=4, items=STEP.items, score="sum")
    scored = score_survey(summed, [4, 0, None, 1])
    assert scored is not None
    assert (scored.score, scored.subscales) == (9.0, {"kind": 8.0})


@pytest.mark.parametrize("answers", [[1, 2, 3], [1, 2, 3, 6], [0, 1, 1, 1], [1, 2, 3, True]])
def test_answers_that_do_not_fit_are_refused(answers: list[int | None]) -> None:
    with pytest.raises(ValueError):
        score_survey(STEP, answers)


def file_of(body: str) -> str:
    return "kindful: 1\ntitle: T\nsteps:\n" + textwrap.indent(textwrap.dedent(body), "  ")


def test_a_survey_in_a_file_is_planned_with_its_scale_and_items() -> None:
    practice = parse_practice(
        file_of(
            """\
            - survey: {en: How was it?, de: Wie war es?}
              key: weekly
              scale: {min: 0, max: 3, labels: {0: {en: none, de: nein}}}
              items:
                - text: {en: One, de: Eins}
                - {text: {en: Two, de: Zwei}, reverse: true, subscale: second}
              score: sum
            """
        ),
        stem="p",
    )
    step = make_plan(practice, "de").steps[0]
    assert step == Survey(
        "Wie war es?",
        None,
        None,
        "weekly",
        0,
        3,
        {0: "nein"},
        (SurveyItem("Eins"), SurveyItem("Zwei", True, "second")),
        "sum",
    )
    assert step.kind == "survey"


def problems(text: str) -> list[str]:
    with pytest.raises(PracticeError) as caught:
        parse_practice(text, "p.yaml", "p")
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def test_survey_mistakes_are_reported_where_they_are() -> None:
    text = file_of(
        """\
        - survey: Check
          key: Check
          scale: {min: 5, max: 1}
          items:
            - {text: One, revers: true}
            - {text: Two, subscale: 3}
          score: median
        """
    )
    assert problems(text) == [
        "5:10: `key` should use lowercase letters, digits and _, starting with a letter",
        "6:21: `min` should be less than `max`",  # at `max`
        "8:21: unknown key `revers`: did you mean `reverse`?",
        "9:31: `subscale` should be a string; 3 was read as a number: put it in quotes",
        "10:12: `score` input should be 'mean' or 'sum'",
    ]
    assert problems(file_of("- {survey: S, key: s, items: []}\n"))[0].endswith(
        "`items` should not be empty"
    )


def plan_of(step: Survey) -> Plan:
    return Plan(practice="p", title="Pause", lang="en", steps=(step,))


def test_plain_asks_one_line_per_item_again_when_off_the_scale_and_skips_on_empty() -> None:
    out = io.StringIO()
    typed = iter(["4", "7", "2", "", "x", "5"])
    session = Session(plan_of(STEP), clock=lambda: 0.0)
    PlainRunner(
        session,
        lang="en",
        lines=Lines(out),
        read_line=lambda: next(typed, None),
        sleep=lambda s: None,
        clock=lambda: 0.0,
    ).run()
    assert out.getvalue().splitlines() == [
        "Pause · 1 step",
        "[1/1] In the past week? (4 items, each 1–5: 1 = never, 5 = always; Enter skips an item)",
        "  1/4 I was kind to myself.",
        "  2/4 I was harsh with myself.",
        "Please type a whole number from 1 to 5, or Enter to skip.",
        "  3/4 I felt connected.",
        "  4/4 Something else.",
        "Please type a whole number from 1 to 5, or Enter to skip.",
    ]
    scored = session.outcome().surveys["check"]
    assert (scored.answers, scored.score) == ([4, 2, None, 5], round(13 / 3, 4))


def test_live_asks_one_item_at_a_time_with_the_scales_labels() -> None:
    answers = Answers("3", "9", "1", None, "")
    session, _, _, _, _ = live(plan_of(STEP), answers=answers)
    assert session.outcome().surveys["check"].answers == [3, 1, None, None]
    assert len(answers.screens) == 5
    screen = Console(file=io.StringIO(), width=60, color_system=None)
    screen.print(answers.screens[2])
    text = screen.file.getvalue()  # type: ignore[attr-defined]
    assert "Item 2 of 4" in text and "I was harsh with myself." in text
    assert "  1  never" in text and "  5  always" in text
    assert "Please type a whole number from 1 to 5." in text


def test_a_run_logs_the_survey_and_says_its_score(tmp_path: Path, kindful_home: Path) -> None:
    result = runner.invoke(
        app, ["run", "weekly-kindness-check", "--speed", "1000"], input="5\n1\n\n2\n4\n3\n"
    )
    assert result.exit_code == 0, result.output
    assert "weekly_kindness: 4.2 (5 of 6 items)" in result.stdout
    record = json.loads((kindful_home / "sessions.jsonl").read_text())
    assert record["surveys"] == {
        "weekly_kindness": {
            "score": 4.2,
            "subscales": {"balance": 3.5, "humanity": 4.0, "kindness": 5.0},
            "answers": [5, 1, None, 2, 4, 3],
        }
    }


def test_render_item_shows_where_in_the_survey() -> None:
    session = Session(plan_of(STEP), clock=lambda: 0.0)
    session.start()
    screen = Console(file=io.StringIO(), width=60, color_system=None)
    screen.print(render_item(session.view(), 3, title="Pause", lang="de"))
    text = screen.file.getvalue()  # type: ignore[attr-defined]
    assert "Aussage 4 von 4" in text and "Something else." in text
