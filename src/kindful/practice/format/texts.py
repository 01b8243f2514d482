"""TEXT in a practice: a string, or a string per language; its placeholders, filled and picked.

These few functions serve both the validator (``model``) and everything after it (planning,
scripts), so they live here, free of pydantic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kindful.practice.format.limits import MAX_ANSWER, ROUND_WIDTH

Text = str | dict[str, str]

# {{ and }} are literal braces; {name} is a placeholder; a lone brace is a mistake.
_BRACES = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")


def placeholders(text: str) -> list[str | None]:
    """Give the placeholder names in ``text``; ``None`` stands for a lone brace."""
    out: list[str | None] = []
    for match in _BRACES.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        out.append(match.group(1) if token.startswith("{") and token.endswith("}") else None)
    return out


def widest(text: str) -> int:
    """Give the length ``text`` can reach with every placeholder filled at its widest."""
    return len(text) + sum(
        (ROUND_WIDTH if name == "round" else MAX_ANSWER) - len(name) - 2
        for name in placeholders(text)
        if name
    )


def fill(text: str, values: dict[str, str]) -> str:
    """Give ``text`` with its placeholders replaced by ``values`` and ``{{``/``}}`` unescaped."""

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token in ("{{", "}}"):
            return token[0]
        name = match.group(1)
        return values.get(name, token) if name is not None else token

    return _BRACES.sub(one, text)


def pick(text: Text | None, lang: str) -> str:
    """Give ``text`` in ``lang``, else in its first language; a plain string as it is."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang, next(iter(text.values())))


@dataclass(frozen=True)
class Question:
    """An input asked before the first step."""

    name: str
    ask: str
    default: str
