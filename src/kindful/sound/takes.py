"""A take made clean enough to keep: rumble and hum filtered, silence trimmed, loudness matched.

``clean(samples)`` gives a take as it is kept, or raises ``SilentTake`` when nothing was heard:

- a high-pass at ``HIGH_PASS_HZ`` (fourth order, zero phase) takes out the rumble of a room, a
  desk knocked and the hum of the mains (50 or 60 Hz, about 20 dB down);
- the silence at both ends is trimmed against the take's own noise floor (the quietest tenth of
  its 20 ms frames), leaving a breath of quiet before the first word and after the last;
- the loudness (ITU-R BS.1770, ``kindful.sound.loudness``) is set to ``VOICE_LUFS``, the level
  the synthetic voices speak at, so that a run that mixes the author's clips with synthetic
  speech sounds even; the peak is kept below full scale.

Clips are FLAC, 16-bit mono at ``RATE``, written atomically (``kindful.atomic``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from kindful.sound.bowl import RATE, Samples
from kindful.sound.loudness import integrated_loudness

HIGH_PASS_HZ = 80.0
VOICE_LUFS = -19.5  # espeak-ng and piper speak at -19 to -19.5 LUFS (bench/sound_bench.py)
PEAK = 0.97
FRAME = 0.02  # seconds
BEFORE = 0.12  # seconds of quiet kept before the first sound
AFTER = 0.25  # and after the last (a word's end dies away)
FADE = 0.01
QUIETEST = -55.0  # dBFS: a take whose loudest frame is below this was not heard
ABOVE_FLOOR = 10.0  # dB a sound must stand above the noise floor to count


class SilentTake(Exception):
    """Nothing was heard in a take."""


def read_audio(path: Path) -> Samples:
    """Give the samples of a sound file (WAV, FLAC, Ogg, ...) as mono at ``RATE``."""
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return resample(data.mean(axis=1), int(rate))


def resample(samples: Samples, rate: int, to: int = RATE) -> Samples:
    """Give ``samples`` at ``to`` a second, band-limited (by FFT: a take is short)."""
    if rate == to or not len(samples):
        return samples.astype(np.float32)
    n = round(len(samples) * to / rate)
    spectrum = np.fft.rfft(samples.astype(np.float64))
    keep = min(len(spectrum), n // 2 + 1)
    out = np.fft.irfft(spectrum[:keep], n) * (n / len(samples))
    result: Samples = out.astype(np.float32)
    return result


def high_pass(samples: Samples, cutoff: float = HIGH_PASS_HZ, order: int = 4) -> Samples:
    """Give ``samples`` through a Butterworth high-pass's magnitude, with no phase shift."""
    pad = RATE // 2  # the FFT is circular: room for the filter's ring
    n = len(samples) + pad
    spectrum = np.fft.rfft(samples.astype(np.float64), n)
    freq = np.fft.rfftfreq(n, 1.0 / RATE)
    with np.errstate(divide="ignore"):
        gain = 1.0 / np.sqrt(1.0 + (cutoff / np.maximum(freq, 1e-9)) ** (2 * order))
    out: Samples = np.fft.irfft(spectrum * gain, n)[: len(samples)].astype(np.float32)
    return out


def frame_levels(samples: Samples) -> np.ndarray:
    """Give the level of each 20 ms frame in dBFS (mean square)."""
    size = round(FRAME * RATE)
    count = len(samples) // size
    if not count:
        return np.zeros(0)
    frames = samples[: count * size].astype(np.float64).reshape(count, size)
    return np.asarray(10.0 * np.log10(np.mean(frames**2, axis=1) + 1e-14), dtype=np.float64)


def trim(samples: Samples) -> Samples:
    """Give ``samples`` without the silence at either end (see the module docstring)."""
    levels = frame_levels(samples)
    if not len(levels) or float(levels.max()) < QUIETEST:
        raise SilentTake
    floor = float(np.percentile(levels, 10))
    loudest = float(levels.max())
    if loudest - floor < ABOVE_FLOOR:
        raise SilentTake
    threshold = max(floor + ABOVE_FLOOR, loudest - 40.0)
    sounding = np.nonzero(levels > threshold)[0]
    size = round(FRAME * RATE)
    start = max(0, sounding[0] * size - round(BEFORE * RATE))
    end = min(len(samples), (sounding[-1] + 1) * size + round(AFTER * RATE))
    out = samples[start:end].copy()
    fade = min(round(FADE * RATE), len(out) // 2)
    if fade:
        ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
        out[:fade] *= ramp
        out[-fade:] *= ramp[::-1]
    return out


def loudness(samples: Samples) -> float:
    """Give the integrated loudness of a take, in LUFS (a take under 0.4 s is measured looped)."""
    if len(samples) < RATE:
        samples = np.tile(samples, math.ceil(RATE / max(1, len(samples))) + 1)
    return integrated_loudness(samples, RATE)


def clean(samples: Samples) -> Samples:
    """Give a take as it is kept (see the module docstring); ``SilentTake`` when none was heard."""
    kept = trim(high_pass(samples))
    heard = loudness(kept)
    if not math.isfinite(heard):
        raise SilentTake
    gain = 10.0 ** ((VOICE_LUFS - heard) / 20.0)
    peak = float(np.max(np.abs(kept)))
    gain = min(gain, PEAK / peak) if peak > 0 else gain
    out: Samples = (kept * gain).astype(np.float32)
    return out


def write_clip(path: Path, samples: Samples) -> None:
    """Write a clip as FLAC, whole or not at all; ``OSError`` when it cannot be written."""
    import soundfile

    from kindful.atomic import replacing

    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as out:
        soundfile.write(out, samples, RATE, format="FLAC", subtype="PCM_16")


def read_clip(path: Path) -> Samples | None:
    """Give a clip's samples at ``RATE``, ``None`` when it cannot be read."""
    try:
        return read_audio(path)
    except Exception:  # soundfile's errors have no common class with OSError
        return None
