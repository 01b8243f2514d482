"""Lengths of time as people read them: ``5:30``, ``45 s``, ``5.5 s``."""

from __future__ import annotations


def clock(seconds: float) -> str:
    """Give seconds as ``m:ss`` (``h:mm:ss`` past an hour), a tenth kept where it matters."""
    whole = int(seconds)
    fraction = seconds - whole
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    tail = f"{secs:02d}" + (f"{fraction:.1f}"[1:] if fraction >= 0.05 else "")
    return f"{hours}:{minutes:02d}:{tail}" if hours else f"{minutes}:{tail}"


def seconds_text(seconds: float) -> str:
    """Give a short length such as ``5.5 s``, ``45 s`` or ``2:30``."""
    if seconds < 60:
        return f"{seconds:g} s"
    return clock(seconds)
