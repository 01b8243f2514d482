"""``kindful log add``: a session done away from the terminal, appended to the log by hand.

A walk, a retreat, a practice from a recording: it counts in stats like any session, is marked
in history, and counts toward a program only when ``--program`` says so (docs/privacy.md).
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

import typer

from kindful.cli.app import LANG_HELP, KindfulGroup, KindfulTyper, app, languages
from kindful.safe_text import say

if TYPE_CHECKING:
    from kindful.i18n import Languages
    from kindful.journal.added import Added
    from kindful.journal.record import SessionRecord

log_app = KindfulTyper(
    name="log",
    cls=KindfulGroup,
    help="Add to the log by hand: a session done away from the terminal.",
    no_args_is_help=True,
)
app.add_typer(log_app, name="log")


def _now() -> datetime:
    """Give the local time now, with its UTC offset (tests put their own clock here)."""
    return datetime.now().astimezone()


@log_app.command("add")
def add(
    practice: str = typer.Argument(
        ..., metavar="PRACTICE", help="A practice id or file, or your own id with --title."
    ),
    at: str = typer.Option(
        ..., "--at", metavar="TIME", help='When it began, local time: "YYYY-MM-DD HH:MM".'
    ),
    minutes: float | None = typer.Option(
        None, "--minutes", metavar="M", help="How long you practised (default: its length)."
    ),
    ratings: list[str] | None = typer.Option(
        None, "--rating", metavar="KEY=N", help="A rating, e.g. stress_after=3 (repeatable)."
    ),
    completed: bool = typer.Option(
        True, "--completed/--not-completed", help="Whether you did it to the end."
    ),
    title: str | None = typer.Option(
        None, "--title", metavar="TITLE", help="Its title; lets you add a practice of your own."
    ),
    program: bool = typer.Option(
        False, "--program", help="Count it toward the program you follow."
    ),
    lang: str | None = typer.Option(None, "--lang", metavar="CODE", help=LANG_HELP),
) -> None:
    """Add a session done elsewhere (a walk, a retreat, a recording) to the log."""
    from kindful.errors import KindfulError
    from kindful.i18n import t
    from kindful.journal import added as adding

    wanted = languages(lang)
    ui = wanted.ui
    now = _now()
    try:
        started = adding.parse_at(at)
        seconds = adding.parse_minutes(minutes) if minutes is not None else None
        given = adding.parse_ratings(ratings or [])
        session = _session(practice, title, seconds, wanted)
        settled = adding.Added(
            practice=session["practice"],
            title=session["title"],
            lang=session["lang"],
            started=started,
            seconds=session["seconds"],
            planned_seconds=session["planned"],
            steps_total=session["steps"],
            completed=completed,
            ratings=given,
        )
        made = adding.record(settled, now)
        counted = _program_day(made, wanted) if program else None
    except adding.Invalid as invalid:
        raise KindfulError(t(ui, invalid.key, **invalid.values)) from None
    _append(made if counted is None else _with_program(made, counted), now, ui, settled)
    if counted is not None:
        say(t(ui, "add.counted", **counted))


def _session(
    practice: str, title: str | None, seconds: float | None, wanted: Languages
) -> dict[str, Any]:
    """Give what the log says of the practice: id, title, language, length, steps."""
    from kindful.errors import NotFoundError
    from kindful.i18n import t
    from kindful.journal.added import Invalid
    from kindful.practice.library import find_practice
    from kindful.practice.plan.planner import make_plan

    ui = wanted.ui
    try:
        found = find_practice(practice)
    except NotFoundError as error:
        if title is None:
            raise NotFoundError(f"{error}; {t(ui, 'add.unknown_hint')}") from None
        if not _is_id(practice):
            raise Invalid("add.bad_id", practice=practice) from None
        if seconds is None:
            raise Invalid("add.minutes_needed") from None
        return {
            "practice": practice,
            "title": _one_line(title),
            "lang": ui,
            "seconds": seconds,
            "planned": seconds,
            "steps": 1,
        }
    text_lang = wanted.for_texts(found.practice.languages_used())
    plan = make_plan(found.practice, text_lang)
    # A length given is the length of the version done (as run --minutes plans it).
    planned = plan.planned_seconds if seconds is None else seconds
    return {
        "practice": plan.practice,
        "title": _one_line(title) if title is not None else plan.title,
        "lang": text_lang,
        "seconds": planned,
        "planned": planned,
        "steps": len(plan.steps),
    }


def _is_id(text: str) -> bool:
    import re

    return re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}", text) is not None


def _one_line(text: str) -> str:
    from kindful.safe_text import clean

    return " ".join(clean(text).split())[:200]


def _program_day(made: SessionRecord, wanted: Languages) -> dict[str, Any]:
    """Give the program day an added session counts toward: ``program``, ``week``, ``day``.

    Raises ``Invalid`` when no program is followed or the session would count toward none.
    """
    from kindful.cli.program import _followed
    from kindful.journal.added import Invalid
    from kindful.journal.reader import SessionLog
    from kindful.journal.recent import sessions_since
    from kindful.paths import home
    from kindful.program.today import today_in

    followed = _followed(wanted)
    if followed is None:
        raise Invalid("add.no_program")
    current, outline = followed
    with SessionLog(home()) as log:
        records = list(sessions_since(log, current.since))
    today = _now().date()
    candidate = _with_program(made, {"program": outline.id, "week": 0, "day": 0}).to_dict()
    before = today_in(outline, current.since, records, today).progress
    after = today_in(outline, current.since, [*records, candidate], today).progress
    for day, was, now in zip(after.days, before.counted, after.counted, strict=True):
        if was != now:
            return {"program": outline.id, "week": day.week, "day": day.day}
    raise Invalid("add.not_counted", program=outline.id)


def _with_program(made: SessionRecord, counted: dict[str, Any]) -> SessionRecord:
    from dataclasses import replace

    day = {"id": counted["program"], "week": counted["week"], "day": counted["day"]}
    return replace(made, program=day)


def _append(made: SessionRecord, now: datetime, ui: str, settled: Added) -> None:
    """Append the session through the log's one writer; say what was added."""
    from kindful.i18n import t
    from kindful.journal import writer
    from kindful.lengths import length

    path = writer.append(made)
    if made.started_at[:10] == now.date().isoformat():
        from kindful.program.nudge import mark_practised

        mark_practised(path.parent, made.started_at[:10])  # for the shell's nudge
    when = settled.started.strftime("%Y-%m-%d %H:%M")
    line = t(ui, "add.added", title=made.title, when=when, length=length(settled.seconds, ui))
    say(line)
    sys.stdout.flush()
