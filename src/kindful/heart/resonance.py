"""The resonance sweep: paced breathing at five rates, and the rate the heart follows most.

Lehrer's resonance-frequency protocol (Lehrer, Vaschillo & Vaschillo 2000; Lehrer & Gevirtz
2014; Shaffer & Meehan 2020): breathe two minutes each at 6.5, 6, 5.5, 5 and 4.5 breaths a
minute; at the person's resonance rate the heart rate rises and falls most with the breath.
Each rate is scored by its mean peak-to-trough heart rate over whole breath cycles, the first
cycle of each rate left out while the breath settles into the new pace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from kindful.heart.figures import artefacts, even_cycles, peak_to_trough

RATES = (6.5, 6.0, 5.5, 5.0, 4.5)
SECONDS_EACH = 120.0
IN_SHARE = 0.4  # the in-breath is four parts of ten: a longer, easy out-breath
MIN_CYCLES = 3  # a rate scored over fewer whole cycles has no score


def breath(bpm: float) -> tuple[float, float]:
    """Give the in- and out-breath in seconds for a rate in breaths a minute."""
    cycle = 60.0 / bpm
    return round(cycle * IN_SHARE, 2), round(cycle * (1 - IN_SHARE), 2)


@dataclass(frozen=True)
class RateResult:
    """How the heart followed one breathing rate."""

    bpm: float
    peak_to_trough_bpm: float
    beats: int
    cycles: int

    def to_json(self) -> dict[str, Any]:
        return {
            "bpm": self.bpm,
            "peak_to_trough_bpm": round(self.peak_to_trough_bpm, 1),
            "beats": self.beats,
        }


@dataclass(frozen=True)
class Resonance:
    """The sweep's result: each rate's figures, and the rate that swung most (None: too few)."""

    rates: tuple[RateResult, ...]
    best_bpm: float | None

    def to_json(self) -> dict[str, Any]:
        return {"best_bpm": self.best_bpm, "rates": [r.to_json() for r in self.rates]}


def analyse(
    times: Sequence[float],
    rr_ms: Sequence[float],
    segments: Sequence[tuple[float, float, float]],
) -> Resonance:
    """Score each ``(bpm, start, end)`` segment of the sweep from beats at ``times`` (seconds)."""
    at = np.asarray(times, dtype=np.float64)
    rr = np.asarray(rr_ms, dtype=np.float64)
    clean = ~artefacts(rr)
    results: list[RateResult] = []
    for bpm, start, end in segments:
        cycle = 60.0 / bpm
        cycles = even_cycles(start + cycle, end, cycle)
        swing, counted = peak_to_trough(rr, cycles, clean=clean, times=at)
        inside = int(((at >= start) & (at < end)).sum())
        results.append(RateResult(bpm, swing, inside, counted))
    scored = [r for r in results if r.cycles >= MIN_CYCLES]
    best = max(scored, key=lambda r: r.peak_to_trough_bpm).bpm if scored else None
    return Resonance(tuple(results), best)
