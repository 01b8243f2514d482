"""stdout and stdin for a run: forgiving of what a terminal cannot show, quiet when they go away.

Only the standard library and the sink: ``run`` imports it at start-up.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from kindful.safe_text import say

PIPE_CLOSED = 128 + 13  # what a shell reports for a program that SIGPIPE ended (``| head``)

__all__ = ["PIPE_CLOSED", "_gone", "_let_stdout_go", "_say", "typed_lines"]

Typed = Callable[[float], "str | None"]


def _say(*lines: str) -> None:
    """Print lines on stdout; a reader or terminal that has gone away is let go quietly."""
    try:
        for line in lines:
            say(line)
        sys.stdout.flush()
    except OSError:
        _let_stdout_go()


def _gone(error: OSError) -> int:
    """Give the exit status for output that went away; anything else is raised again."""
    import errno

    from kindful.exit_status import ExitStatus

    if error.errno not in (errno.EPIPE, errno.EIO):
        raise error
    _let_stdout_go()
    # EPIPE: the reader of a pipe left (``| head``); EIO: the terminal hung up.
    return PIPE_CLOSED if error.errno == errno.EPIPE else int(ExitStatus.SIGHUP)


def _let_stdout_go() -> None:
    """Point stdout at the null device, so nothing more (not even the flush at exit) fails."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's capture): nothing to let go
        pass
    finally:
        os.close(devnull)


def typed_lines(
    typed: Typed | None, discard: Callable[[], None] | None
) -> tuple[Typed | None, Callable[[], None] | None]:
    """Give how plain mode reads n, s, q while a step runs, and lets go of unsent typing.

    Those given (a test's) are kept; else stdin's, when it is a terminal where kindful can
    wait on it: only a person at a terminal types them, and from a pipe every line stays an
    answer.
    """
    from kindful import platforms

    if typed is not None or not (platforms.LIVE_SCREEN and sys.stdin.isatty()):
        return typed, discard
    from kindful.session.terminal import discard_typed, typed_line

    return typed_line, discard_typed
