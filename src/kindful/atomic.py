"""Replacing a file in one step: the one way kindful rewrites a file it keeps.

The new content goes to a temp file that ``tempfile.mkstemp`` makes beside the old one (private,
with a name no one can plant a link at), is flushed and synced, and is then renamed over the old
file with ``os.replace``. Whatever fails on the way, the temp file is removed and the old file is
left as it was: a reader sees the whole old file or the whole new one, never a part.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO, TextIO

from kindful.platforms import stops_held


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """Give a private file to write the new ``path`` to; it takes the old one's place on exit.

    Raises ``OSError`` when the temp file cannot be made, written or renamed; then nothing is
    left behind and ``path`` is unchanged. Any other exception inside the block also discards
    what was written.
    """
    temp = None
    try:
        with stops_held():  # a stop between the making and the naming would leave it behind
            fd, temp = _temp_beside(path)
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        if temp is not None:
            with suppress(OSError):
                os.unlink(temp)
        raise


@contextmanager
def replacing_path(path: Path) -> Iterator[Path]:
    """Like ``replacing``, for a writer that opens the file by its name: give the temp file's path.

    A library that writes through Python callbacks can lose a signal raised inside them (cffi
    drops the exception); given a name, it writes from its own code and a stop comes between
    its calls.
    """
    temp = None
    try:
        with stops_held():
            fd, temp = _temp_beside(path)
        os.close(fd)
        yield Path(temp)
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        if temp is not None:
            with suppress(OSError):
                os.unlink(temp)
        raise


@contextmanager
def scratch(path: Path) -> Iterator[Path]:
    """Give the path of a temp file beside ``path``, removed when the block is left, however."""
    temp = None
    try:
        with stops_held():
            fd, temp = _temp_beside(path)
        os.close(fd)
        yield Path(temp)
    finally:
        if temp is not None:
            with suppress(OSError):
                os.unlink(temp)


def _temp_beside(path: Path) -> tuple[int, str]:
    return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")


@contextmanager
def replacing_text(path: Path) -> Iterator[TextIO]:
    """Like ``replacing``, as UTF-8 text with newlines written as given."""
    with replacing(path) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        yield text
        text.flush()
        text.detach()


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (see ``replacing``)."""
    with replacing(path) as out:
        out.write(data)


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` as UTF-8, in one step (see ``replacing``)."""
    write_bytes(path, text.encode("utf-8"))
