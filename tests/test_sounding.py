"""A session's sound: which sounds the plain and live runners start when, on a fake clock."""

from __future__ import annotations

import io
from collections.abc import Callable

from rich.console import Console

from fakes import FakeClock
from kindful.practice.plan.planner import (
    Bell,
    Breathe,
    BreathPattern,
    Plan,
    PlannedStep,
    Reflect,
    Say,
)
from kindful.session.engine import Session
from kindful.session.keys import Key
from kindful.session.live import run_live
from kindful.session.plain import run_plain
from kindful.session.sounding import Guide, Hearing
from kindful.sound.bowl import BELL_GAP
from sound_fakes import FakeVoice, RecordingSink
from test_live import Answers, TimedKeys, capture


def plan_of(*steps: PlannedStep) -> Plan:
    return Plan(practice="test", title="Test", lang="en", steps=tuple(steps))


def plain(
    plan: Plan, hearing: Hearing, lines: list[str | None] | None = None
) -> tuple[Session, RecordingSink, FakeClock, list[str]]:
    clock = FakeClock(0.0)
    session = Session(plan, clock, bell_gap=BELL_GAP if hearing.bells else 0.0)
    sink = RecordingSink(clock)
    told: list[str] = []
    guide = Guide(session, sink, hearing, lang="en", clock=clock, tell=told.append)
    feed = iter(lines or [])
    run_plain(
        session,
        lang="en",
        bell=False,
        out=io.StringIO(),
        read_line=lambda: next(feed, None),
        sleep=clock.tick,
        clock=clock,
        guide=guide,
    )
    guide.close()
    return session, sink, clock, told


def test_bells_ring_as_the_steps_begin_and_the_run_waits_for_their_strikes() -> None:
    plan = plan_of(Bell("", 0, strikes=1), Say("Rest here.", 10.0), Bell("", 0, strikes=3))
    session, sink, _, _ = plain(plan, Hearing(bells=True))
    assert sink.tags() == [(0.0, "bell"), (11.5, "bell")]
    outcome = session.outcome()
    assert outcome.completed
    assert outcome.elapsed_seconds == 1.5 + 10 + 3 * 1.5  # the closing strikes are waited for
    assert sink.closed


def test_speech_starts_with_its_step_and_the_next_is_synthesised_ahead() -> None:
    voice = FakeVoice()  # a tenth of a second a word
    plan = plan_of(Say("one two three", 5.0), Say("four five", 5.0))
    session, sink, _, _ = plain(plan, Hearing(bells=False, voice=voice))
    assert sink.tags() == [(0.0, "speech"), (5.0, "speech")]
    assert [text for text, _ in voice.texts] == ["one two three", "four five"]
    assert session.outcome().elapsed_seconds == 10.0


def test_a_timed_step_waits_for_its_speech_to_end() -> None:
    voice = FakeVoice(seconds_per_word=1.0)
    plan = plan_of(Say("a b c d e f g", 5.0), Say("h", 5.0))
    session, sink, _, _ = plain(plan, Hearing(bells=False, voice=voice))
    assert sink.tags() == [(0.0, "speech"), (7.0, "speech")]
    assert session.outcome().elapsed_seconds == 12.0  # and the log says so


def test_breath_cues_rise_and_fall_with_the_phases_and_hold_is_quiet() -> None:
    step = Breathe("", 20.0, pattern=BreathPattern(4, 2, 4, 0), cycles=2)
    _, sink, _, _ = plain(plan_of(step), Hearing(bells=False))
    assert sink.tags() == [(0.0, "cue"), (6.0, "cue"), (10.0, "cue"), (16.0, "cue")]
    assert [seconds for _, _, seconds in sink.played] == [4.0, 4.0, 4.0, 4.0]


def test_breath_cues_can_be_words_and_wait_while_the_step_is_spoken() -> None:
    voice = FakeVoice()
    step = Breathe("Breathe gently now", 16.0, pattern=BreathPattern(4, 0, 4, 0), cycles=2)
    _, sink, _, _ = plain(plan_of(step), Hearing(bells=False, voice=voice, breath_cues="voice"))
    # 0.3 s of words open the step: the first in-breath's cue gives way to them.
    assert sink.tags() == [(0.0, "speech"), (4.0, "cue"), (8.0, "cue"), (12.0, "cue")]
    assert ("in", "en") in voice.texts and ("out", "en") in voice.texts


def test_no_cues_when_they_are_off() -> None:
    step = Breathe("", 8.0, pattern=BreathPattern(4, 0, 4, 0), cycles=1)
    _, sink, _, _ = plain(plan_of(step), Hearing(bells=False, breath_cues="off"))
    assert sink.played == []


def test_a_question_is_spoken_and_not_held() -> None:
    voice = FakeVoice(seconds_per_word=2.0)
    session, sink, _, _ = plain(
        plan_of(Reflect("What do you need?", None)),
        Hearing(bells=False, voice=voice),
        lines=["rest"],
    )
    assert sink.tags() == [(0.0, "speech")]
    assert session.outcome().elapsed_seconds == 0.0


def test_a_voice_that_fails_is_said_once_and_the_run_goes_on() -> None:
    from kindful.sound.voice import VoiceError

    class Broken(FakeVoice):
        def speak(self, text: str, lang: str):  # type: ignore[no-untyped-def]
            raise VoiceError("espeak-ng failed: no such voice")

    plan = plan_of(Say("a", 1.0), Say("b", 1.0), Say("c", 1.0))
    session, sink, _, told = plain(plan, Hearing(bells=False, voice=Broken()))
    assert session.outcome().completed
    assert sink.played == []
    assert len(told) == 1 and "no such voice" in told[0]


def live(
    plan: Plan, hearing: Hearing, script: list[tuple[float, Key]]
) -> tuple[Session, RecordingSink]:
    clock = FakeClock()
    session = Session(plan, clock=clock, bell_gap=BELL_GAP if hearing.bells else 0.0)
    sink = RecordingSink(clock)
    guide = Guide(session, sink, hearing, lang="en", clock=clock, tell=print)
    keys = TimedKeys(clock, script)
    run_live(
        session,
        lang="en",
        bell=False,
        console=capture(),
        keys=keys,
        ask=Answers(),
        clock=clock,
        guide=guide,
    )
    guide.close()
    sink.played = [(at - keys.start, tag, s) for at, tag, s in sink.played]
    sink.calls = [(round(at - keys.start, 3), what) for at, what in sink.calls]
    return session, sink


def test_live_pause_pauses_the_voice_and_the_step_waits() -> None:
    voice = FakeVoice(seconds_per_word=1.0)
    plan = plan_of(Say("a b c d", 10.0), Say("e", 5.0))
    session, sink = live(
        plan, Hearing(bells=False, voice=voice), [(2.0, Key.SPACE), (5.0, Key.SPACE)]
    )
    assert (2.0, "pause") in sink.calls and (5.0, "resume") in sink.calls
    assert sink.tags() == [(0.0, "speech"), (13.0, "speech")]
    assert session.outcome().elapsed_seconds == 15.0


def test_live_q_stops_every_sound_at_once() -> None:
    voice = FakeVoice(seconds_per_word=1.0)
    plan = plan_of(Bell("", 0, strikes=2), Say("a b c d e f", 10.0))
    session, sink = live(plan, Hearing(bells=True, voice=voice), [(4.0, Key.QUIT)])
    assert sink.tags() == [(0.0, "bell"), (3.0, "speech")]
    assert (4.0, "stop") in sink.calls
    assert not session.outcome().completed


def test_live_next_step_stops_the_words_of_the_step_left() -> None:
    voice = FakeVoice(seconds_per_word=1.0)
    plan = plan_of(Say("a b c d e f", None), Say("g", 2.0))
    _, sink = live(plan, Hearing(bells=False, voice=voice), [(1.0, Key.NEXT)])
    assert sink.tags() == [(0.0, "speech"), (1.0, "speech")]
    assert (1.0, "stop speech") in sink.calls


def test_live_the_bell_stays_on_screen_while_it_rings() -> None:
    clock = FakeClock()
    plan = plan_of(Bell("", 0, strikes=3), Say("After the bell.", 2.0))
    session = Session(plan, clock=clock, bell_gap=BELL_GAP)
    sink = RecordingSink(clock)
    guide = Guide(session, sink, Hearing(voice=FakeVoice()), lang="en", clock=clock, tell=print)
    console = capture()
    keys = TimedKeys(clock)
    run_live(
        session,
        lang="en",
        bell=False,
        console=console,
        keys=keys,
        ask=Answers(),
        clock=clock,
        guide=guide,
    )
    shown = console.file.getvalue().split("Test")[1:]  # type: ignore[attr-defined]
    assert "the bell" in shown[0] and "After the bell." not in shown[0]
    assert "After the bell." in shown[1]
    assert [(at - keys.start, tag) for at, tag, _ in sink.played] == [
        (0.0, "bell"),
        (4.5, "speech"),
    ]


def live_opening(
    open_guide: Callable[[Session, Console, FakeClock], Guide | None],
) -> tuple[Session, TimedKeys, list[float]]:
    """Run a bell and a step live, the sound opened by ``open_guide`` once the first frame is
    drawn; give the session, its keys, and the times the terminal's bell rang."""
    clock = FakeClock()
    plan = plan_of(Bell("", 0, strikes=1), Say("Rest here.", 4.0))
    session = Session(plan, clock=clock, bell_gap=BELL_GAP)
    console = capture()
    keys = TimedKeys(clock)
    terminal_bells: list[float] = []
    run_live(
        session,
        lang="en",
        bell=True,
        console=console,
        keys=keys,
        ask=Answers(),
        clock=clock,
        open_guide=lambda: open_guide(session, console, clock),
        ring=lambda: terminal_bells.append(clock.now - keys.start),
    )
    return session, keys, terminal_bells


def test_live_the_first_frame_is_drawn_before_the_sound_opens() -> None:
    sinks: list[RecordingSink] = []
    on_screen_at_open: list[str] = []

    def open_guide(session: Session, console: Console, clock: FakeClock) -> Guide:
        on_screen_at_open.append(console.file.getvalue())  # type: ignore[attr-defined]
        clock.tick(0.25)  # the libraries and the device take a while
        sinks.append(RecordingSink(clock))
        return Guide(session, sinks[0], Hearing(bells=True), lang="en", clock=clock, tell=print)

    session, keys, terminal_bells = live_opening(open_guide)
    assert "the bell" in on_screen_at_open[0] and "step 1 of 1" in on_screen_at_open[0]
    assert [(at - keys.start, tag) for at, tag, _ in sinks[0].played] == [(0.25, "bell")]
    assert terminal_bells == []  # the bowl rings, not the terminal as well
    assert session.outcome().completed


def test_live_without_a_sound_device_the_terminal_bell_rings() -> None:
    session, _, terminal_bells = live_opening(lambda *_: None)
    # The practice's own bell marks the start (not kindful's too, a gap before it); the end.
    assert terminal_bells[:2] == [0.0, 5.5]
    assert session.outcome().completed


def test_plain_the_first_line_is_out_before_the_sound_opens() -> None:
    clock = FakeClock(0.0)
    plan = plan_of(Bell("", 0, strikes=1), Say("Rest here.", 4.0))
    session = Session(plan, clock, bell_gap=BELL_GAP)
    sink = RecordingSink(clock)
    out = io.StringIO()
    out_at_open: list[str] = []

    def open_guide() -> Guide:
        out_at_open.append(out.getvalue())
        return Guide(session, sink, Hearing(bells=True), lang="en", clock=clock, tell=print)

    run_plain(
        session,
        lang="en",
        bell=True,
        out=out,
        read_line=lambda: None,
        sleep=clock.tick,
        clock=clock,
        open_guide=open_guide,
    )
    assert out_at_open[0].startswith("Test · ") and "Bell" not in out_at_open[0]
    assert sink.tags() == [(0.0, "bell")]
    assert "\a" not in out.getvalue()  # the bowl rings, not the terminal as well
