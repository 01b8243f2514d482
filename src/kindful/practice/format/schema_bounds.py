"""What JSON Schema cannot compute, spelt out for it: numbers in a range, as patterns.

A DURATION may be a string (``"45s"``, ``"2m"``, ``"1:30"``), and JSON Schema compares only
numbers; so the bounds kindful checks on a duration's seconds (at most a day; a breath phase at
least 1 s; interval bells at least 5 s) are written here as regular expressions over each way
of writing one. Likewise a scale's ``min`` below its ``max`` and its label keys on the scale,
for the scales people use (ends from 0 to 20, and 100).
"""

from __future__ import annotations

from typing import Any

from kindful.practice.format.limits import MAX_SECONDS

DAY = int(MAX_SECONDS)
SCALE_ENDS = [*range(0, 21), 100]  # the ends of a scale the schema checks; kindful checks any


def int_range(lo: int, hi: int) -> str:
    """Give a pattern (unanchored) for the whole numbers ``lo`` to ``hi``, written plainly."""
    if not 0 <= lo <= hi:
        raise ValueError((lo, hi))
    parts: list[str] = []
    for digits in range(len(str(lo)), len(str(hi)) + 1):
        first = max(lo, 10 ** (digits - 1) if digits > 1 else 0)
        last = min(hi, 10**digits - 1)
        if first <= last:
            parts += _same_length(str(first), str(last))
    return _either(parts)


def _either(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _same_length(a: str, b: str) -> list[str]:
    if a == b:
        return [a]
    if len(a) == 1:
        return [f"[{a}-{b}]"]
    if a[0] == b[0]:
        return [a[0] + _either(_same_length(a[1:], b[1:]))]
    rest = len(a) - 1
    out = []
    low = int(a[0])
    if a[1:] != "0" * rest:
        out.append(a[0] + _either(_same_length(a[1:], "9" * rest)))
        low += 1
    high = int(b[0]) if b[1:] == "9" * rest else int(b[0]) - 1
    if low <= high:
        digit = str(low) if low == high else f"[{low}-{high}]"
        out.append(digit + ("\\d" if rest == 1 else f"\\d{{{rest}}}"))
    if b[1:] != "9" * rest:
        out.append(b[0] + _either(_same_length("0" * rest, b[1:])))
    return out


def decimal(lo: int, hi: int, *, above_zero: bool = False) -> str:
    """Give a pattern for a number from ``lo`` to ``hi`` with an optional fraction (``2.5``).

    With ``above_zero`` (and ``lo`` 0), zero itself is left out: ``0.5`` is in, ``0`` not.
    """
    parts = [f"{int_range(lo, hi - 1)}(?:\\.\\d+)?", f"{hi}(?:\\.0+)?"]
    if above_zero and lo == 0:
        parts = [f"{int_range(1, hi - 1)}(?:\\.\\d+)?", "0?\\.\\d*[1-9]\\d*", f"{hi}(?:\\.0+)?"]
    return "0*" + _either(parts)


def duration_pattern(least: float, *, zero: bool = False) -> str:
    """Give the pattern of a DURATION string of ``least`` seconds up to a day.

    Each way of writing one alone is bounded exactly (``"25h"``, ``"0.5s"`` for a breath);
    in a combination (``"1h30m"``, ``"1:30"``) each part is bounded (hours under 24, minutes
    and seconds under 60), and zero is refused where it must be.
    """
    low = int(least)
    seconds = decimal(low, DAY, above_zero=not zero and low == 0)
    minutes = f"(?:{decimal(0, 24 * 60, above_zero=True)})" if least else decimal(0, 24 * 60)
    hours = decimal(0, 24, above_zero=bool(least) or not zero)
    under_60 = "0*(?:[1-5]?\\d)(?:\\.\\d+)?"
    under_24 = "0*(?:1?\\d|2[0-3])(?:\\.\\d+)?"
    minutes_of_day = f"0*{int_range(0, 24 * 60 - 1)}(?:\\.\\d+)?"
    alone = [
        seconds,
        f"{seconds} *s",
        f"{minutes} *m",
        f"{hours} *h",
    ]
    together = [
        f"{under_24} *h *{under_60} *m(?: *{under_60} *s)?",
        f"{under_24} *h *{under_60} *s",
        f"{minutes_of_day} *m *{under_60} *s",
        f"{minutes_of_day}:[0-5]?\\d(?:\\.\\d+)?",
        f"{under_24}:[0-5]?\\d:[0-5]?\\d(?:\\.\\d+)?",
        "0*1440:0?0(?:\\.0+)?",
        "0*24:0?0:0?0(?:\\.0+)?",
    ]
    body = "|".join(alone + together)
    if not zero:  # every combination needs a digit other than 0 somewhere
        return f"^(?=.*[1-9])\\s*(?:{body})\\s*$"
    return f"^\\s*(?:{body})\\s*$"


def duration_schema(least: float = 0.0, *, zero: bool = False) -> dict[str, Any]:
    """Give the JSON Schema of a DURATION of ``least`` seconds (or more than 0) up to a day."""
    number: dict[str, Any] = {"type": "number", "maximum": MAX_SECONDS}
    if least:
        number["minimum"] = least
    elif zero:
        number["minimum"] = 0
    else:
        number["exclusiveMinimum"] = 0
    words = 'Duration: seconds, or a string such as "45s", "2m", "1m30s", "1h" or "1:30".'
    if least:
        words += f" At least {least:g} s."
    elif zero:
        words += " 0 is allowed."
    return {
        "anyOf": [number, {"type": "string", "pattern": duration_pattern(least, zero=zero)}],
        "description": words,
    }


def scale_rules(default_min: int, default_max: int) -> list[dict[str, Any]]:
    """Give ``allOf`` rules for a scale: ``min`` below ``max``, label keys on the scale.

    JSON Schema cannot compare two values, so each end from 0 to 20 (and 100) gets a rule;
    a scale with an end beyond those is checked by kindful alone.
    """
    last = SCALE_ENDS[-1]
    rules: list[dict[str, Any]] = []
    for end in SCALE_ENDS:
        keys_from = {"propertyNames": {"pattern": f"^{int_range(end, last)}$"}}
        then: dict[str, Any] = {"properties": {"labels": keys_from}}
        if end < last:
            then["properties"]["max"] = {"minimum": end + 1}
        if end >= default_max:  # with max left at its default, min would not be below it
            then["required"] = ["max"]
        rules.append(
            {"if": {"properties": {"min": {"const": end}}, "required": ["min"]}, "then": then}
        )
        keys_to = {"propertyNames": {"pattern": f"^{int_range(0, end)}$"}}
        then = {"properties": {"labels": keys_to}}
        if end <= default_min:
            then["required"] = ["min"]
        rules.append(
            {"if": {"properties": {"max": {"const": end}}, "required": ["max"]}, "then": then}
        )
    defaults = {
        "if": {"not": {"anyOf": [{"required": ["min"]}, {"required": ["max"]}]}},
        "then": {
            "properties": {
                "labels": {"propertyNames": {"pattern": f"^{int_range(default_min, default_max)}$"}}
            }
        },
    }
    return [*rules, defaults]
