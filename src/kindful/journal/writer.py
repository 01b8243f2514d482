"""The session log: one JSON line per session, only ever appended to (contract section 5).

An append is one write of the whole line under an exclusive lock, flushed to the disk before it
returns, so two sessions ending at once (two terminals, two devices sharing a folder through a
sync tool) never interleave. A last line left torn by a crash is left as it is; the new line
starts on a line of its own, and readers skip the torn one. The folder kindful makes is the
owner's alone (0700), and so is the log (0600). A symlinked log is followed to its target.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from kindful.errors import LogError
from kindful.journal.record import SessionRecord

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: sessions rarely end at the same instant
    fcntl = None  # type: ignore[assignment]

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def append(record: SessionRecord, path: Path | None = None) -> Path:
    """Append the record to the log (default: ``paths.log_path()``); give the path written.

    Raises ``LogError`` when the log cannot be written: a folder that cannot be made, no
    permission, a full disk.
    """
    if path is None:
        from kindful.paths import log_path

        path = log_path()
    try:
        _make_folder(Path(os.path.realpath(path)).parent)
        _append_line(path, record.to_line().encode("utf-8"))
    except OSError as error:
        reason = error.strerror or str(error)
        raise LogError(f"{reason}", path=path) from None
    return path


def _make_folder(folder: Path) -> None:
    """Make the log's folder if missing; keep it readable by its owner alone, whatever the umask."""
    from kindful.paths import private_folder

    private_folder(folder)
    status = folder.stat()
    if status.st_uid == os.getuid() and status.st_mode & 0o077:
        folder.chmod(FOLDER_MODE)


def open_locked(path: Path, flags: int) -> int:
    """Open the log file at ``path`` and hold its lock; give the descriptor (closing frees it).

    Appends and ``forget`` both take this lock. ``forget`` renames a new file over the log while
    holding it, so a writer that opened the old file and then waited is left with a file no
    longer at ``path``: it opens the new one and waits again, and so loses nothing.
    """
    while True:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0), FILE_MODE)
        try:
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


def _append_line(path: Path, line: bytes) -> None:
    fd = open_locked(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
    try:
        _keep_private(fd)
        _write_all(fd, _after_torn_line(fd) + line)
        os.fsync(fd)
    finally:
        os.close(fd)


def _keep_private(fd: int) -> None:
    """Make the log readable by its owner alone, whatever the umask made of a new one."""
    if os.fstat(fd).st_mode & 0o077:
        # A log someone else owns but lets us write: still append to it.
        with contextlib.suppress(PermissionError):
            os.fchmod(fd, FILE_MODE)


def _after_torn_line(fd: int) -> bytes:
    """Give a newline when the log's last line was cut short, so the new one stands alone."""
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        return b"\n"
    return b""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
