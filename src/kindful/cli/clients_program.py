"""``program status --log FILE``: a client's progress through a program, for their coach.

A client's program state lives in their own kindful home; what their log holds is each
session of a program's day, marked with the program's id. So the program is the one named
with ``--program``, else the last one in the log, and it counts as started with the first
session logged for it (a program begun again shows as one run).
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kindful.safe_text import say, say_json

if TYPE_CHECKING:
    from kindful.i18n import Languages
    from kindful.journal.reader import SessionLog


def _now() -> datetime:
    return datetime.now().astimezone()


def clients_status(
    logs: list[str], labels: list[str] | None, program: str | None, wanted: Languages, as_json: bool
) -> None:
    """Show each client's progress: the days done and the next, or JSON keyed by client."""
    from kindful import i18n
    from kindful.cli.clients import clients, several
    from kindful.cli.log import _say_skipped
    from kindful.cli.program_days import print_days, status_json
    from kindful.errors import KindfulError
    from kindful.program.library import find_program
    from kindful.program.outline import pick
    from kindful.program.today import today_in

    ui = wanted.ui
    found: dict[str, dict[str, Any] | None] = {}
    for number, client in enumerate(clients(logs, labels, ui)):
        who = client.label
        with client.open() as log:
            ref, first = _program_in(log, program)
            if ref is None:
                raise KindfulError(i18n.t(ui, "coach.no_program"), path=client.path)
            outline = find_program(ref)
            if program is not None and first is None:  # named by path: its id is in the file
                ref, first = _program_in(log, outline.id)
            offered = None
            if first is not None:
                offered = today_in(outline, first, log.sessions(), _now().date())
        _say_skipped(log, ui)
        if as_json:
            found[who] = (
                None
                if offered is None
                else status_json(outline.id, first, offered.finished, offered.progress)
            )
            continue
        text_lang = wanted.for_texts(outline.languages)
        words = wanted.ui_beside(text_lang)
        title = pick(outline.title, text_lang)
        if number:
            say()
        if offered is None or first is None:
            say(i18n.t(words, "coach.not_started", who=who, title=title))
            continue
        since = first.date().isoformat()
        say(i18n.t(words, "coach.program_since", who=who, title=title, date=since))
        print_days(outline, offered.progress, text_lang, words)
        if offered.finished:
            say(i18n.t(words, "coach.program_finished", who=who, title=title))
    if as_json:
        say_json(found if several(logs, labels) else next(iter(found.values())))
    sys.stdout.flush()


def _program_in(log: SessionLog, wanted: str | None) -> tuple[str | None, datetime | None]:
    """Give the program of the log (``wanted``, else the last one) and its first session's start."""
    last: tuple[datetime, str] | None = None
    first: dict[str, datetime] = {}
    for record in log.sessions():
        program = record.get("program")
        ref = program.get("id") if type(program) is dict else None
        if type(ref) is not str:
            continue
        try:
            when = datetime.fromisoformat(record["started_at"])
        except (TypeError, ValueError):
            continue
        if when.tzinfo is None:
            continue
        if ref not in first or when < first[ref]:
            first[ref] = when
        if last is None or when > last[0]:
            last = (when, ref)
    ref = wanted if wanted is not None else (last[1] if last else None)
    return ref, first.get(ref) if ref is not None else None
