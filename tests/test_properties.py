"""Whatever text or YAML a file holds, loading it gives a practice or our own error."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindful.errors import PracticeError
from kindful.practice.checking.load import parse_practice
from kindful.practice.format.model import Practice

KEYS = st.sampled_from(
    [
        "kindful",
        "title",
        "steps",
        "say",
        "seconds",
        "breathe",
        "in",
        "out",
        "hold",
        "cycles",
        "silence",
        "bell",
        "repeat",
        "rate",
        "key",
        "labels",
        "quote",
        "by",
        "languages",
        "inputs",
        "name",
        "ask",
        "default",
        "en",
        "de",
        "text",
        "bell_every",
        "reflect",
        "save",
        "id",
        "x",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 100_000),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["1:30", "45s", "{name}", "{round}", "{", "no", "en"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(KEYS | st.integers(0, 10), inner, max_size=5)
    ),
    max_leaves=30,
)
ALMOST = st.fixed_dictionaries(
    {
        "kindful": st.sampled_from([1, 2, "1"]),
        "title": VALUES,
        "steps": st.lists(VALUES, max_size=5),
    },
    optional={"languages": VALUES, "inputs": VALUES},
)


def check(text: str) -> None:
    try:
        result = parse_practice(text, "p.yaml", "p")
    except PracticeError as error:
        assert error.problems
        assert all(p.line >= 1 and p.column >= 1 and p.message for p in error.problems)
    else:
        assert isinstance(result, Practice)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=400))
def test_any_text(text: str) -> None:
    check(text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(VALUES)
def test_any_yaml(value: object) -> None:
    check(yaml.safe_dump(value, allow_unicode=True))


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(ALMOST, st.booleans())
def test_almost_practices(value: dict[str, object], flow: bool) -> None:
    check(yaml.safe_dump(value, allow_unicode=True, default_flow_style=flow))


# Control characters and rich markup, as files, log lines and typed answers may hold them.
HOSTILE_PIECES = st.sampled_from(
    [
        "a",
        " ",
        "ä",
        "\n",
        "\t",
        "\r",
        "\x1b",
        "\x1b[2J",
        "\x1b]52;c;eA==\x07",
        "\x1b]8;;https://x.invalid\x1b\\",
        "\x07",
        "\x9b",
        "\x85",
        "\u202e",
        "\u2066",
        "\u2028",
        "\ud800",
        "[",
        "]",
        "[/]",
        "[bold]",
        "[link=https://x.invalid]",
        "{",
        "}",
        "=",
        "@",
    ]
)
HOSTILE_TEXT = st.lists(HOSTILE_PIECES, max_size=12).map("".join)
RAW = ("\x1b", "\x07", "\x9b", "\x85", "\u202e", "\u2066", "\u2028")


def _texts_of(practice: Practice) -> list[str]:
    from kindful.practice.format.model import _texts

    found: list[str] = []
    for text in _texts(practice):
        found += [text] if isinstance(text, str) else list(text.values())
    return found


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(HOSTILE_TEXT, HOSTILE_TEXT)
def test_a_practice_that_loads_holds_no_control_but_newlines(title: str, say: str) -> None:
    from kindful.safe_text import forbidden

    text = yaml.safe_dump({"kindful": 1, "title": title, "steps": [{"say": say}]})
    try:
        practice = parse_practice(text, "p.yaml", "p")
    except PracticeError as error:
        assert all(p.line >= 1 and p.column >= 1 for p in error.problems)
        return
    assert all(forbidden(t) is None for t in _texts_of(practice))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT)
def test_log_data_is_shown_as_text_whatever_it_holds(
    title: str, key: str, prompt: str, answer: str
) -> None:
    import io
    from datetime import date

    from rich.console import Console

    from kindful.journal import export
    from kindful.journal.render import render_history, render_stats
    from kindful.journal.stats import tally
    from records import record

    session = record(
        title=title,
        practice=key,
        ratings={key: 3},
        reflections=[{"prompt": prompt, "text": answer}],
    )
    out = io.StringIO()
    console = Console(file=out, width=60, color_system=None, force_terminal=False)
    console.print(render_history([session], "en"))
    console.print(render_history([session], "en", reflections=True))
    console.print(render_stats(tally([session], date(2026, 11, 23)), "en"))
    export.write_csv(lambda unique: [session], out)
    shown = out.getvalue()
    assert not any(char in shown for char in RAW)
    assert not any("\ud800" <= char <= "\udfff" for char in shown)
    if "[/]" in title:
        assert "[/]" in shown  # markup is shown, never read
