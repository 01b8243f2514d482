"""A practice planned for one run: language picked, inputs filled, repeats expanded, times set.

Planning is pure: ``make_plan(practice, lang, answers, minutes)`` gives a ``Plan`` whose steps
are flat and final, so the runner only has to walk them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from kindful.practice import model
from kindful.practice.model import Practice, fill, pick


@dataclass(frozen=True)
class BreathPattern:
    """One breathing cycle in seconds: in, hold, out, rest."""

    inhale: float
    hold: float
    exhale: float
    rest: float

    @property
    def seconds(self) -> float:
        """Give the length of one cycle."""
        return self.inhale + self.hold + self.exhale + self.rest


@dataclass(frozen=True)
class PlannedStep:
    """Fields every planned step has.

    ``seconds`` is the planned time of a timed step and ``None`` for a step that waits for the
    person (an untimed ``say`` or ``quote``, ``reflect``, ``rate``). ``round`` is the round of the
    innermost ``repeat`` the step came from, if any.
    """

    text: str
    seconds: float | None
    round: int | None = None

    @property
    def kind(self) -> str:
        """Give the step's kind as the practice file names it: ``say``, ``breathe``, ..."""
        return type(self).__name__.lower()


@dataclass(frozen=True)
class Say(PlannedStep):
    """Guidance to show."""


@dataclass(frozen=True)
class Breathe(PlannedStep):
    """Paced breathing: ``cycles`` cycles of ``pattern``; ``seconds`` is their total."""

    pattern: BreathPattern = BreathPattern(4, 0, 4, 0)
    cycles: int = 1


@dataclass(frozen=True)
class Silence(PlannedStep):
    """Quiet time; ``text`` may be empty; a bell every ``bell_every`` seconds if set."""

    bell_every: float | None = None


@dataclass(frozen=True)
class Reflect(PlannedStep):
    """A question; the answer is logged when ``save`` is true."""

    save: bool = True


@dataclass(frozen=True)
class Rate(PlannedStep):
    """A whole number from ``low`` to ``high``, logged under ``key``; ``labels`` name some."""

    key: str = ""
    low: int = 0
    high: int = 10
    labels: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SurveyItem:
    """One item of a survey: its text, whether it is scored in reverse, its subscale."""

    text: str
    reverse: bool = False
    subscale: str | None = None


@dataclass(frozen=True)
class Survey(PlannedStep):
    """A short questionnaire: each item on the scale ``low`` to ``high``, logged under ``key``."""

    key: str = ""
    low: int = 1
    high: int = 5
    labels: dict[int, str] = field(default_factory=dict)
    items: tuple[SurveyItem, ...] = ()
    score: str = "mean"  # or "sum"


@dataclass(frozen=True)
class Bell(PlannedStep):
    """``strikes`` strikes of the bell; takes no planned time (``seconds`` is 0)."""

    strikes: int = 1


@dataclass(frozen=True)
class Quote(PlannedStep):
    """A quotation and who said it."""

    by: str = ""


@dataclass(frozen=True)
class Plan:
    """Everything a run needs, in the run's language."""

    practice: str  # the practice id
    title: str
    lang: str
    steps: tuple[PlannedStep, ...]
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def planned_seconds(self) -> float:
        """Give the timed total: the sum of the timed steps (bells take no time)."""
        return sum(step.seconds or 0.0 for step in self.steps)


# ----------------------------------------------------------------------------- planning


def make_plan(
    practice: Practice,
    lang: str,
    answers: dict[str, str] | None = None,
    minutes: float | None = None,
) -> Plan:
    """Give the practice planned for a run in ``lang``.

    ``answers`` fill the inputs (an input not answered takes its default). ``minutes`` scales
    the timed steps so that the timed total becomes that many minutes: breathing keeps its pace
    and changes its number of cycles (at least one), and the other timed steps share the rest.
    """
    values = {i.name: i.default for i in practice.inputs}
    values.update({k: v for k, v in (answers or {}).items() if v})
    steps = tuple(_expand(practice.steps, lang, values, None))
    if minutes is not None:
        steps = scale(steps, minutes * 60)
    return Plan(
        practice=practice.id or "",
        title=fill(pick(practice.title, lang), values),
        lang=lang,
        steps=steps,
        answers=values,
    )


def _expand(
    steps: list[model.Step], lang: str, values: dict[str, str], round_: int | None
) -> Iterator[PlannedStep]:
    for step in steps:
        if isinstance(step, model.Repeat):
            for n in range(1, step.repeat + 1):
                yield from _expand(step.steps, lang, {**values, "round": str(n)}, n)
        else:
            yield _planned(step, lambda text: fill(pick(text, lang), values), round_)


def _planned(step: model.Step, text: Callable[[Any], str], round_: int | None) -> PlannedStep:
    if isinstance(step, model.Say):
        return Say(text(step.say), step.seconds, round_)
    if isinstance(step, model.Breathe):
        pattern = BreathPattern(step.inhale, step.hold, step.out, step.rest)
        cycles = step.cycles or max(1, round((step.seconds or 0) / pattern.seconds))
        return Breathe(text(step.breathe), cycles * pattern.seconds, round_, pattern, cycles)
    if isinstance(step, model.Silence):
        return Silence(text(step.text), step.silence, round_, step.bell_every)
    if isinstance(step, model.Reflect):
        return Reflect(text(step.reflect), None, round_, step.save)
    if isinstance(step, model.Rate):
        labels = {n: text(label) for n, label in sorted(step.labels.items())}
        return Rate(text(step.rate), None, round_, step.key, step.min, step.max, labels)
    if isinstance(step, model.Survey):
        scale = step.scale
        labels = {n: text(label) for n, label in sorted(scale.labels.items())}
        items = tuple(SurveyItem(text(i.text), i.reverse, i.subscale) for i in step.items)
        return Survey(
            text(step.survey),
            None,
            round_,
            step.key,
            scale.min,
            scale.max,
            labels,
            items,
            step.score,
        )
    if isinstance(step, model.Bell):
        return Bell("", 0.0, round_, step.bell)
    assert isinstance(step, model.Quote)
    return Quote(text(step.quote), step.seconds, round_, step.by or "")


def scale(steps: tuple[PlannedStep, ...], target: float) -> tuple[PlannedStep, ...]:
    """Give ``steps`` with the timed ones scaled so that their total is about ``target`` seconds.

    Breathing changes whole cycles (rounded to the nearest, at least one); the other timed
    steps are stretched alike to make up the rest, so the total is exact unless a practice
    is only breathing. Bells and untimed steps are untouched.
    """
    total = sum(s.seconds or 0.0 for s in steps)
    if total <= 0:
        raise ValueError("no timed steps to scale")
    factor = target / total
    out = [
        replace(s, cycles=max(1, round(s.cycles * factor)), seconds=None)
        if isinstance(s, Breathe)
        else s
        for s in steps
    ]
    out = [
        replace(s, seconds=s.cycles * s.pattern.seconds) if isinstance(s, Breathe) else s
        for s in out
    ]
    breathing = sum(s.seconds or 0.0 for s in out if isinstance(s, Breathe))
    others = sum(s.seconds or 0.0 for s in out if not isinstance(s, Breathe))
    if others > 0:
        stretch = max(target - breathing, others * factor * 0.25) / others
        out = [
            replace(s, seconds=(s.seconds or 0.0) * stretch)
            if s.seconds and not isinstance(s, Breathe)
            else s
            for s in out
        ]
    return tuple(out)
