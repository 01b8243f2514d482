"""A laid-out session made into a file: loudness-normalised, limited, encoded and tagged, in blocks.

Two passes over the ``Mixdown``, a block at a time, so that memory does not grow with length:

1. the mix is measured (``loudness.Meter``): the gain that brings it to ``TARGET_LUFS``;
2. the mix again, with that gain; where a block's true peak would pass ``CEILING_DBTP`` a short
   look-ahead limiter lowers just those peaks; the blocks go to the encoder as they come.

``.wav`` is written by kindful itself, 16-bit PCM with its tags twice, as a RIFF INFO list and as
an ID3v2.4 chunk (both UTF-8), because players read one or the other; ``.flac``, ``.ogg``
(Vorbis) and ``.opus`` through soundfile, with their tags as Vorbis comments (UTF-8); ``.mp3``
through soundfile too, with an ID3v2.4 tag kindful writes itself, because libsndfile hands its
strings to LAME as Latin-1 and a German title comes out garbled. Opus takes 24 kHz, not the
mix's 22.05 kHz: each block is resampled on its way (linear, float32).
"""

from __future__ import annotations

import math
import shutil
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from kindful.sound.bowl import RATE, Samples
from kindful.sound.loudness import OVERSAMPLING, Meter, interpolator
from kindful.sound.mix import BLOCK, Mixdown, soundfile_format

TARGET_LUFS = -19.0  # integrated, mono (EBU R128 for speech on the move; AES for podcasts)
CEILING_DBTP = -1.5  # half a decibel below the promised -1 dBTP: room for the encoder's overshoot
# libsndfile's MP3 writer hands LAME every sample at 0.95 of its level (measured: a sine comes
# back 0.45 dB down, at any level); the mix is raised by as much on its way there.
MP3_MAKE_UP = 1 / 0.95
OPUS_RATE = 24000  # Opus takes 8, 12, 16, 24 or 48 kHz only
WINDOW = 256  # samples: the limiter's gain is set per window and glides between them
DEFAULT_KBPS = {".mp3": 128, ".opus": 64, ".ogg": 64}
KBPS_RANGE = {".mp3": (8, 160), ".opus": (6, 256), ".ogg": (36, 88)}
# Vorbis has no bitrate, only a quality; at 22.05 kHz mono libsndfile's compression level
# (0 best to 1 smallest) gave these bitrates for noise, and a wanted bitrate picks between them.
VORBIS_KBPS = ((0.0, 88.0), (0.25, 69.0), (0.5, 53.0), (0.75, 42.5), (1.0, 36.0))


@dataclass(frozen=True)
class Tags:
    """What a file says about itself: title, artist, album (or none), comment (or none)."""

    title: str
    artist: str
    album: str | None = None
    comment: str | None = None
    lang: str = "en"


def gain_for(mixdown: Mixdown, length: int, progress: Callable[[int, int], None] | None) -> float:
    """Give the gain that brings the mix to ``TARGET_LUFS`` (1 for silence): the first pass."""
    meter = Meter(RATE)
    for start in range(0, length, BLOCK):
        meter.feed(mixdown.block(start, min(start + BLOCK, length)))
        if progress is not None:
            progress(min(start + BLOCK, length), 2 * length)
    loudness = meter.integrated()
    if not math.isfinite(loudness):
        return 1.0
    return float(10 ** ((TARGET_LUFS - loudness) / 20))


class Mastered:
    """The mix with its gain and limiter, for any span: ``span(start, stop)``."""

    def __init__(self, mixdown: Mixdown, length: int, gain: float) -> None:
        self.mixdown = mixdown
        self.length = length
        self.gain = np.float32(gain)
        self.ceiling = 10 ** (CEILING_DBTP / 20)

    def span(self, start: int, stop: int) -> Samples:
        """Give samples ``start`` to ``stop``, gained and limited (zeros past either end)."""
        # The limiter's gain glides over two windows each side: a span whose neighbourhood has an
        # over is limited too, so that the gain never jumps where one span meets the next.
        first = (start // WINDOW - 2) * WINDOW
        last = (-(-stop // WINDOW) + 2) * WINDOW
        margin = len(interpolator()) // OVERSAMPLING
        wide = self.mixdown.block(first - margin, last + margin)
        wide *= self.gain
        body = wide[margin + start - first : margin + stop - first]
        if not len(wide) or float(np.max(np.abs(wide))) * 10 ** (3.5 / 20) <= self.ceiling:
            return body
        windows = (last - first) // WINDOW
        sample_peaks = np.max(np.abs(wide[margin:-margin]).reshape(windows, WINDOW), axis=1)
        need = np.ones(windows)
        # Between samples the signal rises at most a few dB above them: only the windows whose
        # samples come that near the ceiling are oversampled.
        near = np.flatnonzero(sample_peaks * 10 ** (3.5 / 20) > self.ceiling)
        peaks = np.maximum(true_peaks(wide, near), sample_peaks[near])
        need[near] = np.minimum(1.0, self.ceiling / np.maximum(peaks, 1e-12))
        # Each window takes the least gain it or a neighbour needs, and the gain glides linearly
        # between window centres: every sample then has at most the gain its own window allows.
        held = need.copy()
        held[1:] = np.minimum(held[1:], need[:-1])
        held[:-1] = np.minimum(held[:-1], need[1:])
        centres = first + WINDOW * np.arange(windows) + WINDOW / 2
        gains = np.interp(np.arange(start, stop), centres, held).astype(np.float32)
        limited: Samples = body * gains
        return limited

    def blocks(self, rate: int = RATE) -> Iterator[Samples]:
        """Give the whole file a block at a time, at ``rate`` (resampled linearly if not ours)."""
        if rate == RATE:
            for start in range(0, self.length, BLOCK):
                yield self.span(start, min(start + BLOCK, self.length))
            return
        # Every ``up`` samples out fall on the same places between ``down`` samples in, so where
        # each falls is worked out once, for one block of whole periods, and serves every block.
        common = math.gcd(RATE, rate)
        up, down = rate // common, RATE // common
        size = max(1, BLOCK // up) * up
        at = np.arange(size) * down
        index = at // up
        fraction = ((at % up) / up).astype(np.float32)
        total = round(self.length * rate / RATE)
        for first in range(0, total, size):
            n = min(size, total - first)
            low = first // up * down
            source = self.span(low, low + int(index[n - 1]) + 2)
            here = source[index[:n]]
            yield here + (source[index[:n] + 1] - here) * fraction[:n]


@lru_cache(maxsize=1)
def _phases() -> NDArray[np.float64]:
    """Give the interpolator as a matrix: a row per input sample around a point, a column per
    phase, so that ``samples @ _phases()`` gives the ``OVERSAMPLING`` points after a sample."""
    taps = interpolator()
    half = (len(taps) - 1) // OVERSAMPLING  # input samples each side that reach a point
    phases = np.zeros((half + 1, OVERSAMPLING))
    for row in range(half + 1):
        for phase in range(OVERSAMPLING):
            tap = phase + OVERSAMPLING * (half - row)
            if tap < len(taps):
                phases[row, phase] = taps[tap]
    return phases


def true_peaks(wide: Samples, windows: NDArray[np.intp]) -> NDArray[np.float64]:
    """Give the largest value between the samples of each of ``windows`` (of ``WINDOW``
    samples each, numbered from ``margin`` samples into ``wide``), at four times the rate.

    Only the input samples that a point's interpolator reaches are multiplied, a phase at a
    time: a quarter of the work of filtering the signal with zeros stuffed between.
    """
    phases = _phases()
    margin = len(interpolator()) // OVERSAMPLING
    rows = sliding_window_view(wide, len(phases))
    at = np.arange(WINDOW) + margin - len(phases) // 2
    out = np.empty(len(windows))
    for first in range(0, len(windows), 16):  # 16 windows at a time: a few hundred kB
        some = windows[first : first + 16]
        points = rows[(some[:, None] * WINDOW + at).ravel()] @ phases
        out[first : first + 16] = np.abs(points).reshape(len(some), -1).max(axis=1)
    return out


def level_of(kbps: int, suffix: str) -> float:
    """Give libsndfile's compression level (0 to 1) that makes about ``kbps`` kbit/s."""
    low, high = KBPS_RANGE[suffix]
    kbps = min(max(kbps, low), high)
    if suffix == ".ogg":
        levels, rates = zip(*VORBIS_KBPS, strict=True)
        return float(np.interp(-kbps, [-r for r in rates], levels))
    level = (high - kbps) / (high - low)
    return min(level, 0.99)  # libsndfile refuses the very last step


def write_programme(
    path: Path,
    mixdown: Mixdown,
    seconds: float,
    tags: Tags,
    *,
    kbps: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Write the laid-out session ``seconds`` long to ``path``, in the format its suffix names.

    Raises ``OSError`` when the file cannot be written; nothing is left of it then.
    """
    from kindful.atomic import replacing, replacing_path, scratch

    length = round(seconds * RATE)
    mastered = Mastered(mixdown, length, gain_for(mixdown, length, progress))
    suffix = path.suffix.lower()

    def done(blocks: Iterator[Samples], total: int) -> Iterator[Samples]:
        written = 0
        for block in blocks:
            yield block
            written += len(block)
            if progress is not None:
                progress(length + round(written * length / max(total, 1)), 2 * length)

    if suffix == ".wav":
        with replacing(path) as out:
            _write_wav(out, done(mastered.blocks(), length), length, tags)
        return
    rate = OPUS_RATE if suffix == ".opus" else RATE
    blocks = done(mastered.blocks(rate), round(length * rate / RATE))
    if suffix != ".mp3":
        with replacing_path(path) as temp:
            _write_soundfile(temp, blocks, suffix, rate, tags, kbps)
        return
    # MP3: kindful's own tag, then LAME's frames, written first to a temp file of their own.
    with scratch(path) as frames:
        raised = (block * np.float32(MP3_MAKE_UP) for block in blocks)
        _write_soundfile(frames, raised, suffix, rate, None, kbps)
        with replacing(path) as out, frames.open("rb") as source:
            out.write(id3(tags))
            shutil.copyfileobj(source, out)


def _write_wav(out: BinaryIO, blocks: Iterator[Samples], length: int, tags: Tags) -> None:
    """Write 16-bit mono PCM, its tags before the samples: a RIFF INFO list and an ID3 chunk."""
    head = _chunk(b"fmt ", struct.pack("<HHIIHH", 1, 1, RATE, 2 * RATE, 2, 16))
    head += _chunk(b"LIST", b"INFO" + riff_info(tags)) + _chunk(b"id3 ", id3(tags))
    size = 2 * length
    out.write(b"RIFF" + struct.pack("<I", 4 + len(head) + 8 + size) + b"WAVE" + head)
    out.write(b"data" + struct.pack("<I", size))
    for block in blocks:  # ``length`` samples in all: the sizes above are already right
        out.write(_pcm(block))


def riff_info(tags: Tags) -> bytes:
    """Give the INFO list's entries: title, artist, album (product) and comment, in UTF-8."""
    fields: list[tuple[bytes, str | None]] = [(b"INAM", tags.title), (b"IART", tags.artist)]
    fields += [(b"IPRD", tags.album), (b"ICMT", tags.comment)]
    return b"".join(_chunk(name, text.encode() + b"\0") for name, text in fields if text)


def _chunk(name: bytes, body: bytes) -> bytes:
    """Give a RIFF chunk: its name, its length, its body, padded to an even length."""
    return name + struct.pack("<I", len(body)) + body + b"\0" * (len(body) % 2)


def _pcm(block: Samples) -> bytes:
    return (np.clip(block, -1.0, 1.0) * 32767).round().astype("<i2").tobytes()


def _write_soundfile(
    out: Path,
    blocks: Iterator[Samples],
    suffix: str,
    rate: int,
    tags: Tags | None,
    kbps: int | None,
) -> None:
    import soundfile

    format_, subtype = soundfile_format(suffix)
    extra: dict[str, object] = {}
    if suffix in KBPS_RANGE:
        extra["compression_level"] = level_of(kbps or DEFAULT_KBPS[suffix], suffix)
    if suffix == ".mp3":
        extra["bitrate_mode"] = "CONSTANT"
    try:
        with soundfile.SoundFile(out, "w", rate, 1, format=format_, subtype=subtype, **extra) as f:
            if tags is not None:  # Vorbis comments, UTF-8; set before the first sample
                f.title = tags.title
                f.artist = tags.artist
                if tags.album:
                    f.album = tags.album
                if tags.comment:
                    f.comment = tags.comment
            for block in blocks:
                f.write(block)
    except soundfile.LibsndfileError as error:
        raise OSError(str(error)) from None


def id3(tags: Tags) -> bytes:
    """Give an ID3v2.4 tag with the title, artist, album and comment, in UTF-8."""
    frames = b""

    def frame(name: bytes, body: bytes) -> bytes:
        return name + _syncsafe(len(body)) + b"\x00\x00" + body

    frames += frame(b"TIT2", b"\x03" + tags.title.encode())
    frames += frame(b"TPE1", b"\x03" + tags.artist.encode())
    if tags.album:
        frames += frame(b"TALB", b"\x03" + tags.album.encode())
    if tags.comment:
        language = {"de": b"deu"}.get(tags.lang, b"eng")
        frames += frame(b"COMM", b"\x03" + language + b"\x00" + tags.comment.encode())
    return b"ID3\x04\x00\x00" + _syncsafe(len(frames)) + frames


def _syncsafe(n: int) -> bytes:
    return struct.pack(
        ">I", ((n & 0x0FE00000) << 3) | ((n & 0x1FC000) << 2) | ((n & 0x3F80) << 1) | (n & 0x7F)
    )
