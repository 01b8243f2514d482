"""Reading a practice file: every problem in it, each at its line and column, or a Practice.

The file is read defensively (size, encoding, YAML through ``yamlnodes``), validated by the
pydantic model, and each validation error is traced back to the node it came from.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from kindful.errors import PracticeError, Problem
from kindful.practice.checking.file_text import MAX_BYTES as MAX_BYTES
from kindful.practice.checking.file_text import read_text
from kindful.practice.checking.problems import (
    one_per_typo,
    other_languages,
    program_marker,
    untranslated_once,
)
from kindful.practice.format import model
from kindful.practice.format.hints import region_hint
from kindful.safe_yaml import Node, YamlProblem, parse

_ID = re.compile(model.ID_PATTERN)
_MODELS = model.STEP_MODELS


def load_practice(path: Path) -> model.Practice:
    """Give the practice in the file at ``path``; raise PracticeError with every problem."""
    return parse_practice(read_text(path), str(path), path.stem)


def parse_practice(text: str, shown: str = "<practice>", stem: str = "") -> model.Practice:
    """Give the practice in ``text``; raise PracticeError with every problem found in it."""
    return parse_with_nodes(text, shown, stem)[0]


def mapping_of(text: str, shown: str, not_one: str) -> tuple[Node, list[Problem]]:
    """Give the mapping at the top of the YAML in ``text`` (a practice's, a program's) and the
    problems any such file may have beside it: keys given twice, control characters.

    Raise PracticeError for YAML that does not read, or a top that is no mapping (``not_one``
    says what the file should have been).
    """
    try:
        document = parse(text)
    except YamlProblem as problem:
        raise PracticeError(
            [Problem(shown, problem.line, problem.column, problem.message, code="yaml")]
        ) from None
    problems = [
        Problem(shown, d.line, d.column, d.message, code="duplicate-key")
        for d in document.duplicates
    ] + [
        Problem(shown, d.line, d.column, d.message, code="control-character")
        for d in document.controls
    ]
    root = document.root
    if root is None or not root.is_mapping:
        line, column = (root.line, root.column) if root else (1, 1)
        raise PracticeError([*problems, Problem(shown, line, column, not_one, code="structure")])
    return root, problems


def parse_with_nodes(
    text: str, shown: str = "<practice>", stem: str = ""
) -> tuple[model.Practice, Node]:
    """Give the practice in ``text`` and the node tree it came from, for warnings to point into."""
    if not text.strip():
        message = "the file is empty: a practice needs `kindful: 1`, `title` and `steps`"
        raise PracticeError([Problem(shown, 1, 1, message)])
    root, problems = mapping_of(
        text, shown, "a practice is a mapping of keys (kindful, title, steps, ...)"
    )
    marker = program_marker(shown, root)
    if marker is not None:
        raise PracticeError([*problems, marker])
    practice, found = _validate(shown, root)
    problems += found
    problems += [
        Problem(shown, *where, message, code=code) for where, message, code in _node_checks(root)
    ]
    if practice is not None:
        problems += _practice_checks(shown, root, practice, stem)
    if problems:
        raise PracticeError(sorted(set(problems)))
    assert practice is not None
    if practice.id is None:
        practice = practice.model_copy(update={"id": stem})
    return practice, root


def _validate(shown: str, root: Node) -> tuple[model.Practice | None, list[Problem]]:
    """Give the practice the model makes of ``root``, or None, and every problem it found."""
    more: list[tuple[int, str, str, str | None]] = []
    context = {"languages": _declared(root), "names": _input_names(root), "more": more}
    try:
        return model.Practice.model_validate(root.value, context=context), []
    except ValidationError as error:
        details = error.errors()
    details += _kindless_keys(root, details, context)
    problems = [_problem(shown, root, detail) for detail in one_per_typo(details)]
    problems += other_languages(shown, root, more)
    return None, untranslated_once(shown, root, _declared(root), problems)


def _kindless_keys(
    root: Node, details: list[ErrorDetails], context: dict[str, Any]
) -> list[ErrorDetails]:
    """Check the other keys of a step whose kind is mistyped, as the kind it likely means.

    ``sya: Hello`` with ``secnds: 5`` is two mistakes; the second would otherwise go unseen
    until the first is fixed.
    """
    more: list[ErrorDetails] = []
    for detail in details:
        if detail["type"] != "step_kind":
            continue
        node, _ = _locate(root, list(detail["loc"]))
        if not node.is_mapping:
            continue
        for key, _ in node.pairs:
            close = difflib.get_close_matches(str(key.value), model.KINDS, n=1, cutoff=0.6)
            if close:
                break
        else:
            continue
        kind = close[0]
        data = {kind if k == key.value else k: v for k, v in node.value.items()}
        try:
            _MODELS[kind].model_validate(data, context=context)
        except ValidationError as error:
            for inner in error.errors():
                if inner["loc"][:1] != (kind,):  # the kind's own value: fixed with its name
                    more.append({**inner, "loc": (*detail["loc"], kind, *inner["loc"])})
    return more


def _declared(root: Node) -> list[str]:
    languages = root.value.get("languages")
    if isinstance(languages, list) and all(isinstance(x, str) for x in languages):
        return list(languages)
    return []


def _input_names(root: Node) -> set[str]:
    inputs = root.value.get("inputs")
    if not isinstance(inputs, list):
        return set()
    return {i["name"] for i in inputs if isinstance(i, dict) and isinstance(i.get("name"), str)}


# ----------------------------------------------------------------------------- checks beyond the model


_BOOLEAN_KEYS = {"save", "reverse"}
_YAML_1_2_BOOLEANS = {"true", "false", "True", "False", "TRUE", "FALSE"}


def _node_checks(root: Node) -> list[tuple[tuple[int, int], str, str]]:
    """Give problems the model cannot see: ``{round}`` outside a repeat, inputs named twice.

    Also a YAML 1.1 boolean (``yes``, ``off``) where a boolean belongs: kindful's parser reads it
    as true or false, but editors read YAML 1.2, where it is a string, so the file would mean
    different things to them.
    """
    return [*_yaml_1_1_booleans(root), *_rounds_outside_repeat(root), *_inputs_named_wrongly(root)]


Found = list[tuple[tuple[int, int], str, str]]


def _yaml_1_1_booleans(root: Node) -> Found:
    found: Found = []
    stack = [root]
    while stack:
        node = stack.pop()
        for key, value in node.pairs:
            if (
                key.value in _BOOLEAN_KEYS
                and isinstance(value.value, bool)
                and not value.quoted
                and value.source not in _YAML_1_2_BOOLEANS
            ):
                word = "true" if value.value else "false"
                message = (
                    f"`{key.value}: {value.source}` is a string for editors (YAML 1.2): "
                    f"write `{word}`"
                )
                found.append(((value.line, value.column), message, "yaml-1-1-boolean"))
        stack.extend(v for _, v in node.pairs)
        stack.extend(node.items)
    return found


def _strings(node: Node) -> list[Node]:
    if isinstance(node.value, str):
        return [node]
    return [n for _, v in node.pairs for n in _strings(v)] + [
        n for i in node.items for n in _strings(i)
    ]


def _rounds_outside_repeat(root: Node) -> Found:
    found: Found = []

    def walk(steps: Node | None) -> None:
        for step in steps.items if steps is not None and steps.is_sequence else []:
            if not step.is_mapping:
                continue
            if "repeat" in step.value:
                continue  # {round} is known everywhere inside a repeat, however deep
            for node in _strings(step):
                if "round" in model.placeholders(node.value):
                    message = "{round} is only known inside a `repeat`"
                    found.append(((node.line, node.column), message, "round-outside-repeat"))

    walk(root.get("steps"))
    return found


def _inputs_named_wrongly(root: Node) -> Found:
    found: Found = []
    inputs = root.get("inputs")
    seen: set[str] = set()
    for item in inputs.items if inputs is not None and inputs.is_sequence else []:
        name = item.get("name") if item.is_mapping else None
        if name is None or not isinstance(name.value, str):
            continue
        where = (name.line, name.column)
        if name.value in seen:
            found.append((where, f"the input `{name.value}` is declared twice", "duplicate-input"))
        if name.value == "round":
            message = "`round` is kept for `repeat`: choose another name"
            found.append((where, message, "reserved-name"))
        seen.add(name.value)
    return found


def _practice_checks(shown: str, root: Node, practice: model.Practice, stem: str) -> list[Problem]:
    problems: list[Problem] = []
    count = practice.expanded_count()
    if count > model.MAX_STEPS:
        steps = root.key("steps") or root
        message = (
            f"the steps expand into {count:,} steps with their repeats; at most {model.MAX_STEPS:,}"
        )
        problems.append(Problem(shown, steps.line, steps.column, message, code="too-many-steps"))
    else:
        from kindful.decoding import Mismatch
        from kindful.practice.plan.planner import over_budget
        from kindful.practice.plan.written import Compiled

        try:
            over = over_budget(Compiled.from_model(practice))
        except Mismatch:  # what stops it is reported on its own
            over = None
        if over is not None:
            steps = root.key("steps") or root
            problems.append(Problem(shown, steps.line, steps.column, over, code="over-budget"))
    if practice.id is None and not _ID.match(stem):
        message = (
            f"the file name {stem!r} is not an id: set `id:` or name the file in lowercase letters, "
            "digits and -"
        )
        problems.append(Problem(shown, 1, 1, message, code="file-name"))
    return problems


# ----------------------------------------------------------------------------- validation errors to problems


def _problem(shown: str, root: Node, detail: ErrorDetails) -> Problem:
    loc = list(detail["loc"])
    kind = detail["type"]
    if kind in ("extra_forbidden", "missing"):
        parent, names = _locate(root, loc[:-1])
        key = loc[-1]
        if kind == "extra_forbidden":
            node = parent.key(key) or parent
            message = _unknown_key(parent, names, key)
            return Problem(shown, node.line, node.column, message, code="unknown-key")
        message = _missing(parent, names, key)
        return Problem(shown, parent.line, parent.column, message, code="missing-key")
    node, names = _locate(root, loc, lang=(detail.get("ctx") or {}).get("lang"))
    field = next((n for n in reversed(names) if isinstance(n, str)), "")
    message = _message(kind, detail, node, field)
    if kind == "value_error" and node.is_mapping:
        node = _scale_place(node, message)
    if kind == "list_type" and node.is_mapping and names and isinstance(names[-1], str):
        # a block mapping starts at its first key, a line below the mistake: point at the key
        parent, _ = _locate(root, loc[:-1])
        node = parent.key(names[-1]) or node
        if field == "items":
            message = "`items` should be a list: start each item with `- text:`"
    return Problem(shown, node.line, node.column, message, code=_code(kind))


def _scale_place(step: Node, message: str) -> Node:
    """Give where a scale's problem is: the label off the scale, or its `max`."""
    if message.startswith("label "):
        labels = step.get("labels")
        number = message.split()[1]
        for key, _ in labels.pairs if labels is not None else []:
            if str(key.value) == number:
                return key
    if message.startswith("`min` should be less than `max`"):
        return step.key("max") or step.key("min") or step
    return step


def _code(kind: str) -> str:
    """Give the short code of a validation error's type, as ``validate --format json`` shows it."""
    return {
        "step_kind": "step-kind",
        "value_error": "invalid",
        "literal_error": "format",
        "string_pattern_mismatch": "pattern",
    }.get(kind, kind.replace("_", "-"))


def _locate(root: Node, loc: list[Any], lang: str | None = None) -> tuple[Node, list[Any]]:
    """Give the node a validation error's location points at, and the keys walked to it."""
    node: Node = root
    names: list[Any] = []
    segments = list(loc)
    while segments:
        seg = segments.pop(0)
        if seg == "[key]":
            break
        if node.is_mapping:
            child = node.get(seg)
            if child is None:
                continue  # a tag of a union, not a key in the file
            if segments and segments[0] == "[key]":
                return node.key(seg) or node, [*names, seg]
            node, names = child, [*names, seg]
        elif node.is_sequence and isinstance(seg, int) and 0 <= seg < len(node.items):
            node, names = node.items[seg], [*names, seg]
            if segments and segments[0] in _MODELS and node.is_mapping:
                names.append(("kind", segments.pop(0)))
        else:
            break
    if lang is not None and node.is_mapping and node.get(lang) is not None:
        node = node.get(lang) or node
    return node, names


def _kind_of(names: list[Any]) -> str | None:
    if names and isinstance(names[-1], tuple):
        return str(names[-1][1])
    return None


def _allowed(names: list[Any]) -> list[str]:
    kind = _kind_of(names)
    if kind is not None:
        cls = _MODELS[kind]
    elif not names:
        cls = model.Practice
    elif len(names) >= 2 and names[-2] == "inputs":
        cls = model.Input
    elif len(names) >= 2 and names[-2] == "sources":
        cls = model.Source
    elif len(names) >= 2 and names[-2] == "items":
        cls = model.Item
    elif names and names[-1] == "scale":
        cls = model.Scale
    else:
        return []
    return [f.alias or name for name, f in cls.model_fields.items()]


def _unknown_key(parent: Node, names: list[Any], key: Any) -> str:
    kind = _kind_of(names)
    if kind is not None and key in model.KINDS:
        return f"this step has two kinds, `{kind}` and `{key}`: make them two steps"
    allowed = _allowed(names)
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    hint = (
        f": did you mean `{close[0]}`?"
        if close
        else (f"; known keys here: {', '.join(allowed)}" if allowed else "")
    )
    where = f" in a `{kind}` step" if kind else ""
    return f"unknown key `{key}`{where}{hint}"


def _missing(parent: Node, names: list[Any], key: Any) -> str:
    kind = _kind_of(names)
    if kind is not None:
        return f"a `{kind}` step needs `{key}`"
    if not names:
        return f"a practice needs `{key}`"
    return f"missing `{key}`"


_PLAIN = {
    "string_type": "should be a string",
    "int_type": "should be a whole number",
    "int_parsing": "should be a whole number",
    "int_from_float": "should be a whole number",
    "bool_type": "should be true or false",
    "list_type": "should be a list (items starting with -)",
    "dict_type": "should be a mapping of keys and values",
    "model_type": "should be a mapping of keys and values",
    "model_attributes_type": "should be a mapping of keys and values",
    "too_short": "should not be empty",
}
_PATTERNS = {
    model.ID_PATTERN: "should use lowercase letters, digits and -",
    model.NAME_PATTERN: "should use lowercase letters, digits and _, starting with a letter",
    model.LANG_PATTERN: "should be a language code such as en or de",
}


def _message(kind: str, detail: ErrorDetails, node: Node, field: str) -> str:
    ctx = detail.get("ctx") or {}
    subject = f"`{field}` " if field else ""
    if kind == "step_kind":
        return _step_kind(node)
    if kind == "value_error":
        return str(detail["msg"]).removeprefix("Value error, ")
    if kind == "literal_error" and field == "kindful":
        if isinstance(node.value, int) and not isinstance(node.value, bool) and node.value > 1:
            return f"this is format {node.value}, newer than this kindful reads (1): update kindful"
        return "`kindful` should be 1, the format version"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == model.LANG_PATTERN and isinstance(node.value, str):
            region = region_hint(node.value)
            if region:
                return region
        text = _PATTERNS.get(str(ctx.get("pattern")), "is not in the expected form")
    elif kind in ("greater_than_equal", "less_than_equal"):
        bound = ctx.get("ge", ctx.get("le"))
        text = (
            f"should be at least {bound}"
            if kind == "greater_than_equal"
            else f"should be at most {bound}"
        )
    elif kind == "too_short" and field == "steps":
        return "a practice needs at least one step"
    elif kind in _PLAIN:
        text = _PLAIN[kind]
    elif kind in _NOTES:
        return f"`{field}`: {detail['msg']}" if field else str(detail["msg"])
    else:
        text = str(detail["msg"])
        text = text[0].lower() + text[1:] if text else text
    return f"{subject}{text}{_hint(node, wants_text=kind in _TEXTUAL)}"


def _step_kind(node: Node) -> str:
    if node.value is None:
        return (
            "this step is empty: write a step after `-` (such as `- say: ...`) or remove the line"
        )
    if not node.is_mapping:
        return "a step is a mapping with one kind: " + ", ".join(model.KINDS)
    for key, _ in node.pairs:
        close = difflib.get_close_matches(str(key.value), model.KINDS, n=1, cutoff=0.6)
        if close:
            return f"this step has no kind: did you mean `{close[0]}` for `{key.value}`?"
    return "this step has no kind: it needs one of " + ", ".join(model.KINDS)


_NOTES = {
    "placeholder",
    "brace",
    "missing_language",
    "extra_language",
    "untranslated",
    "language",
    "text_length",
}
_TEXTUAL = {"text", "text_type", "string_type"}


def _hint(node: Node, *, wants_text: bool) -> str:
    if node.quoted or node.source is None:
        return ""
    if isinstance(node.value, bool):
        return f"; {node.source} was read as a boolean: put it in quotes"
    if node.value is None:
        return "; it is empty"
    if wants_text and isinstance(node.value, int | float):
        return f"; {node.source} was read as a number: put it in quotes"
    return ""
