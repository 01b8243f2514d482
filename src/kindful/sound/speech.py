"""A text as it is spoken: the author's clip where there is one, else a voice, kept in the cache.

``Speech`` stands in front of an engine (``kindful.sound.voice``) and is what a run and a render
speak through:

- a text the author recorded (``clips``: the text as the run has it, to its clip) is their clip;
- else the speech cache (``kindful.sound.speech_cache``) gives the text as this voice said it
  before, keyed by engine, voice, rate, language and text;
- else the engine says it: each paragraph on its own with ``PARAGRAPH_PAUSE`` between (a blank
  line in a text), and a phone number digit by digit (``read_out``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from kindful.sound.bowl import RATE, Samples

if TYPE_CHECKING:
    from kindful.practice.plan.planner import Plan
    from kindful.practice.plan.written import Compiled
    from kindful.sound.speech_cache import SpeechCache
    from kindful.sound.voice import Engine

PARAGRAPH_PAUSE = 2.0  # seconds of quiet for a blank line in a text

# Digits in groups (a space, a hyphen or a slash between), at least five digits in all, or one
# run of seven or more that starts with 0 or +: a phone number, read one digit at a time.
_GROUPED = re.compile(r"(?<![\w+])\+?\d+(?:[ \-/]\d+)+(?![\w])")
_LONG = re.compile(r"(?<![\w+])(?:\+|0)\d{6,}(?![\w])")
_PARAGRAPHS = re.compile(r"\n[ \t]*\n\s*")


def paragraphs(text: str) -> list[str]:
    """Give the paragraphs of ``text`` (blank lines between), without empty ones."""
    return [part.strip() for part in _PARAGRAPHS.split(text) if part.strip()]


def read_out(text: str) -> str:
    """Give ``text`` with each phone number spelt digit by digit, a short pause between groups.

    espeak-ng reads "0800 111 0 111" in German as "null acht null null einhundertelf null
    tausend einhundertelf"; "0 8 0 0, 1 1 1, 0, 1 1 1" it reads as a person would.
    """

    def spell(match: re.Match[str]) -> str:
        number = match.group(0)
        if sum(c.isdigit() for c in number) < 5:
            return number  # 4-7-8, 10 20: not a phone number
        groups = re.split(r"[ \-/]", number)
        return ", ".join(" ".join(group) for group in groups)

    return _LONG.sub(spell, _GROUPED.sub(spell, text))


def as_spoken(text: str) -> list[str]:
    """Give what an engine is asked to say for ``text``: its paragraphs, numbers read out."""
    return [read_out(part) for part in paragraphs(text)]


class Speech:
    """A voice as a run hears it (see the module docstring)."""

    def __init__(
        self,
        engine: Engine | None,
        *,
        cache: SpeechCache | None = None,
        clips: Mapping[str, Callable[[], Samples | None]] | None = None,
    ) -> None:
        self.engine = engine  # None: the clips alone, the other texts unsaid
        self.name = engine.name if engine is not None else "clips"
        self.cache = cache
        self.clips = clips or {}

    def speak(self, text: str, lang: str) -> Samples:
        clip = self.clips.get(text)
        if clip is not None:
            heard = clip()
            if heard is not None:
                return heard
        if self.engine is None:
            return np.zeros(0, dtype=np.float32)
        key = None
        if self.cache is not None:
            key = self.cache.key(self.engine.name, self.engine.identity(lang), lang, text)
            kept = self.cache.get(key)
            if kept is not None:
                return kept
        samples = self.synthesise(text, lang)
        if self.cache is not None and key is not None:
            self.cache.put(key, samples)
        return samples

    def synthesise(self, text: str, lang: str) -> Samples:
        """Give ``text`` said by the engine, each paragraph with a pause before the next."""
        pause = np.zeros(round(PARAGRAPH_PAUSE * RATE), dtype=np.float32)
        parts: list[Samples] = []
        for part in as_spoken(text):
            if parts:
                parts.append(pause)
            if self.engine is not None:
                parts.append(self.engine.speak(part, lang))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


Clips = Mapping[str, Callable[[], Samples | None]]


def speaking(engine: Engine | None, clips: Clips | None = None) -> Speech | None:
    """Give ``engine`` behind the author's ``clips`` and the speech cache; ``None`` when there
    is neither an engine nor a clip."""
    if engine is None and not clips:
        return None
    from kindful.sound.speech_cache import speech_cache

    return Speech(engine, cache=speech_cache(), clips=clips)


def author_clips(practice: Compiled, plan: Plan, practice_file: Path) -> tuple[Clips, int | None]:
    """Give the author's clips for a run of ``plan`` (by the text as the run has it), and how
    many distinct texts the run speaks when the practice has recordings in its language
    (``None`` when it has none: then nothing is said about them)."""
    from kindful.practice.format.recordings import voice_folder
    from kindful.practice.plan.own_voice import distinct_texts, recorded_texts
    from kindful.sound.takes import read_clip

    folder = voice_folder(practice_file, plan.lang)
    found = recorded_texts(practice, plan, folder)
    clips = {text: partial(read_clip, path) for text, path in found.items()}
    return clips, distinct_texts(plan) if folder.is_dir() else None
