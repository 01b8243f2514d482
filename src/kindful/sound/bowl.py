"""The singing bowl: a strike synthesised from inharmonic partials, and bells of several strikes.

A real bowl's partials lie near 1, 2.7, 5.2 and 8.4 times its lowest one; each is a pair of
slightly detuned tones, so it beats (the bowl is never quite round), and the higher ones die
sooner. A strike is made once and kept through ``kindful.cache`` (its samples as base64 of
little-endian 32-bit floats, with their SHA-256); a bell of several strikes mixes copies a gap
apart.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
from dataclasses import dataclass
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
FORMAT = 2  # of the kept strike: change it when how the samples are kept changes
KEEP = 2  # kept strikes: two kindful versions side by side do not rebuild each other's


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


@dataclass(frozen=True)
class Kept:
    """A strike as the cache keeps it: its samples (base64 of ``<f4``) and their SHA-256."""

    samples: str
    sha256: str


@cache
def strike() -> Samples:
    """Give one strike, from the cache when it is kept there exactly (made and kept if not)."""
    from kindful import cache as kept_cache

    key = strike_key()
    file = _cache_file(key)
    kept = kept_cache.read(file, key, Kept)
    if kept is not None:
        samples = _unpacked(kept)
        if samples is not None:
            kept_cache.used(file)
            return samples
    samples = synthesise()
    if kept_cache.write(file, key, _packed(samples)):
        kept_cache.prune(file.parent, KEEP)
        with contextlib.suppress(OSError):  # the .npy an earlier kindful kept
            (kept_cache.folder("sound") / f"bowl-1-{RATE}.npy").unlink(missing_ok=True)
    return samples


def strike_key() -> str:
    """Give the cache key of a strike: everything its samples rest on, this module's code too."""
    from kindful import cache as kept_cache

    shape = (FORMAT, RATE, FUNDAMENTAL, PARTIALS, STRIKE_SECONDS, ATTACK_SECONDS, PEAK)
    return kept_cache.key("bowl", repr(shape), kept_cache.stamps([Path(__file__)]))


def _packed(samples: Samples) -> Kept:
    raw = samples.astype("<f4").tobytes()
    return Kept(base64.b64encode(raw).decode("ascii"), hashlib.sha256(raw).hexdigest())


def _unpacked(kept: Kept) -> Samples | None:
    """Give the samples of ``kept``, or None unless they are whole, a strike long and unaltered."""
    try:
        raw = base64.b64decode(kept.samples, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 4 * int(STRIKE_SECONDS * RATE) or hashlib.sha256(raw).hexdigest() != kept.sha256:
        return None
    return np.frombuffer(raw, dtype="<f4").astype(np.float32)


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


def _cache_file(key: str) -> Path:
    from kindful import cache as kept_cache

    return kept_cache.folder("bowl", f"{key[:16]}.json")
