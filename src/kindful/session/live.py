"""The live session: drives a ``Session`` from the keys, draws the screen, rings the bells.

``run_live(session, lang=..., bell=...)`` holds the terminal in live mode for the session and
always gives it back as it was (see ``kindful.session.terminal``). It sleeps in ``select`` until the
engine's next change or a key, and redraws only when the ``View`` changes, so a quiet session
costs next to nothing. Questions (``reflect``, ``rate``) are typed in the terminal's own mode.

Everything that touches the world is injected: the console, the keys, the clock, the way a line
is asked for and the way the bell rings. Tests drive the loop with scripted keys, a fake clock
and a capture console, and never sleep.
"""

from __future__ import annotations

import errno
import math
import os
import signal
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.console import Console, RenderableType
from rich.screen import Screen

from kindful.i18n import t
from kindful.practice.plan.planner import Bell, Rate, Reflect, Survey
from kindful.session.engine import BellRung, BreathPhase, Clock, Event, Finished, Session, View
from kindful.session.events import on_scale
from kindful.session.keys import Key, KeySource, TerminalKeys
from kindful.session.screen import render, render_item, render_question, visible_place
from kindful.session.signals import stop_check
from kindful.session.terminal import LiveTerminal, is_capable

if TYPE_CHECKING:
    from kindful.heart.monitor import HeartMonitor
    from kindful.session.sounding import Guide

AskLine = Callable[[RenderableType], str | None]
"""Shows a question's screen and gives the line typed (``None`` at the end of input)."""
OpenGuide = Callable[[], "Guide | None"]
"""Opens the sound of a session: the guide that plays it, or ``None`` when nothing will."""

BELL_GAP = 1.5  # real seconds between the strikes of one bell
MIN_WAIT = 0.002  # seconds: the shortest wait between two wake-ups of the loop
HEART_EVERY = 1.0  # seconds between two looks at the heart source, when there is one
STOPPING = (Key.INTERRUPT, Key.QUIT, Key.SUSPEND)  # keys that count even as a question comes


@dataclass
class Bells:
    """The strikes still to ring, each at its own time, so a bell of three is heard as three."""

    ring: Callable[[], None]
    clock: Clock
    gap: float = BELL_GAP
    due: list[float] = field(default_factory=list)
    last: float = -math.inf  # the time of the latest strike rung or planned

    def strike(self, strikes: int) -> None:
        """Ring the first strike now (or a gap after the one before) and the others a gap apart."""
        start = max(self.clock(), self.last + self.gap)
        self.due += [start + i * self.gap for i in range(max(1, strikes))]
        self.last = self.due[-1]
        self.ring_due()

    def ring_due(self) -> None:
        """Ring the strikes whose time has come."""
        now = self.clock()
        while self.due and self.due[0] <= now + 1e-6:
            self.due.pop(0)
            self.ring()

    def next_due(self) -> float | None:
        """Give the clock time of the next strike, if one waits."""
        return self.due[0] if self.due else None


class Frames:
    """Draws screens, counting them.

    On a terminal a frame fills the whole screen, and only the rows that differ from the frame
    before are written (a breath moves the pacer's three rows and a countdown, not the rest).
    Anywhere else (a capture console in tests) each frame is printed in full.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.count = 0
        self._rows: list[str] = []
        self._size: tuple[int, int] | None = None

    def forget(self) -> None:
        """Forget what is on screen, so the next frame is written whole and measured anew."""
        self._rows = []

    def _measure(self) -> tuple[int, int]:
        try:
            size = os.get_terminal_size(self.console.file.fileno())
        except (AttributeError, OSError, ValueError):  # not a real terminal: ask rich
            return self._size or (self.console.width, self.console.height)
        self._size = (size.columns, size.lines)
        return self._size

    def draw(self, renderable: RenderableType) -> None:
        self.count += 1
        console = self.console
        if not console.is_terminal:
            console.print(renderable)
            return
        if not self._rows:  # a new screen, or the terminal changed size: measure it once
            console.size = self._measure()
        with console.capture() as capture:
            console.print(Screen(renderable), end="")
        rows = capture.get().split("\n")
        changed = [
            f"\x1b[{i + 1};1H{row}"
            for i, row in enumerate(rows)
            if i >= len(self._rows) or self._rows[i] != row
        ]
        self._rows = rows
        if changed:
            console.file.write("".join(changed))
            console.file.flush()

    def question(self, renderable: RenderableType) -> None:
        """Draw a question's screen, leaving the cursor below it for the answer."""
        self.count += 1
        self.forget()
        if self.console.is_terminal:
            self.console.clear(home=True)
        self.console.print(renderable)


def _waits_for_answer(view: View) -> bool:
    return isinstance(view.step, Rate | Reflect | Survey) and not (view.paused or view.softening)


class LiveLoop:
    """One live session, from its first step to the end or ``q``."""

    def __init__(
        self,
        session: Session,
        *,
        lang: str,
        frames: Frames,
        keys: KeySource,
        ask: AskLine,
        bells: Bells | None,
        clock: Clock,
        suspend: Callable[[], None] | None = None,
        guide: Guide | None = None,
        open_guide: OpenGuide | None = None,
        heart: HeartMonitor | None = None,
    ) -> None:
        self.session = session
        self.heart = heart  # the heart rate and its trace, shown under where the person is
        self.heart_shown = ""
        self._heart_line = (-1, "")  # the line made for the monitor's version of its beats
        self.guide = guide  # plays the bowl, the voice and the breathing cues, if any
        self.open_guide = open_guide  # opens the guide once the first frame is on screen
        self.lang = lang
        self.title = session.plan.title
        self.frames = frames
        self.keys = keys
        self.ask = ask
        self.bells = bells
        self.clock = clock
        self.suspend = suspend
        self.shown: View | None = None

    def run(self) -> None:
        """Start the session and drive it until it is finished or the person ends it.

        With ``open_guide``, the sound is opened only once the first frame is on screen, so
        that the person sees the practice while the sound libraries and the device load; what
        the first step rings is played as soon as they are ready.
        """
        if self.open_guide is None:
            self.start_sound()
        starting = self.session.start()
        if self.open_guide is not None:
            view = self.session.view()
            if not _waits_for_answer(view):
                self.draw(view)
            self.guide = self.open_guide()
            if self.guide is not None and self.guide.hearing.bells:
                self.bells = None  # the bowl rings instead of the terminal
            self.start_sound()
        self.handle(starting)
        while True:
            stop_check()  # a stop whose raise was lost ends the run here
            view = self.session.view()
            if view.finished:
                return
            if _waits_for_answer(view):
                self.question(view)
                self.shown = None
                self.handle(self.session.update())
                continue
            if view != self.shown or self.heart_line() != self.heart_shown:
                self.draw(view)
            for key in self.keys.read(self.timeout()):
                if _waits_for_answer(self.session.view()) and key not in STOPPING:
                    continue  # typed for the step before the question: not for the question
                self.press(key)
            if self.bells:
                self.bells.ring_due()
            self.handle(self.session.update())

    def start_sound(self) -> None:
        """Mark the start with a soft bell, and get the guide's first words ready.

        A practice that opens with a bell of its own has its start marked already: one bell,
        not two a gap apart. The same goes for one that closes with a bell.
        """
        if self.bells and not isinstance(self.session.steps[0], Bell):
            self.bells.strike(1)  # a soft bell marks the start
        if self.guide is not None:
            self.guide.prepare()

    def draw(self, view: View) -> None:
        """Draw the screen of ``view``."""
        self.heart_shown = self.heart_line()
        self.frames.draw(
            render(
                view,
                title=self.title,
                lang=self.lang,
                place=self.place(view),
                speed=self.session.speed,
                heart=self.heart_shown,
            )
        )
        self.shown = view

    def heart_line(self) -> str:
        """Give the heart's line: its rate and recent trace; empty without a heart source."""
        heart = self.heart
        if heart is None or heart.heart_rate is None:
            return ""
        if self._heart_line[0] != heart.version:  # made again only when new beats came
            rate, trace = round(heart.heart_rate), heart.trace(self.clock())
            self._heart_line = (heart.version, t(self.lang, "heart.live", rate=rate, trace=trace))
        return self._heart_line[1]

    def place(self, view: View) -> tuple[int, int]:
        """Give "step k of n" as the person counts: the steps they see."""
        return visible_place(self.session.plan.steps, view.index)

    def timeout(self) -> float | None:
        """Give the seconds to wait for a key: until the next change of the view or a bell."""
        times = [self.session.next_change()]
        if self.bells:
            times.append(self.bells.next_due())
        if self.heart is not None:  # the beats are taken, and the trace moves, each second
            times.append(self.clock() + HEART_EVERY / self.session.speed)
        due = [x for x in times if x is not None]
        # A floor of a couple of milliseconds, invisible on screen, so that a change reported
        # as due again and again (float noise) can never make the loop spin.
        return max(MIN_WAIT, min(due) - self.clock()) if due else None

    def handle(self, events: list[Event]) -> None:
        """Ring what the session's events ask for; mark each in-breath for the heart."""
        if self.guide is not None:
            self.guide.handle(events)
        if self.heart is not None:
            now = self.clock()
            for event in events:
                if isinstance(event, BreathPhase) and event.phase.value == "in":
                    self.heart.breath_began(now, first=event.cycle == 1)
            self.heart.poll(now)
        for event in events:
            if not self.bells:
                return
            if isinstance(event, BellRung):
                self.bells.strike(event.strikes)
            elif (
                isinstance(event, Finished)
                and event.completed
                and not isinstance(self.session.steps[-1], Bell)  # its own bell marks it
            ):
                self.bells.strike(1)  # a soft bell marks the end

    def press(self, key: Key) -> None:
        """Do what a key means now."""
        session = self.session
        if key is Key.INTERRUPT:
            raise KeyboardInterrupt
        if key is Key.RESIZE:
            self.shown = None
            self.frames.forget()
        elif key is Key.SUSPEND:
            # Ctrl-Z: the practice waits, paused, while the program is stopped.
            if not session.paused:
                session.toggle_pause()
            if self.suspend is not None:
                self.suspend()
            self.shown = None
            self.frames.forget()
        elif key is Key.QUIT:
            session.quit()
        elif session.softening:
            session.unsoften()  # any other key brings the person back
        elif key is Key.SPACE:
            session.toggle_pause()
        elif key in (Key.NEXT, Key.RIGHT):
            session.next_step()
        elif key is Key.ENTER and session.view().step_left is None:
            session.next_step()  # Enter continues only a step that waits for the person
        elif key is Key.SOFTEN:
            session.soften()

    def question(self, view: View) -> None:
        """Ask a ``reflect`` or ``rate`` step's question until it has a usable answer."""
        step = view.step
        if isinstance(step, Survey):
            self.session.answer([self.item(view, step, i) for i in range(len(step.items))])
            return
        problem: str | None = None
        # A key typed just as the step became a question (an n or a space meant for the step
        # before) is not the answer: let it go before the question is asked.
        for key in self.keys.read(0):
            if key in STOPPING:
                self.press(key)
        if self.session.view().finished:
            return
        while True:
            screen = render_question(
                view,
                title=self.title,
                lang=self.lang,
                problem=problem,
                place=self.place(view),
                speed=self.session.speed,
            )
            line = self.ask(screen)
            text = (line or "").strip()
            if isinstance(step, Reflect):
                self.session.answer(text or None)
                return
            assert isinstance(step, Rate)
            try:
                self.session.answer(int(text) if text else None)
                return
            except ValueError:
                problem = t(self.lang, "live.rate.invalid", low=step.low, high=step.high)

    def item(self, view: View, step: Survey, index: int) -> int | None:
        """Ask one item of a survey until it has a number on the scale, or is skipped."""
        problem: str | None = None
        while True:
            screen = render_item(view, index, title=self.title, lang=self.lang, problem=problem)
            text = (self.ask(screen) or "").strip()
            if not text:
                return None
            value = on_scale(text, step.low, step.high)
            if value is not None:
                return value
            problem = t(self.lang, "live.rate.invalid", low=step.low, high=step.high)


def _terminal_ask(
    console: Console, terminal: LiveTerminal, keys: TerminalKeys, frames: Frames
) -> AskLine:
    def ask(screen: RenderableType) -> str | None:
        frames.question(screen)
        with terminal.cooked(), keys.stop_allowed():
            try:
                return console.input("  › ")
            except EOFError:
                return None

    return ask


def run_live(
    session: Session,
    *,
    lang: str,
    bell: bool = True,
    console: Console | None = None,
    keys: KeySource | None = None,
    ask: AskLine | None = None,
    ring: Callable[[], None] | None = None,
    clock: Clock = time.monotonic,
    guide: Guide | None = None,
    open_guide: OpenGuide | None = None,
    heart: HeartMonitor | None = None,
) -> None:
    """Run ``session`` on the live screen until it ends or the person ends it; start it here.

    The sound plays through ``guide``, or through the guide ``open_guide`` gives once the first
    frame is drawn (``None``: no sound of its own; the terminal's bell rings where ``bell``).

    With ``keys`` left out this takes over the real terminal (stdin and stdout) and gives it
    back as it was on every way out, exceptions and signals included. Tests pass ``keys``,
    ``ask``, a capture ``console`` and a fake ``clock`` instead. The session's ``clock`` should
    be the same clock.

    Where the live screen cannot work (stdin or stdout not a terminal, or ``TERM=dumb``) the
    session runs as plain lines instead, so the caller may call this whenever it likes.
    """
    if keys is None and console is None and not is_capable():
        from kindful.session.plain import run_plain

        run_plain(
            session,
            lang=lang,
            bell=bell,
            clock=clock,
            guide=guide,
            open_guide=open_guide,
            heart=heart,
        )
        return
    with ExitStack() as stack:
        if console is None:
            # Live mode holds a terminal on both ends; saying so spares rich asking at each
            # frame. NO_COLOR is still honoured by rich.
            console = Console(highlight=False, soft_wrap=False, force_terminal=keys is None)
        frames = Frames(console)
        suspend: Callable[[], None] | None = None
        own_terminal: LiveTerminal | None = None
        if keys is None:
            fd = sys.stdin.fileno()
            terminal = own_terminal = stack.enter_context(LiveTerminal(fd, console.file))
            own_keys = stack.enter_context(TerminalKeys(fd))
            keys, suspend = own_keys, terminal.suspend
            if ask is None:
                ask = _terminal_ask(console, terminal, own_keys, frames)
        if ask is None:
            raise ValueError("run_live needs ask when it is given keys")
        bells = Bells(ring or console.bell, clock) if bell else None
        loop = LiveLoop(
            session,
            lang=lang,
            frames=frames,
            keys=keys,
            ask=ask,
            bells=bells,
            clock=clock,
            suspend=suspend,
            guide=guide,
            open_guide=open_guide,
            heart=heart,
        )
        try:
            loop.run()
        except OSError as error:
            if error.errno != errno.EIO or own_terminal is None:
                raise
            # The terminal hung up and writing to it failed before SIGHUP came: end the
            # way SIGHUP ends a run, through its handler, so the session is still logged.
            signal.raise_signal(signal.SIGHUP)
            raise
