"""The loudness meter: EBU Tech 3341's test tones, and agreement with ffmpeg's ebur128 filter."""

from __future__ import annotations

import math
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from kindful.sound import loudness
from kindful.sound.loudness import Meter, TruePeak, integrated_loudness, true_peak

FFMPEG = shutil.which("ffmpeg")
needs_ffmpeg = pytest.mark.skipif(FFMPEG is None, reason="ffmpeg is not installed")


def tone(dbfs: float, seconds: float, rate: int = 48000, hz: float = 1000.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return 10 ** (dbfs / 20) * np.sin(2 * np.pi * hz * t)


def stereo(x: np.ndarray) -> np.ndarray:
    return np.stack([x, x], axis=1)


def ffmpeg_measures(path: Path) -> tuple[float, float]:
    """Give ffmpeg's integrated loudness (LUFS) and true peak (dBTP) of ``path``."""
    meta = path.with_suffix(".txt")
    subprocess.run(
        [FFMPEG or "ffmpeg", "-nostats", "-hide_banner", "-i", str(path), "-af",
         f"ebur128=metadata=1:peak=true,ametadata=mode=print:file={meta}", "-f", "null", "-"],
        check=True, capture_output=True,
    )  # fmt: skip
    last: dict[str, str] = {}
    for line in meta.read_text().splitlines():
        key, _, value = line.partition("=")
        last[key] = value
    return float(last["lavfi.r128.I"]), 20 * math.log10(float(last["lavfi.r128.true_peak"]))


# EBU Tech 3341, table 1: stereo tones at the level of each channel, expected -23.0 +- 0.1 LUFS.
@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ([(-23.0, 20.0)], -23.0),  # case 1
        ([(-33.0, 20.0)], -33.0),  # case 2
        ([(-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0)], -23.0),  # case 3: the relative gate
        ([(-72.0, 10.0), (-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0), (-72.0, 10.0)], -23.0),
        ([(-26.0, 20.0), (-20.0, 20.1), (-26.0, 20.0)], -23.0),  # case 5
    ],
)
def test_the_ebu_test_tones_read_as_tech_3341_expects(
    parts: list[tuple[float, float]], expected: float
) -> None:
    signal = np.concatenate([tone(level, seconds) for level, seconds in parts])
    assert integrated_loudness(stereo(signal), 48000, channels=2) == pytest.approx(
        expected, abs=0.1
    )


@pytest.mark.parametrize("rate", [8000, 16000, 22050, 24000, 44100, 48000, 96000])
def test_every_sample_rate_measures_the_same_tone_alike(rate: int) -> None:
    # Per channel: one channel of the stereo test tone reads 3 dB below the pair.
    assert integrated_loudness(tone(-23.0, 5.0, rate), rate) == pytest.approx(-26.01, abs=0.1)


def test_the_surround_channels_weigh_more_and_lfe_not_at_all() -> None:
    x = tone(-23.0, 5.0)
    surround = np.zeros((len(x), 6))
    surround[:, 4] = x  # left surround: +1.5 dB
    assert integrated_loudness(surround, 48000, 6) == pytest.approx(-26.01 + 1.49, abs=0.05)
    surround[:, 4] = 0
    surround[:, 3] = x  # LFE
    assert integrated_loudness(surround, 48000, 6) == -math.inf


def test_silence_and_a_signal_below_the_absolute_gate_read_minus_infinity() -> None:
    assert integrated_loudness(np.zeros(48000 * 2), 48000) == -math.inf
    assert integrated_loudness(tone(-80.0, 3.0), 48000) == -math.inf
    assert integrated_loudness(tone(-20.0, 0.3), 48000) == -math.inf  # not one whole block
    assert true_peak(np.zeros(100)) == -math.inf


def test_fed_in_pieces_it_reads_what_it_reads_at_once() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(0.0, 0.1, (44100 * 7, 2))
    meter, peak = Meter(44100, 2), TruePeak(2)
    at = 0
    while at < len(x):
        size = int(rng.integers(1, 30000))
        meter.feed(x[at : at + size])
        peak.feed(x[at : at + size])
        at += size
    assert meter.integrated() == pytest.approx(integrated_loudness(x, 44100, 2), abs=1e-9)
    assert peak.dbtp() == pytest.approx(true_peak(x, 2), abs=1e-9)


def test_the_k_weighting_through_long_silences_is_the_whole_convolution() -> None:
    # Sound, silence long enough to be passed over, sound again: the filter's ring after each
    # sound still reaches the samples that follow, whether a sound ends where the filter's own
    # pieces end (its whole ring then waits to be added to the silence) or anywhere else.
    rng = np.random.default_rng(11)
    rate = 22050
    convolver = loudness._Convolver(loudness.k_weighting(rate), 1)
    hop = convolver.hop
    sound = rng.normal(0.0, 0.2, hop)
    x = np.concatenate([sound, np.zeros(hop * 3), sound[:999], np.zeros(hop * 2 + 17), sound])
    whole = np.convolve(x, loudness.k_weighting(rate))[: len(x)]
    for sizes in ([hop], [1000, 70000, 33333]):
        convolver = loudness._Convolver(loudness.k_weighting(rate), 1)
        pieces, at, i = [], 0, 0
        while at < len(x):
            size = sizes[i % len(sizes)]
            pieces.append(convolver.feed(x[at : at + size, None])[:, 0])
            at, i = at + size, i + 1
        assert np.max(np.abs(np.concatenate(pieces) - whole)) < 1e-12


def test_the_true_peak_finds_the_peak_between_the_samples() -> None:
    # A sine at a quarter of the rate, sampled 45 degrees off its crest: every sample is at
    # 0.707 of the crest, 3 dB below the true peak.
    rate = 48000
    n = np.arange(rate)
    x = 0.5 * np.sin(2 * np.pi * n / 4 + np.pi / 4)
    assert 20 * math.log10(float(np.max(np.abs(x)))) == pytest.approx(-9.03, abs=0.01)
    assert true_peak(x) == pytest.approx(-6.02, abs=0.1)
    assert true_peak(tone(-6.0, 1.0)) == pytest.approx(-6.0, abs=0.05)


def signals() -> dict[str, tuple[np.ndarray, int, int]]:
    rng = np.random.default_rng(3)
    gated = rng.normal(0.0, 0.05, 22050 * 20)
    gated[22050 * 5 : 22050 * 10] *= 0.001  # a quiet stretch that the gates leave out
    brown = np.cumsum(rng.normal(0.0, 0.01, (44100 * 10, 2)), axis=0)
    brown -= brown.mean(axis=0)
    t = np.arange(16000 * 8) / 16000
    chirp = 0.3 * np.sin(2 * np.pi * (50 * t + 400 * t**2)) * (0.5 + 0.5 * np.sin(2 * np.pi * t))
    bursts = np.concatenate([tone(-18.0, 1.5, 24000, 300.0), np.zeros(24000 * 2)] * 3)
    return {
        "gated-noise-22k": (gated, 22050, 1),
        "brown-noise-stereo-44k": (brown / np.max(np.abs(brown)) * 0.8, 44100, 2),
        "chirp-16k": (chirp, 16000, 1),
        "bursts-24k": (bursts, 24000, 1),
    }


@needs_ffmpeg
@pytest.mark.parametrize("name", list(signals()))
def test_the_meter_agrees_with_ffmpeg(name: str, tmp_path: Path) -> None:
    x, rate, channels = signals()[name]
    path = tmp_path / f"{name}.wav"
    soundfile.write(path, x, rate, subtype="FLOAT")
    lufs, dbtp = ffmpeg_measures(path)
    assert integrated_loudness(x, rate, channels) == pytest.approx(lufs, abs=0.1)
    assert true_peak(x, channels) == pytest.approx(dbtp, abs=0.2)


def test_the_k_weighting_has_the_standard_response_at_48_khz() -> None:
    # The standard's own coefficients at 48 kHz, stage by stage.
    b, a = loudness._shelf(48000)
    assert b == pytest.approx([1.53512485958697, -2.69169618940638, 1.19839281085285], abs=1e-9)
    assert a == pytest.approx([1.0, -1.69065929318241, 0.73248077421585], abs=1e-9)
    b, a = loudness._highpass(48000)
    assert b == [1.0, -2.0, 1.0]
    assert a == pytest.approx([1.0, -1.99004745483398, 0.99007225036621], abs=1e-9)
