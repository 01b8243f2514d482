"""Finding programs: in the same folders as practices, in the same order (contract section 9).

A folder holds practices and programs side by side; a program file says ``program: true`` at
its top. What each file holds is kept in a small cache keyed by its path, size and modification
time, so that ``today`` reads no YAML unless a file changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from kindful import paths
from kindful.errors import NotFoundError
from kindful.practice.library import SummaryCache, is_path, is_program_text, practice_files
from kindful.program.outline import Outline


@dataclass
class Programs:
    """Every program found, in lookup order, and a line for each program file that is broken."""

    outlines: list[Outline]
    problems: list[str]


def read_programs() -> Programs:
    """Give every program in the lookup folders; an id found earlier shadows later ones."""
    cache = SummaryCache.open(
        "programs.json",
        summarise,
        lambda error: Outlined(-1, -1, error=error),
        ProgramCache,
        ("program", "practice"),
    )
    found: dict[str, Outline] = {}
    problems: list[str] = []
    for folder, origin in paths.practice_folders():
        for path in practice_files(folder):
            summary = cache.summary(path)
            if summary.error is not None:
                problems.append(summary.error)
            elif summary.outline is not None:
                outline = replace(summary.outline, path=str(path), origin=origin, shadows=[])
                if outline.id in found:
                    found[outline.id].shadows.append(origin if origin == "built-in" else str(path))
                else:
                    found[outline.id] = outline
    cache.save()
    return Programs(list(found.values()), problems)


def find_program(ref: str) -> Outline:
    """Give the program ``ref`` names: a path to a program file, or an id in the lookup folders."""
    if is_path(ref):
        path = Path(ref).expanduser()
        if not path.is_file():
            raise NotFoundError(f"there is no program file {ref}")
        summary = summarise(path)
        if summary.error is not None:
            raise NotFoundError(summary.error)
        if summary.outline is None:
            raise NotFoundError(f"{ref} is a practice, not a program: `kindful run {ref}`")
        return replace(summary.outline, path=str(path), origin=str(path.parent))
    programs = read_programs()
    for outline in programs.outlines:
        if outline.id == ref:
            return outline
    _say_why_not(ref, programs.problems)
    import difflib

    ids = [o.id for o in programs.outlines]
    close = difflib.get_close_matches(ref, ids, n=1)
    hint = f"; did you mean {close[0]}?" if close else "; `kindful program list` shows them"
    raise NotFoundError(f"there is no program called {ref!r}{hint}")


def _say_why_not(ref: str, problems: list[str]) -> None:
    """Raise why a file named for ``ref`` is no program kindful can use, if there is one:
    its problems, or why it cannot be read (too large, not UTF-8, not a regular file)."""
    from kindful.errors import PracticeError
    from kindful.practice.checking.file_text import read_text

    for problem in problems:
        if Path(problem.split(":", 1)[0]).stem == ref:
            raise NotFoundError(f"the program {ref} cannot be used: {problem}")
    for folder, _ in paths.practice_folders():
        for path in practice_files(folder):
            if path.stem != ref:
                continue
            try:
                read_text(path)
            except PracticeError as error:
                raise NotFoundError(f"the program {ref} cannot be used: {error}") from None


@dataclass(frozen=True)
class Outlined:
    """What ``today`` keeps of one file: a program's outline, or why it cannot be read, or
    neither (a practice); valid while the file's size and modification time are these."""

    size: int
    mtime_ns: int
    outline: Outline | None = None
    error: str | None = None


@dataclass(frozen=True)
class ProgramCache:
    """The programs' cache: each file by its resolved path."""

    files: dict[str, Outlined]


def summarise(path: Path, size: int = 0, mtime_ns: int = 0) -> Outlined:
    """Give the outline of a program file, nothing for any other, or the error."""
    from kindful.errors import PracticeError
    from kindful.practice.checking.file_text import read_text
    from kindful.program.load import parse_program
    from kindful.program.outline import outline_of

    try:
        text = read_text(path)
    except PracticeError:
        return Outlined(size, mtime_ns)  # `kindful list` says why it cannot be read
    if not is_program_text(text):
        return Outlined(size, mtime_ns)
    try:
        loaded = parse_program(text, str(path), path.stem)
    except PracticeError as error:
        count = len(error.problems)
        more = f" (and {count - 1} more: kindful validate {path})" if count > 1 else ""
        return Outlined(size, mtime_ns, error=f"{error.problems[0]}{more}")
    return Outlined(size, mtime_ns, outline=outline_of(loaded.program))
