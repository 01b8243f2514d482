"""The singing bowl: a strike synthesised from inharmonic partials, and bells of several strikes.

A real bowl's partials lie near 1, 2.7, 5.2 and 8.4 times its lowest one; each is a pair of
slightly detuned tones, so it beats (the bowl is never quite round), and the higher ones die
sooner. A strike is made once, in a few milliseconds, and kept in the cache folder; a bell of
several strikes mixes copies a gap apart.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

RATE = 22050  # samples a second, mono, everywhere in kindful's sound
"""The sample rate of every sound kindful makes: espeak-ng's own, and plenty for a bowl."""

Samples = NDArray[np.float32]

FUNDAMENTAL = 220.0  # Hz
# (ratio to the fundamental, amplitude, seconds to fall by 1/e, beat in Hz between the pair)
PARTIALS = (
    (1.0, 1.0, 1.05, 0.7),
    (2.71, 0.5, 0.8, 1.3),
    (5.18, 0.22, 0.5, 2.1),
    (8.43, 0.1, 0.32, 2.9),
)
STRIKE_SECONDS = 7.5  # the fundamental is 60 dB down by about 7 s
ATTACK_SECONDS = 0.004
PEAK = 0.8  # a strike's peak before the volume: headroom for strikes and speech together
BELL_GAP = 1.5  # seconds between the strikes of one bell
VERSION = 1  # part of the cache file's name: change it when the sound changes


def synthesise(rate: int = RATE) -> Samples:
    """Give one strike of the bowl: ``STRIKE_SECONDS`` long, peaking at ``PEAK``."""
    t = np.arange(int(STRIKE_SECONDS * rate), dtype=np.float64) / rate
    out = np.zeros_like(t)
    for ratio, amplitude, decay, beat in PARTIALS:
        f = FUNDAMENTAL * ratio
        pair = np.sin(2 * np.pi * (f - beat / 2) * t) + np.sin(2 * np.pi * (f + beat / 2) * t + 0.7)
        out += amplitude * 0.5 * pair * np.exp(-t / decay)
    attack = np.minimum(1.0, t / ATTACK_SECONDS)
    out *= attack * attack * (3 - 2 * attack)  # a smooth few-millisecond onset, no click
    fade = int(0.2 * rate)  # the last 0.2 s fall to exactly nothing
    out[-fade:] *= np.linspace(1.0, 0.0, fade)
    out *= PEAK / np.max(np.abs(out))
    return out.astype(np.float32)


@cache
def strike() -> Samples:
    """Give one strike, from the cache folder when it is there (made and kept there if not)."""
    path = _cache_path()
    try:
        samples = np.load(path, allow_pickle=False)
        if samples.dtype == np.float32 and samples.shape == (int(STRIKE_SECONDS * RATE),):
            return samples  # type: ignore[no-any-return]
    except (OSError, ValueError):
        pass
    samples = synthesise()
    try:
        from kindful.atomic import write_bytes
        from kindful.paths import private_folder

        private_folder(path.parent)
        data = io.BytesIO()
        np.save(data, samples, allow_pickle=False)
        write_bytes(path, data.getvalue())
    except OSError:
        pass  # a cache that cannot be written only costs the few milliseconds again
    return samples


def bell(strikes: int, volume: float = 1.0, gap: float = BELL_GAP) -> Samples:
    """Give a bell of ``strikes`` strikes ``gap`` seconds apart, at ``volume`` (0 to 1)."""
    one = strike()
    strikes = max(1, strikes)
    step = int(gap * RATE)
    out = np.zeros(step * (strikes - 1) + len(one), dtype=np.float32)
    for i in range(strikes):
        out[i * step : i * step + len(one)] += one
    peak = float(np.max(np.abs(out)))
    if peak > PEAK:
        out *= PEAK / peak
    return out * np.float32(volume)


def bell_seconds(strikes: int, gap: float = BELL_GAP) -> float:
    """Give how long a run waits for a bell: its strikes a gap apart, and a gap after the last."""
    return max(1, strikes) * gap


def _cache_path() -> Path:
    from kindful.paths import cache_folder

    return cache_folder() / "sound" / f"bowl-{VERSION}-{RATE}.npy"
