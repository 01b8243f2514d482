"""A practice planned for one run: language picked, inputs filled, repeats expanded, times set.

Planning is pure: ``make_plan(practice, lang, answers, minutes)`` gives a ``Plan`` whose steps
are flat and final, so the runner only has to walk them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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

    kind: str = field(init=False, default="")
    text: str
    seconds: float | None
    round: int | None = None


@dataclass(frozen=True)
class Say(PlannedStep):
    kind: str = field(init=False, default="say")


@dataclass(frozen=True)
class Breathe(PlannedStep):
    """Paced breathing: ``cycles`` cycles of ``pattern``; ``seconds`` is their total."""

    kind: str = field(init=False, default="breathe")
    pattern: BreathPattern = BreathPattern(4, 0, 4, 0)
    cycles: int = 1


@dataclass(frozen=True)
class Silence(PlannedStep):
    """Quiet time; ``text`` may be empty; a bell every ``bell_every`` seconds if set."""

    kind: str = field(init=False, default="silence")
    bell_every: float | None = None


@dataclass(frozen=True)
class Reflect(PlannedStep):
    """A question; the answer is logged when ``save`` is true."""

    kind: str = field(init=False, default="reflect")
    save: bool = True


@dataclass(frozen=True)
class Rate(PlannedStep):
    """A whole number from ``low`` to ``high``, logged under ``key``; ``labels`` name some."""

    kind: str = field(init=False, default="rate")
    key: str = ""
    low: int = 0
    high: int = 10
    labels: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Bell(PlannedStep):
    """``strikes`` strikes of the bell; takes no planned time (``seconds`` is 0)."""

    kind: str = field(init=False, default="bell")
    strikes: int = 1


@dataclass(frozen=True)
class Quote(PlannedStep):
    """A quotation and who said it."""

    kind: str = field(init=False, default="quote")
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
