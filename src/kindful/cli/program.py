"""Commands for following a program: ``program list|start|status|stop`` and ``today``.

Only typer and the standard library load with this module. ``today`` and ``program status``
work from cached program outlines and stream the log through the journal reader, so that they
start nearly as fast as ``--version`` (``bench/program_bench.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kindful.cli.app import LANG_HELP, KindfulGroup, KindfulTyper, app, languages
from kindful.cli.complete import program_ids
from kindful.safe_text import echoed, say, say_json

if TYPE_CHECKING:
    from kindful.i18n import Languages
    from kindful.program.outline import Outline
    from kindful.program.state import Following
    from kindful.program.today import Today

program_app = KindfulTyper(
    name="program",
    cls=KindfulGroup,
    help="Follow a program of several weeks: list, start, status, stop, resume.",
    no_args_is_help=True,
)
app.add_typer(program_app, name="program")


def _now() -> Any:
    from datetime import datetime

    return datetime.now().astimezone()


@program_app.command("list")
def list_programs(
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout and nothing else."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """List the programs kindful can find, and where each came from."""
    from kindful import i18n
    from kindful.program.library import read_programs
    from kindful.program.outline import pick

    found = read_programs()
    for problem in found.problems:
        say(f"kindful: not listed: {problem}", err=True)
    wanted = languages(lang)
    ui = wanted.ui
    rows: list[dict[str, Any]] = []
    for outline in found.outlines:
        chosen = wanted.for_texts(outline.languages)
        rows.append(
            {
                "id": outline.id,
                "title": pick(outline.title, chosen),
                "summary": pick(outline.summary, chosen),
                "weeks": len(outline.weeks),
                "days": len(outline.days()),
                "languages": outline.languages,
                "origin": outline.origin,
                "path": outline.path,
            }
        )
    if as_json:
        say_json(rows)
        return
    if not rows:
        say(i18n.t(ui, "program.list_empty"))
        return
    for row in rows:
        origin = i18n.t(ui, "list.built_in") if row["origin"] == "built-in" else row["origin"]
        size = i18n.t(ui, "program.weeks_days", weeks=row["weeks"], days=row["days"])
        say(f"{row['id']}  {row['title']}  ({size}; {','.join(row['languages'])}; {origin})")
        if row["summary"]:
            say(f"    {row['summary']}")


@program_app.command()
def start(
    program: str = typer.Argument(
        ...,
        metavar="PROGRAM",
        help="A program id, or a path to its .yaml file.",
        autocompletion=program_ids,
    ),
    again: bool = typer.Option(
        False, "--again", help="Begin the program you follow again, from its first day."
    ),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """Begin a program (or, with --again, begin the one you follow again from its first day).

    Starting again keeps the old start: `kindful program resume` brings it back.
    """
    from kindful import i18n
    from kindful.program import state
    from kindful.program.library import find_program
    from kindful.program.outline import pick

    outline = find_program(program)
    _findable(program, outline)
    wanted = languages(lang)
    title = pick(outline.title, wanted.for_texts(outline.languages))
    before = state.following()
    restarting = before is not None and before.program == outline.id
    if restarting and not again:
        assert before is not None
        if not _start_restartingconfirmed(before, outline, title, wanted):
            return
    state.record("start", outline.id, _now())
    key = "program.restarted" if restarting else "program.started"
    say(i18n.t(wanted.ui, key, title=title))


def _start_restartingconfirmed(
    current: Following, outline: Outline, title: str, wanted: Languages
) -> bool:
    """Ask on a terminal before a program followed begins again; refuse anywhere else."""
    from kindful import i18n
    from kindful.cli.ask import confirmed
    from kindful.errors import KindfulError

    ui = wanted.ui
    if not _at_terminal():
        raise KindfulError(i18n.t(ui, "program.needs_again", id=outline.id))
    offered = _today_in(current, outline, ui)
    day = offered.day
    where = {"week": day.week, "day": day.day}
    done, total = sum(offered.progress.done), len(offered.progress.days)
    say(i18n.t(ui, "program.already", title=title, done=done, total=total, **where))
    if confirmed(i18n.t(ui, "program.start_again"), ui):
        return True
    say(i18n.t(ui, "program.kept"))
    return False


def _at_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


@program_app.command()
def resume(lang: str | None = typer.Option(None, "--lang", help=LANG_HELP)) -> None:
    """Bring back the start that starting again (or stopping) put aside, with its progress."""
    from kindful import i18n
    from kindful.errors import KindfulError
    from kindful.program import state
    from kindful.program.library import find_program

    wanted = languages(lang)
    earlier = state.earlier_start()
    if earlier is None:
        say(i18n.t(wanted.ui, "program.nothing_to_resume"))
        return
    try:
        outline = find_program(earlier.program)
    except KindfulError:
        raise KindfulError(i18n.t(wanted.ui, "program.gone", id=earlier.program)) from None
    state.record("start", earlier.program, earlier.since, resumed=_now())
    offered = _today_in(earlier, outline, wanted.ui)
    done, total = sum(offered.progress.done), len(offered.progress.days)
    title = _title_of(earlier.program, wanted)
    when = earlier.since.date().isoformat()
    say(i18n.t(wanted.ui, "program.resumed", title=title, date=when, done=done, total=total))


@program_app.command()
def stop(lang: str | None = typer.Option(None, "--lang", help=LANG_HELP)) -> None:
    """Stop following the program; the sessions stay in the log."""
    from kindful import i18n
    from kindful.program import state

    wanted = languages(lang)
    current = state.following()
    if current is None:
        say(i18n.t(wanted.ui, "program.none"))
        return
    state.record("stop", current.program, _now())
    say(i18n.t(wanted.ui, "program.stopped", title=_title_of(current.program, wanted)))


def _title_of(ref: str, wanted: Languages) -> str:
    from kindful.errors import NotFoundError
    from kindful.program.library import find_program
    from kindful.program.outline import pick

    try:
        outline = find_program(ref)
    except NotFoundError:
        return ref
    return pick(outline.title, wanted.for_texts(outline.languages))


def _findable(ref: str, outline: Outline) -> None:
    """Refuse a program given by its path that kindful would not find again by its id."""
    from kindful.errors import KindfulError, NotFoundError
    from kindful.practice.library import is_path
    from kindful.program.library import find_program

    if not is_path(ref):
        return
    try:
        again = find_program(outline.id)
    except NotFoundError:
        again = None
    if again is None or Path(again.path).resolve() != Path(outline.path).resolve():
        raise KindfulError(
            f"kindful finds a program it follows by its id, and {outline.id} is not found "
            f"from {ref}: put the file in a practices folder (KINDFUL_HOME/practices or "
            f"KINDFUL_PATH), then `kindful program start {outline.id}`"
        )


def _followed(wanted: Languages) -> tuple[Following, Outline] | None:
    """Give the program followed and its outline; say so and give ``None`` without one."""
    from kindful import i18n
    from kindful.errors import KindfulError, NotFoundError
    from kindful.program import state

    current = state.following()
    if current is None:
        return None
    from kindful.program.library import find_program

    try:
        return current, find_program(current.program)
    except NotFoundError:
        raise KindfulError(i18n.t(wanted.ui, "program.gone", id=current.program)) from None


def _today_in(current: Following, outline: Outline, ui: str) -> Today:
    from kindful.cli.log import _say_skipped
    from kindful.journal.reader import SessionLog
    from kindful.journal.recent import sessions_since
    from kindful.paths import home
    from kindful.program.today import today_in

    with SessionLog(home()) as log:
        records = sessions_since(log, current.since)
        offered = today_in(outline, current.since, records, _now().date())
    _say_skipped(log, ui)
    return offered


@program_app.command()
def status(
    as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout and nothing else."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
    logs: list[str] | None = typer.Option(
        None,
        "--log",
        metavar="FILE",
        help="A client's exported log: their progress (repeatable: one client each).",
    ),
    labels: list[str] | None = typer.Option(
        None, "--label", metavar="NAME", help="The client's name for each --log, in order."
    ),
    program: str | None = typer.Option(
        None,
        "--program",
        metavar="PROGRAM",
        help="With --log: the program to follow them through (default: the last in their log).",
        autocompletion=program_ids,
    ),
) -> None:
    """Show the weeks and days of the program you follow, and what is done.

    With --log, a client's progress, from the sessions of the program in their log.
    """
    from kindful import i18n
    from kindful.cli.program_days import print_days, status_json
    from kindful.program.outline import pick

    wanted = languages(lang)
    if logs:
        from kindful.cli.clients_program import clients_status

        clients_status(logs, labels, program, wanted, as_json)
        return
    followed = _followed(wanted)
    if followed is None:
        if as_json:
            say_json(None)
            return
        say(i18n.t(wanted.ui, "program.none"))
        return
    current, outline = followed
    offered = _today_in(current, outline, wanted.ui)
    state = offered.progress
    if as_json:
        say_json(status_json(outline.id, current.since, offered.finished, state))
        return
    text_lang = wanted.for_texts(outline.languages)
    ui = wanted.ui_beside(text_lang)
    title = pick(outline.title, text_lang)
    say(i18n.t(ui, "program.since", title=title, date=current.since.date().isoformat()))
    print_days(outline, state, text_lang, ui)
    if offered.finished:
        say(i18n.t(ui, "program.finished", title=title))


@app.command("shell-init")
def shell_init(
    shell: str = typer.Argument(..., help="bash, zsh or fish."),
    lang: str | None = typer.Option(None, "--lang", help=LANG_HELP),
) -> None:
    """Print a snippet for the shell's start-up file: one quiet line a day until you practise.

    Add ``eval "$(kindful shell-init bash)"`` to ~/.bashrc (zsh: ~/.zshrc; fish:
    ``kindful shell-init fish | source`` in config.fish).
    """
    from kindful import i18n
    from kindful.errors import UsageError
    from kindful.paths import home
    from kindful.program.nudge import SHELLS, snippet

    ui = languages(lang).ui
    if shell not in SHELLS:
        raise UsageError(i18n.t(ui, "shell.unknown", shell=echoed(shell), shells=", ".join(SHELLS)))
    say(snippet(shell, home(), i18n.t(ui, "shell.nudge")), end="")
