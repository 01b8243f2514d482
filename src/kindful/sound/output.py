"""Sound out of the speakers: a small mixer pulled by a miniaudio playback device.

``open_device(volume)`` gives a ``DeviceSink``, or raises ``NoDevice`` with the reason in words.
The mixer plays any number of sounds at once, each tagged (``bell``, ``speech``, ``cue``) so that
the speech of a step left early can be stopped alone; pausing holds every sound where it is.
miniaudio calls ``pull`` from its own audio thread, so the mixer's state is kept under a lock.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from kindful.platforms import stops_held
from kindful.sound.bowl import RATE, Samples


class NoDevice(Exception):
    """No sound can be played here; the message says why, for the person."""


class Sink(Protocol):
    """Where a session's sounds go: the speakers, a file being mixed, or a test's record."""

    def play(self, samples: Samples, tag: str) -> None:
        """Start ``samples`` now, tagged ``tag``."""

    def stop(self, tag: str | None = None) -> None:
        """Stop the sounds tagged ``tag`` now (every sound when ``None``)."""

    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def close(self) -> None: ...


@dataclass
class _Voice:
    samples: Samples
    tag: str
    at: int = 0


class Mixer:
    """Sums the sounds playing; ``pull(n)`` gives the next ``n`` samples and moves on."""

    def __init__(self, volume: float = 1.0) -> None:
        self.volume = np.float32(volume)
        self._voices: list[_Voice] = []
        self._paused = False
        self._lock = threading.Lock()

    def add(self, samples: Samples, tag: str) -> None:
        with self._lock:
            self._voices.append(_Voice(samples, tag))

    def stop(self, tag: str | None = None) -> None:
        with self._lock:
            self._voices = [v for v in self._voices if tag is not None and v.tag != tag]

    def pause(self, paused: bool = True) -> None:
        with self._lock:
            self._paused = paused

    @property
    def playing(self) -> bool:
        with self._lock:
            return bool(self._voices)

    def pull(self, n: int) -> Samples:
        out = np.zeros(n, dtype=np.float32)
        with self._lock:
            if self._paused or not self._voices:
                return out
            kept = []
            for voice in self._voices:
                part = voice.samples[voice.at : voice.at + n]
                out[: len(part)] += part
                voice.at += len(part)
                if voice.at < len(voice.samples):
                    kept.append(voice)
            self._voices = kept
        out *= self.volume
        np.clip(out, -1.0, 1.0, out=out)
        return out


class DeviceSink:
    """Plays through a miniaudio device; see the module docstring."""

    def __init__(self, device: Any, mixer: Mixer) -> None:
        self.device = device
        self.mixer = mixer
        self._closed = False

    def play(self, samples: Samples, tag: str) -> None:
        self.mixer.add(samples, tag)

    def stop(self, tag: str | None = None) -> None:
        self.mixer.stop(tag)

    def pause(self) -> None:
        self.mixer.pause(True)

    def resume(self) -> None:
        self.mixer.pause(False)

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.mixer.stop()
            with stops_held():
                self.device.close()


def open_device(volume: float = 1.0, *, null: bool = False) -> DeviceSink:
    """Give a sink on the default playback device (miniaudio's silent NULL one with ``null``).

    Raises ``NoDevice`` when there is none, or when miniaudio finds only its NULL backend.
    """
    try:
        import miniaudio
    except ImportError as error:  # installed without its audio library
        raise NoDevice(f"the audio library is missing ({error.name})") from None
    backends = [miniaudio.Backend.NULL] if null else None
    mixer = Mixer(volume)
    try:
        # ALSA writes its search for a card to stderr, over the screen; and a stop that came
        # while miniaudio ran Python code of its own would be lost in it (see platforms.stops_held).
        with _quiet_stderr(), stops_held():
            device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.FLOAT32,
                nchannels=1,
                sample_rate=RATE,
                buffersize_msec=100,  # a pause or a stop is heard within a tenth of a second
                backends=backends,
                app_name="kindful",
            )
            if not null and str(device.backend).lower() == "null":
                device.close()
                raise NoDevice("no sound device was found")
            stream = _stream(mixer)
            next(stream)
            device.start(stream)
    except miniaudio.MiniaudioError:
        raise NoDevice("no sound device was found") from None
    return DeviceSink(device, mixer)


def _stream(mixer: Mixer) -> Generator[bytes, int, None]:
    """Give miniaudio's stream: it sends how many frames it needs, gets them back as bytes."""
    wanted = yield b""
    while True:
        wanted = yield mixer.pull(wanted).tobytes()


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    try:
        fd = sys.stderr.fileno()
        saved = os.dup(fd)
    except (AttributeError, OSError, ValueError):  # a test's capture: nothing to quiet
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        sys.stderr.flush()
        os.dup2(devnull, fd)
        yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)
        os.close(devnull)
