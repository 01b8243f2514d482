"""Which voice speaks a language, and how long a text takes it to say.

``find_voice`` picks the engine (piper for a model named in ``voices``, else espeak-ng, else
macOS ``say``); ``speech_timer`` and ``MeasuredSpeech`` measure texts with it, for ``validate``.
Kept apart from the engines (``voice``, ``piper_voice``) and from ``speech``, which it builds
on, so that no two of those import each other.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from kindful.sound.bowl import RATE
from kindful.sound.voice import (
    CALM_RATE,
    SENTENCE_PAUSE,
    Engine,
    Espeak,
    Say,
    Voice,
    VoiceError,
    sentences,
)


def find_voice(
    lang: str, voices: dict[str, str] | None = None, rate: int | None = None
) -> Engine | None:
    """Give the voice for ``lang``: piper when ``voices`` names a model, else espeak-ng, else say.

    ``voices`` maps a language to a piper model file or an engine's voice name. A model that is
    missing, or piper not installed, is said when the voice first speaks (``VoiceError``), never
    a quiet switch to another voice. ``None`` when no engine is installed.
    """
    voices = voices or {}
    named = voices.get(lang, "")
    if named.endswith(".onnx"):
        from kindful.sound.piper_voice import Piper

        return Piper(Path(named).expanduser(), rate)
    engine_voices = {k: v for k, v in voices.items() if not v.endswith(".onnx")}
    program = shutil.which("espeak-ng")
    if program:
        return Espeak(program, engine_voices, rate)
    program = shutil.which("say")
    if program and sys.platform == "darwin":
        return Say(program, engine_voices, rate)
    return None


def speech_timer(
    voices: dict[str, str] | None = None, rate: int | None = None
) -> SpeechTimer | None:
    """Give a way to measure how long texts take to say with the installed voice, ``None``
    when no engine is installed (then estimates from words a minute are all there is)."""
    if find_voice("en", voices, rate) is None:
        return None
    return SpeechTimer(voices, rate)


class SpeechTimer:
    """``timer(text, lang)`` gives the seconds the installed voice takes to say ``text``."""

    def __init__(self, voices: dict[str, str] | None, rate: int | None) -> None:
        self.voices = voices
        self.rate = rate
        self._by_lang: dict[str, Voice | None] = {}
        self.names: set[str] = set()  # the voices that measured something

    def _voice(self, lang: str) -> Voice | None:
        if lang not in self._by_lang:
            from kindful.sound.speech import speaking

            self._by_lang[lang] = speaking(find_voice(lang, self.voices, self.rate))
        return self._by_lang[lang]

    def describe(self, lang: str) -> str | None:
        """Give the voice that measures ``lang`` (engine, voice and rate), ``None`` for none."""
        engine = getattr(self._voice(lang), "engine", None)
        if engine is None:
            return None
        model = getattr(engine, "model", None)
        voice = model.name if model is not None else getattr(engine, "voices", {}).get(lang, lang)
        rate = engine.rate or CALM_RATE.get(lang, 125)
        return f"{engine.name} {voice} at {rate} words a minute"

    def __call__(self, text: str, lang: str) -> float | None:
        """Give the seconds, or ``None`` when this language's voice cannot say it."""
        voice = self._voice(lang)
        if voice is None or not text.strip():
            return None if voice is None else 0.0
        try:
            seconds = len(voice.speak(text, lang)) / RATE
            self.names.add(voice.name)
            return seconds
        except VoiceError:
            return None


class MeasuredSpeech:
    """How long a text takes to say: measured with the installed voice, else estimated from
    its words (a language the voice cannot say).

    ``measured_by(lang)`` names the voice that measures in ``lang`` (``None``: estimated), for
    warnings that depend on the machine.
    """

    def __init__(self, timer: SpeechTimer) -> None:
        self.timer = timer

    def __call__(self, text: str, lang: str) -> float:
        from kindful.practice.plan.speaking import speaking_seconds

        measured = self.timer(text, lang)
        return speaking_seconds(text, lang) if measured is None else measured

    def measured_by(self, lang: str) -> str | None:
        return self.timer.describe(lang)

    def rough(self, text: str, lang: str) -> float:
        """Give a quick estimate at the voice's rate, with its pauses, without synthesising."""
        from kindful.practice.plan.speaking import speaking_seconds
        from kindful.sound.speech import PARAGRAPH_PAUSE, paragraphs

        calm = CALM_RATE.get(lang.split("-")[0], 125)
        words = speaking_seconds(text, lang) * calm / (self.timer.rate or calm)
        pauses = SENTENCE_PAUSE * max(0, len(sentences(text)) - 1)
        return words + pauses + PARAGRAPH_PAUSE * max(0, len(paragraphs(text)) - 1)
