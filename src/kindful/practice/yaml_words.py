"""YAML syntax errors in plain words: a tab, a line out of line, a colon inside a text.

libyaml says what its parser expected ("did not find expected '-' indicator"); an author needs
to know what to change. ``explain`` looks at the lines around the error and says that, keeping
libyaml's words only as a second clause.
"""

from __future__ import annotations

import re

_ITEM = re.compile(r"-(?: +|$)")
_KEY = re.compile(r"""(?P<key>[^\s#'"{\[][^:#]*?|"[^"]*"|'[^']*'):(?:\s|$)""")
_STRUCTURE = (
    "did not find expected key",
    "did not find expected '-' indicator",
    "expected <block end>",
    "mapping values are not allowed",
    "block sequence entries are not allowed here",
)


def explain(text: str, line: int, column: int, problem: str) -> tuple[int, int, str]:
    """Give where a YAML error is and what to do about it, in words an author follows."""
    lines = text.split("\n")
    tab = _tab_in_indent(lines, line)
    if tab is not None:
        return tab[0], tab[1], "a tab indents this line; YAML needs spaces"
    if any(problem.startswith(s) for s in _STRUCTURE) and 1 <= line <= len(lines):
        if problem.startswith("mapping values") and _after_first_key(lines[line - 1], column):
            return (
                line,
                column,
                (
                    "a colon and a space inside a text end it: put the text in quotes "
                    f"(YAML: {problem})"
                ),
            )
        hint = _line_up(lines, line)
        if hint is not None:
            return line, hint[0], f"{hint[1]} (YAML: {problem})"
    return line, column, f"this is not valid YAML: {problem}"


def _tab_in_indent(lines: list[str], line: int) -> tuple[int, int] | None:
    """Give the position of a tab in the indentation of ``line`` or the line before it."""
    for number in range(min(line, len(lines)), max(line - 2, 0), -1):
        content = lines[number - 1]
        indent = content[: len(content) - len(content.lstrip(" \t-"))]
        if "\t" in indent:
            return number, indent.index("\t") + 1
    return None


def _anchors(content: str) -> list[tuple[int, str]]:
    """Give the columns (0-based) where a line's items and keys start, each with its name."""
    out: list[tuple[int, str]] = []
    at = len(content) - len(content.lstrip(" "))
    while True:
        rest = content[at:]
        item = _ITEM.match(rest)
        if item:
            out.append((at, "the `-` of the item"))
            at += item.end()
            continue
        key = _KEY.match(rest)
        if key:
            out.append((at, f"`{key.group('key').strip(chr(34) + chr(39))}`"))
        return out


def _after_first_key(content: str, column: int) -> bool:
    """Tell whether 1-based ``column`` lies past the colon of the first key on the line."""
    keys = [at for at, name in _anchors(content) if name.startswith("`")]
    if not keys:
        return False
    key = _KEY.match(content[keys[0] :])
    return key is not None and column - 1 > keys[0] + key.end() - 1


def _line_up(lines: list[str], line: int) -> tuple[int, str] | None:
    """Give the column of a line that is out of line, and which key it should line up with."""
    content = lines[line - 1]
    if not content.strip() or content.lstrip().startswith("#"):
        return None
    indent = len(content) - len(content.lstrip(" "))
    # an item lines up with an item, a key with a key
    is_item = _ITEM.match(content.lstrip(" ")) is not None
    candidates: list[tuple[int, int, int, str]] = []  # distance, lines back, column, name
    for number in range(line - 1, 0, -1):
        before = lines[number - 1]
        if not before.strip() or before.lstrip().startswith("#"):
            continue
        for at, name in _anchors(before):
            if is_item != name.startswith("the `-`"):
                continue
            candidates.append((abs(at - indent), line - number, at, f"{name} on line {number}"))
        if len(before) - len(before.lstrip(" ")) == 0:
            break
    if not candidates or any(c[0] == 0 for c in candidates):
        return None
    _, _, at, name = min(candidates)
    what = "`-` item" if is_item else "line"
    spaces = "space" if indent == 1 else "spaces"
    return indent + 1, (
        f"this {what} is indented {indent} {spaces}: line it up with {name} (column {at + 1})"
    )
