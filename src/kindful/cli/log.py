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

from kindful.cli import passphrase as passphrases
from kindful.cli.app import app, languages
from kindful.safe_text import console, say

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


LOG_HELP = (
    "Read this log file instead of yours, such as one a client exported (repeatable: each "
    "file is a client, shown side by side)."
)
LABEL_HELP = "The client's name for each --log, in the same order (default: the file's name)."


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

    say(f"kindful: {line}", err=True)


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
    say(json_safe(text))


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
    return console()


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
    labels: list[str] | None = typer.Option(None, "--label", metavar="NAME", help=LABEL_HELP),
    passphrase_fd: int | None = passphrases.option(),
) -> None:
    """The latest sessions, newest first (rehearsals only with --rehearsals).

    Sealed reflections (docs/privacy.md) open with --reflections, after the passphrase.
    """
    from datetime import UTC, date, datetime, time

    from kindful.errors import UsageError
    from kindful.i18n import t
    from kindful.journal.history import chosen, did_you_mean, newest, since_date, wanted
    from kindful.journal.recent import newest_sessions

    first = None
    if since is not None:
        first = since_date(since, date.today())
        if first is None:
            raise UsageError(
                f"--since needs a date (YYYY-MM-DD) or a number of days (7d), not {since!r}"
            )
    language, _ = _language(lang)
    from kindful.cli.clients import several

    if logs and several(logs, labels):
        from kindful.cli.clients import clients

        per: dict[str, list[dict[str, Any]]] = {}
        for client in clients(logs, labels, language):
            with client.open() as log:
                found = chosen(log.sessions(), first, completed, rehearsals)
                per[client.label] = newest(found, limit, practice)
            _say_skipped(log, language)
        if reflections:
            every = [s for sessions in per.values() for s in sessions]
            opening = passphrases.opening(every, passphrase_fd, language)
            per = {label: [opening.opened(s) for s in ss] for label, ss in per.items()}
            passphrases.say_unopened(opening, language)
        with _until_the_reader_leaves():
            _clients_history(per, as_json, reflections, ids, language)
        return
    hint = None
    keep = wanted(first, completed, rehearsals, practice)
    with _open_log(logs) as log:
        if logs:  # files joined by hand need not be in time order: read them whole
            sessions = newest(filter(keep, log.sessions()), limit)
        else:
            since_time = datetime.combine(first, time(), UTC) if first is not None else None
            sessions = newest_sessions(log, limit, keep, since_time)
        if practice is not None and not sessions:
            hint = did_you_mean(practice, (s["practice"] for s in log.sessions(unique=False)))
    _say_skipped(log, language)
    if reflections:
        opening = passphrases.opening(sessions, passphrase_fd, language)
        sessions = [opening.opened(s) for s in sessions]
        passphrases.say_unopened(opening, language)
    if hint is not None and hint != practice:
        say(
            f"kindful: {t(language, 'history.did_you_mean', practice=practice, near=hint)}",
            err=True,
        )
    if not sessions and not as_json:
        empty = t(language, "history.none_for", practice=practice) if practice else None
        say(empty or t(language, "log.empty"))
        return
    with _until_the_reader_leaves():
        if as_json:
            if not reflections:
                from kindful.journal.sealing import without_reflections

                sessions = [without_reflections(s) for s in sessions]
            _print_json(sessions)
            return
        from kindful.journal.render import render_history

        _console().print(render_history(_titled(sessions, language), language, reflections, ids))


def _clients_history(
    per: dict[str, list[dict[str, Any]]], as_json: bool, reflections: bool, ids: bool, language: str
) -> None:
    """Show several clients' latest sessions: JSON keyed by client, else one table, newest first."""
    from datetime import datetime

    if as_json:
        if not reflections:
            from kindful.journal.sealing import without_reflections

            per = {
                label: [without_reflections(s) for s in sessions] for label, sessions in per.items()
            }
        _print_json(per)
        return
    rows = [{**s, "client": label} for label, sessions in per.items() for s in sessions]
    if not rows:
        from kindful.i18n import t

        say(t(language, "log.empty"))
        return
    rows.sort(key=lambda s: datetime.fromisoformat(s["started_at"]), reverse=True)
    from kindful.journal.render import render_history

    table = render_history(_titled(rows, language), language, reflections, ids, clients=True)
    _console().print(table)


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
    labels: list[str] | None = typer.Option(None, "--label", metavar="NAME", help=LABEL_HELP),
) -> None:
    """Totals, streaks, per-practice figures, rating changes, week by week, surveys, a calendar.

    With --log, each file is a client: their figures, said of them by name, side by side.
    """
    from datetime import UTC, date, datetime, time, timedelta

    from kindful.journal.recent import sessions_since
    from kindful.journal.stats_cache import figures as cached_figures
    from kindful.journal.trends import first_day
    from kindful.journal.trends import trends as weekly

    language, show_streaks = _language(lang)
    today = date.today()
    if logs:  # clients' logs, each read whole: the cache of sums is for the person's own
        _clients_stats(logs, labels, as_json, weeks, language, today)
        return
    calendar_from = date.max if as_json else today - timedelta(weeks=weeks)
    with _open_log(logs) as log:
        surveys: list[dict[str, Any]] = []
        figures = cached_figures(log, today, calendar_from=calendar_from, surveys=surveys)
        skipped = log.skipped  # counted by the full reading above; the parts below skip alike
        since = datetime.combine(first_day(today), time(), UTC)
        trends = weekly(sessions_since(log, since), today, with_surveys=surveys)
        log.skipped = skipped
    _say_skipped(log, language)
    if as_json:
        from kindful.journal.stats import as_json as stats_json

        _print_json({**stats_json(figures), **trends.as_json()})
        return
    if not figures.sessions and not figures.rehearsals:
        from kindful.i18n import t

        say(t(language, "log.empty"))
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


def _clients_stats(
    logs: list[str], labels: list[str] | None, as_json: bool, weeks: int, language: str, today: Any
) -> None:
    """Show each client's figures, said of them by name; JSON keyed by client when several."""
    from kindful.cli.clients import clients, figures, several

    found = [figures(client, today) for client in clients(logs, labels, language)]
    for each in found:
        _say_skipped(each.log, language)
    if as_json:
        if several(logs, labels):
            _print_json({each.client.label: each.as_json() for each in found})
        else:
            _print_json(found[0].as_json())
        return
    from kindful.i18n import t
    from kindful.journal.render import render_stats
    from kindful.journal.render_trends import render_trends
    from kindful.practice.library import known_titles

    titles = known_titles()
    console = _console()
    for number, each in enumerate(found):
        if number:
            console.print()
        if not each.stats.sessions and not each.stats.rehearsals:
            say(t(language, "coach.none", who=each.client.label))
            continue
        for key, practice in each.stats.practices.items():
            practice.title = titles.get(key, {}).get(language, practice.title)
        console.print(render_stats(each.stats, language, True, weeks, who=each.client.label))
        console.print()
        console.print(render_trends(each.trends, language))


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
        help="Write to this file (private) instead of stdout; - is stdout.",
    ),
    force: bool = typer.Option(False, "--force", help="Write over the --output file unasked."),
    lang: str | None = typer.Option(
        None, "--lang", metavar="CODE", help="Language of kindful's own words."
    ),
    logs: list[str] | None = typer.Option(None, "--log", metavar="FILE", help=LOG_HELP),
    labels: list[str] | None = typer.Option(None, "--label", metavar="NAME", help=LABEL_HELP),
    passphrase_fd: int | None = passphrases.option(),
    keep_sealed: bool = typer.Option(
        False, "--keep-sealed", help="Leave sealed reflections sealed; ask no passphrase."
    ),
) -> None:
    """The whole log as CSV or JSON for other tools (several --log: a client column).

    Sealed reflections (docs/privacy.md) are opened after the passphrase, unless --keep-sealed;
    several clients' logs are exported with their reflections as they are.
    """
    from kindful.errors import KindfulError, UsageError
    from kindful.i18n import t
    from kindful.journal import export as exporting
    from kindful.paths import home

    if output is not None and str(output) == "-":
        output = None  # the usual name for stdout; a file called "-" is never what is meant
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
            if not confirmed(question, language, err=True):
                raise KindfulError(t(language, "export.not_overwritten"), path=output)
    from kindful.cli.clients import several

    if logs and several(logs, labels):
        if file_format.lower() == "jsonl":
            raise UsageError(t(language, "coach.jsonl"))
        _export_clients(logs, labels, language, writer, output)
        return
    from kindful.journal.sealing import Opening

    with _open_log(logs) as log:
        opening = Opening(None)
        if not keep_sealed:
            opening = passphrases.opening(log.sessions(False), passphrase_fd, language)

        sessions = _passes(log, opening)

        def write(out: Any) -> int:
            if writer is exporting.write_csv:  # the columns guessed first, from the bytes
                return exporting.write_csv(sessions, out, lambda: exporting.guess_columns(log))
            return writer(sessions, out)

        if output is not None:
            from kindful.cli.stopping import stopping

            with stopping(language):
                count = exporting.write_file(output, write)
        else:
            with _until_the_reader_leaves():
                count = write(sys.stdout)
                sys.stdout.flush()
    _say_skipped(log, language)
    if not keep_sealed:
        passphrases.say_unopened(opening, language)
    _say_exported(count, output, language)


def _passes(log: SessionLog, opening: Any) -> Any:
    """Give export's passes over ``log``: the records, their sealed reflections opened."""

    def sessions(unique: bool) -> Any:
        # CSV's first pass (not unique) reads only the rating keys: nothing to open there.
        if not unique:
            return log.sessions(unique)
        opening.unopened = 0  # the rows written last count, if written again
        return opening.each(log.sessions(unique))

    return sessions


def _say_exported(count: int, output: Path | None, language: str) -> None:
    from kindful.i18n import t, tn

    if not count:
        say(f"kindful: {t(language, 'export.empty')}", err=True)
    elif output is not None:
        say(
            f"kindful: {tn(language, 'export.written', count, count=count, path=output)}",
            err=True,
        )


def _export_clients(
    logs: list[str], labels: list[str] | None, language: str, writer: Any, output: Path | None
) -> None:
    """Export several clients' logs as one table or list, each session with its client."""
    from kindful.cli.clients import clients
    from kindful.journal import export as exporting

    people = clients(logs, labels, language)
    opened: list[SessionLog] = []

    def sessions(unique: bool) -> Iterator[dict[str, Any]]:
        opened.clear()
        for client in people:
            with client.open() as log:
                opened.append(log)
                for session in log.sessions(unique):
                    yield {"client": client.label, **session}

    def write(out: Any) -> int:
        return int(writer(sessions, out))

    if output is not None:
        count = exporting.write_file(output, write)
    else:
        with _until_the_reader_leaves():
            count = write(sys.stdout)
            sys.stdout.flush()
    for log in opened:
        _say_skipped(log, language)
    _say_exported(count, output, language)
