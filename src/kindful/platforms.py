"""Platform facts in one place: what kindful needs of the system, and where it has it.

kindful supports Linux and macOS. The live screen needs a POSIX terminal (``termios`` and
``tty`` for keys without Enter, ``select`` on stdin, ``SIGHUP`` for a terminal that hangs up),
so elsewhere (Windows) ``run`` shows plain lines instead, and says so once; every other command
uses only what every platform has. Modules that need POSIX import it inside the live screen's
path only, behind ``LIVE_SCREEN``.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager

POSIX = os.name == "posix"
LIVE_SCREEN = POSIX  # the live screen (termios, tty, select on stdin, SIGHUP)
FILE_MODES = hasattr(os, "fchmod") and hasattr(os, "getuid")  # owner-only modes can be set
_STOPS = {signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])}


@contextmanager
def stops_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back from this thread until the block is left.

    Some code kindful runs but does not own can lose the exception a signal handler raises to
    end a run: cffi prints and drops one raised inside its callbacks (miniaudio calls back into
    Python from its C code), and importing numpy or miniaudio in the middle of a run was seen to
    lose one too, so the session went on after a SIGTERM. Held, the signal waits and is taken as
    soon as the block is left, in kindful's own code. The mask is a thread's own: threads
    started inside the block (an audio device's) keep it held for good, and the threads kindful
    starts itself hold it from their start (``leave_stops_to_main_thread``), so that a signal
    reaches the main thread alone. Where there are no signal masks (Windows), nothing is held.
    """
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None:
        yield
        return
    before = mask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, before)


def leave_stops_to_main_thread() -> None:
    """Hold Ctrl-C, SIGTERM and SIGHUP back from the calling thread for good.

    A signal goes to any thread that does not hold it back; held in every thread kindful
    starts, it reaches the main thread, which ``stops_held`` can then hold it back from too.
    """
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is not None:
        mask(signal.SIG_BLOCK, _STOPS)
