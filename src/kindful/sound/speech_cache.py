"""The speech cache: what a voice said once is not synthesised again.

Each entry is one text as one voice said it, keyed (``kindful.cache.key``: kindful's version
too) by the engine, the voice (for piper the model file, its size and time), the rate, the
language and the text, and a format version. kindful's cache helper keeps JSON; speech is
audio, so an entry holds 16-bit samples at ``RATE`` after a short header instead, written
atomically (``kindful.atomic``) into ``speech/`` in the cache folder (``kindful.cache.folder``,
private to its owner), and any surprise on reading (a short file, another format) is a miss. The folder is bounded: when it grows past ``LIMIT`` bytes, the entries used
least recently are removed until it is at three quarters of that. A hit touches its file, so
the file's time says when it was last used.
"""

from __future__ import annotations

import os
import threading
from contextlib import suppress
from pathlib import Path

import numpy as np

from kindful.sound.bowl import RATE, Samples

VERSION = 1  # change when what is kept, or how a text is turned into speech, changes
LIMIT = 200 * 1024 * 1024  # bytes; about 80 minutes of speech
_MAGIC = b"KFSPEECH"
_HEADER = len(_MAGIC) + 8  # magic, version (4 bytes), rate (4 bytes)


class SpeechCache:
    """A folder of spoken texts, pruned least-recently-used (see the module docstring)."""

    def __init__(self, folder: Path, limit: int = LIMIT) -> None:
        self.folder = folder
        self.limit = limit
        self._size: int | None = None  # bytes in the folder, counted on the first write
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(*parts: object) -> str:
        """Give the file name for an entry keyed by ``parts``."""
        from kindful import cache

        return cache.key("speech", str(VERSION), *map(str, parts))[:32]

    def get(self, key: str) -> Samples | None:
        """Give the samples kept under ``key``, ``None`` when there are none to trust."""
        path = self.folder / key
        try:
            data = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        if (
            len(data) < _HEADER
            or data[: len(_MAGIC)] != _MAGIC
            or int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + 4], "little") != VERSION
            or int.from_bytes(data[len(_MAGIC) + 4 : _HEADER], "little") != RATE
            or (len(data) - _HEADER) % 2
        ):
            self.misses += 1
            return None
        from kindful import cache

        cache.used(path)  # used now: the last to be pruned
        self.hits += 1
        pcm = np.frombuffer(data[_HEADER:], dtype="<i2")
        samples: Samples = (pcm / 32768).astype(np.float32)
        return samples

    def put(self, key: str, samples: Samples) -> None:
        """Keep ``samples`` under ``key``; a cache that cannot be written is simply not kept."""
        from kindful.atomic import write_bytes
        from kindful.paths import private_folder

        pcm = np.clip(np.round(samples * 32768), -32768, 32767).astype("<i2").tobytes()
        header = _MAGIC + VERSION.to_bytes(4, "little") + RATE.to_bytes(4, "little")
        with self._lock:
            try:
                private_folder(self.folder)
                write_bytes(self.folder / key, header + pcm)
            except OSError:
                return
            if self._size is None:
                self._size = self._count()
            else:
                self._size += _HEADER + len(pcm)
            if self._size > self.limit:
                self._prune()

    def _entries(self) -> list[tuple[float, int, Path]]:
        entries = []
        with suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name.startswith("."):
                    continue  # a write under way
                with suppress(OSError):
                    info = entry.stat(follow_symlinks=False)
                    entries.append((info.st_mtime, info.st_size, Path(entry.path)))
        return entries

    def _count(self) -> int:
        return sum(size for _, size, _ in self._entries())

    def _prune(self) -> None:
        entries = sorted(self._entries())
        size = sum(size for _, size, _ in entries)
        for _, bytes_, path in entries:
            if size <= self.limit * 3 // 4:
                break
            with suppress(OSError):
                path.unlink()
                size -= bytes_
        self._size = size


_OPEN: dict[Path, SpeechCache] = {}


def speech_cache() -> SpeechCache:
    """Give the speech cache in the platform's cache folder (one object per folder a run)."""
    from kindful import cache

    folder = cache.folder("speech")
    if folder not in _OPEN:
        _OPEN[folder] = SpeechCache(folder)
    return _OPEN[folder]
