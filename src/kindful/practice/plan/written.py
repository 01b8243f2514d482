"""A practice as written, once validated: typed values, a frozen dataclass per step kind.

The loader checks a file with the model (``practice.format.model``); what passed is read into a
``Compiled`` practice, and everything after validation (planning, scripts, the list) works on
that. Every field is filled: the model's defaults are the only ones, and nothing after it has
to know them. The practice cache (``practice.checking.validated``, whose ``FORMAT`` names the
shape of this data) keeps a ``Compiled`` as ``decoding.encode`` writes it and reads it back
with ``decoding.decode``: anything that is not exactly such a practice is no practice, and the
file is validated again.

The types carry the bounds a run depends on (``Range``): a number kept out of them is refused
like a number of the wrong type. The step kinds, in the order the format lists them, are
``Step``'s members; each has its ``KIND``, the key that names it in a file.
"""

from __future__ import annotations

import typing
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from kindful.decoding import Range, decode, encode
from kindful.frozen import frozen
from kindful.practice.format.limits import (
    MAX_SECONDS,
    MAX_STEPS,
    MIN_BELL_EVERY,
    MIN_BREATH,
    SCALE_HIGHEST,
    SCALE_LOWEST,
)
from kindful.practice.format.texts import Question, Text, pick

if TYPE_CHECKING:
    from pydantic import BaseModel

    from kindful.practice.format.model import Practice

Seconds = Annotated[float, Range(0, MAX_SECONDS, above=True)]
Pause = Annotated[float, Range(0, MAX_SECONDS)]
BreathPhase = Annotated[float, Range(MIN_BREATH, MAX_SECONDS)]
Rounds = Annotated[int, Range(1, MAX_STEPS)]
Bound = Annotated[int, Range(SCALE_LOWEST, SCALE_HIGHEST)]  # of a scale: 32 bits


@frozen
class Say:
    """Guidance to show; timed, or waiting for the person when ``seconds`` is None."""

    KIND: ClassVar[str] = "say"
    say: Text
    seconds: Seconds | None


@frozen
class Breathe:
    """Paced breathing for ``cycles`` cycles, or whole cycles filling ``seconds`` (one is set)."""

    KIND: ClassVar[str] = "breathe"
    breathe: Text
    inhale: BreathPhase
    out: BreathPhase
    hold: Pause
    rest: Pause
    cycles: Rounds | None
    seconds: Seconds | None


@frozen
class Silence:
    """Quiet time with an optional line, and a bell every ``bell_every`` seconds if set."""

    KIND: ClassVar[str] = "silence"
    silence: Seconds
    text: Text | None
    bell_every: Annotated[float, Range(MIN_BELL_EVERY, MAX_SECONDS)] | None


@frozen
class Reflect:
    """A question to reflect on; the answer is logged when ``save`` is true."""

    KIND: ClassVar[str] = "reflect"
    reflect: Text
    save: bool


@frozen
class Rate:
    """A rating from ``min`` to ``max``, logged under ``key``."""

    KIND: ClassVar[str] = "rate"
    rate: Text
    key: str
    min: Bound
    max: Bound
    labels: dict[int, Text]
    label: Text | None


@frozen
class Scale:
    """A survey's scale."""

    min: Bound
    max: Bound
    labels: dict[int, Text]


@frozen
class Item:
    """One item of a survey."""

    text: Text
    reverse: bool
    subscale: str | None


@frozen
class Survey:
    """A short questionnaire, its items answered on one scale, logged under ``key``."""

    KIND: ClassVar[str] = "survey"
    survey: Text
    key: str
    scale: Scale
    items: tuple[Item, ...]
    score: Literal["mean", "sum"]


@frozen
class Bell:
    """Strikes of the bell."""

    KIND: ClassVar[str] = "bell"
    bell: Annotated[int, Range(1, 12)]


@frozen
class Quote:
    """A quotation and who said it."""

    KIND: ClassVar[str] = "quote"
    quote: Text
    by: str | None
    seconds: Seconds | None


@frozen
class Repeat:
    """Its steps, ``repeat`` rounds."""

    KIND: ClassVar[str] = "repeat"
    repeat: Rounds
    steps: tuple[Step, ...]


# The step kinds after validation; a new kind is added here and in the model.
# A change to these types raises ``checking.validated.FORMAT``: what a cache kept is then not read.
Step = Say | Breathe | Silence | Reflect | Rate | Survey | Bell | Quote | Repeat
KINDS: tuple[str, ...] = tuple(kind.KIND for kind in typing.get_args(Step))


@frozen
class Source:
    """A citation, and its DOI or address."""

    cite: str
    doi: str | None
    url: str | None


@frozen
class Input:
    """An input asked before the first step: ``{name}`` in the texts."""

    name: str
    ask: Text
    default: str


@frozen
class Compiled:
    """A practice that passed validation; ``languages`` are the ones it uses."""

    id: str
    title: Text
    steps: tuple[Step, ...]
    languages: tuple[str, ...]
    summary: Text | None
    author: str | None
    license: str | None
    tags: tuple[str, ...]
    sources: tuple[Source, ...]
    inputs: tuple[Input, ...]

    def languages_used(self) -> list[str]:
        """Give the declared languages, else those the texts use, in order of first use."""
        return list(self.languages)

    def questions(self, lang: str) -> list[Question]:
        """Give the inputs to ask before the first step, in ``lang``."""
        return [Question(i.name, pick(i.ask, lang), i.default) for i in self.inputs]

    def expanded_count(self) -> int:
        """Give how many steps the practice has with every repeat expanded."""
        return _count(self.steps)

    def to_data(self) -> Any:
        """Give the practice as JSON data, which ``from_data`` reads back."""
        return encode(self)

    @classmethod
    def from_data(cls, data: Any) -> Compiled:
        """Give the practice ``to_data`` gave; raise ``ValueError`` for anything else.

        Anything that does not decode exactly into these types is refused, and so is a
        practice of more steps, repeats expanded, than the format allows.
        """
        practice = decode(cls, data)
        if practice.expanded_count() > MAX_STEPS:
            raise ValueError("more steps than a practice may have")
        return practice

    @classmethod
    def from_model(cls, practice: Practice) -> Compiled:
        """Give the typed values of a practice the model validated (its defaults filled in)."""
        data = practice.model_dump(mode="json", exclude={"kindful"})
        data["id"] = practice.id or ""
        data["languages"] = practice.languages_used()
        data["steps"] = [_tagged(step) for step in practice.steps]
        return decode(cls, data)


@frozen
class Found:
    """A practice to run or show, and where it came from: a file the library found, or a
    practice made on the spot (``sit``, ``breathe``, ``resonance``)."""

    practice: Compiled
    path: Path
    origin: str


def _tagged(step: BaseModel) -> dict[str, Any]:
    """Give a step of the model as data tagged with its kind (the model's class, by name)."""
    data = step.model_dump(mode="json", exclude={"note"})
    inner = getattr(step, "steps", None)
    if inner is not None:  # a repeat's own steps
        data["steps"] = [_tagged(s) for s in inner]
    return {"kind": type(step).__name__.lower(), **data}


def _count(steps: tuple[Step, ...]) -> int:
    return sum(s.repeat * _count(s.steps) if isinstance(s, Repeat) else 1 for s in steps)
