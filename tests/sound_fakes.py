"""Stand-ins for the sound: a voice that makes known lengths, a sink that records when it played."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from kindful.sound.bowl import RATE, Samples


class FakeVoice:
    """Speaks each word as a tenth of a second of a quiet hum; counts what it was asked."""

    name = "fake"

    def __init__(self, seconds_per_word: float = 0.1) -> None:
        self.per_word = seconds_per_word
        self.texts: list[tuple[str, str]] = []

    def speak(self, text: str, lang: str) -> Samples:
        self.texts.append((text, lang))
        n = int(len(text.split()) * self.per_word * RATE)
        return np.full(n, 0.25, dtype=np.float32)


class RecordingSink:
    """Records each sound started (clock time, tag, seconds) and each stop, pause and resume."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.played: list[tuple[float, str, float]] = []
        self.calls: list[tuple[float, str]] = []
        self.closed = False

    def play(self, samples: Samples, tag: str) -> None:
        self.played.append((self.clock(), tag, round(len(samples) / RATE, 3)))

    def stop(self, tag: str | None = None) -> None:
        self.calls.append((self.clock(), f"stop {tag}" if tag else "stop"))

    def pause(self) -> None:
        self.calls.append((self.clock(), "pause"))

    def resume(self) -> None:
        self.calls.append((self.clock(), "resume"))

    def close(self) -> None:
        self.closed = True

    def tags(self) -> list[tuple[float, str]]:
        return [(round(at, 3), tag) for at, tag, _ in self.played]
