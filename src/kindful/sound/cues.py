"""Breathing cues to hear: a quiet tone that rises through the in-breath and falls through the out.

A pure tone glides between two soft pitches over the phase (at most ``LONGEST`` seconds of it),
swelling in and fading out, so that the breath can be followed with the eyes closed. Holds and
rests have no cue: the quiet is the cue.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from kindful.sound.bowl import RATE, Samples

LOW, HIGH = 196.0, 294.0  # Hz: G3 to D4, soft and below the voice's brightness
LEVEL = 0.12  # far below a bell's strike
LONGEST = 8.0  # seconds: a very long phase gets a tone this long, then quiet


def breath_tone(rising: bool, seconds: float, volume: float = 1.0) -> Samples:
    """Give the cue of one breathing phase ``seconds`` long: rising for in, falling for out."""
    return _tone(rising, round(min(max(seconds, 0.5), LONGEST), 2)) * np.float32(volume)


@cache
def _tone(rising: bool, seconds: float) -> Samples:
    n = int(seconds * RATE)
    x = np.linspace(0.0, 1.0, n, endpoint=False)
    start, end = (LOW, HIGH) if rising else (HIGH, LOW)
    # A glide even to the ear: the pitch moves on a log scale; the phase is its running sum.
    frequency = start * (end / start) ** x
    phase = 2 * np.pi * np.cumsum(frequency) / RATE
    envelope = np.sin(np.pi * x) ** 2  # swells in and fades out, no edges
    return (LEVEL * envelope * np.sin(phase)).astype(np.float32)
