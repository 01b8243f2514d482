"""Hints for common slips: what a duration or a text that does not read was likely meant to be.

``"1,5"`` was meant as 1.5, ``90 sec`` as ``90s``, ``dee`` as ``de``, and a comma in
``{de: Drück n, wenn du magst}`` ended the text early. Each hint is a short clause for a message.
"""

from __future__ import annotations

import difflib
import re
from typing import Any


def close(word: str, other: str) -> bool:
    return difflib.SequenceMatcher(None, word, other).ratio() >= 0.6


def comma_trap(value: dict[Any, Any], key: Any) -> str | None:
    """Give a hint when a comma in a flow mapping cut a text in two: ``{de: Drück n, wenn ...}``."""
    if value.get(key) is not None or not isinstance(key, str):
        return None
    keys = list(value)
    at = keys.index(key)
    if at == 0 or not isinstance(value[keys[at - 1]], str):
        return None
    lang, start = keys[at - 1], value[keys[at - 1]]
    return (
        f"a comma ended the `{lang}` text early: put the whole text in quotes, "
        f'such as {{{lang}: "{start}, {key}"}}'
    )


_SPELLED = re.compile(
    r"^(\d+(?:[.,]\d+)?)\s*(h|hrs?|hours?|std|stunden?|m|mins?|minutes?|minuten?|s|secs?|seconds?|sek|sekunden?)\.?$",
    re.IGNORECASE,
)


def duration_hint(value: Any) -> str:
    """Give what a duration that does not parse was likely meant to be: ``"1,5"`` -> ``1.5``."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    if not text:
        return ": it is empty"
    if re.fullmatch(r"\d+,\d+", text):
        return f": write {text.replace(',', '.')}"
    match = _SPELLED.match(text)
    if match:
        number = match.group(1).replace(",", ".")
        word = match.group(2).lower()
        unit = "h" if word.startswith(("h", "st")) else word[0]
        return f": did you mean {number}{unit}?"
    return ""


_REGION = re.compile(r"^([A-Za-z]{2,3})[-_][A-Za-z0-9]{2,8}")


def region_hint(code: str) -> str | None:
    """Give the message for a language with a region (``de-DE``): kindful reads languages only.

    A run's ``--lang de-AT`` or a locale ``de_CH.UTF-8`` finds ``de``, so the region in a file
    would only make a language no run asks for.
    """
    match = _REGION.match(code)
    if match is None:
        return None
    lang = match.group(1).lower()
    return (
        f"`{code}` names a region: write the language alone, `{lang}` "
        f"(a run asked for `{code}` finds `{lang}`)"
    )
