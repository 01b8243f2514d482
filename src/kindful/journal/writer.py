"""The session log: one JSON line per session, only ever appended to (contract section 5).

An append is one write of the whole line under an exclusive lock, flushed to the disk before it
returns, so two sessions ending at once (two terminals, two devices sharing a folder through a
sync tool) never interleave. A last line left torn by a crash is left as it is; the new line
starts on a line of its own, and readers skip the torn one. The folder kindful makes is the
owner's alone (0700), and so is the log (0600). A symlinked log is followed to its target, but
no mode is set through a link: not of the target, nor of the target's folder. A log that is not
a regular file (a FIFO, a device) is refused.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import replace
from pathlib import Path

from kindful import platforms
from kindful.errors import LogError
from kindful.journal.locking import FILE_MODE, open_locked
from kindful.journal.record import MAX_LINE, Reflection, SessionRecord
from kindful.safe_text import clean

FOLDER_MODE = 0o700


def fit(record: SessionRecord, sealed_to: str | None = None) -> tuple[SessionRecord, bool]:
    """Give the record as the readers will read it back, and whether an answer had to be cut.

    Bytes that were not UTF-8 in an answer become U+FFFD; with ``sealed_to`` (an age public
    key) the reflections are sealed to it (``sealing.sealed_record``); the longest answers are
    cut (ending in "…") until the line is no longer than a reader takes (``MAX_LINE``).
    """
    reflections = [Reflection(clean(r.prompt), clean(r.text)) for r in record.reflections]
    record = replace(record, reflections=reflections)
    cut = False
    while True:
        written = _sealed(record, sealed_to)
        excess = len(written.to_line().encode("utf-8")) - 1 - MAX_LINE
        if excess <= 0 or not reflections:
            return written, cut
        at = max(range(len(reflections)), key=lambda i: len(reflections[i].text))
        longest = reflections[at]
        if not longest.text:
            return written, cut  # nothing left to cut: the writer refuses it
        # Cut by UTF-8 bytes: a character's JSON is as long or longer; sealed, 48 bytes take
        # 66 in the line (base64, a line break written as \n every 64). The ellipsis costs three.
        if sealed_to is not None:
            excess = excess * 48 // 66 + 1
        data = longest.text.encode("utf-8")
        kept = data[: max(0, len(data) - excess - 3)].decode("utf-8", "ignore")
        reflections[at] = Reflection(longest.prompt, kept + "…" if kept else "")
        record = replace(record, reflections=list(reflections))
        cut = True


def _sealed(record: SessionRecord, sealed_to: str | None) -> SessionRecord:
    if sealed_to is None:
        return record
    from kindful.journal.sealing import sealed_record

    return sealed_record(record, sealed_to)


def append(record: SessionRecord, path: Path | None = None) -> Path:
    """Append the record to the log (default: ``paths.log_path()``); give the path written.

    Raises ``LogError`` when the log cannot be written: a folder that cannot be made, no
    permission, a full disk.
    """
    if path is None:
        from kindful.paths import log_path

        path = log_path()
    try:
        _make_folder(path)
        _append_line(path, record.to_line().encode("utf-8"))
    except OSError as error:
        reason = error.strerror or str(error)
        raise LogError(f"{reason}", path=path) from None
    except ValueError as error:  # a path with a NUL in it
        raise LogError(str(error), path=path) from None
    return path


def append_line(path: Path, line: str) -> None:
    """Append one line (ending in a newline) to a private file kindful keeps, as the log is.

    Raises ``LogError`` when it cannot be written.
    """
    try:
        _make_folder(path)
        _append_line(path, line.encode("utf-8"))
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise LogError(reason, path=path) from None


def _make_folder(path: Path) -> None:
    """Make the log's folder if missing, the owner's alone; narrow an open one reached by no link.

    The folders made are those the log's real path lacks (a dangling link's target's too); an
    existing folder is narrowed only when no link leads to it (never ``/dev`` through a log
    linked there).
    """
    from kindful.paths import private_folder

    private_folder(Path(os.path.realpath(path)).parent)
    folder = path.parent
    if not platforms.FILE_MODES or os.path.realpath(path) != os.path.abspath(path):
        return
    status = os.stat(folder, follow_symlinks=False)
    if stat.S_ISDIR(status.st_mode) and status.st_uid == os.getuid() and status.st_mode & 0o077:
        os.chmod(folder, FOLDER_MODE, follow_symlinks=False)


def _append_line(path: Path, line: bytes) -> None:
    fd = open_locked(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
    try:
        if platforms.FILE_MODES and not os.path.islink(path):
            _keep_private(fd)  # a link's target keeps its mode
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
    if not size:
        return b""
    os.lseek(fd, size - 1, os.SEEK_SET)  # the write still appends (O_APPEND)
    return b"\n" if os.read(fd, 1) != b"\n" else b""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]
