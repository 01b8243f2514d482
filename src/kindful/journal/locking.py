"""The log's lock: how an append and ``forget`` take the log file for themselves.

Kept apart from the writer so that ``forget`` (and sealing, which rewrites through it) takes the
same lock without importing the writer, which seals through them.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from kindful.errors import LogError

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: sessions rarely end at the same instant
    fcntl = None  # type: ignore[assignment]

FILE_MODE = 0o600


def open_locked(path: Path, flags: int) -> int:
    """Open the log file at ``path`` and hold its lock; give the descriptor (closing frees it).

    Appends and ``forget`` both take this lock. ``forget`` renames a new file over the log while
    holding it, so a writer that opened the old file and then waited is left with a file no
    longer at ``path``: it opens the new one and waits again, and so loses nothing.
    """
    flags |= os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)  # a FIFO must not hang the open
    nofollow = getattr(os, "O_NOFOLLOW", 0)
    while True:
        try:
            fd = os.open(path, flags | nofollow, FILE_MODE)
        except OSError as error:
            if not nofollow or error.errno != errno.ELOOP:
                raise
            fd = os.open(path, flags, FILE_MODE)  # a link: followed, its target's mode left
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise LogError("the log is not a regular file", path=path)
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd closes
            opened, now = os.fstat(fd), os.stat(path)
        except FileNotFoundError:
            os.close(fd)
            if not flags & os.O_CREAT:
                raise
            continue
        except BaseException:
            os.close(fd)
            raise
        if (opened.st_dev, opened.st_ino) == (now.st_dev, now.st_ino):
            return fd
        os.close(fd)
