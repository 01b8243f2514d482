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


def explain(
    text: str,
    line: int,
    column: int,
    problem: str,
    context: str | None = None,
    opened: tuple[int, int] | None = None,
) -> tuple[int, int, str]:
    """Give where a YAML error is and what to do about it, in words an author follows.

    ``context`` is what the parser was reading when it failed ("while scanning a quoted
    scalar"), and ``opened`` the 1-based line and column where that began: a quote never
    closed is reported where it opens, not at the end of the file.
    """
    lines = text.split("\n")
    tab = _tab_in_indent(lines, line)
    if tab is not None:
        return tab[0], tab[1], "a tab indents this line; YAML needs spaces"
    if context is not None and opened is not None:
        said = _where_it_began(lines, context, opened, (line, column))
        if said is not None:
            return opened[0], opened[1], said
    if any(problem.startswith(s) for s in _STRUCTURE) and 1 <= line <= len(lines):
        if problem.startswith("mapping values") and _german_quotes(lines[line - 1], column):
            return (
                line,
                column,
                "„ and “ are not YAML quotes, so a colon and a space inside end the text: "
                'put the whole text in straight quotes "…" (the „…“ can stay inside)',
            )
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


_MUST_QUOTE = "*&!%@`"


def _char(lines: list[str], at: tuple[int, int]) -> str:
    line, column = at
    if 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""


def _where_it_began(
    lines: list[str], context: str, opened: tuple[int, int], failed: tuple[int, int]
) -> str | None:
    """Say what is wrong where the parser began reading the value it failed on, if it is clear."""
    first = _char(lines, opened)
    if context.startswith("while scanning a quoted scalar") and first in "\"'":
        inside = '\\"' if first == '"' else "''"
        return (
            f"this text opens with {first} but never closes it: end the text with {first} "
            f"(a {first} inside the text is written {inside})"
        )
    if context.startswith("while scanning a simple key"):
        content = lines[opened[0] - 1][opened[1] - 1 :].rstrip()
        word, _, rest = content.partition(" ")
        if rest.strip() and ":" not in word:
            return f"`{content}` has no colon: write `{word}: {rest.strip()}`"
    if context.startswith("while scanning a block scalar") and first in "|>":
        return f"after `{first}` start the text on the next line, indented further than its key"
    starts = first if context.startswith("while scanning an") else _char(lines, failed)
    if (
        context.startswith(("while scanning an alias", "while scanning an anchor"))
        or (context.startswith("while scanning for the next token") and failed == opened)
    ) and starts in _MUST_QUOTE:
        return f'a text starting with {_ticked(starts)} must be quoted: put it in quotes "…"'
    return None


def _ticked(char: str) -> str:
    return "a backtick" if char == "`" else f"`{char}`"


def _german_quotes(content: str, column: int) -> bool:
    """Tell whether German quotes „…“ open a text before ``column`` on the line."""
    return "„" in content[: column - 1]


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
