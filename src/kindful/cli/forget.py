"""The forget command: take sessions back out of the log, after showing them and asking."""

from __future__ import annotations

import typer

from kindful.cli.app import LANG_HELP, app, languages
from kindful.safe_text import console, say


@app.command()
def forget(
    session: str | None = typer.Argument(
        None,
        metavar="[ID]",
        help="The session's id, or its first 8 characters (kindful history --ids shows them).",
        show_default=False,
    ),
    practice: str | None = typer.Option(
        None, "--practice", metavar="PRACTICE", help="Forget every session of this practice id."
    ),
    rehearsals: bool = typer.Option(
        False, "--rehearsals", help="Forget every rehearsal (a run with --speed other than 1)."
    ),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask first (for scripts)."),
    lang: str | None = typer.Option(None, "--lang", metavar="CODE", help=LANG_HELP),
) -> None:
    """Remove one session from the log (or a practice's, or the rehearsals), after asking."""
    from kindful.cli.ask import confirmed
    from kindful.errors import UsageError
    from kindful.i18n import t
    from kindful.journal import forget as forgetting
    from kindful.journal.history import started
    from kindful.paths import home

    if sum((session is not None, practice is not None, rehearsals)) != 1:
        raise UsageError("give one of: a session ID, --practice PRACTICE, --rehearsals")
    language = languages(lang).ui
    folder = home()
    sessions = forgetting.find(folder, session, practice, rehearsals)
    if not sessions:
        which = "forget.none_practice" if practice is not None else "forget.none_rehearsals"
        say(t(language, which, practice=practice))
        return
    sessions.sort(key=started, reverse=True)
    count = len(sessions)
    plural = "one" if count == 1 else "many"

    from kindful.journal.render import render_history

    shown = console()
    shown.print(t(language, f"forget.these_{plural}", count=count))
    shown.print(render_history(sessions, language, ids=True))
    if not yes and not confirmed(t(language, f"forget.ask_{plural}", count=count), language):
        say(t(language, "forget.kept"))
        return
    from kindful.cli.stopping import stopping

    with stopping(language):
        forgetting.forget(folder, {s["id"] for s in sessions})
    say(t(language, f"forget.done_{plural}", count=count))
