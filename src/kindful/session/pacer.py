"""The breathing pacer: where in a ``breathe`` step the person is, and what the pacer shows.

Pure functions of a planned ``Breathe`` step and the planned seconds gone in it; the session
engine (``kindful.session.engine``) calls them for its views and wake-up times.
"""

from __future__ import annotations

import math
from enum import StrEnum

from kindful.frozen import frozen
from kindful.practice.plan.planner import Breathe, BreathPattern

PACER_STEPS = 16
"""The pacer's size moves in sixteenths, so a view changes a bounded number of times a second."""

SLACK = 1e-7
"""Planned seconds: a view tick counts as reached this close to it (float noise)."""


class Phase(StrEnum):
    """The parts of one breathing cycle."""

    IN = "in"
    HOLD = "hold"
    OUT = "out"
    REST = "rest"


@frozen
class BreathView:
    """The breathing pacer now.

    ``fraction`` is the pacer's size from 0 (empty lungs) to 1 (full), in sixteenths: it grows
    through ``IN``, stays full through ``HOLD``, shrinks through ``OUT`` and stays empty through
    ``REST``. ``phase_left`` is whole planned seconds left in this phase, rounded up.
    """

    phase: Phase
    phase_seconds: float
    phase_left: int
    fraction: float
    cycle: int  # 1-based
    cycles: int


def breath_phases(pattern: BreathPattern) -> list[tuple[Phase, float, float]]:
    """Give the phases of one cycle that take time, each as (phase, offset, seconds)."""
    out: list[tuple[Phase, float, float]] = []
    offset = 0.0
    for phase, seconds in (
        (Phase.IN, pattern.inhale),
        (Phase.HOLD, pattern.hold),
        (Phase.OUT, pattern.exhale),
        (Phase.REST, pattern.rest),
    ):
        if seconds > 0:
            out.append((phase, offset, seconds))
            offset += seconds
    return out


def ceil_left(x: float) -> int:
    """Give ``x`` rounded up, as a countdown shows it, float noise forgiven."""
    return math.ceil(x - SLACK)


def floor_soft(x: float) -> int:
    """Give ``x`` rounded down, float noise forgiven."""
    return math.floor(x + SLACK)


def until_tick(left: float) -> float:
    """Give the planned seconds until ``ceil(left)`` next drops by one."""
    return left - (ceil_left(left) - 1)


def breath_place(step: Breathe, e: float) -> tuple[int, Phase, float, float]:
    """Give (0-based cycle, phase, planned seconds into the phase, phase length) at ``e``."""
    phases = breath_phases(step.pattern)
    length = step.pattern.seconds
    cycle = min(floor_soft(e / length), step.cycles - 1) if length > 0 else 0
    offset = e - cycle * length
    for phase, start, seconds in phases:
        if offset + SLACK < start + seconds:
            return cycle, phase, max(0.0, offset - start), seconds
    phase, start, seconds = phases[-1] if phases else (Phase.REST, 0.0, 0.0)
    return cycle, phase, seconds, seconds


def pacer(phase: Phase, progress: float) -> float:
    """Give the pacer's size for a phase at ``progress`` (0..1), in sixteenths."""
    sixteenths = min(PACER_STEPS, floor_soft(progress * PACER_STEPS))
    if phase is Phase.IN:
        return sixteenths / PACER_STEPS
    if phase is Phase.OUT:
        return 1 - sixteenths / PACER_STEPS
    return 1.0 if phase is Phase.HOLD else 0.0


def breath_view(step: Breathe, e: float) -> BreathView:
    """Give the pacer ``e`` planned seconds into the step."""
    if not breath_phases(step.pattern):
        return BreathView(Phase.REST, 0.0, 0, 0.0, step.cycles, step.cycles)
    cycle, phase, into, seconds = breath_place(step, e)
    return BreathView(
        phase=phase,
        phase_seconds=seconds,
        phase_left=max(0, ceil_left(seconds - into)),
        fraction=pacer(phase, into / seconds),
        cycle=cycle + 1,
        cycles=step.cycles,
    )


def breath_until_change(step: Breathe, e: float) -> float:
    """Give the planned seconds until the pacer's view next changes."""
    if not breath_phases(step.pattern):
        return math.inf
    _, phase, into, seconds = breath_place(step, e)
    ahead = [until_tick(seconds - into), seconds - into]
    if phase in (Phase.IN, Phase.OUT):
        nxt = (min(PACER_STEPS, floor_soft(into / seconds * PACER_STEPS)) + 1) / PACER_STEPS
        ahead.append(nxt * seconds - into)
    return max(0.0, min(ahead))


def breath_again(step: object, e: float) -> tuple[int, float] | None:
    """Give where to begin again a breath that ``e`` seconds into a ``Breathe`` step broke into.

    That is the inner event (phase) that starts the breath, and the seconds back to it; or
    ``None`` when ``step`` is no breathing or ``e`` is at a breath's start already.
    """
    if not isinstance(step, Breathe) or step.pattern.seconds <= 0:
        return None
    cycle = step.pattern.seconds
    done = min(int(e / cycle + 1e-9), step.cycles - 1)
    rewind = e - done * cycle
    if rewind <= SLACK:
        return None
    return done * len(breath_phases(step.pattern)), rewind
