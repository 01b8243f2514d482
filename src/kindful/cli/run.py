"""The ``run`` command: walk a person through one practice, then append it to the log.

Only typer and the standard library are imported here at start-up; the core loads inside.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.cli.complete import practice_ids
from kindful.cli.run_options import (
    HEART,
    NO_BELL,
    NO_LOG,
    PLAIN,
    SOUND,
    SPEED,
    VOICE,
    Asked,
    RunOptions,
)
from kindful.cli.streams import _gone, _say
from kindful.errors import LogError
from kindful.safe_text import echoed, forgiving_streams, say

if TYPE_CHECKING:
    from kindful.heart.monitor import HeartMonitor
    from kindful.journal.record import SessionRecord
    from kindful.practice.format.texts import Question
    from kindful.practice.plan.planner import Plan, PlannedStep
    from kindful.practice.plan.written import Found
    from kindful.session.engine import Outcome, Session
    from kindful.session.sounding import Guide
    from kindful.settings import Settings


class UnloggedSession(LogError):
    """The log could not be written: the reason, then the record itself, so nothing is lost."""

    def __init__(self, message: str, record: SessionRecord) -> None:
        super().__init__(message)
        self.record = record

    def lines(self) -> list[str]:
        from kindful.safe_text import json_safe

        # The same JSON, with nothing a terminal would obey left raw in it.
        return [*super().lines(), json_safe(self.record.to_line().rstrip("\n"))]


@app.command()
def run(
    practice: str = typer.Argument(
        ...,
        metavar="PRACTICE",
        help="A practice id, or a path to a .yaml file.",
        autocompletion=practice_ids,
    ),
    minutes: float | None = typer.Option(
        None, "--minutes", metavar="M", help="Scale the timed steps to M minutes in all."
    ),
    speed: float = SPEED,
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    plain: bool = PLAIN,
    no_log: bool = NO_LOG,
    no_bell: bool = NO_BELL,
    inputs: list[str] | None = typer.Option(
        None, "--input", metavar="NAME=VALUE", help="Answer an input ahead (repeatable)."
    ),
    voice: bool | None = VOICE,
    sound: str | None = SOUND,
    heart: str | None = HEART,
) -> None:
    """Walk through a practice, live in a terminal or as plain lines; then log the session.

    Keys: space pause, n next step, s soften, q end. Without a terminal, or with --plain,
    questions read one line each from stdin (an empty line skips).
    """
    from kindful.practice.library import find_practice

    asked = Asked(
        speed=speed,
        plain=plain,
        log=not no_log,
        bell=not no_bell,
        voice=voice,
        sound=sound,
        heart=heart,
    )
    wanted = languages(lang)
    asked.check(wanted.ui, minutes)
    given = _given_inputs(inputs or [], wanted.ui)
    found = _at_resonance(find_practice(practice))
    options = asked.options(found, wanted, given, minutes)
    _check_input_names(found, options.lang, given, options.ui)
    status = _run(found, options, EDGES)
    if status:
        raise typer.Exit(status)


def _at_resonance(found: Found) -> Found:
    """Give resonant-breathing paced at the person's own rate, where resonance found one."""
    if found.practice.id != "resonant-breathing":  # practice.plan.timers.RESONANT_BREATHING
        return found
    from kindful.practice.plan.timers import paced_at
    from kindful.settings import load_settings

    bpm = load_settings().resonance_bpm
    return found if bpm is None else replace(found, practice=paced_at(found.practice, bpm))


@dataclass(frozen=True, kw_only=True)
class Edges:
    """Where a run meets the world: the clock, sleeping, and the line a person types.

    The command uses ``EDGES``; a test replaces it with a fake clock and sleep, so no test waits.
    """

    clock: Callable[[], float]
    sleep: Callable[[float], None]
    read_line: Callable[[], str | None] | None = None  # None: read stdin
    # Plain mode at a terminal: a line typed while a step runs (None: stdin, when a terminal),
    # and letting go of what was typed and not sent before a question.
    typed: Callable[[float], str | None] | None = None
    discard: Callable[[], None] | None = None


EDGES = Edges(clock=time.monotonic, sleep=time.sleep)


def _run(
    found: Found,
    options: RunOptions,
    edges: Edges,
    made: list[SessionRecord] | None = None,
    heart: HeartMonitor | None = None,
) -> int:
    """Ask, plan, run, log; give the exit status (0, or 130/143/129/141 when stopped).

    The record of the session, logged or not, is added to ``made`` when one is given. A heart
    monitor already opened (``resonance``) is followed instead of the one ``--heart`` names.
    """
    from kindful.exit_status import ExitStatus
    from kindful.session.engine import Session
    from kindful.session.signals import Stopped, stop_on_signals, stop_status

    ui = options.ui
    forgiving_streams()
    with stop_on_signals() as guard:
        try:
            questions = found.practice.questions(options.lang)
            answers = _answers(questions, options, edges) if questions else {}
            plan = _plan(found, options.lang, _shown_answers(answers), options.minutes, ui)
            session = Session(plan, edges.clock, options.speed)
            if heart is None and options.heart:
                from kindful.heart.monitor import monitor_for

                heart = monitor_for(options.heart, options.speed)
        except (KeyboardInterrupt, Stopped) as stop:
            return int(stop_status(stop))  # nothing practised yet, nothing to log
        except OSError as error:
            return _gone(error)
        started_at = _now()
        status: int = ExitStatus.OK
        failure: Exception | None = None
        try:
            _walk(session, options, edges, not options.plain and _is_terminal(ui), heart)
        except (KeyboardInterrupt, Stopped) as stop:
            session.quit()
            status = stop_status(stop)
            _say("")  # leave the line a ^C may have cut
        except Exception as error:  # whatever broke, the session is kept
            with contextlib.suppress(Exception):
                session.quit()
            if _went_away(error):  # the terminal or the reader went away: end, still logged
                status = _gone(error)  # type: ignore[arg-type]
            else:  # a bug, or a surprise from the file system: said once the record is safe
                status, failure = ExitStatus.PROBLEM, error
        guard.hold()  # a stop from here on must not cut the record short
        if not session.started:
            _report(failure, ui)
            return int(guard.status or status)
        try:
            outcome = session.outcome()
            record = _record(plan, session, outcome, started_at, _now(), options.settings)
            if options.program is not None:
                record = replace(record, program=dict(options.program))
            figures = heart.figures() if heart is not None else None
            if figures is not None:
                record = replace(record, heart=figures.to_record())
            if made is not None:
                made.append(record)
            sealed_to = options.settings.reflections_to
            _finish(record, outcome, ui, log=options.log, steps=plan.steps, sealed_to=sealed_to)
        finally:
            _report(failure, ui)
    return int(status or guard.status or ExitStatus.OK)


def _answers(questions: list[Question], options: RunOptions, edges: Edges) -> dict[str, str]:
    """Ask the inputs ``--input`` did not answer, one line each (the plain runner's way)."""
    from kindful.session.plain import Lines, ask_inputs, stdin_line

    read_line = edges.read_line or stdin_line
    return ask_inputs(questions, options.inputs, options.ui, Lines(sys.stdout), read_line)


def _went_away(error: Exception) -> bool:
    import errno

    return isinstance(error, OSError) and error.errno in (errno.EPIPE, errno.EIO)


def _report(failure: Exception | None, ui: str) -> None:
    """Say in one line on stderr what broke the session, if anything did."""
    if failure is None:
        return
    from kindful.i18n import t
    from kindful.safe_text import visible

    error = f"{type(failure).__name__}: {failure}" if str(failure) else type(failure).__name__
    line = visible(f"kindful: {t(ui, 'run.failed', error=error)}", newlines=False)
    with contextlib.suppress(Exception):
        say(line, err=True)
        sys.stderr.flush()


def _shown_answers(answers: dict[str, str]) -> dict[str, str]:
    """Give the inputs' answers as they may be shown: controls visible, at most 200 characters."""
    from kindful.practice.format.limits import MAX_ANSWER
    from kindful.safe_text import clean, visible

    return {
        name: visible(clean(value), newlines=False)[:MAX_ANSWER] for name, value in answers.items()
    }


def _walk(
    session: Session,
    options: RunOptions,
    edges: Edges,
    live: bool,
    heart: HeartMonitor | None = None,
) -> None:
    """Run the session on the live screen in a terminal, else as plain lines; with its sound.

    The sound (the bowl, the voice) is opened by the runner once the first frame or line is
    out, so that loading it never keeps the practice from the screen.
    """
    from kindful.cli.hearing import guide_for, heard_first, note
    from kindful.cli.streams import typed_lines

    opened: list[Guide] = []
    # What the sound has to say (no device, a voice that failed) would be written over the
    # live screen and gone with it: it is said once the terminal is given back.
    notes: list[str] = []
    tell = notes.append if live else note

    def open_guide() -> Guide | None:
        # The first frame is on screen: load what the end of the session needs, so that it is
        # said without delay, and open the sound; a stop meanwhile is taken once that is done.
        import uuid  # noqa: F401

        from kindful.journal import writer  # noqa: F401
        from kindful.platforms import stops_held

        with stops_held():
            guide = guide_for(session, options, edges.clock, live, tell)
            if guide is not None:
                opened.append(guide)  # closed whatever happens next
        return guide

    bell = options.bell and options.sound != "off"  # the terminal's, where the bowl is not heard
    if heart is not None:
        heart.note = tell  # absent or lost: said once, after the live screen if there is one
        heart.start(edges.clock())
    try:
        if live and options.voice:
            # Someone who asked for a voice may be about to close their eyes: what the sound
            # cannot do is said now, before the live screen, and they choose to go on with text.
            early = open_guide()
            if not heard_first(notes, options.ui, edges.read_line):
                return  # not begun: nothing to log
            open_guide = lambda: early  # noqa: E731
        if live:
            from kindful.session.live import BELL_GAP, run_live

            if bell:
                session.bell_gap = BELL_GAP  # the strikes ring out before the next step
            run_live(
                session,
                lang=options.ui,
                bell=bell,
                clock=edges.clock,
                open_guide=open_guide,
                heart=heart,
            )
        else:
            from kindful.session.plain import run_plain, stdin_line

            typed, discard = typed_lines(edges.typed, edges.discard)
            run_plain(
                session,
                lang=options.ui,
                bell=bell,
                read_line=edges.read_line or stdin_line,
                sleep=edges.sleep,
                clock=edges.clock,
                wait=typed is not None or sys.stdin.isatty(),
                open_guide=open_guide,
                typed=typed,
                discard=discard,
                heart=heart,
            )
        if opened and session.outcome().completed:
            while (left := opened[0].ring_out_until() - edges.clock()) > 0:
                edges.sleep(min(left, 1.0))  # the closing bells ring out before the summary
    finally:
        if heart is not None:
            heart.close()
        for guide in opened:
            guide.close()
        for line in notes:
            note(line)


def _is_terminal(ui: str = "en") -> bool:
    """Tell whether the live screen can run: a terminal on both ends, not ``TERM=dumb``.

    Where there is no POSIX terminal (Windows), say once that plain lines come instead.
    """
    from kindful import platforms

    if not platforms.LIVE_SCREEN:
        try:
            at_terminal = sys.stdin.isatty() and sys.stdout.isatty()
        except (AttributeError, ValueError):
            at_terminal = False
        if at_terminal:
            from kindful.i18n import t

            say(f"kindful: {t(ui, 'run.posix_only')}", err=True)
        return False
    from kindful.session.terminal import is_capable

    return is_capable()


def _given_inputs(options: list[str], ui: str) -> dict[str, str]:
    """Give the ``--input NAME=VALUE`` answers by name."""
    from kindful.errors import UsageError
    from kindful.i18n import t
    from kindful.practice.format.limits import MAX_ANSWER
    from kindful.safe_text import clean

    given: dict[str, str] = {}
    for option in options:
        name, sep, value = clean(option).partition("=")
        if not sep or not name.strip():
            raise UsageError(t(ui, "run.input_syntax", value=echoed(option)))
        if len(value) > MAX_ANSWER:
            raise UsageError(
                t(ui, "run.input_too_long", name=echoed(name), length=len(value), most=MAX_ANSWER)
            )
        given[name.strip()] = value
    return given


def _check_input_names(found: Found, lang: str, given: dict[str, str], ui: str) -> None:
    from kindful.errors import UsageError
    from kindful.i18n import t

    names = [q.name for q in found.practice.questions(lang)]
    for name in given:
        if name not in names:
            if not names:
                raise UsageError(t(ui, "run.input_none", name=echoed(name)))
            raise UsageError(t(ui, "run.input_unknown", name=echoed(name), names=", ".join(names)))


def _plan(found: Found, lang: str, answers: dict[str, str], minutes: float | None, ui: str) -> Plan:
    from kindful.errors import UsageError
    from kindful.i18n import t
    from kindful.practice.plan.planner import make_plan

    try:
        plan = make_plan(found.practice, lang, answers, minutes)
    except ValueError:  # --minutes with nothing timed to scale
        raise UsageError(t(ui, "run.nothing_to_scale")) from None
    from kindful.practice.plan.planner import scaling_note

    # Whole breathing cycles and the time texts need to be spoken can keep a total: say so.
    note = scaling_note(plan, ui)
    if note is not None:
        say(f"kindful: {note}", err=True)
    return plan


def _now() -> str:
    """Give the local time now, ISO 8601 with its UTC offset, to the second."""
    from datetime import datetime

    return datetime.now().astimezone().isoformat(timespec="seconds")


def _record(
    plan: Plan,
    session: Session,
    outcome: Outcome,
    started_at: str,
    ended_at: str,
    settings: Settings,
) -> SessionRecord:
    """Give the log record of the session."""
    import uuid

    from kindful.journal.record import SessionRecord
    from kindful.practice.plan.planner import seen_steps

    speed = session.speed
    return SessionRecord(
        id=str(uuid.uuid4()),
        practice=plan.practice,
        title=plan.title,
        lang=plan.lang,
        started_at=started_at,
        ended_at=ended_at,
        planned_seconds=round(plan.planned_seconds, 3),
        elapsed_seconds=round(outcome.elapsed_seconds, 2),
        completed=outcome.completed,
        # The steps a person sees, as the screen and the summary count them: bells are not.
        steps_done=seen_steps(plan.steps[: outcome.steps_done]),
        steps_total=seen_steps(plan.steps),
        speed=int(speed) if float(speed).is_integer() else speed,
        ratings=dict(outcome.ratings),
        reflections=list(outcome.reflections) if settings.save_reflections else [],
        surveys={k: v.to_record() for k, v in outcome.surveys.items()} or None,
    )


def _finish(
    record: SessionRecord,
    outcome: Outcome,
    ui: str,
    *,
    log: bool,
    steps: tuple[PlannedStep, ...] = (),
    sealed_to: str | None = None,
) -> None:
    """Append the record unless told not to, say how it went, and say where it went.

    The record is written first: a terminal that has gone away cannot take the summary, and
    that must not cost the session.
    """
    from kindful.i18n import t
    from kindful.journal import writer
    from kindful.journal.record import counts
    from kindful.session.plain import summary

    path, failure = None, None
    record, cut = writer.fit(record, sealed_to)
    if log:
        try:
            path = writer.append(record)
            if counts(record.to_dict()):
                from kindful.program.nudge import mark_practised

                mark_practised(path.parent, record.started_at[:10])  # for the shell's nudge
        except LogError as error:
            failure = UnloggedSession(t(ui, "run.log_failed", reason=str(error)), record)
        except Exception as error:  # a surprise still leaves the record on stderr
            reason = f"{type(error).__name__}: {error}"
            failure = UnloggedSession(t(ui, "run.log_failed", reason=reason), record)
    _say(*summary(outcome, ui, steps))
    if cut and log:
        _say(t(ui, "run.answer_cut"))
    if failure is not None:
        raise failure
    if path is not None:
        _say(t(ui, "run.logged", path=path))
