"""Mixing a session on a virtual clock, a block at a time.

``Mixdown`` is a sink on a virtual clock: each sound played is laid at the clock's time, so the
silences between are exact by construction. It keeps where each sound starts, not the mix:
``block(start, stop)`` sums the sounds that sound in that span, so a file of any length is made
a few seconds at a time (``kindful.sound.master``). A sound played again with the same samples
(a bell, a breathing tone, a text said twice) is kept once.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kindful.sound.bowl import RATE, Samples

FORMATS = (".wav", ".flac", ".ogg", ".opus", ".mp3")
# libsndfile hands a whole write to libvorbis at once, and libvorbis overruns the stack for a
# write of more than about 95 s (libsndfile #1095): every encoder is given a few seconds at a time.
BLOCK = 1 << 16  # samples mixed, measured and written in one go


@dataclass
class _Placed:
    start: int
    samples: Samples
    tag: str


class Mixdown:
    """A sink that lays each sound at the time its clock says (see the module docstring)."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.placed: list[_Placed] = []
        self._kept: dict[tuple[str, int, float, float], list[Samples]] = {}
        self._starts: list[int] | None = None  # the placed sounds' starts, in order, once mixing
        self._longest = 0

    def _now(self) -> int:
        return round(self.clock() * RATE)

    def play(self, samples: Samples, tag: str) -> None:
        self._starts = None
        self.placed.append(_Placed(self._now(), self._keep(samples, tag), tag))

    def _keep(self, samples: Samples, tag: str) -> Samples:
        """Give the copy of ``samples`` kept already, if there is one: a long practice repeats."""
        if not len(samples):
            return samples
        key = (tag, len(samples), float(samples[len(samples) // 2]), float(samples[-1]))
        same = self._kept.setdefault(key, [])
        for kept in same:
            if np.array_equal(kept, samples):
                return kept
        same.append(samples)
        return samples

    def stop(self, tag: str | None = None) -> None:
        """Cut the sounds still sounding (with ``tag``) at the clock's now."""
        now = self._now()
        for placed in self.placed:
            if (tag is None or placed.tag == tag) and placed.start + len(placed.samples) > now:
                placed.samples = placed.samples[: max(0, now - placed.start)]

    def pause(self) -> None:
        pass  # a rendering never pauses

    def resume(self) -> None:
        pass

    def close(self) -> None:
        pass

    def end(self) -> float:
        """Give the time the last sound ends, in seconds."""
        return max((p.start + len(p.samples) for p in self.placed), default=0) / RATE

    def block(self, start: int, stop: int) -> Samples:
        """Give the sum of the sounds from sample ``start`` up to ``stop`` (at ``RATE``)."""
        if self._starts is None:
            self.placed.sort(key=lambda placed: placed.start)
            self._starts = [placed.start for placed in self.placed]
            self._longest = max((len(p.samples) for p in self.placed), default=0)
        out = np.zeros(max(0, stop - start), dtype=np.float32)
        first = bisect.bisect_left(self._starts, start - self._longest)
        last = bisect.bisect_left(self._starts, stop)
        for placed in self.placed[first:last]:
            begin = max(start, placed.start)
            end = min(stop, placed.start + len(placed.samples))
            if begin < end:
                out[begin - start : end - start] += placed.samples[
                    begin - placed.start : end - placed.start
                ]
        return out


def can_write(suffix: str) -> bool:
    """Tell whether this installation writes ``suffix`` files (``.wav`` always)."""
    if suffix == ".wav":
        return True
    if suffix not in FORMATS:
        return False
    try:
        import soundfile
    except (ImportError, OSError):
        return False
    format_, subtype = soundfile_format(suffix)
    return bool(soundfile.check_format(format_, subtype))


def soundfile_format(suffix: str) -> tuple[str, str]:
    """Give libsndfile's format and subtype for a compressed ``suffix``."""
    return {
        ".flac": ("FLAC", "PCM_16"),
        ".ogg": ("OGG", "VORBIS"),
        ".opus": ("OGG", "OPUS"),
        ".mp3": ("MP3", "MPEG_LAYER_III"),
    }[suffix]
