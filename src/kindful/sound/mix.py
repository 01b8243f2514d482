"""Mixing a session into one buffer, and writing it as an audio file.

``Mixdown`` is a sink on a virtual clock: each sound played is laid at the clock's time, so the
silences between are exact by construction. ``write_audio`` writes ``.wav`` with the standard
library and ``.flac``, ``.ogg`` (Vorbis), ``.opus`` and ``.mp3`` (constant 128 kbit/s) through
soundfile, whose wheels bundle libsndfile 1.2.
"""

from __future__ import annotations

import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kindful.sound.bowl import RATE, Samples

PEAK_DB = -1.0  # the mix is scaled so that its loudest sample is here
# libsndfile hands a whole write to libvorbis at once, and libvorbis overruns the stack for a
# write of more than about 95 s (libsndfile #1095): every encoder is given a few seconds at a time.
BLOCK = 1 << 16  # samples written in one call
FORMATS = (".wav", ".flac", ".ogg", ".opus", ".mp3")
OPUS_RATE = 24000  # Opus takes 8, 12, 16, 24 or 48 kHz only
# libsndfile spreads MPEG-2 layer III's 8 to 160 kbit/s (22.05 kHz) over a level from 0 to 1.
MP3_LEVEL = (160 - 128) / (160 - 8)


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

    def _now(self) -> int:
        return round(self.clock() * RATE)

    def play(self, samples: Samples, tag: str) -> None:
        self.placed.append(_Placed(self._now(), samples, tag))

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

    def mix(self, seconds: float, progress: Callable[[int, int], None] | None = None) -> Samples:
        """Give the sounds summed into one buffer ``seconds`` long, peaking at ``PEAK_DB``."""
        out = np.zeros(round(seconds * RATE), dtype=np.float32)
        for done, placed in enumerate(self.placed, 1):
            part = placed.samples[: max(0, len(out) - placed.start)]
            out[placed.start : placed.start + len(part)] += part
            if progress is not None:
                progress(done, len(self.placed))
        return normalise(out)


def normalise(samples: Samples, peak_db: float = PEAK_DB) -> Samples:
    """Give ``samples`` scaled so that the loudest is at ``peak_db`` dBFS (silence stays)."""
    peak = float(np.max(np.abs(samples))) if len(samples) else 0.0
    if peak == 0.0:
        return samples
    samples *= np.float32(10 ** (peak_db / 20) / peak)
    return samples


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
    format_, subtype = _soundfile_format(suffix)
    return bool(soundfile.check_format(format_, subtype))


def write_audio(path: Path, samples: Samples) -> None:
    """Write ``samples`` (mono at ``RATE``) to ``path`` in the format its suffix names, in one step.

    Raises ``OSError`` when the file cannot be written.
    """
    from kindful.atomic import replacing

    suffix = path.suffix.lower()
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with replacing(path) as out:
        if suffix == ".wav":
            with wave.open(out, "wb") as file:
                file.setnchannels(1)
                file.setsampwidth(2)
                file.setframerate(RATE)
                file.writeframes(pcm.tobytes())
            return
        import soundfile

        from kindful.sound.voice import resample

        format_, subtype = _soundfile_format(suffix)
        rate, data = RATE, samples
        if suffix == ".opus":
            rate, data = OPUS_RATE, resample(samples, RATE, OPUS_RATE)
        extra: dict[str, object] = {}
        if suffix == ".mp3":
            extra = {"bitrate_mode": "CONSTANT", "compression_level": MP3_LEVEL}
        try:
            with soundfile.SoundFile(
                out, "w", rate, 1, format=format_, subtype=subtype, **extra
            ) as file:
                for start in range(0, len(data), BLOCK):
                    file.write(data[start : start + BLOCK])
        except soundfile.LibsndfileError as error:
            raise OSError(str(error)) from None


def _soundfile_format(suffix: str) -> tuple[str, str]:
    return {
        ".flac": ("FLAC", "PCM_16"),
        ".ogg": ("OGG", "VORBIS"),
        ".opus": ("OGG", "OPUS"),
        ".mp3": ("MP3", "MPEG_LAYER_III"),
    }[suffix]
