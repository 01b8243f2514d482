"""The practices a program file can name, with their languages, wherever it is checked.

A program is checked against the library and against the practices around it: the files of
the git repository it is in (else of its own folder, not the folders below), so that a program
committed alone, or checked while its practices are in another batch, still finds them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kindful.practice.plan.written import Compiled

MAX_FILES = 2_000  # practice files looked at around one program, at most
_SKIPPED = {".git", ".venv", "venv", "node_modules", "__pycache__"}


def practices_for(program: Path, also: Iterable[Path] = ()) -> dict[str, list[str]]:
    """Give each practice id a program at ``program`` can name, with the languages it has.

    A practice whose languages cannot be known (it has errors of its own, reported where it is
    validated) is named with none, so that the program is not refused for it as well.
    """
    from kindful.practice.checking.file_text import read_text
    from kindful.practice.checking.validated import compile_file
    from kindful.practice.library import is_program_text, read_catalogue

    library = {entry.id: list(entry.languages) for entry in read_catalogue().entries}
    own_folder = program.resolve().parent
    around = _around(program)
    nearest = [p for p in around if p.parent == own_folder]
    # the nearer a practice, the likelier it is the one meant: files named first, then the
    # program's own folder, then the library, then the rest of the repository
    known: dict[str, list[str]] = {}
    for path in [*also, *nearest]:
        _add(known, path, compile_file, read_text, is_program_text)
    for id_, languages in library.items():
        known.setdefault(id_, languages)
    for path in around:
        _add(known, path, compile_file, read_text, is_program_text)
    return known


def _add(
    known: dict[str, list[str]],
    path: Path,
    compile_file: Callable[[Path], Compiled],
    read_text: Callable[[Path], str],
    is_program_text: Callable[[str], bool],
) -> None:
    from kindful.errors import KindfulError

    try:
        if is_program_text(read_text(path)):
            return
        practice = compile_file(path)
    except KindfulError:
        known.setdefault(path.stem, [])
        return
    known.setdefault(practice.id or path.stem, list(practice.languages_used()))


def _around(program: Path) -> list[Path]:
    """Give the practice files of the git repository ``program`` is in, else of its folder.

    Outside a repository only the folder itself is looked at, not the folders below it: a
    program kept in a home folder must not send kindful through the whole home.
    """
    folder = program.resolve().parent
    root = next((p for p in [folder, *folder.parents] if (p / ".git").exists()), None)
    if root is None:
        return sorted(
            p
            for p in folder.iterdir()
            if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
        )[:MAX_FILES]
    found: list[Path] = []
    for top, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED and not d.startswith("."))
        for name in sorted(names):
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                found.append(Path(top) / name)
                if len(found) >= MAX_FILES:
                    return found
    return found
