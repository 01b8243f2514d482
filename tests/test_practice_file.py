"""The loader: valid files load; every problem is reported at its exact line and column."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from kindful.errors import PracticeError
from kindful.practice.checking.load import MAX_BYTES, load_practice, parse_practice
from kindful.practice.format.model import Practice, parse_duration

FIXTURES = Path(__file__).parent / "fixtures"


def problems(text: str) -> list[str]:
    """Give the problems of a practice text as ``LINE:COL: message``."""
    with pytest.raises(PracticeError) as caught:
        parse_practice(dedent(text), "p.yaml", "p")
    return [f"{p.line}:{p.column}: {p.message}" for p in caught.value.problems]


def load(text: str) -> Practice:
    return parse_practice(dedent(text), "p.yaml", "p")


HEAD = "kindful: 1\ntitle: T\n"


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.yaml")), ids=lambda p: p.stem)
def test_valid_fixtures_load(path: Path) -> None:
    practice = load_practice(path)
    assert practice.id in (path.stem, "every-kind")
    assert practice.steps


@pytest.mark.parametrize(
    "path", sorted((FIXTURES / "invalid").glob("*.yaml")), ids=lambda p: p.stem
)
def test_invalid_fixtures_are_refused(path: Path) -> None:
    with pytest.raises(PracticeError) as caught:
        load_practice(path)
    assert all(str(p).startswith(f"{path}:") for p in caught.value.problems)


def test_id_defaults_to_the_file_name() -> None:
    assert load(HEAD + "steps: [{bell: 1}]").id == "p"


def test_a_file_name_that_is_no_id_needs_an_id() -> None:
    with pytest.raises(PracticeError) as caught:
        parse_practice(HEAD + "steps: [{bell: 1}]", "My Practice.yaml", "My Practice")
    assert "is not an id" in str(caught.value)
    assert (
        parse_practice(HEAD + "id: mine\nsteps: [{bell: 1}]", "x.yaml", "My Practice").id == "mine"
    )


def test_boolean_read_from_no_gets_a_quote_hint() -> None:
    assert problems(HEAD + "steps:\n  - say: no\n") == [
        "4:10: `say` should be text: a string, or languages and strings such as "
        "{en: ..., de: ...}; no was read as a boolean: put it in quotes"
    ]


def test_unknown_key_points_at_the_key_with_a_suggestion() -> None:
    assert problems(HEAD + "steps:\n  - say: Hi\n    secnds: 3\n") == [
        "5:5: unknown key `secnds` in a `say` step: did you mean `seconds`?"
    ]


def test_unknown_top_level_key() -> None:
    assert problems(HEAD + "titel: X\nsteps: [{bell: 1}]\n") == [
        "3:1: unknown key `titel`: did you mean `title`?"
    ]


def test_missing_keys() -> None:
    assert problems("kindful: 1\nsteps:\n  - breathe: x\n    in: 4\n    cycles: 2\n") == [
        "1:1: a practice needs `title`",
        "3:5: a `breathe` step needs `out`",
    ]
    assert problems(HEAD + "steps:\n  - rate: How?\n") == ["4:5: a `rate` step needs `key`"]


def test_two_kinds_in_one_step() -> None:
    assert problems(HEAD + "steps:\n  - say: Hi\n    bell: 2\n") == [
        "5:5: this step has two kinds, `say` and `bell`: make them two steps"
    ]


def test_a_step_without_kind_suggests_one() -> None:
    assert problems(HEAD + "steps:\n  - sya: Hi\n") == [
        "4:5: this step has no kind: did you mean `say` for `sya`?"
    ]
    assert problems(HEAD + "steps:\n  - 5\n") == [
        "4:5: a step is a mapping with one kind: "
        "say, breathe, silence, reflect, rate, survey, bell, quote, repeat"
    ]


def test_duplicate_keys() -> None:
    assert problems(HEAD + "steps:\n  - say: Hi\n    seconds: 3\n    seconds: 4\n") == [
        "6:5: duplicate key `seconds` (first at line 5); keep one of them"
    ]


def test_unknown_placeholder_points_into_the_language() -> None:
    text = """\
        kindful: 1
        title: {en: T, de: T}
        languages: [en, de]
        inputs:
          - name: friend
            ask: {en: Who?, de: Wer?}
        steps:
          - say:
              en: "Hello {frend}"
              de: "Hallo {friend}"
        """
    assert problems(text) == [
        "9:11: `say`: unknown placeholder {frend} in the `en` text; the inputs are {friend}"
    ]


def test_round_only_inside_repeat_and_lone_braces() -> None:
    text = (
        HEAD
        + "steps:\n  - say: 'Round {round}'\n  - repeat: 2\n    steps:\n      - say: '{round} {'\n"
    )
    assert problems(text) == [
        "4:10: {round} is only known inside a `repeat`",
        "7:14: `say`: a lone brace: write {{ or }} for a literal one",
    ]


def test_missing_and_extra_languages() -> None:
    text = """\
        kindful: 1
        title: {en: T}
        languages: [en, de]
        steps:
          - say: {en: Hi, de: Hallo, fr: Salut}
          - say: Untranslated
        """
    assert problems(text) == [
        "2:8: `title`: this text has no de (see `languages`)",
        "5:10: `say`: fr is not in `languages`: add it there or remove it here",
        "6:10: `say`: this text has no languages, but `languages` asks for en, de: "
        "write {en: ..., de: ...}",
    ]


def test_wrong_types_and_ranges() -> None:
    text = HEAD + dedent(
        """\
        steps:
          - breathe: x
            in: 4
            out: -1
            cycles: many
          - silence: soon
          - bell: 0
          - rate: How?
            key: Stress
            min: 5
            max: 1
        """
    )
    assert problems(text) == [
        "6:10: `out` should be more than 0 seconds",
        "7:13: `cycles` should be a whole number",
        '8:14: `silence` should be a duration such as 90, "45s", "2m", "1m30s" or "1:30"',
        "9:11: `bell` should be at least 1",
        "11:10: `key` should use lowercase letters, digits and _, starting with a letter",
    ]
    scale = HEAD + "steps:\n  - rate: How?\n    key: mood\n    min: 5\n    max: 1\n"
    assert problems(scale) == ["7:5: `min` should be less than `max`"]  # at `max`
    labels = HEAD + "steps:\n  - rate: How?\n    key: mood\n    labels: {11: too far}\n"
    assert problems(labels) == ["6:14: label 11 is outside the scale 0 to 10"]  # at the label


def test_breathe_needs_cycles_or_seconds() -> None:
    assert problems(HEAD + "steps:\n  - breathe: x\n    in: 4\n    out: 4\n") == [
        "4:5: a breathe step needs `cycles` or `seconds` (one of them)"
    ]


def test_future_format_says_to_update() -> None:
    assert problems("kindful: 2\ntitle: T\nsteps: [{bell: 1}]\n") == [
        "1:10: this is format 2, newer than this kindful reads (1): update kindful"
    ]


def test_many_problems_are_reported_at_once() -> None:
    text = HEAD + "steps:\n  - say: yes\n  - bell: many\n  - quote: 3\n    bye: me\n"
    assert [p.split(":")[0] for p in problems(text)] == ["4", "5", "6", "7"]


def test_repeats_expanding_past_ten_thousand_steps() -> None:
    text = (
        HEAD
        + "steps:\n  - repeat: 200\n    steps:\n      - repeat: 60\n        steps: [{bell: 1}]\n"
    )
    assert problems(text) == [
        "3:1: the steps expand into 12,000 steps with their repeats; at most 10,000"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1:1: the file is empty: a practice needs `kindful: 1`, `title` and `steps`"),
        ("- a\n- b\n", "1:1: a practice is a mapping of keys (kindful, title, steps, ...)"),
        ("just words", "1:1: a practice is a mapping of keys (kindful, title, steps, ...)"),
        ("a: [1, 2\n", "2:1: this is not valid YAML: did not find expected ',' or ']'"),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            "1:4: the tag !!python/object/apply:os.system is not allowed here",
        ),
        ("a: 1\n---\nb: 2\n", "2:1: one practice per file: this is a second document"),
        (
            "a: *nowhere\n",
            "1:4: a text starting with `*` must be quoted: YAML reads *nowhere as an alias "
            'of an anchor &nowhere, and there is none; put the text in quotes "…"',
        ),
        ("a: &x [1, *x]\n", "1:11: an alias cannot point into itself"),
    ],
)
def test_broken_files(text: str, expected: str) -> None:
    assert problems(text) == [expected]


def test_deep_nesting_is_refused_without_a_crash() -> None:
    found = problems("[" * 100_000 + "]" * 100_000)
    assert len(found) == 1 and "nests deeper than 64 levels" in found[0]
    block = "".join(" " * i + "a:\n" for i in range(200))
    found = problems(block)
    assert len(found) == 1 and "nests deeper than 64 levels" in found[0]


def test_alias_bomb_is_refused() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    found = problems("\n".join(lines) + "\n")
    assert len(found) == 1 and "expands into more than 100,000 values" in found[0]


def test_files_not_utf8_too_large_or_missing(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"kindful: 1\ntitle: Gr\xfc\xdfe\n")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    cases = {
        latin: "latin.yaml:2:10: the file is not UTF-8 (byte 0xfc): save it as UTF-8",
        big: "big.yaml:1:1: the file is larger than 1 MiB: not a practice",
        tmp_path / "gone.yaml": "gone.yaml:1:1: there is no such file",
        tmp_path: ":1:1: this is a folder, not a practice file",
    }
    for path, expected in cases.items():
        with pytest.raises(PracticeError) as caught:
            load_practice(path)
        assert str(caught.value).endswith(expected)


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEAD + "steps: [{bell: 1}]\n").encode())
    assert load_practice(path).id == "bom"


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (90, 90.0),
        (5.5, 5.5),
        ("45s", 45.0),
        ("2m", 120.0),
        ("1m30s", 90.0),
        ("1h", 3600.0),
        ("1:30", 90.0),
        ("1:02:03", 3723.0),
        ("12", 12.0),
        (" 1m 5s ", 65.0),
        ("0.5s", 0.5),
    ],
)
def test_durations(value: object, seconds: float) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["soon", "1:75", "m", "", "-3s", True, None, [1]])
def test_not_durations(value: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(value)


def test_yaml_sexagesimal_duration_is_ninety_seconds() -> None:
    practice = load(HEAD + "steps:\n  - say: Hi\n    seconds: 1:30\n")
    assert practice.steps[0].seconds == 90.0  # type: ignore[union-attr]


def test_languages_used_in_order_of_first_use() -> None:
    practice = load(HEAD + "steps:\n  - say: {de: Hallo, en: Hello}\n  - say: {fr: Salut}\n")
    assert practice.languages_used() == ["de", "en", "fr"]
    assert load(
        "kindful: 1\ntitle: {en: T}\nlanguages: [en]\nsteps: [{bell: 1}]"
    ).languages_used() == ["en"]
