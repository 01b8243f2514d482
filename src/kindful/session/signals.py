"""Ending a run on SIGTERM and SIGHUP the way Ctrl-C ends it: unwinding, so the session is logged.

Both runners use this (the plain lines and the live screen)::

    with stop_on_signals():
        try:
            ...run the session...
        except (Stopped, KeyboardInterrupt) as stop:
            session.quit()
            status = stop_status(stop)  # 143 for SIGTERM, 129 for SIGHUP, 130 for Ctrl-C
    ...restore the terminal, write the record, exit with status...

Inside the block, the first SIGTERM or SIGHUP raises ``Stopped`` in the main thread, wherever
it is (a sleep, a key read), and the first Ctrl-C (SIGINT) raises ``KeyboardInterrupt`` as
usual; ``finally`` blocks run, so the live screen can restore the terminal. Any signal after the
first inside the same block is noted and does not raise, so cleanup and the log write are not
cut short. The handlers that were there before come back when the block ends.

A raise can be lost: Python runs a handler wherever the main thread is, and code kindful does
not own drops what is raised inside it (a finaliser run by the garbage collector, a callback
from C). The stop is then asked for and gone, and the run would go on. So the runners call
``stop_check()`` at the top of each turn of their loops, a point where no cleanup is under way:
a stop that was raised and has not ended the run is raised again there.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from kindful.exit_status import ExitStatus

_STATUS = {signal.SIGTERM: ExitStatus.SIGTERM}
if hasattr(signal, "SIGHUP"):  # not on Windows
    _STATUS[signal.SIGHUP] = ExitStatus.SIGHUP


class Stopped(BaseException):
    """A signal asked the run to end; ``status`` is the exit status that says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum
        self.status = _STATUS.get(signal.Signals(signum), ExitStatus.SIGTERM)


def stop_status(stop: BaseException) -> ExitStatus:
    """Give the exit status for a stop: ``Stopped`` by its signal, Ctrl-C 130."""
    if isinstance(stop, Stopped):
        return stop.status
    return ExitStatus.INTERRUPTED


class Guard:
    """What ``stop_on_signals`` gives: ``hold()`` turns later stops into a note, not a raise."""

    def __init__(self) -> None:
        self.holding = False
        self.noted: int | None = None
        self.raised: int | None = None  # the stop raised, once it was

    def check(self) -> None:
        """Raise again the stop raised before, if it came and did not end the run."""
        if self.raised is not None and not self.holding:
            if self.raised == signal.SIGINT:
                raise KeyboardInterrupt
            raise Stopped(self.raised)

    def hold(self) -> None:
        """From now on, note the first stop instead of raising it (the log is being written)."""
        self.holding = True

    @property
    def status(self) -> ExitStatus | None:
        """Give the exit status of a stop noted while holding, if one came."""
        if self.noted is None:
            return None
        if self.noted == signal.SIGINT:
            return ExitStatus.INTERRUPTED
        return _STATUS.get(signal.Signals(self.noted), ExitStatus.SIGTERM)


_GUARDS: list[Guard] = []  # of the blocks in force, the innermost last


def stop_check() -> None:
    """At a safe point of a runner's loop, raise a stop whose first raise was lost."""
    if _GUARDS:
        _GUARDS[-1].check()


@contextmanager
def stop_on_signals() -> Iterator[Guard]:
    """Within the block, the first stop raises (``Stopped``, ``KeyboardInterrupt``); no more.

    After ``guard.hold()`` a stop is only noted, so that writing the record is not cut short.
    """
    guard = Guard()

    def handle(signum: int, frame: FrameType | None) -> None:
        if guard.holding:
            guard.noted = guard.noted or signum
            return
        if guard.raised is None:
            guard.raised = signum
            if signum == signal.SIGINT:
                raise KeyboardInterrupt
            raise Stopped(signum)

    previous = {}
    try:
        for signum in (*_STATUS, signal.SIGINT):
            if signal.getsignal(signum) is not signal.SIG_IGN:  # nohup and friends: respect it
                previous[signum] = signal.signal(signum, handle)
    except ValueError:  # not the main thread: leave signals to whoever owns them
        pass
    _GUARDS.append(guard)
    try:
        yield guard
    finally:
        _GUARDS.remove(guard)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
