"""Where heartbeats come from: a strap over Bluetooth LE, or a file of RR intervals.

A source is polled by the runner on its own clock (``take(now)``), so a file replays at the
session's pace (faster under ``--speed``) and a fake clock drives it in tests; a Bluetooth strap
is listened to on a thread of its own and its beats are handed over at the next poll.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Protocol

from kindful.errors import KindfulError

MAX_RR_FILE = 8 * 1024 * 1024  # about a day of beats at 80 bytes a line
MAX_RR_MS = 5000.0  # a longer interval is no heartbeat: twelve beats a minute


class HeartUnavailable(KindfulError):
    """No heartbeats can be had from the source asked for: the reason, in one line."""


class HeartSource(Protocol):
    """Beat-to-beat intervals as they come; ``kind`` is ``"ble"`` or ``"file"``."""

    kind: str

    def open(self, now: float) -> None:
        """Begin; raise ``HeartUnavailable`` where there is nothing to listen to."""

    def take(self, now: float) -> list[float]:
        """Give the RR intervals (ms) that have come since the last call, oldest first."""

    def ended(self) -> str | None:
        """Give why the beats stopped (a lost strap, the file's end), or None while they come."""

    def close(self) -> None:
        """Stop listening; safe to call more than once."""


def read_rr_file(path: Path) -> list[float]:
    """Give the RR intervals of a file: one number of milliseconds a line, ``#`` comments.

    Raises ``HeartUnavailable`` naming the file and line of the first thing that is not one.
    """
    from kindful.files import read_regular

    try:
        data = read_regular(path, MAX_RR_FILE + 1)
    except OSError as error:
        raise HeartUnavailable(
            f"cannot read RR intervals: {error.strerror or error}", path=path
        ) from None
    if len(data) > MAX_RR_FILE:
        raise HeartUnavailable("the RR file is larger than 8 MiB", path=path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise HeartUnavailable("the RR file is not UTF-8 text", path=path) from None
    intervals: list[float] = []
    for number, line in enumerate(text.splitlines(), start=1):
        word = line.split("#", 1)[0].strip()
        if not word:
            continue
        try:
            value = float(word)
        except ValueError:
            value = math.nan
        if not 0 < value <= MAX_RR_MS:
            from kindful.safe_text import visible

            shown = visible(word[:40], newlines=False)
            raise HeartUnavailable(
                f"line {number}: '{shown}' is not an RR interval in milliseconds (1 to 5000)",
                path=path,
            )
        intervals.append(value)
    if not intervals:
        raise HeartUnavailable("the RR file holds no intervals", path=path)
    return intervals


class FileSource:
    """RR intervals from a file, replayed as if a strap sent them, ``speed`` times faster."""

    kind = "file"

    def __init__(self, path: Path, speed: float = 1.0) -> None:
        self.path = path
        self.speed = speed
        self._intervals: list[float] = []
        self._next = 0
        self._start = 0.0
        self._due_ms = 0.0  # when the next interval ends, after the start

    def open(self, now: float) -> None:
        self._intervals = read_rr_file(self.path)
        self._start = now
        self._next = 0
        self._due_ms = self._intervals[0]

    def take(self, now: float) -> list[float]:
        played_ms = (now - self._start) * self.speed * 1000.0
        first = self._next
        while self._next < len(self._intervals) and self._due_ms <= played_ms:
            self._next += 1
            if self._next < len(self._intervals):
                self._due_ms += self._intervals[self._next]
        return self._intervals[first : self._next]

    def ended(self) -> str | None:
        if self._intervals and self._next >= len(self._intervals):
            return "the RR file has ended"
        return None

    def close(self) -> None:
        self._next = len(self._intervals)
