"""A program to print or hand over: its weeks, their texts, and each day's practices.

``show PROGRAM`` gives it as text, Markdown or one HTML page, in the reader's language, each
practice by its title and length (never its id, unless an author asks).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kindful.i18n import t
from kindful.lengths import length
from kindful.program.outline import Outline, pick


@dataclass(frozen=True)
class Day:
    """One day: each practice's title (its id too, for an author) and its planned length."""

    practices: list[tuple[str, str, float]]  # (title, id, seconds)


@dataclass(frozen=True)
class Printed:
    """A program in one language, ready to print."""

    title: str
    summary: str
    lang: str
    weeks: list[tuple[str, str, list[Day]]]  # title, text, days


def printed(outline: Outline, lang: str) -> Printed:
    """Give ``outline`` in ``lang``, each practice found and planned for its title and length."""
    from kindful.errors import KindfulError
    from kindful.practice.library import find_practice
    from kindful.practice.plan.planner import make_plan

    known: dict[str, tuple[str, float]] = {}
    weeks = []
    for week in outline.weeks:
        days = []
        for ids in week.days:
            practices = []
            for ref in ids:
                if ref not in known:
                    try:
                        found = find_practice(ref)
                        chosen = lang if lang in found.practice.languages_used() else None
                        use = chosen or (found.practice.languages_used() or [lang])[0]
                        defaults = {q.name: q.default for q in found.practice.questions(use)}
                        plan = make_plan(found.practice, use, defaults)
                        known[ref] = (plan.title, plan.planned_seconds)
                    except KindfulError:
                        known[ref] = (ref, 0.0)  # `kindful validate` says what is wrong
                title, seconds = known[ref]
                practices.append((title, ref, seconds))
            days.append(Day(practices))
        weeks.append((pick(week.title, lang), pick(week.text, lang), days))
    return Printed(pick(outline.title, lang), pick(outline.summary, lang), lang, weeks)


def _practices(day: Day, lang: str, for_author: bool) -> str:
    return ", ".join(
        f"{title} ({length(seconds, lang)})" + (f" [{ref}]" if for_author else "")
        for title, ref, seconds in day.practices
    )


def render_text(program: Printed, for_author: bool = False) -> RenderableType:
    """Give the program as text for a terminal."""
    lang = program.lang
    parts: list[RenderableType] = [Text(program.title, style="bold")]
    if program.summary:
        parts.append(Text(program.summary, style="italic"))
    for number, (title, text, days) in enumerate(program.weeks, 1):
        parts.append(Text(""))
        parts.append(Text(f"{t(lang, 'handover.week', week=number)}: {title}", style="bold"))
        if text:
            parts.append(Text(text))
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        for day_number, day in enumerate(days, 1):
            day_name = t(lang, "handover.day", day=day_number)
            table.add_row(Text(day_name), Text(_practices(day, lang, for_author)))
        parts.append(table)
    return Group(*parts)


def render_markdown(program: Printed, for_author: bool = False) -> str:
    """Give the program as Markdown."""
    from kindful.practice.views.script_formats import _md

    lang = program.lang
    out = [f"# {_md(program.title)}", ""]
    if program.summary:
        out += [f"*{_md(program.summary)}*", ""]
    for number, (title, text, days) in enumerate(program.weeks, 1):
        out += [f"## {t(lang, 'handover.week', week=number)}: {_md(title)}", ""]
        if text:
            out += [_md(text), ""]
        for day_number, day in enumerate(days, 1):
            day_name = t(lang, "handover.day", day=day_number)
            out.append(f"- **{day_name}**: {_md(_practices(day, lang, for_author))}")
        out.append("")
    return "\n".join(out)


def render_html(program: Printed, for_author: bool = False) -> str:
    """Give the program as one self-contained HTML page."""
    from kindful.practice.views.script_formats import page

    e = escape
    lang = program.lang
    body = [f"<h1>{e(program.title)}</h1>"]
    if program.summary:
        body.append(f'<p class="summary">{e(program.summary)}</p>')
    for number, (title, text, days) in enumerate(program.weeks, 1):
        body.append(f"<h2>{e(t(lang, 'handover.week', week=number))}: {e(title)}</h2>")
        if text:
            body.append(f'<p class="text">{e(text)}</p>')
        body.append("<table>")
        for day_number, day in enumerate(days, 1):
            day_name = t(lang, "handover.day", day=day_number)
            body.append(
                f'  <tr><td class="kind">{e(day_name)}</td>'
                f"<td>{e(_practices(day, lang, for_author))}</td></tr>"
            )
        body.append("</table>")
    return page(program.title, lang, "\n".join(body))
