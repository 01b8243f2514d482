"""A practice read back as a script: every step with its time and the running clock."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from kindful.i18n import t, tn
from kindful.lengths import clock, length, short
from kindful.practice.model import Practice, pick
from kindful.practice.plan import Bell, Breathe, Plan, PlannedStep, Quote, Rate, Reflect, Silence


def describe(step: PlannedStep, lang: str) -> str:
    """Give the detail of a step beside its text: a breathing pattern, a scale, a bell."""
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
        return f"{ends}: {labels} → {step.key}" if labels else f"{ends} → {step.key}"
    if isinstance(step, Reflect) and not step.save:
        return t(lang, "show.not_saved")
    if isinstance(step, Bell):
        return "×" + str(step.strikes)
    if isinstance(step, Quote) and step.by:
        return f"— {step.by}"
    return ""


def render_script(practice: Practice, plan: Plan, lang: str) -> RenderableType:
    """Give the practice as a readable script in ``lang``."""
    parts: list[RenderableType] = [Text(plan.title, style="bold")]
    if practice.summary is not None:
        parts.append(Text(pick(practice.summary, lang), style="italic"))
    languages = ", ".join(practice.languages_used()) or lang
    total = length(plan.planned_seconds, lang)
    parts.append(Text(f"{practice.id} · {languages} · {_steps(len(plan.steps), lang)} · {total}"))
    questions = practice.questions(lang)
    if questions:
        parts.append(Text(""))
        parts.append(Text(t(lang, "show.inputs"), style="bold"))
        for q in questions:
            default = f" ({t(lang, 'show.default')}: {q.default})" if q.default else ""
            parts.append(Text(f"  {{{q.name}}}  {q.ask}{default}"))
    parts.append(Text(""))
    parts.append(_steps_table(plan, lang))
    parts.append(Text(t(lang, "show.total", total=total), style="bold"))
    if practice.sources:
        parts.append(Text(""))
        parts.append(Text(t(lang, "show.sources"), style="bold"))
        for source in practice.sources:
            link = f" doi:{source.doi}" if source.doi else (f" {source.url}" if source.url else "")
            parts.append(Text(f"  - {source.cite}{link}"))
    return Group(*parts)


def _steps_table(plan: Plan, lang: str) -> Table:
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
        detail = describe(step, lang)
        if detail:
            text.append(("\n" if step.text else "") + detail, style="dim")
        if step.seconds is None:
            took = t(lang, "show.untimed")
        elif step.kind == "bell":
            took = ""
        else:
            took = length(step.seconds, lang)
        table.add_row(clock(at), step.kind, text, took)
        at += step.seconds or 0.0
    return table


def _steps(count: int, lang: str) -> str:
    return t(lang, "show.step_one") if count == 1 else t(lang, "show.steps", count=count)
