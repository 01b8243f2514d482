"""How history and stats look in a terminal: pure functions from figures to rich renderables.

The calendar is readable without colour: each level of minutes has its own character.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from kindful.i18n import t, tn
from kindful.journal.record import Record, counts, rating_changes
from kindful.journal.stats import Stats
from kindful.lengths import length, number
from kindful.safe_text import text as plain

NO_PRACTICE = "·"
LEVELS = ("░", "▒", "▓", "█")  # under 5 minutes, 5 to 14, 15 to 29, 30 or more
LEVEL_MINUTES = (5, 15, 30)
LEVEL_STYLES = ("green", "green", "bold green", "bold bright_green")
LABEL_WIDTH = 3  # "Mo " before the first week


def day_text(day: date, lang: str) -> str:
    """Give a date as people of ``lang`` write it."""
    return t(
        lang, "history.date", year=f"{day.year:04d}", month=f"{day.month:02d}", day=f"{day.day:02d}"
    )


# history


def render_history(
    sessions: list[Record],
    lang: str,
    reflections: bool = False,
    ids: bool = False,
    clients: bool = False,
) -> RenderableType:
    """Give the sessions newest first as given: a table, or with reflections one block each.

    ``ids`` adds each session's short id (what ``forget`` takes) in a first column; ``clients``
    the client each session is of (its ``client`` field), for a coach reading several logs.
    """
    if reflections:
        return Group(*(_session_block(session, lang, clients) for session in sessions))
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    if ids:
        table.add_column("id", style="dim", no_wrap=True)
    if clients:
        table.add_column(t(lang, "coach.client"), style="bold")
    for key in ("when", "practice", "minutes", "progress", "ratings"):
        table.add_column(t(lang, f"history.{key}"), justify="right" if key == "minutes" else "left")
    for session in sessions:
        table.add_row(
            *([short_id(session["id"])] if ids else []),
            *([plain(session["client"], newlines=False)] if clients else []),
            _when(session["started_at"], lang),
            plain(session["title"], newlines=False),
            length(session["elapsed_seconds"], lang),
            _progress(session, lang),
            plain(_ratings(session["ratings"], lang), newlines=False),
        )
    return table


def short_id(session_id: str) -> str:
    """Give the first characters of a session's id, enough for ``forget``."""
    return session_id[:8]


def _session_block(session: Record, lang: str, clients: bool = False) -> RenderableType:
    """Give one session as a line, with its reflections below it, indented."""
    line = Text(_when(session["started_at"], lang), style="bold")
    if clients:
        line = plain(f"{session['client']} · ", style="bold", newlines=False) + line
    took = length(session["elapsed_seconds"], lang)
    for part in (plain(session["title"], newlines=False), Text(took), _progress(session, lang)):
        line.append(" · ")
        line.append_text(part)
    ratings = _ratings(session["ratings"], lang)
    if ratings:
        line.append_text(plain(f" · {ratings}", newlines=False))
    answers = [Padding(_reflection(r), (0, 0, 0, 2)) for r in session["reflections"]]
    if "reflections_sealed" in session:  # not opened: said so, never shown as no answers
        answers.append(Padding(Text(f"({t(lang, 'history.sealed')})", style="dim"), (0, 0, 0, 2)))
    return Group(line, *answers, Text(""))


def _when(started_at: str, lang: str) -> str:
    day = date.fromisoformat(started_at[:10])
    return f"{day_text(day, lang)} {started_at[11:16]}"


def _progress(session: Record, lang: str) -> Text:
    if session["completed"]:
        text = Text(t(lang, "history.completed"))
    else:
        done, total = session["steps_done"], session["steps_total"]
        text = Text(t(lang, "history.steps", done=done, total=total))
    if session["speed"] != 1:
        text.append(" · ")
        text.append(t(lang, "history.rehearsal", speed=f"{session['speed']:g}"), style="italic")
    elif session["completed"] and not counts(session):
        text.append(" · ")
        text.append(t(lang, "history.brief"), style="italic")
    if session.get("source") == "added":
        text.append(" · ")
        text.append(t(lang, "history.added"), style="italic")
    return text


def _ratings(ratings: dict[str, float], lang: str) -> str:
    parts = []
    for key, value, after in rating_changes(ratings):
        name = key.replace("_", " ")
        if after is None:
            parts.append(f"{name} {value:g}")
        else:
            parts.append(f"{name} {value:g} → {after:g}")
    return ", ".join(parts)


def _reflection(reflection: dict[str, str]) -> Text:
    text = plain(reflection["prompt"], style="dim")
    text.append("\n")
    text.append_text(plain(reflection["text"], style="italic"))
    return text


# stats


def render_stats(
    stats: Stats, lang: str, show_streaks: bool = True, weeks: int = 12, who: str | None = None
) -> RenderableType:
    """Give the figures: what was done, the practices, the ratings and the calendar.

    With ``who``, the figures are a client's, read by their coach: said of them by name.
    """
    title = t(lang, "stats.title") if who is None else t(lang, "coach.title", who=who)
    parts: list[RenderableType] = [
        plain(title, style="bold", newlines=False),
        plain("\n".join(summary_lines(stats, lang, show_streaks, who))),
    ]
    if stats.practices:
        parts += [Text(""), _practices(stats, lang)]
    if stats.ratings:
        parts += [Text(""), _ratings_table(stats, lang)]
    if stats.changes:
        parts += [Text(""), _changes(stats, lang)]
    if any(p.changes for p in stats.practices.values()):
        parts += [Text(""), _changes_by_practice(stats, lang)]
    parts += [
        Text(""),
        Text(t(lang, "stats.calendar", weeks=weeks), style="bold"),
        Calendar(stats.day_minutes, stats.today, weeks, lang),
    ]
    return Group(*parts)


def summary_lines(
    stats: Stats, lang: str, show_streaks: bool = True, who: str | None = None
) -> list[str]:
    """Give the kind sentences that say what was done; of ``who`` by name, for a coach."""
    minutes = length(stats.total_minutes * 60, lang)
    lines = [
        t(
            lang,
            "stats.sessions",
            sessions=stats.sessions,
            completed=stats.completed,
            minutes=minutes,
        ),
        t(lang, "stats.recent", week=stats.days_last_7, month=stats.days_last_30),
    ]
    if who is not None:
        days = len(stats.day_minutes)
        return [
            lines[0],
            tn(lang, "coach.days", days, who=who, days=days),
            lines[1],
            *_client_lines(stats, lang, who),
        ]
    if show_streaks:
        lines += _streak_lines(stats, lang)
    elif stats.last_practiced:
        lines.append(t(lang, "stats.last_plain", date=day_text(stats.last_practiced, lang)))
    if stats.rehearsals:
        lines.append(tn(lang, "stats.rehearsals", stats.rehearsals, count=stats.rehearsals))
    return lines


def _client_lines(stats: Stats, lang: str, who: str) -> list[str]:
    """Give a client's streak and last day as their coach reads them: plain facts, by name."""
    lines = []
    days = stats.current_streak
    if days:
        when = "today" if stats.today in stats.day_minutes else "yesterday"
        key = f"coach.{when}_one" if days == 1 else f"coach.streak_{when}"
        lines.append(t(lang, key, who=who, days=days))
    elif stats.last_practiced:
        lines.append(t(lang, "coach.last", who=who, date=day_text(stats.last_practiced, lang)))
    if stats.longest_streak > 1:
        lines.append(t(lang, "coach.longest", who=who, days=stats.longest_streak))
    if stats.rehearsals:
        lines.append(tn(lang, "stats.rehearsals", stats.rehearsals, count=stats.rehearsals))
    return lines


def _streak_lines(stats: Stats, lang: str) -> list[str]:
    lines = []
    days = stats.current_streak
    if days:
        when = "today" if stats.today in stats.day_minutes else "yesterday"
        key = f"stats.{when}_one" if days == 1 else f"stats.streak_{when}"
        lines.append(t(lang, key, days=days))
    elif stats.last_practiced:
        lines.append(t(lang, "stats.last", date=day_text(stats.last_practiced, lang)))
    if stats.longest_streak > 1:
        lines.append(t(lang, "stats.longest", days=stats.longest_streak))
    return lines


def _table(lang: str, *columns: str) -> Table:
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    for index, key in enumerate(columns):
        table.add_column(t(lang, key), justify="left" if index == 0 else "right")
    return table


def _practices(stats: Stats, lang: str) -> Table:
    table = _table(
        lang, "stats.practice", "stats.sessions_col", "stats.completed_col", "stats.minutes_col"
    )
    # The id, for `history --practice ID`, goes last: the first to be cut when space is short.
    table.add_column("id", style="dim", overflow="fold")
    ranked = sorted(stats.practices.items(), key=lambda item: (-item[1].sessions, item[0]))
    for key, figures in ranked:
        table.add_row(
            plain(figures.title, newlines=False),
            str(figures.sessions),
            str(figures.completed),
            length(figures.minutes * 60, lang),
            plain(key, newlines=False),
        )
    return table


def _ratings_table(stats: Stats, lang: str) -> Table:
    table = _table(lang, "stats.rating", "stats.given", "stats.mean")
    for key, figures in stats.ratings.items():
        table.add_row(
            plain(rating_name(key, lang), newlines=False),
            str(figures.count),
            number(figures.mean, lang, 1),
        )
    return table


def rating_name(key: str, lang: str) -> str:
    """Give a rating key in words: ``stress_before`` is ``stress (before)`` in English."""
    for end in ("before", "after"):
        if key.endswith(f"_{end}") and len(key) > len(end) + 1:
            stem = key[: -len(end) - 1].replace("_", " ")
            return f"{stem} ({t(lang, f'stats.{end}')})"
    return key.replace("_", " ")


def _changes(stats: Stats, lang: str) -> Table:
    table = _table(
        lang, "stats.changes", "stats.sessions_col", "stats.before", "stats.after", "stats.change"
    )
    for stem, change in stats.changes.items():
        sign = "+" if change.mean_change > 0 else ""
        table.add_row(
            plain(stem.replace("_", " "), newlines=False),
            str(change.count),
            number(change.mean_before, lang, 1),
            number(change.mean_after, lang, 1),
            sign + number(change.mean_change, lang, 1),
        )
    return table


def _changes_by_practice(stats: Stats, lang: str) -> Table:
    """Give how each practice's ratings changed on average, and over how many sessions."""
    table = _table(lang, "stats.by_practice", "stats.rating", "stats.sessions_col", "stats.change")
    ranked = sorted(stats.practices.items(), key=lambda item: (-item[1].sessions, item[0]))
    for _, figures in ranked:
        for stem, change in figures.changes.items():
            sign = "+" if change.mean_change > 0 else ""
            table.add_row(
                plain(figures.title, newlines=False),
                plain(stem.replace("_", " "), newlines=False),
                str(change.count),
                sign + number(change.mean_change, lang, 1),
            )
    return table


# calendar


def level(minutes: float | None) -> str:
    """Give the character of a day: no practice, or the level of its minutes."""
    if minutes is None:
        return NO_PRACTICE
    return LEVELS[sum(1 for edge in LEVEL_MINUTES if minutes >= edge)]


class Calendar:
    """Practice days as a grid of weeks (columns, newest right) by weekdays (rows, Monday first).

    As many of the wanted weeks as fit the width are drawn, the newest ones.
    """

    def __init__(self, day_minutes: dict[date, float], today: date, weeks: int, lang: str) -> None:
        self.day_minutes = day_minutes
        self.today = today
        self.weeks = weeks
        self.lang = lang

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        weeks = max(1, min(self.weeks, (options.max_width - LABEL_WIDTH + 1) // 2))
        yield from calendar_lines(self.day_minutes, self.today, weeks, self.lang)
        yield legend(self.lang)


def calendar_lines(
    day_minutes: dict[date, float], today: date, weeks: int, lang: str
) -> list[Text]:
    """Give the month line and one line per weekday for the ``weeks`` weeks up to today."""
    first = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    mondays = [first + timedelta(weeks=week) for week in range(weeks)]
    lines = [_month_line(mondays, lang, today)]
    for weekday, name in enumerate(t(lang, "stats.weekdays").split()):
        line = Text(f"{name:<{LABEL_WIDTH - 1}} ", style="dim", no_wrap=True, overflow="crop")
        for monday in mondays:
            day = monday + timedelta(days=weekday)
            line.append_text(_cell(day_minutes, day, today))
            line.append(" ")
        line.rstrip()
        lines.append(line)
    return lines


def _cell(day_minutes: dict[date, float], day: date, today: date) -> Text:
    if day > today:
        return Text(" ")
    char = level(day_minutes.get(day))
    style = "dim" if char == NO_PRACTICE else LEVEL_STYLES[LEVELS.index(char)]
    return Text(char, style=style)


def _month_line(mondays: Iterable[date], lang: str, today: date | None = None) -> Text:
    """Give the month names above the weeks, each over the first week of its month.

    The current month is always named, over the last week (that of ``today``), even when the
    week began in the month before; the others are named where there is room, newest first.
    """
    names = t(lang, "stats.months").split()
    weeks = list(mondays)
    months = [monday.month for monday in weeks]
    if today is not None and months:
        months[-1] = today.month
    end = LABEL_WIDTH + 2 * len(weeks) - 1  # the width of the grid
    cells = [" "] * end
    free_until = end  # labels are placed right to left; this is where the last one began
    for index in reversed(range(len(weeks))):
        if index and months[index - 1] == months[index]:
            continue  # named over the month's first week
        label = names[months[index] - 1]
        column = min(LABEL_WIDTH + 2 * index, end - len(label))
        if free_until < end and column + len(label) + 1 > free_until:
            continue
        cells[column : column + len(label)] = list(label)
        free_until = column
    return Text("".join(cells).rstrip(), style="dim", no_wrap=True, overflow="crop")


def legend(lang: str) -> Text:
    """Give the line that says what each character of the calendar means."""
    return Text(
        t(
            lang,
            "stats.legend",
            none=NO_PRACTICE,
            l1=LEVELS[0],
            l2=LEVELS[1],
            l3=LEVELS[2],
            l4=LEVELS[3],
        ),
        style="dim",
    )
