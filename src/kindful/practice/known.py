"""Practices read before, kept validated: a known practice starts without YAML or pydantic.

Reading a practice file means the YAML parser, building the pydantic model and validating:
most of what ``kindful run`` costs before its first line. So what passed validation is kept
as plain data (``Compiled``), one small JSON file per practice in the private cache folder,
named by the SHA-256 of everything the result depends on: kindful's version, the format of
the data, the file's name (an id defaults to it) and the file's whole text. The key is written
inside the file too and checked on reading, and the data is checked for shape and for control
characters; a file that fails any of this, or cannot be read, is as good as none: the practice
is validated again. Nothing is ever trusted for being there.

A file with errors is not kept as a practice: ``run`` and ``show`` find its problems afresh
each time, at their lines. ``validate`` keeps its own report of a file the same way
(``known_report``): its problems or its warnings, which take the validator and the node tree
to find, under the key of the text it read (and of the path as given, which every line names).
The key also holds the size and time of each module of ``kindful.practice`` and of the shared
modules it reads and checks with (``errors``, ``files``, ``safe_text``), so that in a source
checkout a change to the code is not hidden by what the old code found.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any

from kindful import __version__, atomic, paths
from kindful.errors import Problem
from kindful.files import read_regular
from kindful.practice import compiled
from kindful.practice.compiled import Compiled
from kindful.practice.reading import read_text

FOLDER = "practices"  # inside the cache folder
KEEP = 256  # files kept; the ones used longest ago go first
MAX_CACHED = 8 * 1024 * 1024  # bytes of one cache file (a 1 MiB practice is far less)


def key_of(text: str, stem: str, kind: str = "practice") -> str:
    """Give the key of a result about a file's ``text``: it changes when anything it rests on does."""
    digest = hashlib.sha256()
    for part in (kind, __version__, str(compiled.FORMAT), _code(), stem):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@functools.cache
def _code() -> str:
    """Give the size and time of each module that reads or checks a practice.

    An installed kindful's modules never change under one version; a source checkout's do, and
    what the old code found must not outlive it.
    """
    here = Path(__file__).parent
    shared = [here.parent / name for name in ("errors.py", "files.py", "safe_text.py")]
    return stamps([*here.glob("*.py"), *shared])


def stamps(files: list[Path]) -> str:
    """Give the name, size and modification time of each of ``files`` that can be seen."""
    out = []
    for file in files:
        with contextlib.suppress(OSError):
            found = file.stat()
            out.append(f"{file.name}:{found.st_size}:{found.st_mtime_ns}")
    return ",".join(sorted(out))


def compile_file(path: Path) -> Compiled:
    """Give the practice at ``path`` validated; raise ``PracticeError`` with every problem.

    A practice read before (the same text, the same file name, the same kindful) comes from
    the cache; any other is validated and then kept.
    """
    return compile_text(read_text(path), path)


def compile_text(text: str, path: Path) -> Compiled:
    """Give the practice in ``text``, read from ``path``, validated (see ``compile_file``)."""
    key = key_of(text, path.stem)
    data = _read(key)
    if data is not None:
        try:
            practice = Compiled.from_data(data)
            from kindful.practice.plan import make_plan

            make_plan(practice, next(iter(practice.languages_used()), ""))  # as a list does
            return practice
        except Exception:  # not what kindful wrote (RecursionError too): validated again
            pass
    from kindful.practice.load import parse_practice

    practice = Compiled.from_model(parse_practice(text, str(path), path.stem))
    _write(key, practice.to_data())
    return practice


Report = tuple[list[Problem], list[Problem]]  # the problems of a file, and its warnings


def report_key(text: str, path: Path) -> str:
    """Give the key of ``validate``'s report of ``path`` holding ``text``."""
    return key_of(text, path.stem, f"report\0{path}")


def known_report(key: str) -> Report | None:
    """Give the problems and warnings ``validate`` kept under ``key``, if it did."""
    data = _read(key)
    try:
        if data is not None:
            return _problems(data["problems"]), _problems(data["warnings"])
    except Exception:  # not what kindful wrote
        pass
    return None


def keep_report(key: str, report: Report) -> None:
    """Keep what ``validate`` found in a file, under the key of the text it read."""
    problems, warnings = report
    _write(
        key, {"problems": [_data(p) for p in problems], "warnings": [_data(p) for p in warnings]}
    )


def _data(problem: Problem) -> dict[str, Any]:
    return {**problem.as_dict(), "key": problem.key}


def _problems(rows: Any) -> list[Problem]:
    return [_problem(row) for row in rows]


def _problem(row: Any) -> Problem:
    """Give the problem ``_data`` kept; raise ``ValueError`` for anything else."""
    found = Problem(**{name: row[name] for name in _PROBLEM_FIELDS})
    texts = (found.path, found.message, found.severity, found.code)
    if not all(type(n) is int for n in (found.line, found.column)) or not all(
        isinstance(v, str) for v in texts
    ):
        raise ValueError("not a problem")
    if found.key is not None and not isinstance(found.key, str):
        raise ValueError("not a key")
    return found


_PROBLEM_FIELDS = ("path", "line", "column", "message", "key", "severity", "code")


def _file(key: str) -> Path:
    return paths.cache_folder() / FOLDER / f"{key}.json"


def _read(key: str) -> Any:
    """Give what is kept under ``key``, or None: missing, unreadable, torn or another key."""
    file = _file(key)
    try:
        kept = json.loads(read_regular(file, MAX_CACHED))
    except Exception:  # missing, unreadable, not JSON, nested past the recursion limit
        return None
    if not isinstance(kept, dict) or kept.get("key") != key:
        return None
    with contextlib.suppress(OSError):
        os.utime(file)  # used now: the last to be pruned
    return kept.get("data")


def _write(key: str, data: dict[str, Any]) -> None:
    """Keep ``data`` under ``key``; a cache that cannot be written only costs time."""
    file = _file(key)
    try:
        paths.private_folder(file.parent)
        atomic.write_text(file, json.dumps({"key": key, "data": data}, ensure_ascii=False))
        _prune(file.parent)
    except (OSError, ValueError):
        pass


def _prune(folder: Path) -> None:
    """Keep the ``KEEP`` files used last; remove the others, and temp files left by a crash."""
    stale = time.time() - 3600
    kept: list[tuple[int, str]] = []
    with os.scandir(folder) as entries:
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
    if len(kept) <= KEEP:
        return
    kept.sort()
    for _, path in kept[: len(kept) - KEEP]:
        with contextlib.suppress(OSError):
            os.unlink(path)
