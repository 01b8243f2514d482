"""Planning: language picked, inputs filled, repeats expanded, --minutes scaling."""

from __future__ import annotations

from textwrap import dedent

import pytest

from kindful.practice.checking.load import parse_practice
from kindful.practice.format.model import Practice, fill, placeholders
from kindful.practice.plan.planner import Breathe, Rate, Say, Silence, make_plan, scale

TEXT = """\
kindful: 1
title: {en: "For {friend}", de: "Für {friend}"}
languages: [en, de]
inputs:
  - name: friend
    ask: {en: Who?, de: Wer?}
    default: Sam
steps:
  - say: {en: "Hello {friend} {{x}}", de: "Hallo {friend}"}
    seconds: 30
  - breathe: {en: In and out, de: Ein und aus}
    in: 5.5
    out: 5.5
    seconds: 60
  - repeat: 2
    steps:
      - silence: 1m
        text: {en: "Round {round}", de: "Runde {round}"}
  - rate: {en: How?, de: Wie?}
    key: stress_after
    labels: {10: {en: very, de: sehr}, 0: {en: calm, de: ruhig}}
  - bell: 2
"""


@pytest.fixture
def practice() -> Practice:
    return parse_practice(dedent(TEXT), "t.yaml", "t")


def test_plan_in_german_with_an_answer(practice: Practice) -> None:
    plan = make_plan(practice, "de", {"friend": "Jo"})
    assert plan.title == "Für Jo"
    assert [s.kind for s in plan.steps] == ["say", "breathe", "silence", "silence", "rate", "bell"]
    assert plan.steps[0] == Say("Hallo Jo", 30.0)
    assert [s.text for s in plan.steps[2:4]] == ["Runde 1", "Runde 2"]
    assert [s.round for s in plan.steps[2:4]] == [1, 2]
    rate = plan.steps[4]
    assert isinstance(rate, Rate) and rate.labels == {0: "ruhig", 10: "sehr"}


def test_defaults_braces_and_whole_breathing_cycles(practice: Practice) -> None:
    plan = make_plan(practice, "en", {"friend": ""})
    assert plan.steps[0].text == "Hello Sam {x}"
    breathe = plan.steps[1]
    assert isinstance(breathe, Breathe)
    assert (breathe.cycles, breathe.seconds) == (5, 55.0)  # 60 s rounds to 5 cycles of 11 s
    assert plan.planned_seconds == 30 + 55 + 60 + 60


def test_minutes_scale_the_timed_total_and_keep_the_breathing_pace(practice: Practice) -> None:
    plan = make_plan(practice, "en", minutes=10)
    assert plan.planned_seconds == pytest.approx(600)
    breathe = plan.steps[1]
    assert isinstance(breathe, Breathe)
    assert breathe.pattern.inhale == 5.5 and breathe.cycles == round(5 * 600 / 205)
    assert plan.steps[4].seconds is None and plan.steps[5].seconds == 0.0


def test_scaling_down_keeps_at_least_one_cycle() -> None:
    steps = (Breathe("", 40.0, None, cycles=4), Silence("", 20.0))
    out = scale(steps, 6)
    assert isinstance(out[0], Breathe) and out[0].cycles == 1
    assert out[1].seconds and out[1].seconds > 0


def test_scaling_nothing_timed_is_refused() -> None:
    with pytest.raises(ValueError):
        scale((Rate("How?", None),), 60)


def test_placeholders_and_fill() -> None:
    assert placeholders("{a} {{b}} {c} }") == ["a", "c", None]
    assert fill("{a} {{b}} {zz}", {"a": "1"}) == "1 {b} {zz}"


def test_a_rating_is_named_by_its_label_in_the_runs_language_else_by_its_key() -> None:
    text = TEXT.replace(
        "    key: stress_after\n",
        "    key: stress_after\n    label: {en: stress, de: Anspannung}\n",
    )
    labelled = parse_practice(text, "p.yaml", "p")
    rates = [s for s in make_plan(labelled, "de").steps if isinstance(s, Rate)]
    assert [r.name for r in rates] == ["Anspannung"]
    plain = parse_practice(TEXT.replace("stress_after", "self_kindness_after"), "p.yaml", "p")
    rates = [s for s in make_plan(plain, "de").steps if isinstance(s, Rate)]
    assert [(r.label, r.name) for r in rates] == [("", "self kindness")]
