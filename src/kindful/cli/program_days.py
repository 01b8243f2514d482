"""The days of a program as ``program status`` shows them, as text or JSON.

Shared by a person's own status (``program``) and a coach's view of a client's
(``clients_program``), so that neither command module imports the other for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kindful.safe_text import say

if TYPE_CHECKING:
    from kindful.program.outline import Outline
    from kindful.program.progress import Progress


def status_json(program: str, since: Any, finished: bool, state: Progress) -> dict[str, Any]:
    """Give ``program status --json``: the program, its start, and each day done or not."""
    return {
        "program": program,
        "started_at": since.isoformat(timespec="seconds"),
        "done": finished,
        "days": [
            {
                "week": d.week,
                "day": d.day,
                "practices": d.practices,
                "done": done,
                "done_on": None if when is None else when.isoformat(),
            }
            for d, done, when in zip(state.days, state.done, state.done_on, strict=True)
        ],
    }


def print_days(outline: Outline, state: Progress, text_lang: str, ui: str) -> None:
    """Print a program's weeks and days, each marked done or next, and how many are done."""
    from kindful import i18n
    from kindful.program.outline import pick

    next_index = state.current
    index = 0
    for week_number, week in enumerate(outline.weeks, 1):
        say()
        say(i18n.t(ui, "program.week", week=week_number, title=pick(week.title, text_lang)))
        for _ in week.days:
            day = state.days[index]
            mark = "✓" if state.done[index] else ("→" if index == next_index else " ")
            label = i18n.t(ui, "program.day", day=day.day)
            after = f"  ({i18n.t(ui, 'program.next')})" if index == next_index else ""
            say(f"  {mark} {label}  {', '.join(day.practices)}{after}")
            index += 1
    say()
    say(i18n.t(ui, "program.count", done=sum(state.done), total=len(state.days)))
