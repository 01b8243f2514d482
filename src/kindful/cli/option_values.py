"""Plain option values, converted as typer would convert them, or left for typer to judge.

Loaded only when a command is given a value to convert (defaults and absent options need none),
so that start-up does not pay for it. See ``coercion`` for why and where it is used.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any, Protocol


class Kind(Protocol):
    """What a parameter holds (``coercion`` gives it): its plain type, one or a list, its bounds."""

    leaf: type
    many: bool
    low: float | None
    high: float | None
    clamp: bool


UNSURE: Any = object()
"""What :func:`convert` gives for a value typer must judge."""

_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})
_FALSE = frozenset({"0", "false", "no", "off", "n", "f"})


def convert(kind: Kind, value: Any) -> Any:
    """Give ``value`` as typer would convert it for ``kind``, or UNSURE if typer must judge it."""
    if not kind.many:
        return _leaf(kind, value)
    items = value if isinstance(value, list | tuple) else [value]
    converted = [_leaf(kind, item) for item in items]
    return UNSURE if any(item is UNSURE for item in converted) else converted


def _leaf(kind: Kind, value: Any) -> Any:
    leaf = kind.leaf
    if leaf is str:
        return value if type(value) is str else UNSURE
    if leaf is bool:
        return _bool(value)
    if leaf is Path:
        return _path(value)
    if type(value) is leaf:
        number = value
    elif type(value) is str and (_plain_int(value) if leaf is int else _plain_float(value)):
        number = leaf(value)
    else:
        return UNSURE
    return _within(kind, number)


# Written plainly, in ASCII, short enough that int() and float() cannot disagree with pydantic
# on size: whitespace, underscores, "12.0" for a whole number, "nan" and "inf" go to typer.
def _plain_int(text: str) -> bool:
    digits = text[1:] if text[:1] in ("+", "-") else text
    return 0 < len(digits) <= 18 and digits.isascii() and digits.isdigit()


def _plain_float(text: str) -> bool:
    return _float_pattern().fullmatch(text) is not None


@functools.cache
def _float_pattern() -> re.Pattern[str]:  # compiled when first needed, not at every start
    return re.compile(
        r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})(?:[eE][+-]?[0-9]{1,3})?", re.ASCII
    )


def _bool(value: Any) -> Any:
    if type(value) is bool:
        return value
    if type(value) is not str:
        return UNSURE
    word = value.strip()  # as typer does before pydantic reads the word
    if not word:
        return False
    if not word.isascii():
        return UNSURE
    word = word.lower()
    return True if word in _TRUE else False if word in _FALSE else UNSURE


def _path(value: Any) -> Any:
    """Give the path typer's default checks would let through; UNSURE where they might not."""
    if type(value) is str and "\x00" not in value:
        path = Path(value)
    elif type(value) is type(Path()):
        path = value
    else:
        return UNSURE
    try:
        os.stat(path)
    except OSError:
        return path  # typer checks only what exists
    return path if os.access(path, os.R_OK) else UNSURE


def _within(kind: Kind, number: Any) -> Any:
    low, high = kind.low, kind.high
    if kind.clamp:  # the order of typer's clamp, nan and all
        if low is not None and number < low:
            return kind.leaf(low)
        if high is not None and number > high:
            return kind.leaf(high)
        return number
    if (low is None or number >= low) and (high is None or number <= high):
        return number
    return UNSURE
