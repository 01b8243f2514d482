"""Loudness and true peak as ITU-R BS.1770-4 measures them, in numpy alone.

``Meter`` takes samples block by block (memory does not grow with the length, but for one float
a channel per 100 ms) and gives the integrated loudness in LUFS; ``TruePeak`` gives the true
peak in dBTP. ``integrated_loudness`` and ``true_peak`` measure a whole buffer at once.

The K-weighting is the standard's two stages, a high-shelf pre-filter and the RLB high-pass.
Their coefficients are derived from the analogue prototypes behind the 48 kHz figures of the
standard (as libebur128 does), so that any sample rate is measured the same way. Both filters
are stable and their impulse responses die out within a fraction of a second, so each is
applied as its impulse response, truncated below double precision, by FFT convolution: exact to
the last bit that matters, and fast without a compiled filter routine.
"""

from __future__ import annotations

import math
from array import array
from functools import lru_cache

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

ABSOLUTE_GATE = -70.0  # LKFS
RELATIVE_GATE = -10.0  # LU below the loudness of the blocks above the absolute gate
BLOCK_SECONDS = 0.4
STEPS_PER_BLOCK = 4  # 75 % overlap: a block every 100 ms
OVERSAMPLING = 4
_OFFSET = -0.691  # makes a 1 kHz sine at 0 dBFS read 0 LKFS in each of two channels
_SILENT = -math.inf


def _shelf(rate: int) -> tuple[list[float], list[float]]:
    """Give the pre-filter (a high shelf, +4 dB above about 1.7 kHz) at ``rate``."""
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    b = [(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0]
    a = [1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]
    return b, a


def _highpass(rate: int) -> tuple[list[float], list[float]]:
    """Give the RLB weighting (a second-order high-pass at about 38 Hz) at ``rate``."""
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1.0 + k / q + k * k
    return [1.0, -2.0, 1.0], [1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]


@lru_cache(maxsize=8)
def k_weighting(rate: int) -> Floats:
    """Give the impulse response of the K-weighting at ``rate``, long enough to be exact."""
    sections = (_shelf(rate), _highpass(rate))
    radius = max(float(np.max(np.abs(np.roots(a)))) for _, a in sections)
    # Two poles of this radius decay as n * radius**n: run until that is far below 2**-52.
    length = 64
    while length * radius**length > 1e-18:
        length += 64
    # The two sections' transfer function sampled on a circle so fine that the response has
    # died out long before it wraps: its inverse transform is the response itself.
    (b1, a1), (b2, a2) = sections
    b, a = np.convolve(b1, b2), np.convolve(a1, a2)
    size = 1 << (8 * length).bit_length()
    return np.fft.irfft(np.fft.rfft(b, size) / np.fft.rfft(a, size), size)[:length]


@lru_cache(maxsize=8)
def interpolator(factor: int = OVERSAMPLING, taps_per_phase: int = 48) -> Floats:
    """Give a windowed-sinc low-pass that upsamples by ``factor`` (gain ``factor``)."""
    taps = factor * taps_per_phase + 1  # odd: the middle tap sits on an input sample
    n = np.arange(taps) - (taps - 1) / 2
    response = np.sinc(n / factor) * np.kaiser(taps, 8.0)
    # Each phase sums to one, so that a constant stays constant after interpolation.
    return np.asarray(response * factor / response.sum(), dtype=np.float64)


class _Convolver:
    """A fixed FIR filter applied block by block by FFT (overlap-add), per channel."""

    def __init__(self, response: Floats, channels: int) -> None:
        self.response = response
        self.size = 1 << max(12, (4 * len(response) - 1).bit_length())
        self.hop = self.size - len(response) + 1
        self._spectra: dict[int, npt.NDArray[np.complex128]] = {}
        self.tail = np.zeros((len(response) - 1, channels))
        self.quiet = True  # the tail is all zeros: what came before has died away exactly

    def spectrum(self, size: int) -> npt.NDArray[np.complex128]:
        """Give the response's transform at ``size`` points (a power of two)."""
        if size not in self._spectra:
            self._spectra[size] = np.fft.rfft(self.response, size)[:, None]
        return self._spectra[size]

    def feed(self, x: Floats) -> Floats:
        """Give the filtered samples for ``x`` (frames by channels), as many as came in."""
        out = np.empty_like(x)
        ring = len(self.tail)
        for start in range(0, len(x), self.hop):
            part = x[start : start + self.hop]
            sounding = np.flatnonzero(part.any(axis=1))
            if self.quiet and not len(sounding):
                # Silence after silence filters to silence: the transforms would give exact zeros
                # (a rendered practice is mostly quiet, and this is most of its metering).
                out[start : start + len(part)] = 0.0
                continue
            full = np.zeros((len(part) + ring, x.shape[1]))
            if len(sounding):
                # Only the stretch from the first sound to the last is transformed, at the least
                # size that holds it and its ring: speech seldom fills a whole part.
                first, last = int(sounding[0]), int(sounding[-1]) + 1
                size = 1 << (last - first + ring - 1).bit_length()
                filtered = np.fft.irfft(
                    np.fft.rfft(part[first:last], size, axis=0) * self.spectrum(size), size, axis=0
                )
                full[first : last + ring] = filtered[: last - first + ring]
            full[:ring] += self.tail
            out[start : start + len(part)] = full[: len(part)]
            self.tail = full[len(part) :]
            self.quiet = not self.tail.any()
        return out


def channel_weights(channels: int) -> tuple[float, ...]:
    """Give the standard weights: 1.41 for the surrounds of 5.0 and 5.1, 0 for LFE, else 1."""
    if channels == 5:  # L R C Ls Rs
        return (1.0, 1.0, 1.0, 1.41, 1.41)
    if channels == 6:  # L R C LFE Ls Rs
        return (1.0, 1.0, 1.0, 0.0, 1.41, 1.41)
    return (1.0,) * channels


def _frames(samples: npt.ArrayLike, channels: int) -> Floats:
    x = np.asarray(samples, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] != channels:
        raise ValueError(f"expected {channels} channel(s), got shape {x.shape}")
    return x


class Meter:
    """Integrated loudness of what it is fed, in LUFS (BS.1770-4, gated)."""

    def __init__(self, rate: int, channels: int = 1, weights: tuple[float, ...] | None = None):
        self.rate = rate
        self.channels = channels
        self.weights = np.asarray(weights or channel_weights(channels), dtype=np.float64)
        if len(self.weights) != channels:
            raise ValueError("one weight per channel")
        self.step = round(rate * BLOCK_SECONDS / STEPS_PER_BLOCK)
        self._filter = _Convolver(k_weighting(rate), channels)
        self._partial = np.zeros(channels)  # sum of squares of the step being filled
        self._filled = 0
        # Sum of squares per channel, per 100 ms step, flat: 8 bytes a channel per step, where a
        # small array per step cost some 130 (20 MB more for four hours than for ten minutes).
        self._steps = array("d")

    def feed(self, samples: npt.ArrayLike) -> None:
        """Take the next samples: shape (frames,) for mono, else (frames, channels)."""
        squares = self._filter.feed(_frames(samples, self.channels)) ** 2
        at = 0
        if self._filled:  # first the step that the last samples left open
            at = min(self.step - self._filled, len(squares))
            self._add(squares[:at])
        whole = (len(squares) - at) // self.step
        if whole:
            steps = squares[at : at + whole * self.step].reshape(whole, self.step, self.channels)
            self._steps.extend(steps.sum(axis=1).ravel().tolist())
            at += whole * self.step
        if at < len(squares):
            self._add(squares[at:])

    def _add(self, squares: Floats) -> None:
        """Add ``squares`` (no more than the open step takes) to the open step."""
        self._partial = self._partial + squares.sum(axis=0)
        self._filled += len(squares)
        if self._filled == self.step:
            self._steps.extend(self._partial.tolist())
            self._partial = np.zeros(self.channels)
            self._filled = 0

    def blocks(self) -> Floats:
        """Give each complete 400 ms block's mean square per channel (blocks by channels)."""
        if len(self._steps) < STEPS_PER_BLOCK * self.channels:
            return np.zeros((0, self.channels))
        steps = np.array(self._steps, dtype=np.float64).reshape(-1, self.channels)
        sums = sum(steps[i : len(steps) - STEPS_PER_BLOCK + 1 + i] for i in range(STEPS_PER_BLOCK))
        return np.asarray(sums, dtype=np.float64) / (self.step * STEPS_PER_BLOCK)

    def integrated(self) -> float:
        """Give the gated loudness of all fed so far, in LUFS (-inf when nothing passes)."""
        z = self.blocks()
        if not len(z):
            return _SILENT
        power = z @ self.weights
        with np.errstate(divide="ignore"):
            loudness = _OFFSET + 10.0 * np.log10(power)
        above = loudness > ABSOLUTE_GATE
        if not above.any():
            return _SILENT
        relative = _OFFSET + 10.0 * math.log10(float(power[above].mean())) + RELATIVE_GATE
        kept = above & (loudness > relative)
        return _OFFSET + 10.0 * math.log10(float(power[kept].mean()))


class TruePeak:
    """The largest absolute value of the signal upsampled four times, in dBTP.

    Only the points within the signal count: the interpolator's ring before the first sample
    and after the last one is the edge of the buffer, not the signal (ffmpeg does the same).
    """

    def __init__(self, channels: int = 1, factor: int = OVERSAMPLING) -> None:
        self.channels = channels
        self.factor = factor
        response = interpolator(factor)
        self._filter = _Convolver(response, channels)
        self._lead = (len(response) - 1) // 2  # the delay of the centred filter
        self.peak = 0.0

    def feed(self, samples: npt.ArrayLike) -> None:
        x = _frames(samples, self.channels)
        if not len(x):
            return
        self.peak = max(self.peak, float(np.max(np.abs(x))))  # the samples themselves count too
        stuffed = np.zeros((len(x) * self.factor, self.channels))
        stuffed[:: self.factor] = x
        y = self._filter.feed(stuffed)
        skip = min(self._lead, len(y))
        self._lead -= skip
        if len(y) > skip:
            self.peak = max(self.peak, float(np.max(np.abs(y[skip:]))))

    def dbtp(self) -> float:
        """Give the true peak so far in dBTP (-inf for silence)."""
        return 20.0 * math.log10(self.peak) if self.peak > 0 else _SILENT


def integrated_loudness(samples: npt.ArrayLike, rate: int, channels: int = 1) -> float:
    """Give the integrated loudness of a whole buffer, in LUFS."""
    meter = Meter(rate, channels)
    meter.feed(samples)
    return meter.integrated()


def true_peak(samples: npt.ArrayLike, channels: int = 1) -> float:
    """Give the true peak of a whole buffer, in dBTP."""
    peak = TruePeak(channels)
    peak.feed(samples)
    return peak.dbtp()
