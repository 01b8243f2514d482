"""The texts an author records in their own voice, and the key each recording is kept under.

A practice's texts in one language are every distinct text a run speaks (guidance, breathing and
silence texts, quotes with who said them, question prompts), in the order a run meets them. Each
is kept under ``clip_key(lang, text)``: the first 16 hex digits of the SHA-256 of the language,
a NUL byte and the text with its inputs not filled in (Unicode NFC, runs of whitespace made one
space, trimmed), in UTF-8. An edited text has a new key, so its old recording is simply no longer
used. A ``{round}`` is filled in: each round is said, and recorded, as it is heard.

Where the recordings are kept is the format's (``format.recordings``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kindful.practice.plan.planner import Bell, Plan, PlannedStep, Quote, make_plan
from kindful.practice.plan.written import Compiled

_SPACES = re.compile(r"\s+")


def normal(text: str) -> str:
    """Give ``text`` as its key reads it: NFC, runs of whitespace one space, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def clip_key(lang: str, text: str) -> str:
    """Give the key of the recording of ``text`` in ``lang`` (see the module docstring)."""
    data = f"{lang}\0{normal(text)}".encode()
    return hashlib.sha256(data).hexdigest()[:16]


def spoken(step: PlannedStep) -> str:
    """Give what is said aloud for a step: its text (a quote with who said it); bells say nothing."""
    if isinstance(step, Bell):
        return ""
    if isinstance(step, Quote) and step.by:
        return f"{step.text} — {step.by}"
    return step.text


@dataclass(frozen=True)
class ToRecord:
    """One text to record: as written (``text``), as shown and said (inputs at their defaults),
    its key, and the time of the first step that says it (``None`` when that step waits)."""

    number: int
    text: str
    shown: str
    key: str
    seconds: float | None


def _unfilled(practice: Compiled, lang: str) -> Plan:
    return make_plan(practice, lang, {i.name: "{" + i.name + "}" for i in practice.inputs})


def texts_to_record(practice: Compiled, lang: str) -> list[ToRecord]:
    """Give the distinct texts of ``practice`` in ``lang``, numbered from 1 as a run meets them."""
    raw = _unfilled(practice, lang).steps
    shown = make_plan(practice, lang).steps
    out: list[ToRecord] = []
    seen: set[str] = set()
    for written, said in zip(raw, shown, strict=True):
        text = spoken(written)
        if not text.strip():
            continue
        key = clip_key(lang, text)
        if key in seen:
            continue
        seen.add(key)
        out.append(ToRecord(len(out) + 1, normal(text), spoken(said), key, written.seconds))
    return out


def recorded_texts(practice: Compiled, plan: Plan, folder: Path) -> dict[str, Path]:
    """Give the run's texts that have a recording in ``folder``, each with its file.

    A text whose inputs are filled in differently from the recording (which was made with the
    defaults) has none: it is spoken by the synthetic voice.
    """
    if not folder.is_dir():
        return {}
    raw = _unfilled(practice, plan.lang).steps
    defaults = make_plan(practice, plan.lang).steps
    if not len(raw) == len(defaults) == len(plan.steps):
        return {}
    found: dict[str, Path] = {}
    for written, default, step in zip(raw, defaults, plan.steps, strict=True):
        said = spoken(step)
        if not said.strip() or said in found or said != spoken(default):
            continue
        clip = folder / f"{clip_key(plan.lang, spoken(written))}.flac"
        if clip.is_file():
            found[said] = clip
    return found


def distinct_texts(plan: Plan) -> int:
    """Give how many distinct texts a run of ``plan`` speaks."""
    return len({spoken(step) for step in plan.steps if spoken(step).strip()})
