"""The terminal during a live session: keys without Enter, no echo, hidden cursor, own screen.

Everything set here is put back on the way out, whatever the way out is (``q``, the end of the
practice, Ctrl-C, SIGTERM, SIGHUP, an error): ``LiveTerminal`` is a context manager whose exit
restores the terminal attributes it saved, shows the cursor and leaves the alternate screen.
"""

from __future__ import annotations

import os
import signal
import sys
import termios
import tty
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import IO, Any

ENTER_ALT_SCREEN = "\x1b[?1049h"
LEAVE_ALT_SCREEN = "\x1b[?1049l"
HIDE_CURSOR = "\x1b[?25l"
SHOW_CURSOR = "\x1b[?25h"
HOME = "\x1b[H"
CLEAR_SCREEN = "\x1b[2J"


def is_capable(stdin: IO[str] | None = None, stdout: IO[str] | None = None) -> bool:
    """Tell whether the live screen can run here: both ends a terminal, and not ``TERM=dumb``."""
    stdin = stdin if stdin is not None else sys.stdin
    stdout = stdout if stdout is not None else sys.stdout
    if os.environ.get("TERM", "") == "dumb":
        return False
    try:
        return stdin.isatty() and stdout.isatty()
    except (AttributeError, ValueError):  # a closed or unusual stream
        return False


class LiveTerminal:
    """Holds the terminal in live mode: cbreak without echo, cursor hidden, alternate screen.

    ``fd`` is the terminal's input (its attributes are saved and restored); ``out`` is where the
    control sequences go. Use it as a context manager; ``cooked()`` lends the terminal back in
    its normal mode for a moment, for typing a line.
    """

    def __init__(self, fd: int, out: IO[str], *, alt_screen: bool = True) -> None:
        self.fd = fd
        self.out = out
        self.alt_screen = alt_screen
        self._saved: list[Any] | None = None

    def __enter__(self) -> LiveTerminal:
        self._saved = termios.tcgetattr(self.fd)
        try:
            self._write((ENTER_ALT_SCREEN if self.alt_screen else "") + HIDE_CURSOR)
            self._raw()
        except BaseException:
            self.restore()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()

    def _raw(self) -> None:
        # cbreak keeps ISIG, so Ctrl-C still raises KeyboardInterrupt in the loop.
        tty.setcbreak(self.fd, termios.TCSANOW)

    def restore(self) -> None:
        """Put the terminal back as it was: attributes, cursor, main screen. Safe to repeat."""
        # The terminal may be gone (SIGHUP): then there is nothing left to show.
        with suppress(OSError, ValueError):
            self._write(SHOW_CURSOR + (LEAVE_ALT_SCREEN if self.alt_screen else ""))
        if self._saved is not None:
            with suppress(OSError, termios.error):
                termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def suspend(self) -> None:
        """Give the terminal back and stop, as Ctrl-Z does; take it again when continued."""
        self.restore()
        os.kill(os.getpid(), signal.SIGSTOP)
        self._write((ENTER_ALT_SCREEN if self.alt_screen else "") + HIDE_CURSOR)
        self._raw()

    @contextmanager
    def cooked(self) -> Iterator[None]:
        """Lend the terminal in its own mode (line editing, echo, cursor), then take it back."""
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
        self._write(SHOW_CURSOR)
        try:
            yield
        finally:
            self._write(HIDE_CURSOR)
            self._raw()


def typed_line(timeout: float) -> str | None:
    """Give a line typed on stdin within ``timeout`` seconds, without its newline, else ``None``.

    In plain mode the terminal keeps its line editing, so a line is there only once Enter is
    pressed; what is typed before that waits in the terminal, not here. The end of input
    (Ctrl-D) is no line: the runner then only waits out its time, as it would have.
    """
    import select

    try:
        ready, _, _ = select.select([sys.stdin], [], [], max(0.0, timeout))
    except (OSError, ValueError):  # stdin closed or not selectable: wait without it
        import time

        time.sleep(max(0.0, timeout))
        return None
    if not ready:
        return None
    line = sys.stdin.readline()
    if line == "":
        import time

        time.sleep(max(0.0, timeout))  # ended: never ready again, so wait out the time here
        return None
    return line.rstrip("\r\n")


def discard_typed() -> None:
    """Let go of what was typed on the terminal and not yet sent with Enter."""
    with suppress(termios.error, OSError, ValueError):
        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
