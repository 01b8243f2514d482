"""``@frozen`` behaves as ``@dataclass(frozen=True)`` does, with three methods fewer written."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from kindful.frozen import frozen


@frozen
class Point:
    """A value of two fields, one left out of comparing and hashing."""

    x: float
    y: float = 0.0
    note: str = field(default="", compare=False)


@dataclass(frozen=True)
class PointTwin:
    x: float
    y: float = 0.0
    note: str = field(default="", compare=False)


@frozen
class Step:
    seconds: float


@frozen
class Say(Step):
    text: str
    hidden: str = field(default="", repr=False)


@dataclass(frozen=True)
class StepTwin:
    seconds: float


@dataclass(frozen=True)
class SayTwin(StepTwin):
    text: str
    hidden: str = field(default="", repr=False)


@pytest.mark.parametrize(
    ("a", "b", "twin_a", "twin_b"),
    [
        (Point(1, 2), Point(1, 2), PointTwin(1, 2), PointTwin(1, 2)),
        (Point(1, 2), Point(1, 3), PointTwin(1, 2), PointTwin(1, 3)),
        (Point(1, 2, "a"), Point(1, 2, "b"), PointTwin(1, 2, "a"), PointTwin(1, 2, "b")),
        (Point(math.nan), Point(math.nan), PointTwin(math.nan), PointTwin(math.nan)),
        (Say(1, "hi"), Say(1, "hi", "x"), SayTwin(1, "hi"), SayTwin(1, "hi", "x")),
        (Say(1, "hi"), Say(2, "hi"), SayTwin(1, "hi"), SayTwin(2, "hi")),
        (Say(1, "hi"), Step(1), SayTwin(1, "hi"), StepTwin(1)),
    ],
)
def test_it_compares_and_hashes_as_a_frozen_dataclass(
    a: object, b: object, twin_a: object, twin_b: object
) -> None:
    assert (a == b) == (twin_a == twin_b)
    assert (a != b) == (twin_a != twin_b)
    assert (hash(a) == hash(b)) == (hash(twin_a) == hash(twin_b))
    assert (a == a) == (twin_a == twin_a)  # the same NaN is equal to itself in a tuple


def test_it_prints_as_a_frozen_dataclass() -> None:
    assert repr(Point(1, 2, "n")) == repr(PointTwin(1, 2, "n")).replace("PointTwin", "Point")
    assert repr(Say(1.5, "hi", "secret")) == "Say(seconds=1.5, text='hi')"
    assert repr(SayTwin(1.5, "hi", "secret")) == "SayTwin(seconds=1.5, text='hi')"


def test_it_is_a_frozen_dataclass_in_every_other_way() -> None:
    say = Say(1, "hi")
    with pytest.raises(FrozenInstanceError):
        say.text = "no"  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        say.other = "no"  # type: ignore[attr-defined]
    with pytest.raises(FrozenInstanceError):
        del say.text  # type: ignore[misc]
    assert say.text == "hi" and not hasattr(say, "other")
    assert [f.name for f in dataclasses.fields(say)] == ["seconds", "text", "hidden"]
    assert dataclasses.replace(say, text="ho") == Say(1, "ho")
    assert dataclasses.asdict(say) == {"seconds": 1, "text": "hi", "hidden": ""}
    assert Say.__match_args__ == ("seconds", "text", "hidden")
    match say:
        case Say(seconds, text):
            assert (seconds, text) == (1, "hi")
    assert {Point(1, 2, "a"), Point(1, 2, "b")} == {Point(1, 2)}


def test_it_writes_only_the_method_that_depends_on_the_fields() -> None:
    # What makes it cheaper to build: all but __init__ is shared, not written per class.
    for name in ("__eq__", "__hash__", "__repr__", "__setattr__", "__delattr__"):
        assert getattr(Point, name) is getattr(Say, name), name
        assert getattr(PointTwin, name) is not getattr(SayTwin, name), name
