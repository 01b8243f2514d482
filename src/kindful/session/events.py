"""What the session engine gives its runners: the events of a run, its view, its outcome.

Plain values, so that a runner (live, plain, sound, render) can be written and tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import TYPE_CHECKING

from kindful.frozen import frozen
from kindful.practice.plan.planner import Bell, PlannedStep, Rate, Reflect, Survey
from kindful.practice.plan.survey import SurveyScore
from kindful.session.pacer import BreathView, Phase

if TYPE_CHECKING:  # the record's module loads once there is a session to log, not before
    from kindful.journal.record import Reflection

Clock = Callable[[], float]
"""Monotonic seconds. The real one is ``time.monotonic``; tests pass a fake they move by hand."""

# Events: what happened since the last call, in the order it happened.


@frozen
class StepStarted:
    """Step ``index`` (0-based) began."""

    index: int
    step: PlannedStep


@frozen
class BellRung:
    """The bell rang ``strikes`` times: a ``bell`` step, or an interval bell inside a silence."""

    strikes: int = 1


@frozen
class BreathPhase:
    """A breathing phase began: ``seconds`` long (planned), in cycle ``cycle`` of ``cycles``."""

    phase: Phase
    seconds: float
    cycle: int
    cycles: int


@frozen
class Finished:
    """The session ended: ``completed`` when the last step ran to its end, not when quit."""

    completed: bool


Event = StepStarted | BellRung | BreathPhase | Finished


@frozen
class View:
    """What to show now. Two equal views look the same, so a screen redraws only on a change.

    ``step_left`` is whole planned seconds left in the step (rounded up), ``None`` for a step
    that waits for the person; ``total_left`` is the same for the rest of the practice's timed
    steps. ``index`` is 0-based.
    """

    index: int
    total: int
    step: PlannedStep
    step_left: int | None
    total_left: int
    breath: BreathView | None
    paused: bool
    softening: bool
    finished: bool


@frozen
class Outcome:
    """How the session went, for the log.

    ``elapsed_seconds`` is clock seconds from start to end with pauses and softening left out
    (at ``--speed`` other than 1 it is the real time the rehearsal took). ``steps_done`` counts
    the steps that ended, by time, by ``next_step`` or by an answer; ``completed`` is true when
    all of them did.
    """

    elapsed_seconds: float
    steps_done: int
    steps_total: int
    completed: bool
    ratings: dict[str, int] = field(default_factory=dict)
    reflections: list[Reflection] = field(default_factory=list)
    surveys: dict[str, SurveyScore] = field(default_factory=dict)


def waits_for_person(step: PlannedStep) -> bool:
    """Give whether a step waits for the person instead of a clock."""
    return isinstance(step, Rate | Reflect | Survey) or (
        step.seconds is None and not isinstance(step, Bell)
    )


def timed_seconds(step: PlannedStep) -> float:
    """Give the planned seconds a step takes on the clock: 0 for bells and untimed steps."""
    if isinstance(step, Bell) or waits_for_person(step):
        return 0.0
    return max(0.0, step.seconds or 0.0)


def on_scale(text: str, low: int, high: int) -> int | None:
    """Give the whole number ``text`` names when it lies from ``low`` to ``high``, else None."""
    try:
        value = int(text)
    except ValueError:
        return None
    return value if low <= value <= high else None
