"""Reading a practice file's text: at most 1 MiB of a regular file, in UTF-8, every refusal a Problem.

Kept apart from the validator so that a practice known to the cache is read without it.
"""

from __future__ import annotations

from pathlib import Path

from kindful.errors import PracticeError, Problem
from kindful.files import NotRegularFile, read_regular

MAX_BYTES = 1024 * 1024


def read_text(path: Path) -> str:
    """Give the text of a practice file, refusing what is too large or not UTF-8."""
    shown = str(path)
    try:
        data = read_regular(path, MAX_BYTES + 1)
    except NotRegularFile:
        message = "this is not a regular file (a FIFO, a device?), not a practice file"
        raise PracticeError([Problem(shown, 1, 1, message)]) from None
    except FileNotFoundError:
        raise PracticeError([Problem(shown, 1, 1, "there is no such file")]) from None
    except IsADirectoryError:
        raise PracticeError(
            [Problem(shown, 1, 1, "this is a folder, not a practice file")]
        ) from None
    except OSError as error:
        raise PracticeError([Problem(shown, 1, 1, f"cannot read it: {error.strerror}")]) from None
    if len(data) > MAX_BYTES:
        raise PracticeError([Problem(shown, 1, 1, "the file is larger than 1 MiB: not a practice")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"the file is not UTF-8 (byte 0x{data[error.start]:02x}): save it as UTF-8"
        raise PracticeError([Problem(shown, line, column, message)]) from None
