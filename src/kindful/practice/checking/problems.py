"""Problems the model stops short of: a text's other languages, a typo counted once, and more.

pydantic raises one error per value; a TEXT with a problem in each of its languages, or a
mistyped key that is also a missing one, needs a second look to be reported once and fully.
And some mistakes have one cause behind many errors (a program not marked as one, two languages
declared over plain strings): those are said once, where the cause is.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic_core import ErrorDetails

from kindful.errors import Problem
from kindful.safe_yaml import Node


def other_languages(
    shown: str, root: Node, more: list[tuple[int, str, str, str | None]]
) -> list[Problem]:
    """Place the problems of a text's other languages, each at its own language."""
    if not more:
        return []
    by_id: dict[int, Node] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_mapping:
            by_id.setdefault(id(node.value), node)
        stack.extend(v for _, v in node.pairs)
        stack.extend(node.items)
    out = []
    for key, kind, message, lang in more:
        text_node = by_id.get(key)
        if text_node is None:  # pragma: no cover - every text the model saw came from a node
            continue
        at = (text_node.get(lang) if lang is not None else None) or text_node
        parents = parents_of(root, text_node)
        field = next((k.value for k, _ in parents if isinstance(k.value, str)), "")
        text = f"`{field}`: {message}" if field else message
        out.append(Problem(shown, at.line, at.column, text, code=kind.replace("_", "-")))
    return out


def parents_of(root: Node, target: Node) -> list[tuple[Node, Node]]:
    """Give the key and value pairs from ``target`` up to ``root``, nearest first."""
    path: list[tuple[Node, Node]] = []

    def walk(node: Node) -> bool:
        if node is target:
            return True
        for key, value in node.pairs:
            path.append((key, value))
            if walk(value):
                return True
            path.pop()
        return any(walk(item) for item in node.items)

    walk(root)
    return path[::-1]


def one_per_typo(details: list[ErrorDetails]) -> list[ErrorDetails]:
    """Drop "needs `key`" where the same mapping has an unknown key that looks like a typo of it.

    ``kye: a`` is one mistake: the unknown key says "did you mean `key`?" and that is enough.
    """
    extra: dict[tuple[Any, ...], list[str]] = {}
    for d in details:
        if d["type"] == "extra_forbidden":
            extra.setdefault(tuple(d["loc"][:-1]), []).append(str(d["loc"][-1]))
    kept = []
    for d in details:
        if d["type"] == "missing":
            near = extra.get(tuple(d["loc"][:-1]), [])
            if difflib.get_close_matches(str(d["loc"][-1]), near, n=1, cutoff=0.6):
                continue
        kept.append(d)
    return kept


def program_marker(shown: str, root: Node) -> Problem | None:
    """Give the one problem of a program whose ``program: true`` is missing or misspelt.

    Read as a practice, such a file would get a cascade (no steps, unknown keys) that hides
    the one line to fix.
    """
    mark = root.get("program")
    if mark is not None and mark.value is True and mark.source == "true":
        message = "this file is a program, not a practice: follow it with `kindful program start`"
        return Problem(shown, mark.line, mark.column, message, code="program-mark")
    if mark is not None:
        written = mark.source if mark.source is not None else "this"
        message = f"`program: {written}` does not mark a program: write `program: true`"
        return Problem(shown, mark.line, mark.column, message, code="program-mark")
    weeks = root.key("weeks")
    if weeks is not None and root.key("steps") is None:
        message = "this file has `weeks` like a program: add `program: true` at the top"
        return Problem(shown, weeks.line, weeks.column, message, code="program-mark")
    return None


def untranslated_once(
    shown: str, root: Node, declared: list[str], problems: list[Problem]
) -> list[Problem]:
    """Give one problem at `languages` when no text of the file is written in languages.

    Declaring two languages on a file of plain strings is one mistake, not one per text.
    """
    plain = [p for p in problems if p.code == "untranslated"]
    if len(plain) < 2 or _has_translations(root, set(declared)):
        return problems
    where = root.get("languages") or root
    langs = ", ".join(declared)
    message = (
        f"`languages` asks for {langs}, but the texts are plain strings ({len(plain)} of them): "
        f"write each text as {{{': ..., '.join(declared)}: ...}}, "
        "or name one language"
    )
    kept = [p for p in problems if p.code != "untranslated"]
    return [*kept, Problem(shown, where.line, where.column, message, code="untranslated")]


def _has_translations(root: Node, declared: set[str]) -> bool:
    """Tell whether any mapping in the file has only declared languages as its keys."""
    stack = [root]
    while stack:
        node = stack.pop()
        if node is not root and node.is_mapping and node.value and set(node.value) <= declared:
            return True
        stack.extend(v for _, v in node.pairs)
        stack.extend(node.items)
    return False
