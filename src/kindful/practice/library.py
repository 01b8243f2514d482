"""Finding practices: the folders of KINDFUL_PATH, the person's own folder, the built-ins.

``list`` reads a summary of every practice file. Loading and validating them all on every
call would cost more than the rest of the command, so a summary is kept in a small cache,
keyed by each file's path, size and modification time; a changed file is read again. The
cache goes through ``kindful.cache``, under a key of kindful's version and its own code.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from stat import S_ISLNK
from typing import TYPE_CHECKING, Annotated, Any, Generic, Protocol, TypeVar

from kindful import cache, paths
from kindful.decoding import Range
from kindful.errors import NotFoundError
from kindful.practice.format.limits import MAX_TOTAL_SECONDS

if TYPE_CHECKING:  # the planned steps load only to find a practice: not to list or to title
    from kindful.practice.plan.written import Found

SUFFIXES = (".yaml", ".yml")
# A program sits among practices and says so on a line of its own at the top level.
_PROGRAM_MARK = re.compile(r"^program[ \t]*:[ \t]*(true|True|TRUE)[ \t]*(#.*)?$", re.MULTILINE)


@dataclass
class Entry:
    """One practice as ``list`` shows it; texts are given per language."""

    id: str
    titles: dict[str, str]
    summaries: dict[str, str]
    planned_seconds: Annotated[float, Range(0, MAX_TOTAL_SECONDS)]  # as a plan allows
    languages: list[str]
    path: str = ""
    origin: str = ""
    shadows: list[str] = field(default_factory=list)

    def title(self, lang: str) -> str:
        """Give the title in ``lang``, else in the practice's first language."""
        return _in(self.titles, lang)

    def summary(self, lang: str) -> str:
        """Give the summary in ``lang``, else in the practice's first language."""
        return _in(self.summaries, lang)


def _in(texts: dict[str, str], lang: str) -> str:
    return texts.get(lang) or next(iter(texts.values()), "")


@dataclass
class Catalogue:
    """Every practice found, in lookup order, and a line for each file that could not be read."""

    entries: list[Entry]
    problems: list[str]


def is_path(ref: str) -> bool:
    """Tell whether ``ref`` names a file rather than a practice id."""
    return ref.endswith(SUFFIXES) or os.sep in ref or "/" in ref


def is_program_text(text: str) -> bool:
    """Tell whether a file's text marks it as a program (a top-level ``program: true``)."""
    return _PROGRAM_MARK.search(text) is not None


def practice_files(folder: Path) -> list[Path]:
    """Give the practice files directly in ``folder``, sorted by name."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    return [folder / n for n in names if n.endswith(SUFFIXES) and not n.startswith(".")]


def find_practice(ref: str) -> Found:
    """Give the practice ``ref`` names: a path to a file, or an id in the lookup folders.

    A practice read before comes validated from its cache (``practice.checking.validated``).
    """
    from kindful.practice.checking.validated import compile_file
    from kindful.practice.plan.written import Found

    if is_path(ref):
        path = Path(ref).expanduser()
        if not path.exists():
            raise NotFoundError(f"there is no practice file {ref}")
        return Found(compile_file(path), path, str(path.parent))
    by_name: Found | None = None  # ref.yaml whose id is another: found if no id is ref
    for folder, origin in paths.practice_folders():
        for suffix in SUFFIXES:
            path = folder / f"{ref}{suffix}"
            if path.is_file():
                practice = compile_file(path)
                if practice.id == ref:
                    return Found(practice, path, origin)
                by_name = by_name or Found(practice, path, origin)
    catalogue = read_catalogue()
    for entry in catalogue.entries:
        if entry.id == ref:
            path = Path(entry.path)
            return Found(compile_file(path), path, entry.origin)
    if by_name is not None:
        return by_name
    raise NotFoundError(_not_found(ref, [e.id for e in catalogue.entries]))


def _not_found(ref: str, ids: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(ref, ids, n=1)
    hint = (
        f"; did you mean {close[0]}?" if close else "; `kindful list` shows the practices there are"
    )
    return f"there is no practice called {ref!r}{hint}"


def read_catalogue() -> Catalogue:
    """Give every practice in the lookup folders; an id found earlier shadows later ones."""
    cache = _list_cache()
    entries: dict[str, Entry] = {}
    problems: list[str] = []
    for folder, origin in paths.practice_folders():
        for path in practice_files(folder):
            summary = cache.summary(path)
            if summary.error is not None:
                problems.append(summary.error)
                continue
            if summary.entry is None:
                continue  # a program: listed by `kindful program list`
            entry = replace(summary.entry, path=str(path), origin=origin, shadows=[])
            if entry.id in entries:
                entries[entry.id].shadows.append(origin if origin == "built-in" else str(path))
            else:
                entries[entry.id] = entry
    cache.save()
    return Catalogue(list(entries.values()), problems)


def known_titles() -> dict[str, dict[str, str]]:
    """Give the titles (per language) of the practices the list's cache holds, by id.

    Reads no practice file, only the cache, and only its summaries of files that are still as
    they were summarised; so it may know fewer practices than ``read_catalogue``.
    """
    titles: dict[str, dict[str, str]] = {}
    for name, known in _list_cache().files.items():
        try:
            stat = os.stat(name)
        except OSError:
            continue
        if known.entry is not None and (known.size, known.mtime_ns) == (
            stat.st_size,
            stat.st_mtime_ns,
        ):
            titles.setdefault(known.entry.id, dict(known.entry.titles))
    return titles


@dataclass(frozen=True)
class Listed:
    """What ``list`` keeps of one file: its entry, or why it cannot be listed, or neither (a
    program); valid while the file's size and modification time are these."""

    size: int
    mtime_ns: int
    entry: Entry | None = None
    error: str | None = None


@dataclass(frozen=True)
class ListCache:
    """The list's cache: each file by its resolved path."""

    files: dict[str, Listed]


def summarise(path: Path, size: int = 0, mtime_ns: int = 0) -> Listed:
    """Give what ``list`` shows of the practice at ``path``, or the line saying why it cannot."""
    from kindful.errors import PracticeError
    from kindful.practice.checking.file_text import read_text
    from kindful.practice.checking.validated import compile_text
    from kindful.practice.format.texts import fill, pick
    from kindful.practice.plan.planner import make_plan

    try:
        text = read_text(path)
        if is_program_text(text):
            return Listed(size, mtime_ns)
        practice = compile_text(text, path)  # kept for a run, a show of it, too
    except PracticeError as error:
        count = len(error.problems)
        more = f" (and {count - 1} more: kindful validate {path})" if count > 1 else ""
        return Listed(size, mtime_ns, error=f"{error.problems[0]}{more}")
    languages = practice.languages_used()
    defaults = {i.name: i.default for i in practice.inputs}
    keys = languages or [""]
    plan = make_plan(practice, languages[0] if languages else "")
    entry = Entry(
        id=practice.id or path.stem,
        titles={lang: fill(pick(practice.title, lang), defaults) for lang in keys},
        summaries={lang: fill(pick(practice.summary, lang), defaults) for lang in keys},
        planned_seconds=plan.planned_seconds,
        languages=languages,
    )
    return Listed(size, mtime_ns, entry=entry)


def _list_cache() -> SummaryCache[Listed]:
    return SummaryCache.open(
        "library.json",
        summarise,
        lambda error: Listed(-1, -1, error=error),
        ListCache,
        ("practice",),
    )


class Stamped(Protocol):
    """A summary of a file, valid while its size and modification time are these."""

    @property
    def size(self) -> int: ...
    @property
    def mtime_ns(self) -> int: ...


S = TypeVar("S", bound=Stamped)


class SummaryCache(Generic[S]):
    """Summaries of the files in the lookup folders, valid while a file's size and mtime stay.

    One cache file per kind of summary: practices (``library.json``, ``Listed``) and programs.
    Its key holds kindful's version and its own code, so a summary never outlives the code that
    made it (the list once showed 7 min 50 s for a practice the code then planned at 15 min 40 s).
    """

    def __init__(
        self,
        file: Path,
        key: str,
        files: dict[str, S],
        summarise: Callable[[Path, int, int], S],
        unreadable: Callable[[str], S],
        store: Callable[[dict[str, S]], object],
    ) -> None:
        self.file = file
        self.key = key
        self.files = files
        self.summarise = summarise
        self.unreadable = unreadable
        self.store = store
        self.seen: dict[str, S] = {}
        self.folders: dict[Path, str] = {}  # each folder's resolved path
        self.changed = False

    @classmethod
    def open(
        cls,
        name: str,
        summarise_file: Callable[[Path, int, int], S],
        unreadable: Callable[[str], S],
        kind: type[Any],
        code: tuple[str, ...],
    ) -> SummaryCache[S]:
        """Give the cache ``name``, read as a ``kind`` (a dataclass of ``files``), or empty.

        Its key holds the stamps of the modules of ``code`` (packages of kindful).
        """
        key = cache.key(name, cache.code(*code))
        file = cache.folder(name)
        kept = cache.read(file, key, kind)
        files: dict[str, S] = kept.files if kept is not None else {}
        return cls(file, key, files, summarise_file, unreadable, kind)

    def summary(self, path: Path) -> S:
        """Give the summary of ``path``: kept, while the file is as it was, else made afresh.

        Kept by the file's resolved path: its folder's, resolved once, and its name, unless
        the file is itself a link.
        """
        try:
            stat = os.lstat(path)
            if S_ISLNK(stat.st_mode):
                key, stat = str(path.resolve()), path.stat()
            else:
                folder = self.folders.get(path.parent)
                if folder is None:
                    folder = self.folders[path.parent] = os.path.realpath(path.parent)
                key = os.path.join(folder, path.name)
        except OSError as error:
            return self.unreadable(f"{path}:1:1: cannot read it: {error.strerror}")
        known = self.files.get(key)
        if known is not None and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            self.seen[key] = known
            return known
        summary = self.summarise(path, stat.st_size, stat.st_mtime_ns)
        self.seen[key] = summary
        self.changed = True
        return summary

    def save(self) -> None:
        """Keep the summaries seen this time, if any changed."""
        if not self.changed and len(self.seen) == len(self.files):
            return
        cache.write(self.file, self.key, self.store(self.seen))
