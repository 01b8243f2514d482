"""Reading a file that anyone may have put there: at once, only a regular file, only so much.

A FIFO would make ``open`` wait for a writer forever, and a device can give bytes without end;
so a file is opened without waiting (``O_NONBLOCK``), checked with ``fstat`` after opening (not
before, when it could still be swapped), and read up to a limit.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotRegularFile(OSError):
    """The path leads to a FIFO, a device or a socket: nothing kindful reads."""


def read_regular(path: Path, limit: int, *, tail: bool = False) -> bytes:
    """Give at most ``limit`` bytes of the regular file at ``path``: its first, or its last.

    With ``tail``, a file longer than ``limit`` gives its last ``limit`` bytes (from where its
    newest lines are, in a file only appended to).

    Raises ``FileNotFoundError``, ``IsADirectoryError``, ``NotRegularFile`` or another
    ``OSError``, each with its ``strerror``.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(errno.EINVAL, "not a regular file", str(path))
        size = os.fstat(fd).st_size
        if tail and size > limit:
            os.lseek(fd, size - limit, os.SEEK_SET)
        # One read of the whole file (one byte more tells a file over the limit): no copies.
        data = os.read(fd, min(limit, size + 1))
        while len(data) < limit:  # a file still growing, or a short read
            more = os.read(fd, min(limit - len(data), 1024 * 1024))
            if not more:
                break
            data += more
        return data
    finally:
        os.close(fd)
