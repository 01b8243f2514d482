"""A program as the commands use it: plain data, kept in a cache, no model to load.

``today`` and ``program status`` must start fast, so they work from this outline (standard
library only) rather than from the pydantic model; the model is loaded only when a program
file changed since the cache last saw it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

TextValue = str | dict[str, str]


def pick(text: TextValue | None, lang: str) -> str:
    """Give ``text`` in ``lang``, else in its first language; a plain string as it is."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or next(iter(text.values()), "")


@dataclass(frozen=True)
class WeekOutline:
    """One week: its title, its text, and its days, each a list of practice ids."""

    title: TextValue
    text: TextValue | None
    days: list[list[str]]


@dataclass(frozen=True)
class Outline:
    """A program's id, texts and weeks, and where it was found."""

    id: str
    title: TextValue
    summary: TextValue | None
    languages: list[str]
    weeks: list[WeekOutline]
    path: str = ""
    origin: str = ""
    shadows: list[str] = field(default_factory=list)

    def days(self) -> list[tuple[int, int, list[str]]]:
        """Give every day in order as (week, day within the week, practice ids), from 1."""
        return [
            (w, d, ids)
            for w, week in enumerate(self.weeks, 1)
            for d, ids in enumerate(week.days, 1)
        ]


def outline_of(program: Any) -> Outline:
    """Give the outline of a loaded ``program.model.Program``."""
    weeks = [WeekOutline(w.title, w.text, [list(d) for d in w.days]) for w in program.weeks]
    return Outline(program.id, program.title, program.summary, program.languages_used(), weeks)
