"""A practice planned for one run: language picked, inputs filled, repeats expanded, times set.

Planning is pure: ``make_plan(practice, lang, answers, minutes)`` gives a ``Plan`` whose steps
are flat and final, so the runner only has to walk them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import field, replace
from typing import TYPE_CHECKING, assert_never

from kindful.errors import KindfulError, UsageError
from kindful.frozen import frozen
from kindful.practice.format.limits import (
    MAX_TOTAL_SECONDS,
    MAX_TOTAL_TEXT,
    MIN_BELL_EVERY,
    RATE_MAX,
    RATE_MIN,
    SURVEY_MAX,
    SURVEY_MIN,
)
from kindful.practice.format.texts import Text, fill, pick
from kindful.practice.plan import written
from kindful.practice.plan.speaking import SpeechSeconds, speaking_seconds
from kindful.practice.plan.written import Compiled

if TYPE_CHECKING:
    from kindful.practice.format.model import Practice


@frozen
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


@frozen
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


@frozen
class Say(PlannedStep):
    """Guidance to show."""


@frozen
class Breathe(PlannedStep):
    """Paced breathing: ``cycles`` cycles of ``pattern``; ``seconds`` is their total."""

    pattern: BreathPattern = BreathPattern(4, 0, 4, 0)
    cycles: int = 1


@frozen
class Silence(PlannedStep):
    """Quiet time; ``text`` may be empty; a bell every ``bell_every`` seconds if set."""

    bell_every: float | None = None


@frozen
class Reflect(PlannedStep):
    """A question; the answer is logged when ``save`` is true."""

    save: bool = True


@frozen
class Rate(PlannedStep):
    """A whole number from ``low`` to ``high``, logged under ``key``; ``labels`` name some."""

    key: str = ""
    low: int = RATE_MIN
    high: int = RATE_MAX
    labels: dict[int, str] = field(default_factory=dict)
    label: str = ""

    @property
    def name(self) -> str:
        """Give what is rated, for summaries: the ``label``, else the key's stem, ``_`` as space."""
        return self.label or stem(self.key).replace("_", " ")


def stem(key: str) -> str:
    """Give a rating key without its ``_before`` or ``_after``."""
    for end in ("_before", "_after"):
        if key.endswith(end) and len(key) > len(end):
            return key[: -len(end)]
    return key


@frozen
class SurveyItem:
    """One item of a survey: its text, whether it is scored in reverse, its subscale."""

    text: str
    reverse: bool = False
    subscale: str | None = None


@frozen
class Survey(PlannedStep):
    """A short questionnaire: each item on the scale ``low`` to ``high``, logged under ``key``."""

    key: str = ""
    low: int = SURVEY_MIN
    high: int = SURVEY_MAX
    labels: dict[int, str] = field(default_factory=dict)
    items: tuple[SurveyItem, ...] = ()
    score: str = "mean"  # or "sum"


@frozen
class Bell(PlannedStep):
    """``strikes`` strikes of the bell; takes no planned time (``seconds`` is 0)."""

    strikes: int = 1


@frozen
class Quote(PlannedStep):
    """A quotation and who said it."""

    by: str = ""


@frozen
class Plan:
    """Everything a run needs, in the run's language."""

    practice: str  # the practice id
    title: str
    lang: str
    steps: tuple[PlannedStep, ...]
    answers: dict[str, str] = field(default_factory=dict)
    scaled: Scaled | None = None  # what --minutes did, when it was given

    @property
    def planned_seconds(self) -> float:
        """Give the timed total: the sum of the timed steps (bells take no time)."""
        return sum(step.seconds or 0.0 for step in self.steps)


def seen_steps(steps: Sequence[PlannedStep]) -> int:
    """Give how many of ``steps`` a person counts as steps: all but the bells."""
    return sum(not isinstance(step, Bell) for step in steps)


def visible_place(steps: Sequence[PlannedStep], index: int) -> tuple[int, int]:
    """Give (k, n) for "step k of n": the steps a person sees, so bells are not counted."""
    total = seen_steps(steps)
    return max(1, min(seen_steps(steps[: index + 1]), total)), max(1, total)


# ----------------------------------------------------------------------------- planning


def make_plan(
    practice: Compiled | Practice,
    lang: str,
    answers: dict[str, str] | None = None,
    minutes: float | None = None,
    speech_seconds: SpeechSeconds | None = None,
) -> Plan:
    """Give the practice planned for a run in ``lang``.

    ``answers`` fill the inputs (an input not answered takes its default). ``minutes`` scales
    the timed steps so that the timed total becomes that many minutes: breathing keeps its pace
    and changes its number of cycles (at least one), and the other timed steps share the rest,
    never below the time their text needs to be spoken (``speech_seconds(text, lang)``, else
    the estimate of ``kindful.practice.plan.speaking``). A practice straight from the model is
    compiled first.
    """
    if not isinstance(practice, Compiled):
        practice = Compiled.from_model(practice)
    values = {i.name: i.default for i in practice.inputs}
    values.update({k: v for k, v in (answers or {}).items() if v})
    if minutes is not None and not 0 < minutes * 60 <= MAX_TOTAL_SECONDS:
        most = MAX_TOTAL_SECONDS / 60  # the commands say it in the person's language first
        raise UsageError(f"--minutes must be above 0 and at most {most:g}")
    steps = tuple(within_budget(_expand(practice.steps, lang, values, None), practice.id))
    scaled = None
    if minutes is not None:
        speech = speech_seconds or speaking_seconds
        scaled = scale_steps(steps, minutes * 60, lambda step: speech(step.text, lang))
        steps = scaled.steps
    return Plan(
        practice=practice.id or "",
        title=fill(pick(practice.title, lang), values),
        lang=lang,
        steps=steps,
        answers=values,
        scaled=scaled,
    )


class OverBudget(KindfulError):
    """A practice that, planned, would pass a budget for the whole (``limits``)."""


def within_budget(steps: Iterator[PlannedStep], practice: str | None) -> Iterator[PlannedStep]:
    """Yield ``steps`` while their sum stays within the budgets; raise ``OverBudget`` past them.

    The sum is checked as the steps come, so a practice far over its budget costs no more to
    refuse than one just over it.
    """
    seconds = 0.0
    characters = 0
    for step in steps:
        seconds += step.seconds or 0.0
        characters += len(step.text) + sum(len(t) for t in _more_texts(step))
        if seconds > MAX_TOTAL_SECONDS or characters > MAX_TOTAL_TEXT:
            # The rest is counted (without being kept) only to say how far over it is.
            for rest in steps:
                seconds += rest.seconds or 0.0
                characters += len(rest.text) + sum(len(t) for t in _more_texts(rest))
            problem = budget_problem(seconds, characters) or ""
            raise OverBudget(problem if practice is None else f"{practice}: {problem}")
        yield step


def over_budget(practice: Compiled) -> str | None:
    """Give what is over budget in ``practice`` planned in each of its languages, if anything.

    The inputs take their defaults: a run checks again with the answers given.
    """
    values = {i.name: i.default for i in practice.inputs}
    for lang in practice.languages_used() or [""]:
        try:
            for _ in within_budget(_expand(practice.steps, lang, values, None), None):
                pass
        except OverBudget as error:
            return error.message
    return None


def budget_problem(seconds: float, characters: int) -> str | None:
    """Give what is over budget in a whole practice of this length and text, if anything."""
    if seconds > MAX_TOTAL_SECONDS:
        most = _hours(MAX_TOTAL_SECONDS)
        return f"the practice would take {_hours(seconds)} h in all; at most {most} h"
    if characters > MAX_TOTAL_TEXT:
        return (
            f"the practice's texts come to {characters:,} characters in all; "
            f"at most {MAX_TOTAL_TEXT:,}"
        )
    return None


def _hours(seconds: float) -> str:
    hours = seconds / 3600
    return f"{hours:,.0f}" if hours >= 100 else f"{hours:.1f}".removesuffix(".0")


def _more_texts(step: PlannedStep) -> Iterator[str]:
    """Yield the texts of a step besides its main one: labels, survey items, who is quoted."""
    if isinstance(step, Rate | Survey):
        yield from step.labels.values()
    if isinstance(step, Rate):
        yield step.label
    if isinstance(step, Survey):
        yield from (item.text for item in step.items)
    if isinstance(step, Quote):
        yield step.by


def _expand(
    steps: Iterable[written.Step], lang: str, values: dict[str, str], round_: int | None
) -> Iterator[PlannedStep]:
    for step in steps:
        if isinstance(step, written.Repeat):
            for n in range(1, step.repeat + 1):
                yield from _expand(step.steps, lang, {**values, "round": str(n)}, n)
        else:
            yield _planned(step, lambda text: fill(pick(text, lang), values), round_)


def _planned(
    step: written.Step, text: Callable[[Text | None], str], round_: int | None
) -> PlannedStep:
    """Give one validated step planned; ``text`` picks and fills a TEXT."""
    match step:
        case written.Say():
            return Say(text(step.say), step.seconds, round_)
        case written.Breathe():
            pattern = BreathPattern(step.inhale, step.hold, step.out, step.rest)
            cycles = step.cycles or max(1, round((step.seconds or 0) / pattern.seconds))
            return Breathe(text(step.breathe), cycles * pattern.seconds, round_, pattern, cycles)
        case written.Silence():
            return Silence(text(step.text), step.silence, round_, step.bell_every)
        case written.Reflect():
            return Reflect(text(step.reflect), None, round_, step.save)
        case written.Rate():
            label = text(step.label) if step.label is not None else ""
            labels = _labels(step.labels, text)
            return Rate(text(step.rate), None, round_, step.key, step.min, step.max, labels, label)
        case written.Survey():
            items = tuple(SurveyItem(text(i.text), i.reverse, i.subscale) for i in step.items)
            scale = step.scale
            labels = _labels(scale.labels, text)
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
        case written.Bell():
            return Bell("", 0.0, round_, step.bell)
        case written.Quote():
            return Quote(text(step.quote), step.seconds, round_, step.by or "")
        case written.Repeat():
            raise ValueError("a repeat is expanded, not planned")
        case _:
            assert_never(step)


def _labels(labels: dict[int, Text], text: Callable[[Text | None], str]) -> dict[int, str]:
    """Give a scale's labels by number, in order."""
    return {n: text(label) for n, label in sorted(labels.items())}


@frozen
class Scaled:
    """Timed steps scaled toward a total, and what could not shrink as far as asked."""

    steps: tuple[PlannedStep, ...]
    target: float
    held_for_speech: int = 0  # timed texts kept at the time they need to be spoken
    held_breathing: int = 0  # breathing steps kept at one whole cycle


def scaling_note(plan: Plan, lang: str) -> str | None:
    """Give what --minutes could not do, or None when the timed total is what was asked."""
    from kindful.i18n import t
    from kindful.lengths import length, number

    scaled = plan.scaled
    if scaled is None or abs(plan.planned_seconds - scaled.target) <= 1:
        return None
    why = []
    if scaled.held_for_speech == 1:
        why.append(t(lang, "scale.speech_one"))
    elif scaled.held_for_speech:
        why.append(t(lang, "scale.speech", count=scaled.held_for_speech))
    if scaled.held_breathing:
        why.append(t(lang, "scale.one_cycle"))
    if not why:
        why.append(t(lang, "scale.whole_cycles"))
    minutes = number(round(scaled.target / 60, 2), lang)
    planned = length(plan.planned_seconds, lang)
    return t(lang, "scale.near", planned=planned, minutes=minutes, why="; ".join(why))


def scale(
    steps: tuple[PlannedStep, ...],
    target: float,
    needs: Callable[[PlannedStep], float] | None = None,
) -> tuple[PlannedStep, ...]:
    """Give ``steps`` with the timed ones scaled so that their total is about ``target`` seconds."""
    return scale_steps(steps, target, needs).steps


def scale_steps(
    steps: tuple[PlannedStep, ...],
    target: float,
    needs: Callable[[PlannedStep], float] | None = None,
) -> Scaled:
    """Give ``steps`` scaled so that the timed total is about ``target`` seconds.

    Breathing changes whole cycles (rounded to the nearest, at least one, and enough for its
    text to be spoken); the other timed steps are stretched alike to make up the rest, but a
    step never gets less time than ``needs(step)``, the time its text takes to be spoken. So
    the total is exact unless breathing's whole cycles or the speaking times stand in the way.
    A silence's interval bells keep their count, or go when they would come closer than 5 s
    apart. Bells and
    untimed steps are untouched.
    """
    total = sum(s.seconds or 0.0 for s in steps)
    if total <= 0:
        raise ValueError("no timed steps to scale")
    need = needs or (lambda step: 0.0)
    factor = target / total
    out = list(steps)
    held_breathing = held_for_speech = 0
    for i, s in enumerate(out):
        if isinstance(s, Breathe):
            wanted = round(s.cycles * factor)
            spoken = math.ceil(need(s) / s.pattern.seconds - 1e-9) if s.text else 0
            cycles = max(1, wanted, spoken)
            held_breathing += wanted < 1 and spoken <= 1
            held_for_speech += spoken > max(1, wanted)
            out[i] = replace(s, cycles=cycles, seconds=cycles * s.pattern.seconds)
    breathing = sum(s.seconds or 0.0 for s in out if isinstance(s, Breathe))
    others = [i for i, s in enumerate(out) if s.seconds and not isinstance(s, Breathe)]
    length = sum(out[i].seconds or 0.0 for i in others)
    if length > 0:
        floors = {i: need(out[i]) if out[i].text else 0.0 for i in others}
        least = factor * 0.25  # breathing never squeezes the rest to nothing
        stretch, fixed = _stretch(out, others, floors, max(target - breathing, 0.0), least)
        held_for_speech += sum(1 for i in fixed if floors[i] > (out[i].seconds or 0) * factor)
        for i in others:
            old = out[i].seconds or 0.0
            new = floors[i] if i in fixed else old * stretch
            out[i] = _resized(out[i], new, new / old)
    return Scaled(tuple(out), target, held_for_speech, held_breathing)


def _stretch(
    out: list[PlannedStep],
    others: list[int],
    floors: dict[int, float],
    budget: float,
    least: float,
) -> tuple[float, set[int]]:
    """Give the common stretch of the free steps, and the steps held at their floor."""
    fixed: set[int] = set()
    while True:
        free = sum(out[i].seconds or 0.0 for i in others if i not in fixed)
        held = sum(floors[i] for i in fixed)
        stretch = max((budget - held) / free, least) if free > 0 else least
        newly = {
            i for i in others if i not in fixed and (out[i].seconds or 0) * stretch < floors[i]
        }
        if not newly:
            return stretch, fixed
        fixed |= newly


def _resized(step: PlannedStep, seconds: float, ratio: float) -> PlannedStep:
    if isinstance(step, Silence) and step.bell_every:
        every: float | None = step.bell_every * ratio
        if every is not None and (every < MIN_BELL_EVERY or every >= seconds):
            every = None  # bells closer than 5 s would crowd the silence
        return replace(step, seconds=seconds, bell_every=every)
    return replace(step, seconds=seconds)
