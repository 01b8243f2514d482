"""The sound of a session: bells, spoken guidance and breathing cues, as the events come.

A ``Guide`` listens to the engine's events (the runners pass them on) and plays into a sink:
the speakers (``kindful.sound.output``), a file being mixed (``kindful.sound.mix``), or a test's
record. It keeps the session in step with what it plays: a timed step whose speech is longer than
the step is held until the speech ends. The next step's speech is synthesised ahead, while the
current one runs, so that a step begins on time with its speech ready.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kindful.i18n import t
from kindful.platforms import leave_stops_to_main_thread
from kindful.practice.plan.planner import PlannedStep
from kindful.session.engine import (
    BellRung,
    BreathPhase,
    Clock,
    Event,
    Finished,
    Phase,
    Session,
    StepStarted,
    waits_for_person,
)
from kindful.sound import bowl, cues
from kindful.sound.bowl import RATE, Samples
from kindful.sound.output import Sink
from kindful.sound.voice import Voice, VoiceError

if TYPE_CHECKING:
    from kindful.sound.speech import Clips

RING_OUT = 3.0  # seconds the last strike is let ring after the run's bells are done


@dataclass(frozen=True)
class Hearing:
    """What a run plays: bowl bells or none, a voice or none, which breathing cues, how loud."""

    bells: bool = True
    voice: Voice | None = None
    breath_cues: str = "tone"  # tone, voice or off


def spoken(step: PlannedStep, lang: str) -> str:
    """Give what is said aloud for a step: its text (a quote with who said it); bells say nothing."""
    from kindful.practice.plan.own_voice import spoken as said

    return said(step)


class Guide:
    """Plays a session's sound; see the module docstring."""

    def __init__(
        self,
        session: Session,
        sink: Sink,
        hearing: Hearing,
        *,
        lang: str,
        clock: Clock,
        tell: Callable[[str], None],
        ahead: bool = True,
    ) -> None:
        self.session = session
        self.sink = sink
        self.hearing = hearing
        self.lang = lang
        self.clock = clock
        self.tell = tell  # says a problem to the person, once
        self.voice = hearing.voice
        self.speech_until = -1.0  # clock time the current step's speech ends
        self.quiet_at = clock()  # clock time every bell rung so far has rung out
        self._pool = (
            ThreadPoolExecutor(1, "kindful-voice", initializer=leave_stops_to_main_thread)
            if ahead and self.voice
            else None
        )
        self._ahead: dict[int, Future[Samples | None]] = {}
        self._words: dict[str, Samples | None] = {}
        self._frozen = False
        self._untold: list[str] = []  # problems met on the worker thread, said from the runner's

    # -- what the runners call --------------------------------------------------------------

    def prepare(self) -> None:
        """Get the first step's speech ready (and the next's under way) before the run starts."""
        self._synthesise_ahead(0)
        self._synthesise_ahead(1)
        if self._ahead:
            self._ahead[0].result()

    def handle(self, events: list[Event]) -> None:
        """Play what the events ask for; pause or resume the sound with the session."""
        while self._untold:
            self.tell(self._untold.pop(0))
        self._follow_pause()
        for event in events:
            if isinstance(event, StepStarted):
                self._step_started(event)
            elif isinstance(event, BellRung):
                self._bell(event.strikes)
            elif isinstance(event, BreathPhase):
                self._breath(event)
            elif isinstance(event, Finished) and not event.completed:
                self.sink.stop()  # ended early: silence at once

    def ring_out_until(self) -> float:
        """Give the clock time by which the closing bells have rung out."""
        return self.quiet_at

    def close(self) -> None:
        """Stop every sound and the synthesis ahead; let the sink go; say what is left to say."""
        self.sink.stop()
        while self._untold:
            self.tell(self._untold.pop(0))
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self.sink.close()

    # -- inside -----------------------------------------------------------------------------

    def _follow_pause(self) -> None:
        frozen = self.session.paused or self.session.softening
        if frozen != self._frozen:
            self._frozen = frozen
            if frozen:
                self.sink.pause()
            else:
                self.sink.resume()

    def _step_started(self, event: StepStarted) -> None:
        self.sink.stop("speech")  # the step before was left early: its words end with it
        speech = self._speech(event.index)
        self._synthesise_ahead(event.index + 1)
        if speech is None or not len(speech):
            self.speech_until = -1.0
            return
        now = self.clock()
        self.sink.play(speech, "speech")
        self.speech_until = now + len(speech) / RATE
        if not waits_for_person(event.step):
            self.session.hold(self.speech_until)  # a timed step never cuts its speech short

    def _bell(self, strikes: int) -> None:
        if not self.hearing.bells:
            return
        sound = bowl.bell(strikes)
        self.sink.play(sound, "bell")
        now = self.clock()
        self.quiet_at = max(self.quiet_at, now + bowl.bell_seconds(strikes) + RING_OUT)

    def _breath(self, event: BreathPhase) -> None:
        mode = self.hearing.breath_cues
        if mode == "off" or event.phase not in (Phase.IN, Phase.OUT):
            return  # holds and rests are quiet
        if self.clock() < self.speech_until:
            return  # the step's words are still being said: they are the cue
        rising = event.phase is Phase.IN
        sound = None
        if mode == "voice" and self.voice is not None:
            sound = self._word(event.phase)
        if sound is None:
            sound = cues.breath_tone(rising, event.seconds)
        self.sink.play(sound, "cue")

    def _word(self, phase: Phase) -> Samples | None:
        key = phase.value
        if key not in self._words:
            self._words[key] = self._say(t(self.lang, f"sound.breath.{key}"))
        return self._words[key]

    def _speech(self, index: int) -> Samples | None:
        if self.voice is None:
            return None
        self._synthesise_ahead(index)
        future = self._ahead.pop(index, None)
        return None if future is None else future.result()

    def _synthesise_ahead(self, index: int) -> None:
        if self.voice is None or index in self._ahead or index >= len(self.session.steps):
            return
        text = spoken(self.session.steps[index], self.lang)
        future: Future[Samples | None]
        if self._pool is not None:
            future = self._pool.submit(self._say, text)
        else:
            future = Future()
            future.set_result(self._say(text))
        self._ahead[index] = future

    def _say(self, text: str) -> Samples | None:
        voice = self.voice
        if voice is None or not text.strip():
            return None
        try:
            return voice.speak(text, self.lang)
        except VoiceError as error:
            if self.voice is not None:
                self.voice = None
                self._untold.append(t(self.lang, "sound.voice_failed", reason=str(error)))
                if self._pool is None:  # synthesised on the runner's own thread: say it now
                    self.tell(self._untold.pop())
            return None


@dataclass(frozen=True)
class Wanted:
    """What a person asked to hear. ``sound`` is ``None`` when nobody chose (the bowl, quietly)."""

    sound: str | None  # bowl, terminal, off, or None
    voice: bool
    voices: dict[str, str]
    speech_rate: int | None
    breath_cues: str
    volume: float
    clips: Clips | None = None  # the author's recordings, by the text as the run has it


def listen(
    wanted: Wanted, lang: str, ui: str, tell: Callable[[str], None]
) -> tuple[Sink | None, Hearing, str]:
    """Open what a run will play through: give the sink (``None``: nothing to play), what it
    plays, and the bell that is left (``bowl``, ``terminal`` or ``off``).

    What was asked for and cannot be had (no sound device, no voice engine) is said once, through
    ``tell``, and the run goes on with the terminal's bell and text.
    """
    from kindful.sound.output import NoDevice, open_device
    from kindful.sound.voice_choice import find_voice

    bell = wanted.sound or "bowl"
    if bell != "bowl" and not wanted.voice:
        return None, Hearing(bells=False), bell
    try:
        sink: Sink = open_device(wanted.volume)
    except NoDevice as error:
        if wanted.sound == "bowl" or wanted.voice:
            tell(t(ui, "sound.no_device", reason=str(error)))
        return None, Hearing(bells=False), "terminal" if bell == "bowl" else bell
    voice = None
    if wanted.voice:
        from kindful.sound.speech import speaking

        engine = find_voice(lang, wanted.voices, wanted.speech_rate)
        if engine is None:
            tell(t(ui, "sound.no_voice"))
        voice = speaking(engine, wanted.clips)
    hearing = Hearing(bells=bell == "bowl", voice=voice, breath_cues=wanted.breath_cues)
    if not hearing.bells and voice is None:
        sink.close()
        return None, hearing, bell
    return sink, hearing, bell
