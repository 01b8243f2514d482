"""The plain runner: a session as plain lines, for screen readers, pipes, logs and scripts.

One line per prompt, written and flushed as it happens, so ``| tee`` and a screen reader follow
live; no cursor movement and no colour. Every question (an input, ``reflect``, ``rate``) reads one
line: an empty line or the end of input skips it or takes the default. Untimed steps continue at
once; timed steps take their planned time divided by the speed, sleeping until each of the
engine's deadlines (the clock and the sleep are injected, so tests never wait).

The bell is a line ("Bell"). The terminal's bell character is written too, but only when the
bell is on and the output is a terminal: in a file or a pipe it would only be noise in the text.

A person at a terminal (``typed`` given: lines typed while a step runs) is told once how to
move on, soften and stop: ``n``, ``s`` or ``q``, each a line of its own (then Enter), read while
a step runs, so that a screen reader's user has the keys of the live screen without raw keys.
What was typed but not sent when a question begins is let go (``discard``), so a key meant for
the step before never lands in the answer.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from kindful.i18n import t
from kindful.lengths import length, number
from kindful.practice.plan.planner import (
    Bell,
    Breathe,
    Plan,
    PlannedStep,
    Quote,
    Rate,
    Reflect,
    Silence,
    Survey,
    seen_steps,
    stem,
    visible_place,
)
from kindful.session.engine import (
    BellRung,
    BreathPhase,
    Clock,
    Event,
    Finished,
    Outcome,
    Session,
    StepStarted,
    waits_for_person,
)
from kindful.session.events import on_scale
from kindful.session.signals import stop_check

if TYPE_CHECKING:
    from kindful.heart.monitor import HeartMonitor
    from kindful.practice.format.texts import Question
    from kindful.session.sounding import Guide

ReadLine = Callable[[], str | None]
"""Gives the next line typed or piped in, without its newline; ``None`` at the end of input."""

Typed = Callable[[float], str | None]
"""Waits up to the seconds given for a line typed; gives it, or ``None`` when none came."""

NEXT, SOFTEN, QUIT = "n", "s", "q"  # the lines plain mode takes while a step runs

Sleep = Callable[[float], None]

LONGEST_NAP = 60.0  # seconds; a very long step is slept in pieces (no sleep overflows)
HEART_NAP = 1.0  # seconds: with a heart source, the beats are taken at least this often
HEART_LINE_EVERY = 60.0  # seconds of practice between two lines of the heart rate


def stdin_line() -> str | None:
    """Give the next line of stdin, ``None`` at its end."""
    line = sys.stdin.readline()
    return None if line == "" else line.rstrip("\r\n")


@dataclass
class Lines:
    """Where the plain lines go: each written whole and flushed at once."""

    out: TextIO
    beep: bool = False

    def say(self, line: str) -> None:
        self.out.write(line + "\n")
        self.out.flush()

    def ring(self) -> None:
        if self.beep:
            self.out.write("\a")
            self.out.flush()


def ask_inputs(
    questions: list[Question], given: dict[str, str], lang: str, lines: Lines, read_line: ReadLine
) -> dict[str, str]:
    """Ask each input not already ``given``; give every answer by name.

    An empty line or the end of input takes the default.
    """
    answers = dict(given)
    for question in questions:
        if question.name in answers:
            continue
        key = "run.input_default" if question.default else "run.input_skip"
        lines.say(_wrapped(t(lang, key, ask=question.ask, default=question.default), lines.out))
        answers[question.name] = (read_line() or "").strip() or question.default
    return answers


def _wrapped(text: str, out: TextIO) -> str:
    """Give ``text`` wrapped between words to the terminal's width when ``out`` is a terminal."""
    if not out.isatty():
        return text
    import shutil
    import textwrap

    width = max(20, shutil.get_terminal_size().columns - 1)
    return "\n".join(textwrap.fill(p, width, break_long_words=False) for p in text.split("\n"))


class PlainRunner:
    """Walks a session as plain lines; see the module docstring."""

    def __init__(
        self,
        session: Session,
        *,
        lang: str,
        lines: Lines,
        read_line: ReadLine,
        sleep: Sleep,
        clock: Clock,
        wait: bool = False,
        guide: Guide | None = None,
        open_guide: Callable[[], Guide | None] | None = None,
        typed: Typed | None = None,
        discard: Callable[[], None] | None = None,
        heart: HeartMonitor | None = None,
    ) -> None:
        self.session = session
        self.typed = typed  # a person at a terminal: n, s, q read as lines while a step runs
        self.discard = discard  # lets go of what was typed and not sent, before a question
        self.heart = heart  # the heart rate, said once a minute, if a strap or file gives it
        self._heart_said = 0.0
        self.guide = guide  # plays the bells, the voice and the breathing cues, if any
        self.open_guide = open_guide  # opens the guide once the first line is out
        self.wait = wait  # a person at a terminal: untimed steps wait for Enter
        self.lang = lang
        self.lines = lines
        self.read_line = read_line
        self.sleep = sleep
        self.clock = clock
        self._bell_step_rung = False

    def run(self) -> None:
        """Run the session to its end; Ctrl-C and signals pass through to the caller."""
        session = self.session
        self.lines.say(header(session.plan, session.speed, self.lang))
        if self.typed is not None:
            self.lines.say(t(self.lang, "run.plain_keys"))
        if self.open_guide is not None:  # the sound loads while the first line is read
            self.guide = self.open_guide()
            if self.guide is not None and self.guide.hearing.bells:
                self.lines.beep = False  # the bowl rings instead of the terminal
        if self.guide is not None:
            self.guide.prepare()
        self.handle(session.start())
        while not session.finished:
            stop_check()  # a stop whose raise was lost ends the run here
            if waits_for_person(session.step):
                self.take_turn(session.step)
            else:
                due = session.next_event()
                if due is None:  # nothing can move a plain run on but time
                    session.next_step()
                else:
                    self.sleep_until(due)
            self.handle(session.update())

    def sleep_until(self, due: float) -> None:
        wait = due - self.clock()
        if wait <= 0:
            return
        nap = HEART_NAP if self.heart is not None else LONGEST_NAP
        if self.typed is None:
            self.sleep(min(wait, nap))  # the loop comes back for the rest
            return
        line = self.typed(min(wait, nap))
        if line is not None:
            self.command(line)

    def command(self, line: str) -> None:
        """Do what a line typed while a step runs asks: move on, soften, or end."""
        word = line.strip().lower()
        if word == NEXT:
            self.session.next_step()
        elif word == SOFTEN:
            self.soften()
        elif word == QUIT:
            self.session.quit()
        elif word:
            self.lines.say(t(self.lang, "run.plain_keys_short"))

    def soften(self) -> None:
        """Leave the step for the grounding interlude, as lines; Enter comes back, ``q`` ends."""
        self.session.soften()
        self.handle(self.session.update())
        for key in ("title", "feet", "breath", "kind"):
            self.lines.say(t(self.lang, f"live.soften.{key}"))
        self.lines.say(t(self.lang, "run.soften_plain"))
        answer = self.read_line()
        if answer is not None and answer.strip().lower() == QUIT:
            self.session.quit()
            return
        self.session.unsoften()
        self.lines.say(t(self.lang, "run.soften_back"))

    def follow_heart(self, events: list[Event]) -> None:
        """Take the heart's beats, mark each in-breath, and say the heart rate once a minute."""
        heart, now = self.heart, self.clock()
        if heart is None:
            return
        for event in events:
            if isinstance(event, BreathPhase) and event.phase.value == "in":
                heart.breath_began(now, first=event.cycle == 1)
        heart.poll(now)
        rate = heart.heart_rate
        if rate is not None and now - self._heart_said >= HEART_LINE_EVERY / self.session.speed:
            self._heart_said = now
            self.lines.say(t(self.lang, "heart.plain", rate=round(rate)))

    def take_turn(self, step: PlannedStep) -> None:
        """Ask a question step, or go on from an untimed step at once."""
        if isinstance(step, Rate):
            self.session.answer(self.ask_rating(step))
        elif isinstance(step, Survey):
            self.session.answer(self.ask_survey(step))
        elif isinstance(step, Reflect):
            self.session.answer(self.read_line())
        else:
            if self.wait:
                self.lines.say(t(self.lang, "run.continue"))
                line = (self.read_line() or "").strip().lower()
                if self.typed is not None and line in (SOFTEN, QUIT):
                    self.command(line)  # soften comes back to this step; q ends
                    return
            self.session.next_step()

    def ask_survey(self, step: Survey) -> list[int | None]:
        """Give the answer to each item of a survey, one line each; ``None`` for one skipped."""
        answers: list[int | None] = []
        total = len(step.items)
        for index, item in enumerate(step.items, 1):
            self.lines.say(
                t(self.lang, "run.survey_item", index=index, total=total, text=item.text)
            )
            answers.append(self.ask_rating(step))
        return answers

    def ask_rating(self, step: Rate | Survey) -> int | None:
        """Give the rating typed, asking again after anything off the scale; ``None`` skips."""
        while True:
            line = self.read_line()
            text = (line or "").strip()
            if not text:
                return None
            value = on_scale(text, step.low, step.high)
            if value is not None:
                return value
            self.lines.say(t(self.lang, "run.rate_invalid", low=step.low, high=step.high))

    def handle(self, events: list[Event]) -> None:
        if self.guide is not None:
            self.guide.handle(events)
        self.follow_heart(events)
        for event in events:
            if isinstance(event, StepStarted):
                self.step_started(event)
            elif isinstance(event, BreathPhase):
                self.lines.say(phase_line(event, self.lang))
            elif isinstance(event, BellRung):
                if not self._bell_step_rung:
                    self.lines.say(bell_line(event.strikes, self.lang))
                self._bell_step_rung = False
                for _ in range(event.strikes):
                    self.lines.ring()
            elif isinstance(event, Finished):
                pass  # the summary comes once the session is logged

    def step_started(self, event: StepStarted) -> None:
        """Say the step: ``[k/n]`` as a person counts, as the live screen does; a bell has none."""
        text = step_line(event.step, self.lang)
        if self.discard is not None and isinstance(event.step, Rate | Survey | Reflect):
            self.discard()  # typed for the step before and not sent: not for this question
        if isinstance(event.step, Bell):
            self.lines.say(text)
        else:
            index, total = visible_place(self.session.steps, event.index)
            self.lines.say(t(self.lang, "run.step", index=index, total=total, text=text))
        self._bell_step_rung = isinstance(event.step, Bell)


def header(plan: Plan, speed: float, lang: str) -> str:
    """Give the first line: the practice, its steps (bells are not counted) and its length."""
    count = seen_steps(plan.steps)
    line = t(lang, "run.header", title=plan.title, steps=count)
    if count == 1:
        line = t(lang, "run.header_one", title=plan.title)
    elif count == 0:  # bells alone: nothing to count
        line = plan.title
    if plan.planned_seconds:
        line += " · " + length(plan.planned_seconds, lang)
    if speed != 1:
        line += " · " + t(lang, "run.at_speed", speed=number(speed, lang))
    return line


def step_line(step: PlannedStep, lang: str) -> str:
    """Give what a step says as it begins, with its time and what it asks for."""
    if isinstance(step, Bell):
        return bell_line(step.strikes, lang)
    if isinstance(step, Rate):
        return f"{step.text} ({rate_hint(step, lang)})"
    if isinstance(step, Survey):
        labels = ", ".join(f"{n} = {label}" for n, label in sorted(step.labels.items()))
        scale = f"{step.low}–{step.high}" + (f": {labels}" if labels else "")
        hint = t(lang, "run.survey_hint", items=len(step.items), scale=scale)
        return f"{step.text} ({hint})"
    if isinstance(step, Reflect):
        return f"{step.text} ({t(lang, 'run.reflect_hint')})"
    detail = []
    text = step.text
    if isinstance(step, Quote):
        text = t(lang, "run.quote", text=text, by=step.by) if step.by else f"“{text}”"
    if isinstance(step, Breathe):
        text = text or t(lang, "run.breathe")
        one = step.cycles == 1
        detail.append(
            t(lang, "run.breath_one") if one else t(lang, "run.breaths", cycles=step.cycles)
        )
    if isinstance(step, Silence):
        text = text or t(lang, "run.silence")
    if step.seconds is not None:
        detail.append(length(step.seconds, lang))
    if isinstance(step, Silence) and step.bell_every:
        detail.append(t(lang, "run.bell_every", every=length(step.bell_every, lang)))
    return f"{text} ({', '.join(detail)})" if detail else text


def rate_hint(step: Rate, lang: str) -> str:
    """Give the scale of a rating, its labels, and how to skip."""
    labels = ", ".join(f"{n} = {label}" for n, label in sorted(step.labels.items()))
    scale = f"{step.low}–{step.high}" + (f": {labels}" if labels else "")
    return t(lang, "run.rate_hint", scale=scale)


def phase_line(event: BreathPhase, lang: str) -> str:
    """Give the cue of a breathing phase with its seconds; the first of a cycle counts it."""
    line = t(lang, f"run.phase.{event.phase.value}", time=length(event.seconds, lang))
    first = event.phase.value == "in"
    if first and event.cycles > 1:
        line = t(lang, "run.cycle", line=line, cycle=event.cycle, cycles=event.cycles)
    return line


def bell_line(strikes: int, lang: str) -> str:
    return t(lang, "run.bell") if strikes == 1 else t(lang, "run.bells", strikes=strikes)


def summary(outcome: Outcome, lang: str, steps: Sequence[PlannedStep] = ()) -> list[str]:
    """Give the kind words at the end: time practised, steps, how the ratings moved.

    ``steps`` are the plan's: its ``rate`` steps name the ratings and give their order.
    """
    time_text = length(outcome.elapsed_seconds, lang)
    done, total = outcome.steps_done, outcome.steps_total
    if steps:  # count the steps a person saw, as the live screen does: a bell is not one
        done, total = seen_steps(steps[:done]), seen_steps(steps)
    if outcome.completed and total == 1:
        lines = [t(lang, "run.done_one", time=time_text)]
    elif outcome.completed:
        lines = [t(lang, "run.done", time=time_text, steps=total)]
    else:
        lines = [t(lang, "run.ended_early", time=time_text, done=done, total=total)]
    lines += rating_lines(outcome.ratings, lang, [s for s in steps if isinstance(s, Rate)])
    for key, scored in sorted(outcome.surveys.items()):
        score = number(round(scored.score, 2), lang)
        total = len(scored.answers)
        values = {"key": key, "score": score, "answered": scored.answered, "total": total}
        lines.append(t(lang, "run.survey_score", **values))
    return lines


def rating_lines(ratings: dict[str, int], lang: str, rates: Sequence[Rate] = ()) -> list[str]:
    """Give ``stress 6 → 3, toward calm`` for each ``_before``/``_after`` pair, the rest alone.

    Ratings are named and ordered as the ``rates`` asked them (a ``label``, else the key's stem
    with ``_`` as space); a change says toward which end it went where the scale's ends have
    labels. Ratings no step asked come after, by key.
    """
    asked: dict[str, Rate] = {}
    for rate in rates:
        asked.setdefault(rate.key, rate)
    keys = [k for k in asked if k in ratings] + sorted(k for k in ratings if k not in asked)
    lines: list[str] = []
    shown: set[str] = set()
    for key in keys:
        if key in shown:
            continue
        rate = asked.get(key) or Rate("", None, key=key)
        name = rate.name
        partner = _partner(key, stem(key))
        if partner is None or partner not in ratings:
            lines.append(t(lang, "run.rating", key=name, value=ratings[key]))
            shown.add(key)
            continue
        before_key, after_key = (key, partner) if key.endswith("_before") else (partner, key)
        before, after = ratings[before_key], ratings[after_key]
        shown.update((key, partner))
        line = t(lang, "run.change", key=name, before=before, after=after)
        end = _end_toward(rate, before, after)
        lines.append(t(lang, "run.change_toward", change=line, end=end) if end else line)
    return lines


def _partner(key: str, stem_: str) -> str | None:
    if key == stem_ + "_before":
        return stem_ + "_after"
    if key == stem_ + "_after":
        return stem_ + "_before"
    return None


def _end_toward(rate: Rate, before: int, after: int) -> str | None:
    """Give the label of the end of the scale a rating moved toward, when both ends have one."""
    if after == before or len(rate.labels) < 2:
        return None
    low, high = min(rate.labels), max(rate.labels)
    return rate.labels[low] if after < before else rate.labels[high]


def run_plain(
    session: Session,
    *,
    lang: str,
    bell: bool = True,
    out: TextIO | None = None,
    read_line: ReadLine = stdin_line,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
    wait: bool = False,
    guide: Guide | None = None,
    open_guide: Callable[[], Guide | None] | None = None,
    typed: Typed | None = None,
    discard: Callable[[], None] | None = None,
    heart: HeartMonitor | None = None,
) -> None:
    """Run ``session`` as plain lines on ``out`` (stdout); start it here.

    The sound plays through ``guide``, or through the one ``open_guide`` gives once the first
    line is out.

    The session's clock should be ``clock``. The bell character goes out only when ``bell`` is
    on and ``out`` is a terminal. With ``wait`` (a person types on a terminal), an untimed step
    waits for Enter; otherwise it continues at once.
    """
    out = out or sys.stdout
    lines = Lines(out, beep=bell and out.isatty())
    PlainRunner(
        session,
        lang=lang,
        lines=lines,
        read_line=read_line,
        sleep=sleep,
        clock=clock,
        wait=wait,
        guide=guide,
        open_guide=open_guide,
        typed=typed,
        discard=discard,
        heart=heart,
    ).run()
