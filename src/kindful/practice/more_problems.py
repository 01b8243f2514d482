"""Problems the model stops short of: a text's other languages, and a typo counted once.

pydantic raises one error per value; a TEXT with a problem in each of its languages, or a
mistyped key that is also a missing one, needs a second look to be reported once and fully.
"""

from __future__ import annotations

import difflib
from typing import Any

from pydantic_core import ErrorDetails

from kindful.errors import Problem
from kindful.practice.safe_yaml import Node


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
