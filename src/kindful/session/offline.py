"""A session laid out on a virtual clock, for ``render``: the same engine, no waiting.

The clock jumps from one of the engine's events to the next; a step that waits for the person
waits for its speech and then a pause (``QUESTION_PAUSE`` for a question), and is then skipped,
as a person who stays silent would. The ``Guide`` plays into a ``Mixdown`` on the same clock, so
every sound lands where it would in a live run and the silences are exact.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kindful.i18n import t
from kindful.practice.plan.planner import Bell, Plan, Rate, Reflect
from kindful.session.engine import BellRung, Event, Session, StepStarted, waits_for_person
from kindful.session.sounding import Guide, Hearing, spoken
from kindful.sound.bowl import BELL_GAP
from kindful.sound.mix import Mixdown
from kindful.sound.transcript import Cue

QUESTION_PAUSE = 10.0  # seconds after a question's prompt, for the listener's own answer
UNTIMED_PAUSE = 3.0  # seconds after an untimed step's words, before the next step
START = 0.5  # seconds of quiet before the first sound
TAIL = 1.0  # seconds of quiet after the last sound
OPENING_PAUSE = 1.0  # seconds between the opening words and the first step


class VirtualClock:
    """A clock that stands still until moved."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass(frozen=True)
class Rendering:
    """A session laid out: its sounds, its transcript, and how long it lasts in seconds."""

    mixdown: Mixdown
    cues: list[Cue]
    seconds: float


def lay_out(
    plan: Plan,
    hearing: Hearing,
    *,
    ui: str,
    tell: Callable[[str], None],
    progress: Callable[[int, int], None] | None = None,
    opening: str | None = None,
) -> Rendering:
    """Give ``plan`` laid out on a virtual clock with the sound ``hearing`` names.

    ``opening`` is said first, in the voice, when there is one: what a listener may do (a
    file cannot be told keys).
    """
    clock = VirtualClock()
    clock.now = START
    mixdown = Mixdown(clock)
    cues: list[Cue] = []
    if opening and hearing.voice is not None:
        from kindful.sound.bowl import RATE
        from kindful.sound.voice import VoiceError

        try:
            words = hearing.voice.speak(opening, plan.lang)
        except VoiceError:
            words = None  # the Guide meets the same failure at the first step and says it
        if words is not None and len(words):
            mixdown.play(words, "speech")
            cues.append(Cue(clock.now, clock.now + len(words) / RATE, opening))
            clock.now += len(words) / RATE + OPENING_PAUSE
    session = Session(plan, clock, bell_gap=BELL_GAP)
    guide = Guide(session, mixdown, hearing, lang=plan.lang, clock=clock, tell=tell, ahead=False)
    open_cue: list[tuple[float, str]] = []  # the text of the step now running, from when

    def note(events: list[Event]) -> None:
        for event in events:
            if isinstance(event, StepStarted):
                if open_cue:
                    start, text = open_cue.pop()
                    cues.append(Cue(start, clock.now, text))
                text = _transcript_text(event.step, plan.lang, ui)
                if text:
                    open_cue.append((clock.now, text))
            elif isinstance(event, BellRung) and not isinstance(session.step, Bell):
                cues.append(Cue(clock.now, clock.now + BELL_GAP, t(ui, "sound.render.bell")))

    events = session.start()
    guide.handle(events)
    note(events)
    while not session.finished:
        step = session.step
        if waits_for_person(step):
            pause = QUESTION_PAUSE if isinstance(step, Rate | Reflect) else UNTIMED_PAUSE
            clock.now = max(clock.now, guide.speech_until) + pause
            if isinstance(step, Rate | Reflect):
                session.answer(None)
            else:
                session.next_step()
        else:
            due = session.next_event()
            assert due is not None  # a timed step always has an end
            clock.now = max(clock.now, due)
        events = session.update()
        guide.handle(events)
        note(events)
        if progress is not None:
            progress(session.index, len(session.steps))
    if open_cue:
        start, text = open_cue.pop()
        cues.append(Cue(start, clock.now, text))
    # Not guide.close(): that would cut the closing bell, which rings on past the last step.
    seconds = max(clock.now, mixdown.end()) + TAIL
    # A step's cue is made when the step ends, an interval bell's as it rings, inside the step:
    # a transcript is read in time order.
    cues.sort(key=lambda cue: cue.start)
    return Rendering(mixdown, cues, seconds)


def _transcript_text(step: object, lang: str, ui: str) -> str:
    if isinstance(step, Bell):
        if step.strikes == 1:
            return t(ui, "sound.render.bell")
        return t(ui, "sound.render.bells", strikes=step.strikes)
    from kindful.practice.plan.planner import PlannedStep

    assert isinstance(step, PlannedStep)
    return spoken(step, lang)
