"""Heart-rhythm figures of a session from its RR intervals, with numpy alone.

An RR interval is the time between two heart beats, in milliseconds. A strap misses a beat or
counts one twice now and then; such an interval is an artefact. The rule (contract section 12):
an interval that differs from the median of its neighbours (up to two on each side) by more
than 20 % is an artefact, and is left out of every figure.

- ``mean_hr``: 60,000 over the mean clean interval, in beats a minute;
- ``rmssd_ms``: the root mean square of the differences between successive clean intervals
  (only pairs of intervals that follow each other directly): the beat-to-beat variability that
  the vagus nerve drives;
- ``sdnn_ms``: the standard deviation of the clean intervals: all variability in the session;
- ``peak_to_trough_bpm``: within each breath cycle, the highest heart rate less the lowest,
  averaged over the cycles: how far the heart rate rises with the in-breath and falls with the
  out-breath (respiratory sinus arrhythmia).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

ARTEFACT_SHARE = 0.20
NEIGHBOURS = 2  # on each side
MIN_BEATS = 3  # fewer clean intervals give no figures
DEFAULT_CYCLE = 10.0  # seconds: a breath at six a minute, where no breathing was paced

Floats = npt.NDArray[np.float64]


def artefacts(rr_ms: Sequence[float] | Floats) -> npt.NDArray[np.bool_]:
    """Give, for each interval, whether it is an artefact by the 20 % rule."""
    rr = np.asarray(rr_ms, dtype=np.float64)
    n = rr.size
    if n < 2:
        return np.zeros(n, dtype=bool)
    padded = np.full(n + 2 * NEIGHBOURS, np.nan)
    padded[NEIGHBOURS : NEIGHBOURS + n] = rr
    shifts = [o for o in range(-NEIGHBOURS, NEIGHBOURS + 1) if o]
    around = np.stack([padded[NEIGHBOURS + o : NEIGHBOURS + o + n] for o in shifts])
    median = np.nanmedian(around, axis=0)
    return np.asarray(np.abs(rr - median) > ARTEFACT_SHARE * median, dtype=bool)


@dataclass(frozen=True)
class HeartFigures:
    """What a session's heart rhythm was, as the record keeps it (contract section 12)."""

    source: str  # "ble" or "file"
    beats: int
    artefacts: int
    mean_hr: float
    rmssd_ms: float
    sdnn_ms: float
    peak_to_trough_bpm: float

    def to_record(self) -> dict[str, Any]:
        """Give the figures as the record's ``heart`` object: its fields, in their order."""
        return asdict(self)


def rmssd(rr_ms: Sequence[float] | Floats, clean: npt.NDArray[np.bool_] | None = None) -> float:
    """Give the RMSSD in ms: over successive pairs of intervals that are both clean."""
    rr = np.asarray(rr_ms, dtype=np.float64)
    keep = np.ones(rr.size, dtype=bool) if clean is None else clean
    steps = np.diff(rr)[keep[:-1] & keep[1:]]
    return float(np.sqrt(np.mean(steps**2))) if steps.size else 0.0


def sdnn(rr_ms: Sequence[float] | Floats) -> float:
    """Give the SDNN in ms: the sample standard deviation of the intervals."""
    rr = np.asarray(rr_ms, dtype=np.float64)
    return float(rr.std(ddof=1)) if rr.size > 1 else 0.0


def beat_times(rr_ms: Sequence[float] | Floats) -> Floats:
    """Give the time of each beat, in seconds after the beat before the first interval."""
    return np.cumsum(np.asarray(rr_ms, dtype=np.float64)) / 1000.0


def peak_to_trough(
    rr_ms: Sequence[float] | Floats,
    cycles: Sequence[tuple[float, float]],
    *,
    clean: npt.NDArray[np.bool_] | None = None,
    times: Sequence[float] | Floats | None = None,
) -> tuple[float, int]:
    """Give the mean peak-to-trough heart rate over the cycles, and how many cycles counted.

    ``cycles`` are ``(start, end)`` in seconds on the beats' time line: ``times`` where given,
    else the intervals' own (``beat_times``). A cycle counts when it holds two clean beats.
    """
    rr = np.asarray(rr_ms, dtype=np.float64)
    keep = ~artefacts(rr) if clean is None else clean
    at = beat_times(rr) if times is None else np.asarray(times, dtype=np.float64)
    at, rate = at[keep], 60_000.0 / rr[keep]
    swings: list[float] = []
    if at.size and len(cycles):
        bounds = np.asarray(cycles, dtype=np.float64).reshape(-1, 2)
        lo = np.searchsorted(at, bounds[:, 0], side="left")
        hi = np.searchsorted(at, bounds[:, 1], side="left")
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            if b - a >= 2:
                window = rate[a:b]
                swings.append(float(window.max() - window.min()))
    return (float(np.mean(swings)) if swings else 0.0), len(swings)


def even_cycles(start: float, end: float, length: float) -> list[tuple[float, float]]:
    """Give back-to-back cycles of ``length`` seconds from ``start``, whole ones only."""
    count = int((end - start) // length) if length > 0 else 0
    return [(start + i * length, start + (i + 1) * length) for i in range(count)]


def heart_figures(
    rr_ms: Sequence[float] | Floats,
    source: str,
    cycles: Sequence[tuple[float, float]] | None = None,
) -> HeartFigures | None:
    """Give the session's figures, or None when fewer than three clean intervals came.

    Without ``cycles`` (no paced breathing), peak-to-trough is taken over 10-second windows.
    """
    rr = np.asarray(rr_ms, dtype=np.float64)
    rr = rr[np.isfinite(rr) & (rr > 0)]
    bad = artefacts(rr)
    clean = rr[~bad]
    if clean.size < MIN_BEATS:
        return None
    if cycles is None:
        cycles = even_cycles(0.0, float(beat_times(rr)[-1]), DEFAULT_CYCLE)
    swing, _ = peak_to_trough(rr, cycles, clean=~bad)
    return HeartFigures(
        source=source,
        beats=int(rr.size),
        artefacts=int(bad.sum()),
        mean_hr=round(60_000.0 / float(clean.mean()), 1),
        rmssd_ms=round(rmssd(rr, ~bad), 1),
        sdnn_ms=round(sdnn(clean), 1),
        peak_to_trough_bpm=round(swing, 1),
    )
