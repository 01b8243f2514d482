"""The one way kindful keeps a cache: a key, a read, a write, a prune; an optimisation nobody sees.

Every cache lives in the platform's cache folder (``paths.cache_folder()``), never in the data
home that people copy and sync. A cache file is ``{"key": KEY, "data": DATA}``: ``KEY`` is the
SHA-256 of kindful's version and of whatever the cached result rests on, and ``DATA`` is a
typed value as ``decoding.encode`` writes it. Reading gives that value only when the file is a
regular file, is JSON, holds exactly those two fields, holds the key asked for, and its data
decodes exactly into the type asked for; any other surprise (missing, torn, a FIFO, too large,
nested too deep, of another version, another shape or another type) is a miss, never an error.
Writing is atomic (``atomic.write_text``: a private temp file, synced, renamed), into a folder
only its owner may enter (0700; the files are 0600). A cache that cannot be written only costs
time, and deleting any of it is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any, TypeVar

from kindful import __version__, atomic, paths
from kindful.decoding import decode, encode
from kindful.files import read_regular

T = TypeVar("T")
LIMIT = 64 * 1024 * 1024  # bytes of one cache file read at most: a larger one is a miss


def folder(*names: str) -> Path:
    """Give a folder (or file) inside the cache folder."""
    return paths.cache_folder().joinpath(*names)


def key(*parts: str) -> str:
    """Give the key of a result that rests on ``parts``: it changes with kindful's version too."""
    digest = hashlib.sha256()
    for part in (__version__, *parts):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def read(file: Path, key: str, kind: type[T], limit: int = LIMIT) -> T | None:
    """Give the value kept in ``file`` under ``key`` as a ``kind``, or None: any surprise is a miss."""
    try:
        raw = read_regular(file, limit + 1)
        if len(raw) > limit:
            return None  # larger than any kindful writes: not read at all
        kept = json.loads(raw)
    except Exception:  # missing, unreadable, a FIFO, not JSON, nested past the recursion limit
        return None
    if type(kept) is not dict or kept.keys() != {"key", "data"} or kept["key"] != key:
        return None
    try:
        return decode(kind, kept["data"])
    except ValueError:  # not exactly a `kind`
        return None


def write(file: Path, key: str, value: Any) -> bool:
    """Keep ``value`` in ``file`` under ``key``; tell whether it was written."""
    try:
        paths.private_folder(file.parent)
        text = json.dumps({"key": key, "data": encode(value)}, ensure_ascii=False)
        atomic.write_text(file, text)
    except (OSError, ValueError):
        return False
    return True


def used(file: Path) -> None:
    """Mark ``file`` as used now, so that ``prune`` keeps it longest."""
    with contextlib.suppress(OSError):
        os.utime(file)


def prune(within: Path, keep: int) -> None:
    """Keep the ``keep`` files of ``within`` used last; remove the others, and stale temp files."""
    stale = time.time() - 3600
    kept: list[tuple[int, str]] = []
    try:
        entries = list(os.scandir(within))
    except OSError:
        return
    for entry in entries:
        try:  # another kindful may rename or remove a file meanwhile: let it
            if not entry.is_file(follow_symlinks=False):
                continue
            if entry.name.endswith(".tmp") and entry.stat().st_mtime < stale:
                os.unlink(entry.path)  # left by a writer that was killed
            elif entry.name.endswith(".json"):
                kept.append((entry.stat().st_mtime_ns, entry.path))
        except OSError:
            continue
    kept.sort()
    for _, path in kept[: max(0, len(kept) - keep)]:
        with contextlib.suppress(OSError):
            os.unlink(path)


def stamps(files: list[Path], root: Path | None = None) -> str:
    """Give the name, size and modification time of each of ``files`` that can be seen.

    For a key that must change with kindful's own code in a source checkout, where the
    version stays the same across edits. Under ``root`` a file is named by its path from
    there, so that a module moved to another package changes the key too.
    """
    out = []
    for file in files:
        with contextlib.suppress(OSError):
            found = file.stat()
            name = file.relative_to(root).as_posix() if root else file.name
            out.append(f"{name}:{found.st_size}:{found.st_mtime_ns}")
    return ",".join(sorted(out))


@functools.cache
def code(*packages: str) -> str:
    """Give the ``stamps`` of the modules of kindful's ``packages``, their subpackages too."""
    here = Path(__file__).parent
    return stamps([file for name in packages for file in (here / name).rglob("*.py")], here)
