"""The session engine: walks a ``Plan`` against a clock and says what to show and when.

Pure: no I/O, no real time, no threads. The runner (plain lines or the live screen) owns the
terminal and the real clock; it drives a ``Session`` like this::

    session = Session(plan, clock=time.monotonic, speed=1.0)
    handle(session.start())
    while not session.view().finished:
        wait until session.next_change() (or a key; None means "only a key can change anything")
        on a key: session.toggle_pause() / next_step() / soften() / unsoften() / quit() / answer(v)
        handle(session.update())
    outcome = session.outcome()

Timing: every step's end is a deadline computed from one origin on the monotonic clock plus the
planned seconds of all steps before it, divided by ``speed``; so a long session does not drift
however irregularly ``update`` is called. Pausing and softening stop the timing and shift every
later deadline by their length; ``next_step`` and answering start the next step now. A step whose
``seconds`` is ``None`` (an untimed ``say`` or ``quote``, ``reflect``, ``rate``) waits for
``next_step`` or ``answer``. A ``bell`` step takes no time: it rings and the next step starts.
With ``bell_gap`` (clock seconds) a bell of N strikes lasts N gaps, so the run waits for them;
a runner that speaks may ``hold`` a step until its speech ends (later steps move back by as much).

Times in a ``View`` and in events are planned seconds (the countdown of a rehearsal at
``--speed 10`` counts planned seconds, ten to a real second); ``Outcome.elapsed_seconds`` is clock
seconds, pauses and softening left out, and of a step that waits for the person only what
``untimed_cap`` allows: time at a prompt left open is not time practised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kindful.practice.plan.planner import (
    Bell,
    Breathe,
    Plan,
    PlannedStep,
    Rate,
    Reflect,
    Silence,
    Survey,
)
from kindful.practice.plan.survey import SurveyScore, score_survey
from kindful.session.events import (
    BellRung,
    BreathPhase,
    Clock,
    Event,
    Finished,
    Outcome,
    StepStarted,
    View,
    timed_seconds,
    waits_for_person,
)
from kindful.session.pacer import (
    SLACK,
    BreathView,
    Phase,
    breath_again,
    breath_phases,
    breath_until_change,
    breath_view,
    ceil_left,
    until_tick,
)

__all__ = [
    "BellRung",
    "BreathPhase",
    "BreathView",
    "Clock",
    "Event",
    "Finished",
    "Outcome",
    "Phase",
    "Session",
    "StepStarted",
    "View",
    "timed_seconds",
    "waits_for_person",
]

if TYPE_CHECKING:  # the record's module loads with the first reflection kept, or the log
    from kindful.journal.record import Reflection


class Session:
    """One run of a plan against a clock. See the module docstring for how to drive it."""

    def __init__(self, plan: Plan, clock: Clock, speed: float = 1.0, bell_gap: float = 0.0) -> None:
        if not speed > 0:
            raise ValueError("speed must be above 0")
        self.plan = plan
        self.clock = clock
        self.speed = speed
        self.bell_gap = bell_gap
        self.steps = plan.steps
        # _cum[i]: planned timed seconds before step i; _cum[-1] is the timed total.
        self._cum = [0.0]
        for step in self.steps:
            self._cum.append(self._cum[-1] + timed_seconds(step))
        self.index = 0
        self._origin = 0.0  # clock time at which step i starts = _origin + _cum[i] / speed
        self._started_at: float | None = None
        self._ended_at: float | None = None
        self._completed = False
        self._paused = False
        self._softening = False
        self._frozen_since: float | None = None
        self._frozen_total = 0.0
        self._uncounted = 0.0  # clock seconds past the cap in steps that waited for the person
        self._inner_done = 0  # phases announced or interval bells rung in the current step
        self._held = 0.0  # clock seconds the current step is held beyond its planned end
        self._pending: list[Event] = []
        self._ratings: dict[str, int] = {}
        self._reflections: list[Reflection] = []
        self._surveys: dict[str, SurveyScore] = {}

    # -- state ------------------------------------------------------------------------------

    @property
    def step(self) -> PlannedStep:
        """Give the current step."""
        return self.steps[self.index]

    @property
    def started(self) -> bool:
        """Give whether ``start`` has been called."""
        return self._started_at is not None

    @property
    def finished(self) -> bool:
        """Give whether the session has ended (completed or quit)."""
        return self._ended_at is not None

    @property
    def paused(self) -> bool:
        return self._paused

    @property
    def softening(self) -> bool:
        return self._softening

    def _now(self) -> float:
        """Give the time the session stands at: the clock, held still while paused or softening."""
        if self._ended_at is not None:
            return self._ended_at
        if self._frozen_since is not None:
            return self._frozen_since
        return self.clock()

    def _step_start(self) -> float:
        return self._origin + self._cum[self.index] / self.speed

    def _deadline(self) -> float | None:
        """Give the clock time the current step ends, ``None`` when it waits for the person."""
        if waits_for_person(self.step):
            return None
        return self._origin + self._cum[self.index + 1] / self.speed + self._held

    def _in_step(self, now: float) -> float:
        """Give the planned seconds gone in the current step at clock time ``now``."""
        return max(0.0, (now - self._step_start()) * self.speed)

    # -- driving ----------------------------------------------------------------------------

    def start(self) -> list[Event]:
        """Start the first step now; give the events that brings (``StepStarted(0)``, ...)."""
        if self._started_at is not None:
            raise RuntimeError("the session has already started")
        if not self.steps:
            raise ValueError("a plan needs at least one step")
        now = self.clock()
        self._started_at = now
        self._origin = now
        self._enter(0)
        self._advance(now)
        return self._drain()

    def update(self) -> list[Event]:
        """Advance to the clock's now; give what happened: steps begun, bells, phases, the end."""
        self._require_started()
        if not self.finished:
            self._advance(self._now())
        return self._drain()

    def toggle_pause(self) -> None:
        """Pause, or resume; while paused nothing moves and later deadlines wait."""
        if self._live():
            self._paused = not self._paused
            self._refreeze()

    def soften(self) -> None:
        """Leave the current step for a grounding interlude; its timing waits until ``unsoften``."""
        if self._live() and not self._softening:
            self._softening = True
            self._refreeze()

    def unsoften(self) -> None:
        """Come back from the grounding interlude to the step where the person left it."""
        if self._live() and self._softening:
            self._softening = False
            self._refreeze()

    def hold(self, until: float) -> None:
        """Let the current step (if timed) end no sooner than clock time ``until``."""
        if not self._live() or waits_for_person(self.step):
            return
        planned = self._origin + self._cum[self.index + 1] / self.speed
        if self._frozen_since is not None:  # paused: the resume moves the end on as well
            until -= self.clock() - self._frozen_since
        self._held = max(self._held, until - planned)

    def next_step(self) -> None:
        """End the current step now and start the next (the end, after the last)."""
        if self._live():
            self._move_on()

    def answer(self, value: str | int | list[int | None] | None) -> None:
        """Record the answer to a ``reflect`` (text), ``rate`` (whole number) or ``survey`` (a
        whole number or ``None`` per item); then move on.

        ``None`` or an empty text is a skipped question. A rating off the scale raises
        ``ValueError`` so the runner can ask again.
        """
        if not self._live():
            return
        step = self.step
        if isinstance(step, Rate):
            if value is not None:
                if not isinstance(value, int) or not step.low <= value <= step.high:
                    raise ValueError(f"a rating from {step.low} to {step.high}")
                self._ratings[step.key] = value
        elif isinstance(step, Survey):
            answers: list[int | None] = (
                value if isinstance(value, list) else [None] * len(step.items)
            )
            scored = score_survey(step, answers)  # ValueError for answers that do not fit
            if scored is not None:
                self._surveys[step.key] = scored
        elif isinstance(step, Reflect):
            text = value.strip() if isinstance(value, str) else ""
            if text and step.save:
                from kindful.journal.record import Reflection

                self._reflections.append(Reflection(prompt=step.text, text=text))
        else:
            raise ValueError(f"a {step.kind} step asks no question")
        self._move_on()

    def quit(self) -> None:
        """End the session now, as not completed (unless it had already ended)."""
        if self._started_at is None or self.finished:
            return
        now = self._now()
        self._advance(now)
        if not self.finished:
            self._uncounted += self._past_cap(now)
            self._finish(now, completed=False)

    # -- what to show -----------------------------------------------------------------------

    def view(self) -> View:
        """Give what to show now."""
        self._require_started()
        step = self.step
        e = self._in_step(self._now())
        breath = None
        if self.finished:
            step_left: int | None = 0 if self._completed else self._step_left(e)
            total_left = 0 if self._completed else self._total_left(e)
        else:
            step_left = self._step_left(e)
            total_left = self._total_left(e)
            if isinstance(step, Breathe):
                breath = breath_view(step, min(e, timed_seconds(step)))
        return View(
            index=self.index,
            total=len(self.steps),
            step=step,
            step_left=step_left,
            total_left=total_left,
            breath=breath,
            paused=self._paused,
            softening=self._softening,
            finished=self.finished,
        )

    def next_event(self) -> float | None:
        """Give the clock time of the next event (a step's end, a bell, a breathing phase).

        ``None`` when nothing will happen without the person: paused, softening, waiting for an
        answer or ``next_step``, or ended.
        """
        if self._started_at is None or self.finished or self._frozen_since is not None:
            return None
        inner = self._inner_time(self._inner_done)
        return inner if inner is not None else self._deadline()

    def next_change(self) -> float | None:
        """Give the clock time when ``view()`` or an event will next change; sleep until then.

        ``None`` when only the person can change anything (see ``next_event``).
        """
        event = self.next_event()
        if event is None:
            return None
        now = self._now()
        e = self._in_step(now)
        step = self.step
        rest = self._cum[-1] - self._cum[self.index]
        ahead = [until_tick(timed_seconds(step) - e), until_tick(rest - e)]
        if isinstance(step, Breathe):
            ahead.append(breath_until_change(step, e))
        tick = self._step_start() + (e + min(ahead)) / self.speed
        # Within float noise of the step's end the pacer has nothing more to show: the end
        # itself (the event) is the next change.
        return min(event, tick) if tick > now else event

    def outcome(self) -> Outcome:
        """Give how the session went, so far if it has not ended."""
        self._require_started()
        assert self._started_at is not None
        # While paused, the session's now stands at the pause: the pause is not counted.
        now = self._now()
        elapsed = now - self._started_at - self._frozen_total - self._uncounted
        if not self.finished:
            elapsed -= self._past_cap(now)
        return Outcome(
            elapsed_seconds=max(0.0, elapsed),
            steps_done=len(self.steps) if self._completed else self.index,
            steps_total=len(self.steps),
            completed=self._completed,
            ratings=dict(self._ratings),
            reflections=list(self._reflections),
            surveys=dict(self._surveys),
        )

    # -- inside -----------------------------------------------------------------------------

    def _require_started(self) -> None:
        if self._started_at is None:
            raise RuntimeError("the session has not started")

    def _live(self) -> bool:
        return self._started_at is not None and not self.finished

    def _drain(self) -> list[Event]:
        events, self._pending = self._pending, []
        return events

    def _refreeze(self) -> None:
        """Stop or restart the timing to match the pause and soften flags."""
        frozen = self._paused or self._softening
        if frozen and self._frozen_since is None:
            now = self.clock()
            self._advance(now)  # what fell due before the pause still happens
            self._frozen_since = now
        elif not frozen and self._frozen_since is not None:
            held = self.clock() - self._frozen_since
            rewind = self._back_to_breath_start(self._in_step(self._frozen_since))
            self._frozen_since = None
            self._origin += held + rewind / self.speed
            self._frozen_total += held

    def _back_to_breath_start(self, e: float) -> float:
        """Begin again the breath a pause or softening broke into (its "in" said again); give
        the seconds gone back, so that breathing never resumes half-way through a breath."""
        again = breath_again(self.step, e) if not self.finished else None
        if again is None:
            return 0.0
        first, rewind = again
        self._pending.append(self._inner_event(first))
        self._inner_done = first + 1
        return rewind

    def _enter(self, index: int) -> None:
        """Make step ``index`` current (its start already set by the origin)."""
        self.index = index
        self._inner_done = 0
        self._origin += self._held  # a held step pushed every later step back
        step = self.step
        self._held = max(1, step.strikes) * self.bell_gap if isinstance(step, Bell) else 0.0
        self._pending.append(StepStarted(index, step))
        if isinstance(step, Bell):
            self._pending.append(BellRung(step.strikes))

    def _advance(self, now: float) -> None:
        """Let everything due by ``now`` happen: inner events, step ends, the end.

        Inner events that fell due together (the session was late: a suspended laptop, a busy
        machine) are coalesced into the last of them, so no more are queued than can be shown.
        """
        while not self.finished:
            due = self._inner_time(self._inner_done)
            if due is not None and due <= now:
                while due is not None and due <= now:
                    self._inner_done += 1
                    due = self._inner_time(self._inner_done)
                self._pending.append(self._inner_event(self._inner_done - 1))
                continue
            deadline = self._deadline()
            if deadline is None or now < deadline:
                return
            if self.index + 1 == len(self.steps):
                self._finish(deadline, completed=True)
            else:
                self._enter(self.index + 1)

    def _move_on(self) -> None:
        """End the current step at the session's now and begin the next one then."""
        now = self._now()
        self._advance(now)
        if self.finished:
            return
        self._uncounted += self._past_cap(now)
        if self.index + 1 == len(self.steps):
            self._finish(now, completed=True)
            return
        self._origin, self._held = now - self._cum[self.index + 1] / self.speed, 0.0
        self._enter(self.index + 1)
        self._advance(now)

    def _past_cap(self, now: float) -> float:
        """Give the clock seconds spent in the current step beyond what may count of it."""
        step = self.step
        if not waits_for_person(step):
            return 0.0
        return max(0.0, now - self._step_start() - untimed_cap(step) / self.speed)

    def _finish(self, at: float, completed: bool) -> None:
        self._ended_at = at
        self._completed = completed
        if self._frozen_since is not None:
            self._frozen_total += at - self._frozen_since
            self._frozen_since = None
        self._pending.append(Finished(completed))

    def _inner_time(self, k: int) -> float | None:
        """Give the clock time of the current step's ``k``-th inner event, if it has one."""
        offset = _inner_offset(self.step, k)
        return None if offset is None else self._step_start() + offset / self.speed

    def _inner_event(self, k: int) -> Event:
        step = self.step
        if isinstance(step, Breathe):
            phases = breath_phases(step.pattern)
            phase, _, seconds = phases[k % len(phases)]
            return BreathPhase(phase, seconds, k // len(phases) + 1, step.cycles)
        return BellRung(1)

    def _step_left(self, e: float) -> int | None:
        if waits_for_person(self.step):
            return None
        return max(0, ceil_left(timed_seconds(self.step) - e))

    def _total_left(self, e: float) -> int:
        rest = self._cum[-1] - self._cum[self.index]
        return max(0, ceil_left(rest - min(e, timed_seconds(self.step))))


UNTIMED_CAP = 60.0  # seconds of a text that waits, or of a rating, that count as practice
REFLECT_CAP = 300.0  # of writing an answer: writing is practice too, a prompt left open is not
SURVEY_ITEM_CAP = 30.0  # of each item of a questionnaire


def untimed_cap(step: PlannedStep) -> float:
    """Give the most planned seconds a step that waits for the person counts toward practice."""
    if isinstance(step, Reflect):
        return REFLECT_CAP
    if isinstance(step, Survey):
        return SURVEY_ITEM_CAP * max(1, len(step.items))
    return UNTIMED_CAP


def _inner_offset(step: PlannedStep, k: int) -> float | None:
    """Give the planned seconds into ``step`` of its ``k``-th inner event, if it has one.

    Inner events are the start of each breathing phase, and the interval bells of a silence
    (at each ``bell_every``, not at the silence's end).
    """
    if isinstance(step, Breathe):
        phases = breath_phases(step.pattern)
        if not phases or k >= step.cycles * len(phases):
            return None
        cycle, part = divmod(k, len(phases))
        return cycle * step.pattern.seconds + phases[part][1]
    if isinstance(step, Silence) and step.bell_every and step.bell_every > 0:
        offset = (k + 1) * step.bell_every
        return offset if offset < timed_seconds(step) - SLACK else None
    return None
