"""Keys pressed during a live session: the bytes a terminal sends, read without Enter.

``parse`` turns bytes into ``Key`` values and is pure; ``TerminalKeys`` waits on the terminal
with ``select`` (so a session sleeps between changes) and hands back whole keys, keeping the
start of an escape sequence until the rest of it arrives.
"""

from __future__ import annotations

import errno
import os
import select
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from enum import StrEnum
from types import FrameType
from typing import Protocol


class Key(StrEnum):
    """A key a live session reacts to; everything else is ``OTHER``."""

    SPACE = "space"
    NEXT = "next"  # n
    RIGHT = "right"  # the right arrow
    ENTER = "enter"
    SOFTEN = "soften"  # s
    QUIT = "quit"  # q
    ESCAPE = "escape"  # a lone Escape
    INTERRUPT = "interrupt"  # Ctrl-C, when the terminal hands it over as a byte
    RESIZE = "resize"  # not a key: the terminal changed size
    SUSPEND = "suspend"  # not a key: Ctrl-Z asked the program to stop for a while
    OTHER = "other"


_SINGLE: dict[str, Key] = {
    " ": Key.SPACE,
    "n": Key.NEXT,
    "N": Key.NEXT,
    "s": Key.SOFTEN,
    "S": Key.SOFTEN,
    "q": Key.QUIT,
    "Q": Key.QUIT,
    "\r": Key.ENTER,
    "\n": Key.ENTER,
    "\x03": Key.INTERRUPT,
}

_ESC = 0x1B


def _sequence_end(data: bytes, start: int) -> int | None:
    """Give the index just past the escape sequence at ``start``, or None if it is cut short.

    Knows CSI (``ESC [``, ended by a byte from ``@`` to ``~``) and SS3 (``ESC O`` and one byte),
    the two forms arrow keys take; ``ESC`` and any other byte is a two-byte sequence (Alt+key).
    """
    if start + 1 >= len(data):
        return None
    intro = data[start + 1]
    if intro == ord("["):
        for i in range(start + 2, len(data)):
            if 0x40 <= data[i] <= 0x7E:
                return i + 1
        return None
    if intro == ord("O"):
        return start + 3 if start + 2 < len(data) else None
    return start + 2


def _sequence_key(seq: bytes) -> Key:
    """Give the key an escape sequence stands for: the right arrow, or ``OTHER``."""
    if seq in (b"\x1b[C", b"\x1bOC"):
        return Key.RIGHT
    return Key.OTHER


def parse(data: bytes, *, final: bool = True) -> tuple[list[Key], bytes]:
    """Give the keys in ``data`` and the bytes left over (the cut-short start of a sequence).

    With ``final`` true nothing is left over: a lone ``ESC`` at the end is the Escape key.
    """
    keys: list[Key] = []
    i = 0
    while i < len(data):
        byte = data[i]
        if byte == _ESC:
            end = _sequence_end(data, i)
            if end is None:
                if not final:
                    return keys, data[i:]
                keys.append(Key.ESCAPE if i + 1 == len(data) else Key.OTHER)
                break
            keys.append(_sequence_key(data[i:end]))
            i = end
            continue
        if byte < 0x80:
            keys.append(_SINGLE.get(chr(byte), Key.OTHER))
            i += 1
            continue
        # A character beyond ASCII: skip its continuation bytes so it counts once.
        i += 1
        while i < len(data) and 0x80 <= data[i] < 0xC0:
            i += 1
        keys.append(Key.OTHER)
    return keys, b""


class KeySource(Protocol):
    """Where a live session gets its keys from."""

    def read(self, timeout: float | None) -> list[Key]:
        """Give the keys pressed, waiting at most ``timeout`` seconds (None: until one comes)."""
        ...


# How long to wait for the rest of an escape sequence once its first byte has come.
SEQUENCE_WAIT = 0.05


Handler = Callable[[int, FrameType | None], object] | int | None

# Signals that wake the key reader, and the key each becomes. SIGTSTP (Ctrl-Z) is caught so
# the live loop can give the terminal back before the program stops.
_WAKE_SIGNALS: dict[signal.Signals, tuple[bytes, Key]] = {
    getattr(signal, name): (byte, key)
    for name, byte, key in (("SIGWINCH", b"w", Key.RESIZE), ("SIGTSTP", b"z", Key.SUSPEND))
    if hasattr(signal, name)
}


class TerminalKeys:
    """Keys from a terminal in cbreak mode, read with ``select`` so waiting costs nothing.

    While in use (as a context manager) it also notices SIGWINCH and SIGTSTP and hands them
    back as ``Key.RESIZE`` and ``Key.SUSPEND``, so the loop can redraw at once at the new size,
    or give the terminal back before stopping.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self._terminal = os.isatty(fd)  # asked now: a terminal that has hung up no longer says
        self._pending = b""
        self._wake_r, self._wake_w = -1, -1
        self._previous: dict[signal.Signals, Handler] = {}

    def __enter__(self) -> TerminalKeys:
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        for signum in _WAKE_SIGNALS:
            with suppress(ValueError):  # not the main thread: no signals for us
                self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous.clear()
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._wake_r, self._wake_w = -1, -1

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # A full pipe means wake-ups are already waiting.
        with suppress(OSError):
            os.write(self._wake_w, _WAKE_SIGNALS[signal.Signals(signum)][0])

    @contextmanager
    def stop_allowed(self) -> Iterator[None]:
        """Let Ctrl-Z stop the program as usual for a while (while a line is typed)."""
        tstp = getattr(signal, "SIGTSTP", None)
        if tstp is None or tstp not in self._previous:
            yield
            return
        old = signal.signal(tstp, signal.SIG_DFL)
        try:
            yield
        finally:
            signal.signal(tstp, old)

    def _woken(self) -> list[Key]:
        data = b""
        with suppress(BlockingIOError):
            while chunk := os.read(self._wake_r, 64):
                data += chunk
        return [key for byte, key in _WAKE_SIGNALS.values() if byte in data]

    def read(self, timeout: float | None) -> list[Key]:
        watched = [self.fd] + ([self._wake_r] if self._wake_r >= 0 else [])
        if self._pending:
            timeout = SEQUENCE_WAIT if timeout is None else min(timeout, SEQUENCE_WAIT)
        ready, _, _ = select.select(watched, [], [], timeout)
        keys: list[Key] = []
        if self._wake_r in ready:
            keys += self._woken()
        if self.fd in ready:
            try:
                data = os.read(self.fd, 1024)
            except OSError as error:
                if error.errno != errno.EIO:
                    raise
                data = b""  # the terminal is gone
            if not data:  # end of input: nobody is there to press keys any more
                if self._terminal:
                    _hang_up()
                return [*keys, Key.QUIT]
            found, self._pending = parse(self._pending + data, final=False)
            keys.extend(found)
        elif self._pending:
            found, self._pending = parse(self._pending, final=True)
            keys.extend(found)
        return keys


def _hang_up() -> None:
    """End the run as SIGHUP would: a terminal that reports end of input has hung up.

    Only where a SIGHUP handler is installed (a run in progress, which then logs the session
    as not completed and exits 129); with SIGHUP ignored or left at its default, the caller
    ends the session as if ``q`` had been pressed.
    """
    if callable(signal.getsignal(signal.SIGHUP)):
        signal.raise_signal(signal.SIGHUP)
