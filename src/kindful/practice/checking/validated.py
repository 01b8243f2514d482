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
The key also holds the size and time of each module of ``kindful.practice`` (its subpackages
too) and of the shared modules it reads and checks with (``errors``, ``files``, ``safe_text``),
so that in a source checkout a change to the code is not hidden by what the old code found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kindful import cache
from kindful.errors import Problem
from kindful.practice.checking.file_text import read_text
from kindful.practice.format.limits import MAX_STEPS

if TYPE_CHECKING:
    from kindful.practice.plan.written import Compiled

# Of the data kept: the types of ``plan.written`` as ``decoding`` writes them. Raised when they
# change, so that an installed kindful never reads what an older one kept.
FORMAT = 2
FOLDER = "practices"  # inside the cache folder
KEEP = 256  # files kept; the ones used longest ago go first
MAX_CACHED = 8 * 1024 * 1024  # bytes of one cache file (a 1 MiB practice is far less)


def key_of(text: str, stem: str, kind: str = "practice") -> str:
    """Give the key of a result about a file's ``text``: it changes when anything it rests on does."""
    return cache.key(kind, str(FORMAT), _code(), stem, text)


def _code() -> str:
    """Give the stamps of each module that reads or checks a practice.

    An installed kindful's modules never change under one version; a source checkout's do, and
    what the old code found must not outlive it.
    """
    return cache.code("practice") + ";" + _shared()


def _shared() -> str:
    here = Path(__file__).parents[2]  # the kindful package
    names = (
        "errors.py",
        "files.py",
        "safe_text.py",
        "safe_yaml.py",
        "yaml_words.py",
        "decoding.py",
        "cache.py",
    )
    return cache.stamps([here / name for name in names])


stamps = cache.stamps


def compile_file(path: Path) -> Compiled:
    """Give the practice at ``path`` validated; raise ``PracticeError`` with every problem.

    A practice read before (the same text, the same file name, the same kindful) comes from
    the cache; any other is validated and then kept.
    """
    return compile_text(read_text(path), path)


def compile_text(text: str, path: Path) -> Compiled:
    """Give the practice in ``text``, read from ``path``, validated (see ``compile_file``)."""
    from kindful.practice.plan.written import Compiled

    key = key_of(text, path.stem)
    file = _file(key)
    practice = cache.read(file, key, Compiled, MAX_CACHED)
    if practice is not None and practice.expanded_count() <= MAX_STEPS:
        try:
            from kindful.practice.plan.planner import make_plan

            make_plan(practice, next(iter(practice.languages_used()), ""))  # as a list does
            cache.used(file)
            return practice
        except Exception:  # not what kindful wrote (RecursionError too): validated again
            pass
    from kindful.practice.checking.load import parse_practice

    practice = Compiled.from_model(parse_practice(text, str(path), path.stem))
    _write(file, key, practice)
    return practice


@dataclass(frozen=True)
class Kept:
    """``validate``'s report of a file: its problems, and its warnings."""

    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]


Report = tuple[list[Problem], list[Problem]]  # the problems of a file, and its warnings


def report_key(text: str, path: Path) -> str:
    """Give the key of ``validate``'s report of ``path`` holding ``text``."""
    return key_of(text, path.stem, f"report\0{path}")


def known_report(key: str) -> Report | None:
    """Give the problems and warnings ``validate`` kept under ``key``, if it did."""
    file = _file(key)
    kept = cache.read(file, key, Kept, MAX_CACHED)
    if kept is None:
        return None
    cache.used(file)
    return list(kept.problems), list(kept.warnings)


def keep_report(key: str, report: Report) -> None:
    """Keep what ``validate`` found in a file, under the key of the text it read."""
    problems, warnings = report
    _write(_file(key), key, Kept(tuple(problems), tuple(warnings)))


def _file(key: str) -> Path:
    return cache.folder(FOLDER, f"{key}.json")


def _write(file: Path, key: str, value: Compiled | Kept) -> None:
    """Keep ``value``; a cache that cannot be written only costs time."""
    if cache.write(file, key, value):
        cache.prune(file.parent, KEEP)
