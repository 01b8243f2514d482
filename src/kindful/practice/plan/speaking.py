"""How long a text takes to be spoken calmly: an estimate from its words, per language.

Guidance is read slowly, with pauses, to someone whose eyes may be closed. The rates below were
calibrated against espeak-ng reading the built-in practices at a calm rate (``bench/
speaking_rate.py``; the method is in docs/authoring.md). Where a voice engine is installed, a
caller may measure the real length instead and pass it where ``speech_seconds`` is taken.
"""

from __future__ import annotations

import re
from collections.abc import Callable

WORDS_PER_MINUTE = {"en": 110.0, "de": 100.0}
OTHER_LANGUAGES = 100.0  # a language not measured: the slower of the two
_WORD = re.compile(r"\w+(?:['’-]\w+)*")

SpeechSeconds = Callable[[str, str], float]


def words(text: str) -> int:
    """Give how many words ``text`` has (``don't`` and ``Selbst-Mitgefühl`` are one each)."""
    return len(_WORD.findall(text))


def speaking_seconds(text: str, lang: str) -> float:
    """Give about how many seconds ``text`` in ``lang`` takes to be spoken calmly."""
    rate = WORDS_PER_MINUTE.get(lang.split("-")[0], OTHER_LANGUAGES)
    return words(text) * 60.0 / rate
