"""The author's own voice: the texts to record, their keys, and takes cleaned as they are kept."""

from __future__ import annotations

import hashlib
import math
import unicodedata
from pathlib import Path

import numpy as np
import pytest

from kindful.practice.checking.load import load_practice
from kindful.practice.format.recordings import voice_folder
from kindful.practice.plan.own_voice import clip_key, texts_to_record
from kindful.practice.plan.written import Compiled
from kindful.sound.bowl import RATE
from kindful.sound.loudness import integrated_loudness
from kindful.sound.takes import (
    VOICE_LUFS,
    SilentTake,
    clean,
    read_clip,
    resample,
    write_clip,
)

PRACTICE = """\
kindful: 1
title: Mine
inputs:
  - name: friend
    ask: Who?
    default: a friend
steps:
  - bell: 1
  - say: "Think of {friend}."
    seconds: 8
  - repeat: 2
    steps:
      - breathe: Breathe in,   and out.
        in: 4
        out: 4
        cycles: 2
  - quote: Be kind.
    by: Someone
  - silence: 10
  - rate: How calm are you?
    key: calm
  - say: "Think of {friend}."
    seconds: 5
"""


@pytest.fixture
def practice(tmp_path: Path) -> Compiled:
    path = tmp_path / "mine.yaml"
    path.write_text(PRACTICE, encoding="utf-8")
    return Compiled.from_model(load_practice(path))


def reference_key(lang: str, text: str) -> str:
    """The contract's definition, written out again."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(lang.encode() + b"\0" + text.encode("utf-8")).hexdigest()[:16]


@pytest.mark.parametrize(
    "text",
    ["Breathe in.", "  Breathe\n\tin.  ", "Atme e\u0301in.", "Atme éin.", "Think of {friend}."],
)
def test_a_clip_key_is_the_contracts_hash_of_language_nul_and_text(text: str) -> None:
    assert clip_key("en", text) == reference_key("en", text)
    assert len(clip_key("en", text)) == 16
    assert clip_key("de", text) != clip_key("en", text)


def test_whitespace_and_unicode_forms_do_not_change_the_key() -> None:
    assert clip_key("de", "Atme e\u0301in.") == clip_key("de", "Atme  éin.\n")


def test_the_texts_to_record_are_distinct_numbered_unfilled_and_timed(practice: Compiled) -> None:
    texts = texts_to_record(practice, "en")
    assert [(t.number, t.text, t.seconds) for t in texts] == [
        (1, "Think of {friend}.", 8),
        (2, "Breathe in, and out.", 16),
        (3, "Be kind. — Someone", None),
        (4, "How calm are you?", None),
    ]
    assert texts[0].shown == "Think of a friend."
    assert texts[0].key == reference_key("en", "Think of {friend}.")


def test_the_clips_live_beside_the_practice_by_stem_and_language(tmp_path: Path) -> None:
    assert voice_folder(tmp_path / "calm.yaml", "de") == tmp_path / "calm.voice" / "de"
    assert voice_folder(tmp_path / "calm.yml", "en") == tmp_path / "calm.voice" / "en"


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """Syllables of a buzzy vowel, 5 a second, with pauses between words."""
    rng = np.random.default_rng(seed)
    t = np.arange(round(seconds * RATE)) / RATE
    voice = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 12))
    envelope = np.clip(np.sin(2 * np.pi * 2.5 * t), 0, None) ** 2
    envelope *= (rng.random(len(t)) > 0.0001).astype(float)
    return np.asarray(0.1 * voice * envelope, dtype=np.float32)


def noisy_take(level_db: float = -30.0) -> tuple[np.ndarray, int, int]:
    """A take: 1.5 s of room noise and mains hum, speech, 2 s of the same noise."""
    rng = np.random.default_rng(1)
    speech = speechlike(3.0) * 10 ** (level_db / 20) / 0.1
    lead, tail = round(1.5 * RATE), round(2.0 * RATE)
    n = lead + len(speech) + tail
    t = np.arange(n) / RATE
    noise = rng.normal(0, 10 ** (-62 / 20), n) + 10 ** (-40 / 20) * np.sin(2 * np.pi * 50 * t)
    take = noise.astype(np.float32)
    take[lead : lead + len(speech)] += speech
    return take, lead, len(speech)


def band_level(x: np.ndarray, hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    freq = np.fft.rfftfreq(len(x), 1 / RATE)
    return float(20 * np.log10(spectrum[np.argmin(np.abs(freq - hz))] + 1e-12))


def test_a_noisy_take_is_trimmed_filtered_and_set_to_the_voices_loudness() -> None:
    take, _, length = noisy_take()
    kept = clean(take)
    # Trimmed to the speech and a breath either side, against the take's own noise floor.
    assert length / RATE - 0.3 < len(kept) / RATE < length / RATE + 0.5
    # The hum is filtered well below what it was, relative to the speech.
    before = band_level(take, 50) - band_level(take, 140)
    after = band_level(kept, 50) - band_level(kept, 140)
    assert after < before - 15
    assert integrated_loudness(kept, RATE) == pytest.approx(VOICE_LUFS, abs=0.5)
    assert float(np.max(np.abs(kept))) < 1.0


@pytest.mark.parametrize("level", [-45.0, -12.0])
def test_quiet_and_loud_takes_alike_end_at_the_voices_loudness(level: float) -> None:
    kept = clean(noisy_take(level)[0])
    assert integrated_loudness(kept, RATE) == pytest.approx(VOICE_LUFS, abs=0.5)


@pytest.mark.parametrize(
    "take",
    [
        np.zeros(RATE * 3, dtype=np.float32),
        np.random.default_rng(2).normal(0, 0.01, RATE * 3).astype(np.float32),  # hiss alone
        np.zeros(10, dtype=np.float32),
    ],
)
def test_a_take_with_nothing_in_it_is_refused(take: np.ndarray) -> None:
    with pytest.raises(SilentTake):
        clean(take)


def test_a_clip_is_written_as_flac_and_read_back(tmp_path: Path) -> None:
    kept = clean(noisy_take()[0])
    path = tmp_path / "x.voice" / "en" / "0123456789abcdef.flac"
    write_clip(path, kept)
    back = read_clip(path)
    assert back is not None and np.allclose(back, kept, atol=2 / 32768)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left
    assert read_clip(tmp_path / "none.flac") is None


def test_a_take_at_another_rate_is_brought_to_the_voices_rate() -> None:
    tone = np.sin(2 * np.pi * 440 * np.arange(48000) / 48000).astype(np.float32)
    out = resample(tone, 48000)
    assert len(out) == RATE
    assert band_level(out, 440) > band_level(out, 880) + 40
    assert math.isclose(float(np.max(np.abs(out))), 1.0, abs_tol=0.02)
