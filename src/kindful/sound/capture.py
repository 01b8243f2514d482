"""Sound in from a microphone: a ``Source`` gives what it heard since it was last asked.

- ``Microphone``: miniaudio's default capture device, 16-bit mono at ``RATE``. miniaudio calls
  back from its own thread; the samples wait in a list under a lock until ``read`` takes them.
  ``limit`` stops keeping samples after that many (a capture device that reads a file, as ALSA's
  ``file`` plugin does in the tests, is not paced by a clock and would fill memory).
- ``FileSource``: a sound file given out a block at a time, for tests and for trying the screen.

``open_microphone`` raises ``NoMicrophone`` with the reason in words when there is none (only
miniaudio's NULL backend was found), unless the NULL backend is asked for: it hears silence.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from kindful.platforms import stops_held
from kindful.sound.bowl import RATE, Samples


class NoMicrophone(Exception):
    """Nothing can be recorded here; the message says why, for the person."""


class Source(Protocol):
    """Where a take comes from: ``read`` gives the samples heard since the last call."""

    def read(self) -> Samples: ...

    def close(self) -> None: ...


class Microphone:
    """The default capture device through miniaudio (see the module docstring)."""

    def __init__(self, device: Any, limit: int | None = None) -> None:
        self.device = device
        self.limit = limit
        self.heard = 0
        self._blocks: list[bytes] = []
        self._lock = threading.Lock()
        self._closed = False

    def _take(self) -> Generator[None, bytes, None]:
        while True:
            data = yield
            with self._lock:
                if self.limit is not None and self.heard >= self.limit:
                    continue
                self._blocks.append(bytes(data))
                self.heard += len(data) // 2

    def read(self) -> Samples:
        with self._lock:
            blocks, self._blocks = self._blocks, []
        pcm = np.frombuffer(b"".join(blocks), dtype="<i2")
        samples: Samples = (pcm / 32768).astype(np.float32)
        return samples

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            with stops_held():
                self.device.close()


def open_microphone(*, null: bool = False, limit: int | None = None) -> Microphone:
    """Give the default microphone, recording at once (miniaudio's silent NULL one with ``null``).

    Raises ``NoMicrophone`` when there is none.
    """
    try:
        import miniaudio
    except ImportError as error:
        raise NoMicrophone(f"the audio library is missing ({error.name})") from None
    from kindful.sound.output import _quiet_stderr

    try:
        with _quiet_stderr(), stops_held():
            device = miniaudio.CaptureDevice(
                input_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=1,
                sample_rate=RATE,
                buffersize_msec=50,  # the level meter follows the voice within a twentieth
                backends=[miniaudio.Backend.NULL] if null else None,
                app_name="kindful",
            )
            if not null and str(device.backend).lower() == "null":
                device.close()
                raise NoMicrophone("no microphone was found")
            microphone = Microphone(device, limit)
            stream = microphone._take()
            next(stream)
            device.start(stream)
    except miniaudio.MiniaudioError:
        raise NoMicrophone("no microphone was found") from None
    return microphone


class FileSource:
    """A sound file heard ``block`` samples a read; silence after its end."""

    def __init__(self, path: Path, block: int = RATE // 10) -> None:
        from kindful.sound.takes import read_audio

        self.samples = read_audio(path)
        self.block = block
        self.at = 0

    def read(self) -> Samples:
        part = self.samples[self.at : self.at + self.block]
        self.at += self.block
        if len(part) < self.block:
            part = np.concatenate([part, np.zeros(self.block - len(part), dtype=np.float32)])
        return part

    def close(self) -> None:
        pass


def level_db(samples: Samples) -> float:
    """Give the peak level of ``samples`` in dBFS (-120 for silence), for the level meter."""
    if not len(samples):
        return -120.0
    peak = float(np.max(np.abs(samples)))
    return 20.0 * float(np.log10(peak)) if peak > 1e-6 else -120.0
