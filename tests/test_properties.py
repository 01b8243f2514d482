"""Whatever text or YAML a file holds, loading it gives a practice or our own error."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindful.errors import PracticeError
from kindful.practice.load import parse_practice
from kindful.practice.model import Practice

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
