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
    from kindful.safe_text import visible

    print(visible(f"kindful: {line}"), file=sys.stderr)


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
    """Print ``value`` as JSON: controls escaped, and a sum too large for a float as null."""
    import json

    from kindful.safe_text import json_safe

    text = json.dumps(_finite(value), ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write(json_safe(text) + "\n")


def _finite(value: Any) -> Any:
    """Give ``value`` with each float that is not finite (a sum that overflowed) as ``None``."""
    if type(value) is float:
        return value if value - value == 0 else None
    if type(value) is dict:
        return {key: _finite(item) for key, item in value.items()}
    if type(value) is list:
        return [_finite(item) for item in value]
    return value


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


@app.command()
def history(
    limit: int = typer.Option(
        20, "--limit", "-n", min=1, metavar="N", help="How many sessions to show."
    ),
    practice: str | None = typer.Option(
        None, "--practice", metavar="PRACTICE", help="Only sessions of this practice id."
    ),
    since: str | None = typer.Option(
        None,
        "--since",
        metavar="DATE|Nd",
        help="Only sessions from this day on (YYYY-MM-DD), or of the last N days (7d).",
    ),
    completed: bool = typer.Option(False, "--completed", help="Only sessions done to the end."),
    rehearsals: bool = typer.Option(
        False, "--rehearsals", help="Also show rehearsals (runs at a --speed other than 1)."
    ),
    ids: bool = typer.Option(False, "--ids", help="Show each session's id, for kindful forget."),
    as_json: bool = typer.Option(False, "--json", help="Print the log records as JSON."),
    reflections: bool = typer.Option(
        False, "--reflections", help="Also show what you wrote in reflections (private)."
    ),
    lang: str | None = typer.Option(
        None, "--lang", metavar="CODE", help="Language of kindful's own words."
    ),
    logs: list[str] | None = typer.Option(None, "--log", metavar="FILE", help=LOG_HELP),
) -> None:
    """The latest sessions, newest first (rehearsals only with --rehearsals)."""
    from datetime import date

    from kindful.errors import UsageError
    from kindful.i18n import t
    from kindful.journal.history import chosen, did_you_mean, newest, since_date

    first = None
    if since is not None:
        first = since_date(since, date.today())
        if first is None:
            raise UsageError(
                f"--since needs a date (YYYY-MM-DD) or a number of days (7d), not {since!r}"
            )
    language, _ = _language(lang)
    hint = None
    with _open_log(logs) as log:
        sessions = newest(chosen(log.sessions(), first, completed, rehearsals), limit, practice)
        if practice is not None and not sessions:
            hint = did_you_mean(practice, (s["practice"] for s in log.sessions(unique=False)))
    _say_skipped(log, language)
    if hint is not None and hint != practice:
        print(
            f"kindful: {t(language, 'history.did_you_mean', practice=practice, near=hint)}",
            file=sys.stderr,
        )
    if not sessions and not as_json:
        empty = t(language, "history.none_for", practice=practice) if practice else None
        print(empty or t(language, "log.empty"))
        return
    with _until_the_reader_leaves():
        if as_json:
            if not reflections:
                sessions = [{k: v for k, v in s.items() if k != "reflections"} for s in sessions]
            _print_json(sessions)
            return
        from kindful.journal.render import render_history

        _console().print(render_history(_titled(sessions, language), language, reflections, ids))


def _titled(sessions: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Give the sessions with each practice's title in ``language`` where it is known.

    Known from the list's cache, else from a session of the same practice run in ``language``;
    else a session keeps the title it was logged with.
    """
    from kindful.practice.library import known_titles

    titles = known_titles()
    in_language = {s["practice"]: s["title"] for s in reversed(sessions) if s["lang"] == language}
    for practice, title in in_language.items():
        titles.setdefault(practice, {}).setdefault(language, title)
    return [
        {**s, "title": titles.get(s["practice"], {}).get(language, s["title"])} for s in sessions
    ]


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
    from kindful.practice.library import known_titles

    titles = known_titles()
    for key, practice in figures.practices.items():
        practice.title = titles.get(key, {}).get(language, practice.title)
    from kindful.journal.render_trends import render_trends

    console = _console()
    console.print(render_stats(figures, language, show_streaks, weeks))
    console.print()
    console.print(render_trends(trends, language))


@app.command()
def export(
    file_format: str | None = typer.Option(
        None,
        "--format",
        "-f",
        metavar="[csv|json|jsonl]",
        help="csv, json, or jsonl: the log's own lines, for --log (default: from the --output file's extension, else csv).",
        show_default=False,
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file (private) instead of stdout.",
    ),
    force: bool = typer.Option(False, "--force", help="Write over the --output file unasked."),
    lang: str | None = typer.Option(
        None, "--lang", metavar="CODE", help="Language of kindful's own words."
    ),
    logs: list[str] | None = typer.Option(None, "--log", metavar="FILE", help=LOG_HELP),
) -> None:
    """The whole log as CSV or JSON for other tools."""
    from kindful.errors import KindfulError, UsageError
    from kindful.i18n import t, tn
    from kindful.journal import export as exporting
    from kindful.paths import home

    if file_format is None:
        suffix = output.suffix.lower() if output is not None else ""
        file_format = "json" if suffix == ".json" else "csv"
    writer = exporting.WRITERS.get(file_format.lower())
    if writer is None:
        raise UsageError(f"--format must be csv, json or jsonl, not {file_format!r}")
    language, _ = _language(lang)
    if output is not None:
        exporting.refuse_log_file(output, home())
        if output.exists() and not force:
            from kindful.cli.ask import confirmed

            question = t(language, "export.overwrite", path=output)
            if not confirmed(question, language, sys.stderr):
                raise KindfulError(t(language, "export.not_overwritten"), path=output)
    with _open_log(logs) as log:

        def write(out: Any) -> int:
            return writer(log.sessions, out)

        if output is not None:
            from kindful.cli.stopping import stopping

            with stopping(language):
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
            f"kindful: {tn(language, 'export.written', count, count=count, path=output)}",
            file=sys.stderr,
        )
