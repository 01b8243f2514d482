"""Reading a program file: every problem in it at its line and column, or a Program.

The file is read as practices are (``practice.checking.file_text.read_text``, the safe YAML
reader), the model's errors are traced back to their nodes the same way, and beyond the model
each practice id is looked up among the ids given, with a "did you mean" for one that is not
there.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kindful.errors import PracticeError, Problem
from kindful.practice.checking import load as practice_load
from kindful.practice.checking.file_text import read_text
from kindful.practice.format.model import ID_PATTERN
from kindful.program.model import Program, Week
from kindful.safe_yaml import Node

_ID = re.compile(ID_PATTERN)


class ProgramError(PracticeError):
    """A program file that cannot be used: every problem in it, and its warnings beside them."""

    def __init__(self, problems: list[Problem], warnings: list[Problem]) -> None:
        super().__init__(problems)
        self.warnings = warnings


@dataclass(frozen=True)
class Loaded:
    """A program read from its file, and the warnings found in it."""

    program: Program
    warnings: list[Problem] = field(default_factory=list)


def is_program_root(root: Node | None) -> bool:
    """Tell whether a parsed file's root is a program's: a mapping with ``program: true``."""
    if root is None or not root.is_mapping:
        return False
    mark = root.get("program")
    return mark is not None and mark.value is True


def load_program(path: Path, known: Collection[str] | None = None) -> Loaded:
    """Give the program in the file at ``path``; raise PracticeError with every problem.

    With ``known``, each practice id a day names must be one of them.
    """
    return parse_program(read_text(path), str(path), path.stem, known)


def parse_program(
    text: str, shown: str = "<program>", stem: str = "", known: Collection[str] | None = None
) -> Loaded:
    """Give the program in ``text``; raise PracticeError with every problem found in it."""
    # As in a practice: keys given twice, and controls (a program's texts reach the screen).
    shape = "a program is a mapping of keys (kindful, program, title, weeks, ...)"
    root, problems = practice_load.mapping_of(text, shown, shape)
    declared = root.value.get("languages")
    languages = [x for x in declared if isinstance(x, str)] if isinstance(declared, list) else []
    program: Program | None = None
    try:
        program = Program.model_validate(root.value, context={"languages": languages})
    except ValidationError as error:
        problems += _flat_days(shown, root, error.errors())
        problems += [_problem(shown, root, d) for d in error.errors() if not _is_flat_day(d)]
    warnings = _empty_weeks(shown, root)
    if known is not None:
        problems += _unknown_ids(shown, root, known)
    if program is not None and isinstance(known, Mapping):
        warnings += _languages_missing(shown, root, program.languages_used(), known)
    if program is not None and program.id is None and not _ID.match(stem):
        message = (
            f"the file name {stem!r} is not an id: set `id:` or name the file in lowercase "
            "letters, digits and -"
        )
        problems.append(Problem(shown, 1, 1, message, code="file-name"))
    if problems:
        raise ProgramError(sorted(set(problems)), warnings)
    assert program is not None
    if program.id is None:
        program = program.model_copy(update={"id": stem})
    return Loaded(program, warnings)


def _is_flat_day(detail: object) -> bool:
    """Tell whether a validation error is a day written as an id, not as a list of ids."""
    assert isinstance(detail, dict)
    loc = detail["loc"]
    return (
        detail["type"] == "list_type" and len(loc) == 4 and loc[0] == "weeks" and loc[2] == "days"
    )


def _flat_days(shown: str, root: Node, details: list[Any]) -> list[Problem]:
    """Give one problem per week whose days are written as a flat list of ids: ``[a, b]``."""
    found: list[Problem] = []
    weeks = sorted({d["loc"][1] for d in details if _is_flat_day(d)})
    for week in weeks:
        days, _ = practice_load._locate(root, ["weeks", week, "days"])
        ids = [str(item.value) for item in days.items][:3] or ["a"]
        one = ", ".join(f"[{x}]" for x in ids)
        message = (
            f"each day is a list of practice ids: write `- [{ids[0]}]` on a line per day, "
            f"or `days: [{one}]`"
        )
        found.append(Problem(shown, days.line, days.column, message, code="flat-days"))
    return found


def _weeks(root: Node) -> list[Node]:
    weeks = root.get("weeks")
    return (
        [w for w in weeks.items if w.is_mapping] if weeks is not None and weeks.is_sequence else []
    )


def _unknown_ids(shown: str, root: Node, known: Collection[str]) -> list[Problem]:
    found: list[Problem] = []
    for week in _weeks(root):
        days = week.get("days")
        for day in days.items if days is not None and days.is_sequence else []:
            for item in day.items if day.is_sequence else []:
                ref = item.value
                if not isinstance(ref, str) or not _ID.match(ref) or ref in known:
                    continue
                close = difflib.get_close_matches(ref, list(known), n=1, cutoff=0.6)
                hint = (
                    f": did you mean `{close[0]}`?"
                    if close
                    else "; `kindful list` shows the practices there are"
                )
                message = f"there is no practice `{ref}`{hint}"
                found.append(
                    Problem(shown, item.line, item.column, message, code="unknown-practice")
                )
    return found


def _languages_missing(
    shown: str, root: Node, offered: list[str], known: Mapping[str, Sequence[str]]
) -> list[Problem]:
    """Warn at each practice id whose practice lacks a language the program offers."""
    found: list[Problem] = []
    for week in _weeks(root):
        days = week.get("days")
        for day in days.items if days is not None and days.is_sequence else []:
            for item in day.items if day.is_sequence else []:
                has = known.get(item.value) if isinstance(item.value, str) else None
                if not has:  # unknown, or a practice in plain strings of no stated language
                    continue
                missing = [lang for lang in offered if lang not in has]
                if not missing:
                    continue
                message = (
                    f"`{item.value}` has no {', '.join(missing)}, which this program offers: "
                    f"a person following it in {missing[0]} gets this practice in {has[0]}"
                )
                found.append(
                    Problem(
                        shown,
                        item.line,
                        item.column,
                        message,
                        severity="warning",
                        code="practice-language",
                    )
                )
    return found


def _empty_weeks(shown: str, root: Node) -> list[Problem]:
    found: list[Problem] = []
    for number, week in enumerate(_weeks(root), 1):
        days = week.get("days")
        if days is None or not days.items:
            where = days or week
            message = f"week {number} has no days: add days or leave the week out"
            found.append(
                Problem(
                    shown, where.line, where.column, message, severity="warning", code="empty-week"
                )
            )
    return found


def _problem(shown: str, root: Node, detail: object) -> Problem:
    """Give the problem of one validation error, worded as for practices."""
    from pydantic_core import ErrorDetails

    assert isinstance(detail, dict)
    error: ErrorDetails = detail  # type: ignore[assignment]
    loc = list(error["loc"])
    kind = error["type"]
    if kind in ("extra_forbidden", "missing"):
        parent, _ = practice_load._locate(root, loc[:-1])
        key = loc[-1]
        within = Week if any(seg == "weeks" for seg in loc[:-1]) else Program
        if kind == "missing":
            what = "a week" if within is Week else "a program"
            message = f"{what} needs `{key}`"
            return Problem(shown, parent.line, parent.column, message, code="missing-key")
        node = parent.key(key) or parent
        allowed = [f.alias or name for name, f in within.model_fields.items()]
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = (
            f": did you mean `{close[0]}`?" if close else f"; known keys here: {', '.join(allowed)}"
        )
        message = f"unknown key `{key}`{hint}"
        return Problem(shown, node.line, node.column, message, code="unknown-key")
    node, names = practice_load._locate(root, loc, lang=(error.get("ctx") or {}).get("lang"))
    name = next((n for n in reversed(names) if isinstance(n, str)), "")
    if kind == "literal_error" and name == "program":
        message = f"`program: {node.source}` does not mark a program: write `program: true`"
        return Problem(shown, node.line, node.column, message, code="program-mark")
    if kind == "too_short" and name == "weeks":
        message = "a program needs at least one week"
        return Problem(shown, node.line, node.column, message, code="too-short")
    if kind == "too_short" and isinstance(names[-1] if names else None, int):
        message = "a day needs at least one practice id"
        return Problem(shown, node.line, node.column, message, code="too-short")
    message = practice_load._message(kind, error, node, name)
    return Problem(shown, node.line, node.column, message, code=practice_load._code(kind))
