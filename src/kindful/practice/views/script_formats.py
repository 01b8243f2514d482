"""The script as a file to print or send: Markdown, or one self-contained HTML page.

Both hold what ``show`` holds: the title as a heading, the summary, the questions asked first,
each step with its clock time and length (breathing as its pattern), the total and the sources.
The HTML page needs nothing beyond itself (no fonts, scripts or images from elsewhere) and
prints on paper as it reads on screen.
"""

from __future__ import annotations

from html import escape

from kindful.i18n import t
from kindful.lengths import clock, length
from kindful.practice.format.texts import pick
from kindful.practice.plan.planner import Plan
from kindful.practice.plan.written import Compiled
from kindful.practice.views.script import byline, citation, describe, heading, kind_name, length_of


def _rows(plan: Plan, lang: str, for_author: bool) -> list[tuple[str, str, str, str, str]]:
    """Give each step as clock, kind, round, text with detail, and length."""
    rows = []
    at = 0.0
    for step in plan.steps:
        round_ = f"[{step.round}] " if step.round is not None else ""
        rows.append(
            (clock(at), kind_name(step, lang), round_, step.text, describe(step, lang, for_author))
        )
        at += step.seconds or 0.0
    return rows


def render_markdown(practice: Compiled, plan: Plan, lang: str, for_author: bool = False) -> str:
    """Give the practice as a Markdown script in ``lang`` (with its id and keys for an author)."""
    out = [f"# {_md(plan.title)}", ""]
    if practice.summary is not None:
        out += [f"*{_md(pick(practice.summary, lang))}*", ""]
    out += [_md(heading(practice, plan, lang, for_author)), ""]
    if by := byline(practice, lang):
        out += [_md(by), ""]
    questions = practice.questions(lang)
    if questions:
        out += [f"## {t(lang, 'show.inputs')}", ""]
        for q in questions:
            default = f" ({t(lang, 'show.default')}: {_md(q.default)})" if q.default else ""
            out.append(f"- `{{{q.name}}}` {_md(q.ask)}{default}")
        out.append("")
    heads = [t(lang, "show.at"), t(lang, "show.step"), "", t(lang, "show.length")]
    out += [f"## {t(lang, 'show.script')}", ""]
    out += ["| " + " | ".join(heads) + " |", "| ---: | --- | --- | ---: |"]
    rows = _rows(plan, lang, for_author)
    for (at, kind, round_, text, detail), step in zip(rows, plan.steps, strict=True):
        cell = _cell(round_ + text)
        if detail:
            cell += ("<br>" if text else "") + f"*{_cell(detail)}*"
        out.append(f"| {at} | {kind} | {cell} | {length_of(step, lang)} |")
    out += ["", f"**{t(lang, 'show.total', total=length(plan.planned_seconds, lang))}**", ""]
    if practice.sources:
        out += [f"## {t(lang, 'show.sources')}", ""]
        out += [f"- {_md(citation(source))}" for source in practice.sources]
        out.append("")
    return "\n".join(out)


def _md(text: str) -> str:
    """Give text that Markdown shows as written: its markup characters escaped."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text


def _cell(text: str) -> str:
    """Give text for one table cell: escaped, its line breaks kept as <br>."""
    return "<br>".join(_md(line) for line in text.split("\n"))


_STYLE = """
:root { color-scheme: light; }
body { font: 17px/1.55 Georgia, "DejaVu Serif", serif; color: #222; background: #fff;
       max-width: 46em; margin: 2.5em auto; padding: 0 1.2em; }
h1 { font-size: 1.7em; margin: 0 0 .2em; font-weight: normal; }
h2 { font-size: 1.1em; margin: 1.8em 0 .5em; text-transform: uppercase; letter-spacing: .06em;
     color: #555; font-weight: normal; }
.summary { font-style: italic; margin: .2em 0; }
.meta, .detail, .at, .length { color: #666; font-size: .9em; }
.meta { margin: .3em 0 1.5em; }
.byline { margin: -1.2em 0 1.5em; color: #444; }
table { border-collapse: collapse; width: 100%; }
td { vertical-align: top; padding: .45em .5em; border-top: 1px solid #ddd; }
td.at, td.length { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.at { text-align: right; width: 3.5em; }
td.length { text-align: right; }
td.kind { white-space: nowrap; color: #555; font-size: .9em; }
.text { white-space: pre-line; }
.round { color: #888; }
.detail { display: block; margin-top: .15em; white-space: pre-line; }
.total { font-weight: bold; margin: 1em 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .3em 1em; }
dt { font-family: "DejaVu Sans Mono", monospace; font-size: .9em; }
dd { margin: 0; }
ol.sources li { margin: .3em 0; overflow-wrap: anywhere; }
@media print {
  body { margin: 0; max-width: none; font-size: 12pt; }
  tr { break-inside: avoid; }
  h2 { break-after: avoid; }
}
"""


def render_html(practice: Compiled, plan: Plan, lang: str, for_author: bool = False) -> str:
    """Give the practice as one self-contained HTML page in ``lang``."""
    return page(plan.title, lang, script_html(practice, plan, lang, for_author))


def page(title: str, lang: str, body: str, style: str = "", script: str = "") -> str:
    """Give a whole HTML page: ``body`` with the script's style (and ``style``, ``script``)."""
    e = escape
    tail = f"<script>{script}</script>\n" if script else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{e(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{e(title)}</title>\n<style>{_STYLE}{style}</style>\n</head>\n<body>\n"
        + body
        + f"\n{tail}</body>\n</html>\n"
    )


def script_html(
    practice: Compiled, plan: Plan, lang: str, for_author: bool = False, level: int = 1
) -> str:
    """Give the script as HTML for a page's body, its title a heading of ``level``."""
    e = escape
    h, sub = f"h{level}", f"h{level + 1}"
    body = [f"<{h}>{e(plan.title)}</{h}>"]
    if practice.summary is not None:
        body.append(f'<p class="summary">{e(pick(practice.summary, lang))}</p>')
    body.append(f'<p class="meta">{e(heading(practice, plan, lang, for_author))}</p>')
    if by := byline(practice, lang):
        body.append(f'<p class="byline">{e(by)}</p>')
    questions = practice.questions(lang)
    if questions:
        body.append(f"<{sub}>{e(t(lang, 'show.inputs'))}</{sub}>\n<dl>")
        for q in questions:
            default = f" ({t(lang, 'show.default')}: {q.default})" if q.default else ""
            body.append(f"  <dt>{{{e(q.name)}}}</dt><dd>{e(q.ask + default)}</dd>")
        body.append("</dl>")
    body.append(f"<{sub}>{e(t(lang, 'show.script'))}</{sub}>\n<table>")
    rows = _rows(plan, lang, for_author)
    for (at, kind, round_, text, detail), step in zip(rows, plan.steps, strict=True):
        cell = f'<span class="round">{e(round_)}</span>' if round_ else ""
        cell += f'<span class="text">{e(text)}</span>' if text else ""
        cell += f'<span class="detail">{e(detail)}</span>' if detail else ""
        body.append(
            f'  <tr><td class="at">{at}</td><td class="kind">{e(kind)}</td>'
            f'<td>{cell}</td><td class="length">{e(length_of(step, lang))}</td></tr>'
        )
    body.append("</table>")
    total = t(lang, "show.total", total=length(plan.planned_seconds, lang))
    body.append(f'<p class="total">{e(total)}</p>')
    if practice.sources:
        body.append(f'<{sub}>{e(t(lang, "show.sources"))}</{sub}>\n<ol class="sources">')
        body += [f"  <li>{e(citation(source))}</li>" for source in practice.sources]
        body.append("</ol>")
    return "\n".join(body)
