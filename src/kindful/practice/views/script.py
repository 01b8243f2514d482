"""A practice read back as a script: every step with its time and the running clock."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kindful.i18n import catalogue, t, tn
from kindful.lengths import clock, length, short
from kindful.practice.format.texts import pick
from kindful.practice.plan.planner import (
    Bell,
    Breathe,
    Plan,
    PlannedStep,
    Quote,
    Rate,
    Reflect,
    Silence,
    Survey,
    seen_steps,
)
from kindful.practice.plan.written import Compiled, Source


def describe(step: PlannedStep, lang: str, for_author: bool = False) -> str:
    """Give the detail of a step beside its text: a breathing pattern, a scale, a bell.

    The log key a rating is kept under is for the author: a client's script leaves it out.
    """
    if isinstance(step, Breathe):
        p = step.pattern
        phases = [("show.in", p.inhale), ("show.hold", p.hold), ("show.out", p.exhale)]
        phases.append(("show.rest", p.rest))
        parts = [f"{t(lang, key)} {short(s, lang)}" for key, s in phases if s]
        return " · ".join(parts) + " × " + tn(lang, "show.cycles", step.cycles, count=step.cycles)
    if isinstance(step, Silence) and step.bell_every:
        return t(lang, "show.bell_every", every=short(step.bell_every, lang))
    if isinstance(step, Rate):
        ends = f"{step.low}–{step.high}"
        labels = ", ".join(f"{n} {label}" for n, label in step.labels.items())
        key = f" → {step.key}" if for_author else ""
        return f"{ends}: {labels}{key}" if labels else f"{ends}{key}"
    if isinstance(step, Survey):
        return survey_detail(step, lang, for_author)
    if isinstance(step, Reflect) and not step.save:
        return t(lang, "show.not_saved")
    if isinstance(step, Bell):
        return "×" + str(step.strikes)
    if isinstance(step, Quote) and step.by:
        return f"— {step.by}"
    return ""


def survey_detail(step: Survey, lang: str, for_author: bool = False) -> str:
    """Give a survey as a printed questionnaire: its scale, its items, how it is scored."""
    labels = ", ".join(f"{n} {label}" for n, label in sorted(step.labels.items()))
    scale = f"{step.low}–{step.high}" + (f": {labels}" if labels else "")
    lines = [t(lang, "handover.survey_scale", scale=scale)]
    for number, item in enumerate(step.items, 1):
        marks = [item.subscale] if item.subscale else []
        if item.reverse:
            marks.append(t(lang, "handover.survey_reversed"))
        lines.append(f"{number}. {item.text}" + (f" [{', '.join(marks)}]" if marks else ""))
    how = t(lang, f"handover.survey_{step.score}")
    if any(item.reverse for item in step.items):
        how += " " + t(lang, "handover.survey_reverse", total=step.low + step.high)
    subscales = list(dict.fromkeys(item.subscale for item in step.items if item.subscale))
    if subscales:
        how += " " + t(lang, "handover.survey_subscales", names=", ".join(subscales))
    lines.append(how + (f" → {step.key}" if for_author else ""))
    return "\n".join(lines)


def kind_name(step: PlannedStep, lang: str) -> str:
    """Give the name of a step's kind in ``lang``: ``atmen`` for a German reader."""
    return catalogue(lang).get(f"show.kind.{step.kind}") or step.kind


def length_of(step: PlannedStep, lang: str) -> str:
    """Give a step's length as the script shows it: a clock, nothing for a bell, or "waits"."""
    if step.seconds is None:
        return t(lang, "show.untimed")
    return "" if step.kind == "bell" else length(step.seconds, lang)


def heading(practice: Compiled, plan: Plan, lang: str, for_author: bool = False) -> str:
    """Give the line under the title: the id for an author, languages (if any), steps (a bell
    is none), total."""
    parts = [practice.id if for_author else "", ", ".join(practice.languages_used())]
    seen = seen_steps(plan.steps)  # as a run counts them
    parts += [_steps(seen, lang) if seen else "", length(plan.planned_seconds, lang)]
    return " · ".join(p for p in parts if p)


def byline(practice: Compiled, lang: str) -> str:
    """Give who wrote the practice and under which licence, as one line ("" if neither)."""
    parts = []
    if practice.author:
        parts.append(t(lang, "handover.by", author=practice.author))
    if practice.license:
        parts.append(t(lang, "handover.license", license=practice.license))
    return " · ".join(parts)


def citation(source: Source) -> str:
    """Give a source as one line: the citation and its DOI or address."""
    link = f" doi:{source.doi}" if source.doi else (f" {source.url}" if source.url else "")
    return f"{source.cite}{link}"


def render_script(
    practice: Compiled, plan: Plan, lang: str, for_author: bool = False
) -> RenderableType:
    """Give the practice as a readable script in ``lang`` (with its id and keys for an author)."""
    parts: list[RenderableType] = [Text(plan.title, style="bold")]
    if practice.summary is not None:
        parts.append(Text(pick(practice.summary, lang), style="italic"))
    total = length(plan.planned_seconds, lang)
    parts.append(Text(heading(practice, plan, lang, for_author)))
    if by := byline(practice, lang):
        parts.append(Text(by))
    questions = practice.questions(lang)
    if questions:
        parts.append(Text(""))
        parts.append(Text(t(lang, "show.inputs"), style="bold"))
        rows = []
        for q in questions:
            default = f" ({t(lang, 'show.default')}: {q.default})" if q.default else ""
            rows.append((f"{{{q.name}}}", f"{q.ask}{default}"))
        parts.append(_hanging(rows))
    parts.append(Text(""))
    parts.append(_steps_table(plan, lang, for_author))
    parts.append(Text(t(lang, "show.total", total=total), style="bold"))
    if practice.sources:
        parts.append(Text(""))
        parts.append(Text(t(lang, "show.sources"), style="bold"))
        parts.append(_hanging([("-", citation(source)) for source in practice.sources]))
    return Group(*parts)


def _hanging(rows: list[tuple[str, str]]) -> Table:
    """Give rows whose second cell wraps under itself, not under the first: a hanging indent."""
    table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, expand=False)
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for head, text in rows:
        table.add_row(" " + head, Text(text))
    return table


def _steps_table(plan: Plan, lang: str, for_author: bool = False) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 1), pad_edge=False, expand=False)
    table.add_column(justify="right", style="dim", no_wrap=True)  # the running clock
    table.add_column(no_wrap=True)  # kind
    table.add_column(ratio=1)  # text and detail
    table.add_column(justify="right", no_wrap=True)  # length
    at = 0.0
    for step in plan.steps:
        text = Text(step.text)
        if step.round is not None:
            text = Text(f"[{step.round}] ", style="dim") + text
        detail = describe(step, lang, for_author)
        if detail:
            text.append(("\n" if step.text else "") + detail, style="dim")
        table.add_row(clock(at), kind_name(step, lang), text, length_of(step, lang))
        at += step.seconds or 0.0
    return table


def _steps(count: int, lang: str) -> str:
    return t(lang, "show.step_one") if count == 1 else t(lang, "show.steps", count=count)
