"""How the trends look in a terminal: a bar of minutes per week, and a line per survey.

Readable without colour: the bars and the survey lines are block characters, the figures
stand beside them.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kindful.i18n import t
from kindful.journal.trends import Trends
from kindful.lengths import number
from kindful.safe_text import text as plain

BAR_WIDTH = 20
BAR = "█"
LINE = "▁▂▃▄▅▆▇█"


def bar(minutes: float, most: float, width: int = BAR_WIDTH) -> str:
    """Give a bar for ``minutes`` of at most ``width`` blocks, the longest for ``most``."""
    if minutes <= 0 or most <= 0:
        return ""
    return BAR * max(1, round(width * minutes / most))


def spark(values: list[float]) -> str:
    """Give one character per value, from the lowest block for the least to the highest."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return LINE[len(LINE) // 2] * len(values)
    steps = len(LINE) - 1
    return "".join(LINE[round((v - low) / (high - low) * steps)] for v in values)


def _signed(value: float, lang: str) -> str:
    text = number(abs(value), lang, 1)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


HEART_SHOWN = ("mean_hr", "rmssd_ms", "peak_to_trough_bpm")  # SDNN is in --json


def render_trends(trends: Trends, lang: str) -> RenderableType:
    """Give the weeks as a small chart and the surveys with their lines."""
    parts: list[RenderableType] = [
        Text(t(lang, "trends.title", weeks=len(trends.weeks)), style="bold")
    ]
    stems = sorted({stem for week in trends.weeks for stem in week.change_sums})
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column(t(lang, "trends.week"))
    table.add_column("", no_wrap=True)
    table.add_column(t(lang, "stats.minutes_col"), justify="right")
    table.add_column(t(lang, "stats.sessions_col"), justify="right")
    for stem in stems:
        table.add_column(t(lang, "trends.change", stem=stem), justify="right")
    hearts = [name for name in HEART_SHOWN if any(w.heart_sessions for w in trends.weeks)]
    for name in hearts:
        table.add_column(t(lang, f"trends.heart.{name}"), justify="right")
    most = max((week.minutes for week in trends.weeks), default=0.0)
    for week in trends.weeks:
        changes, heart = week.changes, week.heart
        table.add_row(
            week.week,
            bar(week.minutes, most),
            number(week.minutes, lang, 0) if week.sessions else "·",
            str(week.sessions) if week.sessions else "·",
            *(_signed(changes[s], lang) if s in changes else "·" for s in stems),
            *(number(heart[n], lang, 0) if n in heart else "·" for n in hearts),
        )
    parts.append(table)
    if trends.surveys:
        parts += [Text(""), Text(t(lang, "trends.surveys"), style="bold")]
        for key, survey in sorted(trends.surveys.items()):
            line = t(
                lang,
                "trends.survey",
                key=key,
                first=number(round(survey.first, 2), lang),
                last=number(round(survey.last, 2), lang),
                mean=number(round(survey.mean, 2), lang),
                count=survey.count,
            )
            parts.append(plain(line, newlines=False))
            parts.append(Text("  " + spark([score for _, score in survey.scores])))
            for name, sub in sorted(survey.subscales.items()):
                line = t(
                    lang,
                    "trends.subscale",
                    name=name,
                    first=number(round(sub.first, 2), lang),
                    last=number(round(sub.last, 2), lang),
                    mean=number(round(sub.mean, 2), lang),
                )
                parts.append(plain("  " + line, newlines=False))
        if any(survey.subscales for survey in trends.surveys.values()):
            parts.append(Text(t(lang, "trends.subscales_direction"), style="dim"))
    return Group(*parts)
