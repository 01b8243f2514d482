"""Errors a person understands: plain words at the exact line and column, every problem once."""

from __future__ import annotations

from textwrap import dedent

import pytest

from kindful.errors import PracticeError, Problem
from kindful.practice.checking.load import parse_practice
from kindful.practice.format.model import Practice, Say

HEAD = "kindful: 1\ntitle: T\n"


def problems(text: str) -> list[str]:
    """Give the problems of a practice text as ``LINE:COL: message``."""
    with pytest.raises(PracticeError) as caught:
        parse_practice(dedent(text), "p.yaml", "p")
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def load(text: str) -> Practice:
    return parse_practice(dedent(text), "p.yaml", "p")


# ----------------------------------------------------------------------------- Problem


def test_a_problem_reads_as_a_line_and_a_warning_says_so() -> None:
    error = Problem("p.yaml", 3, 5, "wrong")
    warning = Problem("p.yaml", 3, 5, "odd", severity="warning", code="long-hold")
    assert str(error) == "p.yaml:3:5: wrong"
    assert str(warning) == "p.yaml:3:5: warning: odd"
    assert (error.severity, error.code) == ("error", "invalid")
    assert warning.as_dict() == {
        "path": "p.yaml",
        "line": 3,
        "column": 5,
        "severity": "warning",
        "code": "long-hold",
        "message": "odd",
    }
    assert sorted([Problem("p.yaml", 4, 1, "b"), error]) == [error, Problem("p.yaml", 4, 1, "b")]


def test_each_error_has_a_code() -> None:
    with pytest.raises(PracticeError) as caught:
        parse_practice(HEAD + "steps:\n  - say: hi\n    secnds: 3\n  - bel: 1\n", "p.yaml", "p")
    assert [(p.line, p.code) for p in caught.value.problems] == [
        (5, "unknown-key"),
        (6, "step-kind"),
    ]


# ----------------------------------------------------------------------------- one language


def test_one_declared_language_takes_plain_strings() -> None:
    practice = load(
        """\
        kindful: 1
        title: Ein freundlicher Moment
        languages: [de]
        inputs: [{name: freund, ask: Wer?, default: Mia}]
        steps:
          - say: Hallo {freund}.
            seconds: 5
          - rate: Wie geht es dir?
            key: mood
            labels: {0: schlecht, 10: gut}
        """
    )
    assert practice.title == "Ein freundlicher Moment"
    assert practice.languages_used() == ["de"]


def test_one_declared_language_still_refuses_another() -> None:
    assert problems(HEAD + "languages: [de]\nsteps:\n  - say: {en: Hi}\n") == [
        "5:10: `say`: this text has no de (see `languages`)"
    ]


def test_several_languages_still_need_mappings() -> None:
    assert problems(HEAD + "languages: [en, de]\nsteps:\n  - say: {en: Hi, de: Hallo}\n") == [
        "2:8: `title`: this text has no languages, but `languages` asks for en, de: "
        "write {en: ..., de: ...}"
    ]


# ----------------------------------------------------------------------------- block scalars


def test_a_block_scalar_ends_without_its_final_newline() -> None:
    practice = load(
        """\
        kindful: 1
        title: T
        steps:
          - say: |
              Line one
              line two
          - say: >
              folded
              text
          - say: |+
              kept

          - say: >-
              stripped
        """
    )
    texts = [s.say for s in practice.steps if isinstance(s, Say)]
    assert texts == ["Line one\nline two", "folded text", "kept\n\n", "stripped"]


# ----------------------------------------------------------------------------- YAML in words


def test_a_tab_is_named_at_the_tab() -> None:
    assert problems(HEAD + "steps:\n\t- say: hi\n") == [
        "4:1: a tab indents this line; YAML needs spaces"
    ]
    assert problems(HEAD + "steps:\n  - say: hi\n  \tseconds: 3\n") == [
        "5:3: a tab indents this line; YAML needs spaces"
    ]


def test_a_key_out_of_line_is_told_which_key_to_line_up_with() -> None:
    assert problems(HEAD + "steps:\n  - say: hi\n   seconds: 3\n") == [
        "5:4: this line is indented 3 spaces: line it up with `say` on line 4 (column 5) "
        "(YAML: did not find expected '-' indicator)"
    ]
    assert problems(HEAD + "steps:\n  - bell: 1\n     note: x\n") == [
        "5:6: this line is indented 5 spaces: line it up with `bell` on line 4 (column 5) "
        "(YAML: mapping values are not allowed in this context)"
    ]
    assert problems("kindful: 1\n title: x\nsteps:\n  - bell: 1\n") == [
        "2:2: this line is indented 1 space: line it up with `kindful` on line 1 (column 1) "
        "(YAML: mapping values are not allowed in this context)"
    ]


def test_an_item_out_of_line_is_told_which_item_to_line_up_with() -> None:
    assert problems(HEAD + "steps:\n  - say: hi\n    seconds: 3\n - bell: 1\n") == [
        "6:2: this `-` item is indented 1 space: line it up with the `-` of the item on line 4 "
        "(column 3) (YAML: did not find expected key)"
    ]


def test_a_colon_inside_a_text_asks_for_quotes() -> None:
    assert problems(HEAD + "steps:\n  - say: Note: this\n") == [
        "4:14: a colon and a space inside a text end it: put the text in quotes "
        "(YAML: mapping values are not allowed in this context)"
    ]


def test_the_comma_trap_in_a_flow_mapping_asks_for_quotes() -> None:
    text = HEAD + "languages: [de]\nsteps:\n  - say: {de: Drück n, wenn du magst}\n"
    assert problems(text) == [
        "5:10: `say`: a comma ended the `de` text early: put the whole text in quotes, "
        'such as {de: "Drück n, wenn du magst"}'
    ]


# ----------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ('"1,5"', ": write 1.5"),
        ('"1 min"', ": did you mean 1m?"),
        ("5min", ": did you mean 5m?"),
        ("90 sec", ": did you mean 90s?"),
        ("2 Minuten", ": did you mean 2m?"),
        ('""', ": it is empty"),
        ("soon", ""),
    ],
)
def test_a_duration_mistake_gets_a_hint(written: str, hint: str) -> None:
    assert problems(HEAD + f"steps:\n  - silence: {written}\n") == [
        '4:14: `silence` should be a duration such as 90, "45s", "2m", "1m30s" or "1:30"' + hint
    ]


def test_both_cycles_and_seconds_say_keep_one() -> None:
    text = HEAD + "steps:\n  - breathe: x\n    in: 4\n    out: 4\n    cycles: 2\n    seconds: 9\n"
    assert problems(text) == ["4:5: this `breathe` step has both `cycles` and `seconds`: keep one"]


# ----------------------------------------------------------------------------- every problem once


def test_every_unknown_placeholder_of_a_text_is_named() -> None:
    assert problems(HEAD + "steps:\n  - say: Hi {frend} and {fiend} and {frend}\n") == [
        "4:10: `say`: unknown placeholders {frend}, {fiend}; the inputs are none: "
        "declare one under `inputs`"
    ]


def test_every_language_of_a_text_is_checked() -> None:
    assert problems(HEAD + "steps:\n  - say: {en: 'a {x}', de: 'b {y}'}\n") == [
        "4:15: `say`: unknown placeholder {x} in the `en` text; the inputs are none: "
        "declare one under `inputs`",
        "4:28: `say`: unknown placeholder {y} in the `de` text; the inputs are none: "
        "declare one under `inputs`",
    ]


def test_one_typo_is_one_line() -> None:
    assert problems(HEAD + "steps:\n  - rate: x\n    kye: a\n") == [
        "5:5: unknown key `kye` in a `rate` step: did you mean `key`?"
    ]


def test_every_key_of_a_step_is_checked() -> None:
    text = HEAD + "steps:\n  - say: hi\n    secnds: 3\n    nte: x\n"
    assert problems(text) == [
        "5:5: unknown key `secnds` in a `say` step: did you mean `seconds`?",
        "6:5: unknown key `nte` in a `say` step: did you mean `note`?",
    ]


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes"])
def test_a_yaml_1_1_boolean_is_refused_where_a_boolean_belongs(word: str) -> None:
    value = "true" if word.lower() in ("yes", "on") else "false"
    assert problems(HEAD + f"steps:\n  - reflect: Hi\n    save: {word}\n") == [
        f"5:11: `save: {word}` is a string for editors (YAML 1.2): write `{value}`"
    ]


def test_true_and_false_are_booleans() -> None:
    assert load(HEAD + "steps:\n  - reflect: Hi\n    save: false\n").steps


def test_a_mistyped_language_is_one_line_at_the_typo() -> None:
    text = HEAD.replace("T", "{en: T, de: T}") + "languages: [en, de]\nsteps:\n"
    text += "  - say: {en: Hi, dee: Hallo}\n"
    assert problems(text) == ["5:24: `say`: `dee` is not in `languages`: did you mean `de`?"]


def test_a_step_with_a_mistyped_kind_has_its_other_keys_checked() -> None:
    text = HEAD + "steps:\n  - sya: Hello.\n    secnds: 5\n  - brethe: ''\n    in: 4\n"
    assert problems(text) == [
        "4:5: this step has no kind: did you mean `say` for `sya`?",
        "5:5: unknown key `secnds` in a `say` step: did you mean `seconds`?",
        "6:5: a `breathe` step needs `out`",
        "6:5: this step has no kind: did you mean `breathe` for `brethe`?",
    ]
