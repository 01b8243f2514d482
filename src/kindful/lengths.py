"""Numbers and lengths of time as people read them, in their language.

One place for every way kindful writes a length: a clock (``5:30``), a short length for a
hint (``5,5 s`` in German), and words a screen reader reads well (``2 min 30 s``).
"""

from __future__ import annotations

import math

from kindful.i18n import t

# A sum of lengths from a log (each finite) can pass what a float holds: it is shown as this.
BEYOND = "∞"


def clock(seconds: float) -> str:
    """Give seconds as ``m:ss`` (``h:mm:ss`` past an hour), a tenth kept where it matters."""
    if not math.isfinite(seconds):
        return BEYOND
    seconds = round(max(0.0, seconds), 1)  # 119.96 is 2:00, not 1:59.0
    whole = int(seconds)
    fraction = seconds - whole
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    tail = f"{secs:02d}" + (f"{fraction:.1f}"[1:] if fraction >= 0.05 else "")
    return f"{hours}:{minutes:02d}:{tail}" if hours else f"{minutes}:{tail}"


def number(value: float, lang: str, digits: int | None = None) -> str:
    """Give a number as ``lang`` writes it (``5.5``, ``5,5``); ``digits`` fixes the decimals."""
    if not math.isfinite(value):
        return BEYOND
    if digits is not None:
        text = f"{value:.{digits}f}"
    else:
        text = f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"
    return text.replace(".", t(lang, "decimal_mark"))


def short(seconds: float, lang: str) -> str:
    """Give a length for a hint: ``5.5 s`` below a minute, else a clock such as ``2:30``."""
    if seconds < 60:
        return t(lang, "unit.seconds", n=number(round(seconds, 1), lang))
    return clock(seconds)


def length(seconds: float, lang: str) -> str:
    """Give a length of time as words read well aloud: ``45 s``, ``2 min 30 s``, ``1 h``."""
    if not math.isfinite(seconds):
        return BEYOND
    if seconds < 60:
        return t(lang, "unit.seconds", n=number(round(seconds, 1), lang))
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [t(lang, "unit.hours", n=hours)] if hours else []
    parts += [t(lang, "unit.minutes", n=minutes)] if minutes else []
    parts += [t(lang, "unit.seconds", n=secs)] if secs else []
    return " ".join(parts)
