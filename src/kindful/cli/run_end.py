"""How a run ends: the record of the session, the summary, the log line, and a stdout gone.

Split from ``run`` for its job: what a session leaves once it has been walked. Loaded inside
the run, never at start-up.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from kindful.errors import LogError

if TYPE_CHECKING:
    from kindful.journal.record import SessionRecord
    from kindful.practice.plan import Plan, PlannedStep
    from kindful.session.engine import Outcome, Session
    from kindful.settings import Settings

PIPE_CLOSED = 128 + 13  # what a shell reports for a program that SIGPIPE ended (``| head``)


class UnloggedSession(LogError):
    """The log could not be written: the reason, then the record itself, so nothing is lost."""

    def __init__(self, message: str, record: SessionRecord) -> None:
        super().__init__(message)
        self.record = record

    def lines(self) -> list[str]:
        from kindful.safe_text import json_safe

        # The same JSON, with nothing a terminal would obey left raw in it.
        return [*super().lines(), json_safe(self.record.to_line().rstrip("\n"))]


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
    from kindful.practice.plan import seen_steps

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


def _say(*lines: str) -> None:
    """Print lines on stdout; a reader or terminal that has gone away is let go quietly."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except OSError:
        _let_stdout_go()


def _gone(error: OSError) -> int:
    """Give the exit status for output that went away; anything else is raised again."""
    import errno

    from kindful.exit_status import ExitStatus

    if error.errno not in (errno.EPIPE, errno.EIO):
        raise error
    _let_stdout_go()
    # EPIPE: the reader of a pipe left (``| head``); EIO: the terminal hung up.
    return PIPE_CLOSED if error.errno == errno.EPIPE else int(ExitStatus.SIGHUP)


def _let_stdout_go() -> None:
    """Point stdout at the null device, so nothing more (not even the flush at exit) fails."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture): nothing to let go
        pass
    finally:
        os.close(devnull)
