"""Commands that read the session log: history, stats, export.

Only typer and the standard library load with this module; the reader, the figures and rich
load inside the commands, so that other commands start fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from kindful.cli.app import app, languages

if TYPE_CHECKING:
    from kindful.journal.reader import SessionLog


def _language(option: str | None) -> tuple[str, bool]:
    """Give the interface language and whether streaks are shown, from options and settings."""
    from kindful.settings import load_settings

    return languages(option).ui, load_settings().show_streaks


def _open_log(files: list[str] | None = None) -> SessionLog:
    """Open the log in the data home, or the ``--log`` files instead when there are any."""
    from kindful.journal.reader import SessionLog
    from kindful.paths import home

    # Given as strings: a list of Path options would have typer load pydantic to convert them.
    return SessionLog(home(), [Path(f).expanduser() for f in files] if files else None)


LOG_HELP = "Read this log file instead of yours, e.g. one a client exported (repeatable)."


def _say_skipped(log: SessionLog, lang: str) -> None:
    """Say on stderr, in one line, how many lines of the log were not sessions."""
    from kindful.i18n import t

    skipped = log.skipped
    if not skipped.count:
        return
    places = ", ".join(skipped.named())
    if skipped.count == 1:
        line = t(lang, "log.skipped_one", places=places)
    elif places:
        line = t(lang, "log.skipped_few", count=skipped.count, places=places)
    else:
        line = t(lang, "log.skipped_many", count=skipped.count)
    print(f"kindful: {line}", file=sys.stderr)


@contextmanager
def _until_the_reader_leaves() -> Iterator[None]:
    """Stop quietly when whoever reads stdout stops reading (``kindful export | head``)."""
    try:
        yield
    except BrokenPipeError:
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that Python's last flush fails no more
        raise typer.Exit(0) from None


def _print_json(value: object) -> None:
    import json

    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


@app.command()
def history(
    limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many sessions to show."),
    practice: str | None = typer.Option(
        None, "--practice", help="Only sessions of this practice id."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the log records as JSON."),
    reflections: bool = typer.Option(
        False, "--reflections", help="Also show what you wrote in reflections (private)."
    ),
    lang: str | None = typer.Option(None, "--lang", help="Language of kindful's own words."),
    logs: list[str] | None = typer.Option(None, "--log", metavar="FILE", help=LOG_HELP),
) -> None:
    """The latest sessions, newest first."""
    from kindful.i18n import t
    from kindful.journal.history import newest

    language, _ = _language(lang)
    with _open_log(logs) as log:
        sessions = newest(log.sessions(), limit, practice)
    _say_skipped(log, language)
    if not sessions and not as_json:
        empty = t(language, "history.none_for", practice=practice) if practice else None
        print(empty or t(language, "log.empty"))
        return
    with _until_the_reader_leaves():
        if as_json:
            _print_json(sessions)
            return
        from kindful.journal.render import render_history

        _console().print(render_history(sessions, language, reflections))


@app.command()
def stats(
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    weeks: int = typer.Option(12, "--weeks", min=1, max=520, help="Weeks in the calendar."),
    lang: str | None = typer.Option(None, "--lang", help="Language of kindful's own words."),
    logs: list[str] | None = typer.Option(None, "--log", metavar="FILE", help=LOG_HELP),
) -> None:
    """Totals, streaks, per-practice figures, rating changes, week by week, surveys, a calendar."""
    from datetime import UTC, date, datetime, time, timedelta

    from kindful.journal.recent import sessions_since, sessions_with
    from kindful.journal.stats_cache import figures as cached_figures
    from kindful.journal.trends import first_day
    from kindful.journal.trends import trends as weekly

    language, show_streaks = _language(lang)
    today = date.today()
    calendar_from = date.max if as_json else today - timedelta(weeks=weeks)
    with _open_log(logs) as log:
        if logs:  # another's log: the cache of sums is for the person's own
            from kindful.journal.stats import Tally

            sums = Tally()
            sums.add(log.sessions())
            figures = sums.figures(today, log.skipped.count, calendar_from)
        else:
            figures = cached_figures(log, today, calendar_from=calendar_from)
        skipped = log.skipped  # counted by the full reading above; the parts below skip alike
        if logs:  # files joined by hand need not be in time order: read them whole
            trends = weekly(log.sessions(), today)
        else:
            since = datetime.combine(first_day(today), time(), UTC)
            recent = sessions_since(log, since)
            trends = weekly(recent, today, with_surveys=sessions_with(log, b'"surveys"'))
        log.skipped = skipped
    _say_skipped(log, language)
    if as_json:
        from kindful.journal.stats import as_json as stats_json

        _print_json({**stats_json(figures), **trends.as_json()})
        return
    if not figures.sessions and not figures.rehearsals:
        from kindful.i18n import t

        print(t(language, "log.empty"))
        return
    from kindful.journal.render import render_stats
    from kindful.journal.render_trends import render_trends

    console = _console()
    console.print(render_stats(figures, language, show_streaks, weeks))
    console.print()
    console.print(render_trends(trends, language))


@app.command()
def export(
    file_format: str = typer.Option(
        ..., "--format", "-f", help="csv, json, or jsonl (the log's own lines, for --log)."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file (private) instead of stdout."
    ),
    lang: str | None = typer.Option(None, "--lang", help="Language of kindful's own words."),
    logs: list[str] | None = typer.Option(None, "--log", metavar="FILE", help=LOG_HELP),
) -> None:
    """The whole log as CSV or JSON for other tools."""
    from kindful.errors import UsageError
    from kindful.i18n import t
    from kindful.journal import export as exporting
    from kindful.paths import home

    writer = exporting.WRITERS.get(file_format.lower())
    if writer is None:
        raise UsageError(f"--format must be csv, json or jsonl, not {file_format!r}")
    language, _ = _language(lang)
    if output is not None:
        exporting.refuse_log_file(output, home())
    with _open_log(logs) as log:

        def write(out: Any) -> int:
            return writer(log.sessions, out)

        if output is not None:
            count = exporting.write_file(output, write)
        else:
            with _until_the_reader_leaves():
                count = write(sys.stdout)
                sys.stdout.flush()
    _say_skipped(log, language)
    if not count:
        print(f"kindful: {t(language, 'export.empty')}", file=sys.stderr)
    elif output is not None:
        print(
            f"kindful: {t(language, 'export.written', count=count, path=output)}", file=sys.stderr
        )
