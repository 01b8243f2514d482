"""The WebVTT transcript beside a rendered file: every text with its start and end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    """A text heard or shown from ``start`` to ``end`` seconds into the file."""

    start: float
    end: float
    text: str


def webvtt(cues: list[Cue]) -> str:
    """Give the transcript as a WebVTT file's text."""
    lines = ["WEBVTT", ""]
    for number, cue in enumerate(sorted(cues, key=lambda cue: cue.start), 1):
        # A cue must end after it starts; a step of no length still gets a millisecond.
        end = max(cue.end, cue.start + 0.001)
        lines += [str(number), f"{timestamp(cue.start)} --> {timestamp(end)}"]
        # A blank line would end the cue, and "<", "&" or "-->" would be read as markup.
        text = cue.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        lines += [line for line in text.splitlines() if line.strip()] or ["…"]
        lines.append("")
    return "\n".join(lines)


def timestamp(seconds: float) -> str:
    """Give ``HH:MM:SS.mmm``."""
    ms = max(0, round(seconds * 1000))
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{ms:03d}"
