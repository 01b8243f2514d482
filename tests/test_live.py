"""The live loop driven by scripted keys and a fake clock, drawn on a capture console."""

from __future__ import annotations

import errno
import io
import os
import pty
import termios
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console, Group, RenderableType
from rich.text import Text

from fakes import FakeClock
from kindful.practice.plan.planner import (
    Bell,
    Breathe,
    BreathPattern,
    Plan,
    PlannedStep,
    Quote,
    Rate,
    Reflect,
    Say,
    Silence,
)
from kindful.session.engine import Session
from kindful.session.keys import Key
from kindful.session.live import Frames, run_live
from kindful.session.signals import Stopped, stop_on_signals
from kindful.session.terminal import HIDE_CURSOR, LEAVE_ALT_SCREEN, SHOW_CURSOR, LiveTerminal


class TimedKeys:
    """Keys pressed at set clock times; waiting for one moves the fake clock, never sleeps."""

    def __init__(self, clock: FakeClock, script: Iterable[tuple[float, Key]] = ()) -> None:
        self.clock = clock
        self.start = clock.now
        self.script = sorted(script, key=lambda pair: pair[0])
        self.reads = 0

    def read(self, timeout: float | None) -> list[Key]:
        self.reads += 1
        if self.reads > 100_000:
            raise AssertionError("the loop does not sleep between changes")
        if self.script:
            at = self.start + self.script[0][0]
            if timeout is None or at <= self.clock.now + timeout:
                self.clock.now = max(self.clock.now, at)
                keys = [self.script.pop(0)[1]]
                while self.script and self.start + self.script[0][0] <= self.clock.now:
                    keys.append(self.script.pop(0)[1])
                return keys
        if timeout is None:
            raise AssertionError("the session waits for a key the script does not press")
        self.clock.now += timeout
        return []


class Answers:
    def __init__(self, *lines: str | None) -> None:
        self.lines = list(lines)
        self.screens: list[RenderableType] = []

    def __call__(self, screen: RenderableType) -> str | None:
        self.screens.append(screen)
        return self.lines.pop(0)


def plan(*steps: PlannedStep, title: str = "A Kind Pause") -> Plan:
    return Plan(practice="kind-pause", title=title, lang="en", steps=steps)


def capture(width: int = 60) -> Console:
    return Console(file=io.StringIO(), width=width, color_system=None, force_terminal=False)


def live(
    the_plan: Plan,
    script: Iterable[tuple[float, Key]] = (),
    *,
    answers: Answers | None = None,
    bell: bool = True,
    speed: float = 1.0,
    lang: str = "en",
    heart: Any = None,
) -> tuple[Session, Console, TimedKeys, list[float], FakeClock]:
    clock = FakeClock()
    session = Session(the_plan, clock=clock, speed=speed)
    console = capture()
    keys = TimedKeys(clock, script)
    rings: list[float] = []
    run_live(
        session,
        lang=lang,
        bell=bell,
        console=console,
        keys=keys,
        ask=answers or Answers(),
        ring=lambda: rings.append(clock.now - keys.start),
        clock=clock,
        heart=heart(clock) if heart else None,
    )
    return session, console, keys, rings, clock


def frames(console: Console, title: str = "A Kind Pause") -> list[str]:
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return text.split(title)[1:]


def test_a_timed_step_counts_down_and_the_session_completes() -> None:
    session, console, _, _, clock = live(plan(Say("Settle in.", seconds=3.0)))
    shown = frames(console)
    assert [f.count("Settle in.") for f in shown] == [1, 1, 1]
    assert ["0:03" in shown[0], "0:02" in shown[1], "0:01" in shown[2]] == [True] * 3
    assert "step 1 of 1 · 0:03 left" in shown[0]
    assert "space pause · n next · s soften · q end" in shown[0]
    outcome = session.outcome()
    assert outcome.completed
    assert clock.now == pytest.approx(1003.0)


def test_pause_stops_the_countdown() -> None:
    session, console, keys, _, clock = live(
        plan(Say("Settle in.", seconds=10.0)),
        [(2.5, Key.SPACE), (60.0, Key.SPACE)],
    )
    shown = frames(console)
    paused = [f for f in shown if "Paused. Press space to go on." in f]
    assert len(paused) == 1  # drawn once, then nothing moves until space
    assert "0:08" in paused[0]
    assert clock.now == pytest.approx(1000 + 60 + 7.5)
    assert session.outcome().elapsed_seconds == pytest.approx(10.0)
    assert session.outcome().completed
    assert keys.reads < 20


def test_n_and_the_right_arrow_skip_and_enter_continues_only_an_untimed_step() -> None:
    session, console, _, _, clock = live(
        plan(
            Say("One.", seconds=30.0),
            Say("Two.", seconds=30.0),
            Say("Three, when you are ready.", seconds=None),
            Say("Four.", seconds=30.0),
            Quote("Words.", seconds=5.0, by="Someone"),
        ),
        [
            (1.0, Key.NEXT),
            (2.0, Key.ENTER),  # a timed step: Enter does nothing
            (3.0, Key.RIGHT),
            (4.0, Key.ENTER),
            (5.0, Key.NEXT),
        ],
    )
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Press n or Enter to continue." in text
    assert "— Someone" in text
    outcome = session.outcome()
    assert outcome.completed
    assert outcome.steps_done == 5
    assert clock.now == pytest.approx(1010.0)


def test_q_ends_the_session_as_not_completed() -> None:
    session, _, _, rings, clock = live(
        plan(Say("One.", seconds=30.0), Say("Two.", seconds=30.0)), [(40.0, Key.QUIT)]
    )
    outcome = session.outcome()
    assert not outcome.completed
    assert outcome.steps_done == 1
    assert clock.now == pytest.approx(1040.0)
    assert rings == [0.0]  # the start bell; no end bell for a session ended early


def test_ctrl_c_as_a_byte_interrupts() -> None:
    with pytest.raises(KeyboardInterrupt):
        live(plan(Say("One.", seconds=30.0)), [(1.0, Key.INTERRUPT)])


def test_soften_leaves_the_step_and_any_key_comes_back() -> None:
    session, console, _, _, clock = live(
        plan(Say("Settle in.", seconds=10.0)),
        [(2.0, Key.SOFTEN), (100.0, Key.OTHER)],
    )
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Look around and name three things you can see." in text
    assert "This is hard right now. I can go gently with myself." in text
    assert "any key come back · q end" in text
    assert session.outcome().completed
    assert clock.now == pytest.approx(1108.0)


def test_q_while_softening_ends() -> None:
    session, _, _, _, _ = live(
        plan(Say("Settle in.", seconds=10.0)), [(2.0, Key.SOFTEN), (5.0, Key.QUIT)]
    )
    assert not session.outcome().completed


def test_the_interlude_speaks_the_run_language() -> None:
    _, console, _, _, _ = live(
        plan(Say("Komm an.", seconds=10.0)), [(2.0, Key.SOFTEN), (3.0, Key.QUIT)], lang="de"
    )
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Schau dich um und nenne drei Dinge" in text
    assert "Leertaste Pause" in text


def test_a_long_silence_redraws_once_a_second_and_sleeps_between() -> None:
    session, console, keys, rings, _ = live(
        plan(Silence("", seconds=600.0, bell_every=120.0)), bell=True
    )
    drawn = len(frames(console))
    assert 600 <= drawn <= 602
    assert keys.reads <= 620  # one wake-up per change, and one for each interval bell
    assert rings == [0.0, 120.0, 240.0, 360.0, 480.0, 600.0]
    assert session.outcome().completed


def test_breathing_draws_the_pacer_and_the_phase() -> None:
    pattern = BreathPattern(inhale=4, hold=0, exhale=5.5, rest=0)
    session, console, keys, _, _ = live(
        plan(Breathe("Breathe gently.", seconds=19.0, pattern=pattern, cycles=2))
    )
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "breathe in" in text
    assert "breathe out" in text
    assert "cycle 2 of 2" in text
    assert "█" in text
    drawn = len(frames(console))
    # The pacer moves in sixteenths of each phase and the countdown by the second.
    assert drawn <= 2 * (16 + 16) + 19 + 4
    assert keys.reads <= drawn + 4
    assert session.outcome().completed


def test_the_heart_rate_and_its_trace_show_under_where_and_follow_the_breath(
    tmp_path: Path,
) -> None:
    from kindful.heart.monitor import HeartMonitor
    from kindful.heart.sources import FileSource

    rr = tmp_path / "rr.txt"
    rr.write_text("".join(f"{60_000 / (60 + 6 * (i % 10 < 5))}\n" for i in range(60)))
    made: list[HeartMonitor] = []

    def monitor(clock: FakeClock) -> HeartMonitor:
        made.append(HeartMonitor(FileSource(rr), lambda _: None))
        made[0].start(clock.now)
        return made[0]

    pattern = BreathPattern(inhale=4, hold=0, exhale=6, rest=0)
    session, console, _, _, _ = live(
        plan(Breathe("Breathe gently.", seconds=40.0, pattern=pattern, cycles=4)), heart=monitor
    )
    screens = frames(console)
    assert "♥" not in screens[0]  # no beat has come yet
    with_heart = [s for s in screens if "♥" in s]
    assert with_heart and "a minute" in with_heart[-1]
    assert any(mark in with_heart[-1] for mark in "▁▂▃▄▅▆▇█")
    assert made[0]._breaths == [1000.0, 1010.0, 1020.0, 1030.0]  # each in-breath marked
    assert session.outcome().completed


def test_a_bell_step_rings_its_strikes_apart() -> None:
    _, _, _, rings, _ = live(plan(Bell("", seconds=0.0, strikes=3), Say("After.", seconds=10.0)))
    assert rings == [0.0, 1.5, 3.0, 10.0]  # its own bell marks the start: no strike before it


def test_one_bell_at_the_start_and_one_at_the_end() -> None:
    opening, closing = Bell("", seconds=0.0, strikes=1), Bell("", seconds=0.0, strikes=1)
    _, _, _, rings, _ = live(plan(opening, Say("Sit.", seconds=10.0), closing))
    assert rings == [0.0, 10.0]  # not kindful's bell and the practice's, a gap apart
    _, _, _, rings, _ = live(plan(Say("Sit.", seconds=10.0)))
    assert rings == [0.0, 10.0]  # without bells of its own, kindful marks both


def test_no_bell_rings_nothing() -> None:
    _, _, _, rings, _ = live(
        plan(Bell("", seconds=0.0, strikes=3), Say("x", seconds=2.0)), bell=False
    )
    assert rings == []


def test_a_rating_is_asked_again_until_it_is_on_the_scale() -> None:
    answers = Answers("eleven", "11", " 7 ")
    step = Rate("How kind are you to yourself?", seconds=None, key="kind", labels={0: "not"})
    session, _, _, _, _ = live(plan(step), answers=answers)
    assert session.outcome().ratings == {"kind": 7}
    assert len(answers.screens) == 3
    second = capture()
    second.print(answers.screens[1])
    assert "Please type a whole number from 0 to 10." in second.file.getvalue()  # type: ignore[attr-defined]


def test_questions_can_be_skipped_and_reflections_are_kept() -> None:
    answers = Answers("", "  Rest. ", None)
    session, _, _, _, _ = live(
        plan(
            Rate("How do you feel?", seconds=None, key="feel"),
            Reflect("What do you need?", seconds=None),
            Reflect("And now?", seconds=None),
        ),
        answers=answers,
    )
    outcome = session.outcome()
    assert outcome.ratings == {}
    assert [(r.prompt, r.text) for r in outcome.reflections] == [("What do you need?", "Rest.")]
    assert outcome.completed


def test_a_resize_redraws_at_once() -> None:
    _, console, _, _, _ = live(
        plan(Say("Wait for me.", seconds=None)),
        [(1.0, Key.RESIZE), (2.0, Key.RESIZE), (3.0, Key.NEXT)],
    )
    assert len(frames(console)) == 3


def test_the_terminal_is_restored_after_live_mode_and_after_an_error() -> None:
    leader, follower = pty.openpty()
    out = io.StringIO()
    try:
        before = termios.tcgetattr(follower)
        with pytest.raises(RuntimeError), LiveTerminal(follower, out) as terminal:
            during = termios.tcgetattr(follower)
            assert not during[3] & termios.ECHO
            assert not during[3] & termios.ICANON
            with terminal.cooked():
                assert termios.tcgetattr(follower) == before
            assert termios.tcgetattr(follower) == during
            raise RuntimeError("boom")
        assert termios.tcgetattr(follower) == before
        written = out.getvalue()
        assert written.startswith("\x1b[?1049h" + HIDE_CURSOR)
        assert written.endswith(SHOW_CURSOR + LEAVE_ALT_SCREEN)
    finally:
        os.close(leader)
        os.close(follower)


def test_ctrl_z_pauses_the_practice_while_the_program_is_stopped() -> None:
    session, console, _, _, clock = live(
        plan(Say("Settle in.", seconds=10.0)), [(2.0, Key.SUSPEND), (300.0, Key.SPACE)]
    )
    assert "Paused. Press space to go on." in console.file.getvalue()  # type: ignore[attr-defined]
    assert session.outcome().completed
    assert clock.now == pytest.approx(1308.0)


def test_on_a_terminal_only_the_rows_that_changed_are_written() -> None:
    console = Console(
        file=io.StringIO(), width=40, height=12, force_terminal=True, color_system=None
    )
    frames = Frames(console)
    frames.draw(Group(Text("Title"), Text("0:05"), Text("keys")))
    first = console.file.getvalue()  # type: ignore[attr-defined]
    assert first.count("\x1b[") == 12  # every row, each from its own start
    assert "Title" in first
    frames.draw(Group(Text("Title"), Text("0:04"), Text("keys")))
    second = console.file.getvalue()[len(first) :]  # type: ignore[attr-defined]
    assert second.startswith("\x1b[2;1H0:04")
    assert second.count("\x1b[") == 1
    frames.draw(Group(Text("Title"), Text("0:04"), Text("keys")))
    assert console.file.getvalue() == first + second  # type: ignore[attr-defined]
    frames.forget()  # after a resize or a question: the whole screen again
    frames.draw(Group(Text("Title"), Text("0:04"), Text("keys")))
    third = console.file.getvalue()[len(first + second) :]  # type: ignore[attr-defined]
    assert third.count("\x1b[") == 12
    assert frames.count == 4


def test_without_a_terminal_the_session_runs_as_plain_lines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TERM", "dumb")
    clock = FakeClock()
    session = Session(plan(Say("Settle in.", seconds=None)), clock=clock)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    run_live(session, lang="en", bell=False, clock=clock)
    out = capsys.readouterr().out
    assert "Settle in." in out
    assert "\x1b[" not in out
    assert session.outcome().completed


def test_a_change_reported_as_due_again_and_again_cannot_make_the_loop_spin() -> None:
    clock = FakeClock()
    session = Session(plan(Say("Settle in.", seconds=1.0)), clock=clock)
    session.next_change = lambda: clock.now  # type: ignore[method-assign]
    keys = TimedKeys(clock)
    waits: list[float | None] = []
    read = keys.read

    def reading(timeout: float | None) -> list[Key]:
        waits.append(timeout)
        return read(timeout)

    keys.read = reading  # type: ignore[method-assign]
    run_live(session, lang="en", console=capture(), keys=keys, ask=Answers(), clock=clock)
    assert session.outcome().completed
    assert min(w for w in waits if w is not None) >= 0.002
    assert len(waits) <= 1.0 / 0.002 + 2


class HungUp(io.StringIO):
    """A terminal's output that fails as a hung-up terminal does once the session is drawn."""

    def write(self, text: str) -> int:
        if "Settle in." in self.getvalue():
            raise OSError(errno.EIO, "Input/output error")
        return super().write(text)


def test_a_terminal_that_fails_with_eio_ends_the_run_as_a_hang_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    leader, follower = pty.openpty()
    try:
        with open(follower, closefd=False) as stdin:
            monkeypatch.setattr("sys.stdin", stdin)
            console = Console(file=HungUp(), width=40, height=12, force_terminal=True)
            session = Session(plan(Say("Settle in.", seconds=5.0)), time.monotonic, speed=50)
            with stop_on_signals(), pytest.raises(Stopped) as stopped:
                run_live(session, lang="en", bell=False, console=console)
        assert stopped.value.status == 129
        assert termios.tcgetattr(follower)[3] & termios.ECHO  # given back all the same
    finally:
        os.close(leader)
        os.close(follower)


def test_keys_typed_as_a_step_turns_into_a_question_are_not_taken() -> None:
    answers = Answers("Rest.")
    the_plan = plan(Say("Read this.", seconds=None), Reflect("What do you need?", seconds=None))
    script = [(1.0, Key.NEXT), (1.0, Key.SPACE), (1.0, Key.NEXT)]
    session, _, _, _, _ = live(the_plan, script, answers=answers)
    assert len(answers.screens) == 1
    assert [r.text for r in session.outcome().reflections] == ["Rest."]


def test_the_screen_counts_the_steps_a_person_sees_and_says_a_rehearsal() -> None:
    the_plan = plan(Bell("", 0.0, strikes=1), Say("Settle in.", seconds=2.0), Bell("", 0.0))
    _, console, _, _, _ = live(the_plan, speed=4)
    shown = frames(console)
    assert "step 1 of 1 · 0:02 left · rehearsal ×4" in shown[0]
    assert not any("of 3" in frame for frame in shown)


def test_a_stop_whose_raise_was_lost_still_ends_the_live_run() -> None:
    # As in plain mode: a SIGTERM whose raise code kindful does not own swallowed ends the run
    # at the next turn of the loop, not ten minutes later.
    import contextlib
    import signal

    from kindful.session.signals import Stopped, stop_on_signals

    clock = FakeClock()
    session = Session(plan(Say("Stay.", seconds=600.0)), clock=clock)
    keys = TimedKeys(clock)
    read = keys.read

    def read_and_lose_a_stop(timeout: float | None) -> list[Key]:
        if keys.reads == 0:
            with contextlib.suppress(BaseException):  # a finaliser, a callback from C
                signal.raise_signal(signal.SIGTERM)
        return read(timeout)

    keys.read = read_and_lose_a_stop  # type: ignore[method-assign]
    start = clock.now
    with pytest.raises(Stopped), stop_on_signals():
        run_live(session, lang="en", console=capture(), keys=keys, ask=Answers(), clock=clock)
    assert clock.now - start <= 2  # ended at the next turn of the loop
