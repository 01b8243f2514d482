"""Finding programs: in the same folders as practices, in the same order (contract section 9).

A folder holds practices and programs side by side; a program file says ``program: true`` at
its top. What each file holds is kept in a small cache keyed by its path, size and modification
time, so that ``today`` reads no YAML unless a file changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kindful import __version__, atomic, paths
from kindful.errors import NotFoundError
from kindful.practice.library import is_path, is_program_text, practice_files
from kindful.program.outline import Outline


@dataclass
class Programs:
    """Every program found, in lookup order, and a line for each program file that is broken."""

    outlines: list[Outline]
    problems: list[str]


def read_programs() -> Programs:
    """Give every program in the lookup folders; an id found earlier shadows later ones."""
    cache = _Cache.open()
    found: dict[str, Outline] = {}
    problems: list[str] = []
    for folder, origin in paths.practice_folders():
        for path in practice_files(folder):
            summary = cache.summary(path)
            if "error" in summary:
                problems.append(summary["error"])
            elif "program" in summary:
                outline = Outline.from_dict(summary["program"], str(path), origin)
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
        if "error" in summary:
            raise NotFoundError(summary["error"])
        if "program" not in summary:
            raise NotFoundError(f"{ref} is a practice, not a program: `kindful run {ref}`")
        return Outline.from_dict(summary["program"], str(path), str(path.parent))
    programs = read_programs()
    for outline in programs.outlines:
        if outline.id == ref:
            return outline
    import difflib

    ids = [o.id for o in programs.outlines]
    close = difflib.get_close_matches(ref, ids, n=1)
    hint = f"; did you mean {close[0]}?" if close else "; `kindful program list` shows them"
    raise NotFoundError(f"there is no program called {ref!r}{hint}")


def summarise(path: Path) -> dict[str, Any]:
    """Give ``{"program": outline}`` for a program file, ``{}`` for any other, or the error."""
    from kindful.errors import PracticeError
    from kindful.practice.load import read_text
    from kindful.program.load import parse_program
    from kindful.program.outline import outline_of

    try:
        text = read_text(path)
    except PracticeError:
        return {}  # `kindful list` says why it cannot be read
    if not is_program_text(text):
        return {}
    try:
        loaded = parse_program(text, str(path), path.stem)
    except PracticeError as error:
        count = len(error.problems)
        more = f" (and {count - 1} more: kindful validate {path})" if count > 1 else ""
        return {"error": f"{error.problems[0]}{more}"}
    return {"program": outline_of(loaded.program).to_dict()}


class _Cache:
    """What each file in the lookup folders holds, valid while its size and mtime stay."""

    def __init__(self, file: Path, files: dict[str, Any]) -> None:
        self.file = file
        self.files = files
        self.seen: dict[str, Any] = {}
        self.changed = False

    @classmethod
    def open(cls) -> _Cache:
        file = paths.cache_folder() / "programs.json"
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            files = data["files"] if data.get("version") == __version__ else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            files = {}
        return cls(file, files if isinstance(files, dict) else {})

    def summary(self, path: Path) -> dict[str, Any]:
        key = str(path.resolve())
        try:
            stat = path.stat()
        except OSError as error:
            return {"error": f"{path}:1:1: cannot read it: {error.strerror}"}
        stamp = [stat.st_size, stat.st_mtime_ns]
        known = self.files.get(key)
        if isinstance(known, dict) and known.get("stamp") == stamp and "summary" in known:
            self.seen[key] = known
            return dict(known["summary"])
        summary = summarise(path)
        self.seen[key] = {"stamp": stamp, "summary": summary}
        self.changed = True
        return summary

    def save(self) -> None:
        if not self.changed and len(self.seen) == len(self.files):
            return
        try:
            paths.private_folder(self.file.parent)
            data = {"version": __version__, "files": self.seen}
            atomic.write_text(self.file, json.dumps(data, ensure_ascii=False))
        except OSError:
            pass  # a cache that cannot be written only costs time
