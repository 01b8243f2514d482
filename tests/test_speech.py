"""Texts as speech: blank lines as pauses, phone numbers read out, the speech cache."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from kindful.sound.bowl import RATE, Samples
from kindful.sound.speech import PARAGRAPH_PAUSE, Speech, as_spoken, paragraphs, read_out
from kindful.sound.speech_cache import SpeechCache, speech_cache
from kindful.sound.voice_choice import find_voice

ESPEAK = shutil.which("espeak-ng")
needs_espeak = pytest.mark.skipif(ESPEAK is None, reason="espeak-ng is not installed")


class CountingEngine:
    """Says each word as 0.1 s of a hum; counts the texts it was asked to say."""

    name = "counting"

    def __init__(self, identity: str = "v1") -> None:
        self.said: list[str] = []
        self._identity = identity

    def identity(self, lang: str) -> str:
        return f"{self._identity} {lang}"

    def speak(self, text: str, lang: str) -> Samples:
        self.said.append(text)
        return np.full(int(len(text.split()) * 0.1 * RATE), 0.25, dtype=np.float32)


def test_a_blank_line_parts_paragraphs_and_a_single_newline_does_not() -> None:
    assert paragraphs("One.\nTwo.\n\n  \nThree.\n") == ["One.\nTwo.", "Three."]
    assert paragraphs("\n\n") == []


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("Call 0800 111 0 111 today.", "Call 0 8 0 0, 1 1 1, 0, 1 1 1 today."),
        ("Ring 116 123.", "Ring 1 1 6, 1 2 3."),
        ("+49 30 1234", "+ 4 9, 3 0, 1 2 3 4"),
        ("Try 08001110111.", "Try 0 8 0 0 1 1 1 0 1 1 1."),
        ("Breathe 4-7-8 for 10 20 breaths in 2024.", "Breathe 4-7-8 for 10 20 breaths in 2024."),
        ("A number 100000 stays.", "A number 100000 stays."),
    ],
)
def test_phone_numbers_are_spelt_out_and_other_numbers_stay(text: str, spoken: str) -> None:
    assert read_out(text) == spoken


def phonemes(text: str, voice: str) -> list[str]:
    """Give espeak-ng's phonemes for ``text``, word by word, stress and pause marks removed."""
    out = subprocess.run(
        [ESPEAK or "espeak-ng", "-q", "-x", "-v", voice, text],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return re.sub(r"[',!|_:;%=]", " ", out).split()


@needs_espeak
@pytest.mark.parametrize(
    ("lang", "number", "digits"),
    [
        ("de", "0800 111 0 111", "null acht null null eins eins eins null eins eins eins"),
        ("en", "116 123", "one one six one two three"),
    ],
)
def test_the_engine_reads_a_phone_number_digit_by_digit(
    lang: str, number: str, digits: str
) -> None:
    as_written = phonemes(number, lang)
    heard = phonemes(as_spoken(number)[0], lang)
    assert heard == phonemes(digits, lang)
    assert as_written != heard  # as written, espeak-ng reads thousands and hundreds


@needs_espeak
def test_a_blank_line_is_heard_as_a_pause_of_about_two_seconds() -> None:
    engine = find_voice("en")
    assert engine is not None
    speech = Speech(engine)
    one = len(speech.speak("Feel your feet. Rest your hands.", "en")) / RATE
    two = len(speech.speak("Feel your feet.\n\nRest your hands.", "en")) / RATE
    assert two - one == pytest.approx(PARAGRAPH_PAUSE, abs=0.5)


def test_a_text_said_once_is_kept_and_not_synthesised_again(tmp_path: Path) -> None:
    engine = CountingEngine()
    cache = SpeechCache(tmp_path / "speech")
    first = Speech(engine, cache=cache).speak("Rest here a while.", "en")
    again = Speech(engine, cache=SpeechCache(tmp_path / "speech")).speak("Rest here a while.", "en")
    assert engine.said == ["Rest here a while."]
    assert np.allclose(first, again, atol=1 / 32768)
    # Another voice, rate or language is another entry.
    Speech(CountingEngine("v2"), cache=cache).speak("Rest here a while.", "en")
    Speech(engine, cache=cache).speak("Rest here a while.", "de")
    assert len(engine.said) == 2
    assert len(list((tmp_path / "speech").iterdir())) == 3


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    engine = CountingEngine()
    cache = SpeechCache(tmp_path)
    Speech(engine, cache=cache).speak("Soft.", "en")
    (entry,) = tmp_path.iterdir()
    entry.write_bytes(entry.read_bytes()[:5])
    Speech(engine, cache=cache).speak("Soft.", "en")
    assert engine.said == ["Soft.", "Soft."]


def test_the_cache_keeps_to_its_bound_and_drops_the_least_recently_used(tmp_path: Path) -> None:
    entry = 16 + 2 * RATE  # one second of speech and the header
    cache = SpeechCache(tmp_path, limit=4 * entry)
    second = np.zeros(RATE, dtype=np.float32)
    for n in range(4):
        cache.put(cache.key(n), second)
        os.utime(tmp_path / cache.key(n), (1000 + n, 1000 + n))
    assert cache.get(cache.key(0)) is not None  # used now: the newest
    cache.put(cache.key(4), second)  # over the bound: pruned to three quarters
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {cache.key(0), cache.key(3), cache.key(4)}


def test_the_cache_lives_in_the_cache_folder() -> None:
    assert speech_cache().folder == Path(os.environ["KINDFUL_CACHE"]) / "speech"


def test_an_unwritable_cache_is_simply_not_kept(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    engine = CountingEngine()
    speech = Speech(engine, cache=SpeechCache(blocker / "speech"))
    assert len(speech.speak("Soft.", "en"))
    assert len(speech.speak("Soft.", "en"))
    assert engine.said == ["Soft.", "Soft."]


def test_a_clip_is_said_in_place_of_the_voice_and_other_texts_are_synthesised() -> None:
    engine = CountingEngine()
    clip = np.full(RATE, 0.5, dtype=np.float32)
    speech = Speech(engine, clips={"Rest here.": lambda: clip})
    assert speech.speak("Rest here.", "en") is clip
    assert len(speech.speak("Feel your feet.", "en"))
    assert engine.said == ["Feel your feet."]
    # A clip that cannot be read is spoken by the voice instead.
    broken = Speech(engine, clips={"Rest here.": lambda: None})
    assert len(broken.speak("Rest here.", "en"))
    assert engine.said[-1] == "Rest here."
    # Without an engine, the clips alone: the other texts are quiet, not an error.
    alone = Speech(None, clips={"Rest here.": lambda: clip})
    assert alone.speak("Rest here.", "en") is clip
    assert len(alone.speak("Feel your feet.", "en")) == 0
