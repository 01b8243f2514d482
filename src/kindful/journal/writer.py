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


def append_line(path: Path, line: str) -> None:
    """Append one line (ending in a newline) to a private file kindful keeps, as the log is.

    Raises ``LogError`` when it cannot be written.
    """
    try:
        _make_folder(Path(os.path.realpath(path)).parent)
        _append_line(path, line.encode("utf-8"))
    except OSError as error:
        raise LogError(f"{error.strerror or error}", path=path) from None


def _make_folder(folder: Path) -> None:
    """Make the log's folder if missing; keep it readable by its owner alone, whatever the umask."""
    from kindful.paths import private_folder

    private_folder(folder)
    status = folder.stat()
    if status.st_uid == os.getuid() and status.st_mode & 0o077:
        folder.chmod(FOLDER_MODE)


def _append_line(path: Path, line: bytes) -> None:
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        _keep_private(fd)
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)  # released when fd closes
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
