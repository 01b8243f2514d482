"""Safe YAML for files from anyone: plain values, each beside the line and column it came from.

PyYAML's own composer recurses once per nesting level (deep nesting can crash the process in
the C loader) and expands aliases without limit (an alias bomb exhausts memory). So we read
parser *events* and build the tree here, iteratively, refusing deep nesting, aliases that
expand too far, a second document and any tag beyond plain data, before any of that can hurt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.resolver import Resolver

from kindful.safe_text import forbidden
from kindful.yaml_words import explain

try:  # libyaml's parser is much faster; its events are the same
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_DEPTH = 64
MAX_NODES = 100_000

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:timestamp",  # kept as the text it was written as
}


class YamlProblem(Exception):
    """A file that cannot be read as plain YAML data, at a 1-based line and column."""

    def __init__(self, line: int, column: int, message: str, key: object = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message
        self.key = key  # the key a duplicate-key problem is about


@dataclass(eq=False)
class Node:
    """A value from the file, where it stands, and the nodes inside it."""

    line: int
    column: int
    value: Any = None
    source: str | None = None  # a scalar as written, before YAML read it
    quoted: bool = False
    items: list[Node] = field(default_factory=list)  # a sequence's items
    pairs: list[tuple[Node, Node]] = field(default_factory=list)  # a mapping's keys and values
    size: int = 1  # how many nodes this one stands for, aliases expanded
    keys: dict[Any, Node] = field(default_factory=dict)  # a mapping's key nodes, by their value
    comment: bool = False  # an unquoted scalar with ` #` after it: YAML read the rest as a comment

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.value, list)

    def key(self, name: object) -> Node | None:
        """Give the key node ``name`` of a mapping, if it has one."""
        return self.keys.get(name) if _hashable(name) else None

    def get(self, name: object) -> Node | None:
        """Give the value node under key ``name`` of a mapping, if it has one."""
        key = self.key(name)
        if key is None:
            return None
        return next(value for k, value in self.pairs if k is key)


@dataclass
class Document:
    """A parsed file: its root node and the problems found while reading it."""

    root: Node | None
    duplicates: list[YamlProblem] = field(default_factory=list)
    controls: list[YamlProblem] = field(default_factory=list)  # control characters in strings


_resolver = Resolver()
_constructor = SafeConstructor()


def _scalar(event: yaml.ScalarEvent, text: str = "") -> Node:
    tag = event.tag
    if tag in (None, "!"):
        tag = _resolver.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
    if tag not in _PLAIN_TAGS:
        message = f"the tag {_short(tag)} is not allowed here"
        if not event.style and str(tag).startswith("!"):
            message = (
                f"a text starting with `!` must be quoted: YAML reads {tag} as a tag; "
                'put the text in quotes "…"'
            )
        raise YamlProblem(*_where(event), message)
    node = yaml.ScalarNode(tag, event.value, style=event.style)
    value: Any
    if tag in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"):
        value = event.value
        if event.style in ("|", ">") and not _keeps_newline(text, event):
            value = value.removesuffix("\n")
    else:
        try:
            value = _constructor.construct_object(node)
        except (ConstructorError, ValueError) as error:
            raise YamlProblem(*_where(event), f"cannot read {event.value!r}") from error
    node_ = Node(*_where(event), value, event.value, quoted=bool(event.style))
    node_.comment = not event.style and _comment_after(text, event)
    return node_


def _comment_after(text: str, event: yaml.ScalarEvent) -> bool:
    """Tell whether a comment follows a plain scalar on its last line: ``say: Take #1 slowly``."""
    mark = event.end_mark
    if not text or mark is None or mark.index is None:  # pragma: no cover - both give an index
        return False
    end = text.find("\n", mark.index)
    rest = text[mark.index : end if end >= 0 else len(text)]
    return rest.lstrip(" \t").startswith("#")


def _keeps_newline(text: str, event: yaml.ScalarEvent) -> bool:
    """Tell whether a block scalar's header asks to keep its final newline (``|+``, ``>+``)."""
    mark = event.start_mark
    if mark is None or mark.index is None:  # pragma: no cover - both parsers give an index
        return False
    end = text.find("\n", mark.index)
    header = text[mark.index : end if end >= 0 else len(text)].split("#", 1)[0]
    return "+" in header


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


class _Builder:
    """Builds nodes from parser events with an explicit stack: no recursion, bounded size."""

    def __init__(self) -> None:
        self.stack: list[tuple[Node, str | None, Node | None]] = []  # node, anchor, pending key
        self.anchors: dict[str, Node] = {}
        self.total = 0
        self.root: Node | None = None
        self.duplicates: list[YamlProblem] = []
        self.controls: list[YamlProblem] = []

    def _count(self, node: Node, at: yaml.Event) -> None:
        self.total += node.size
        if self.total > MAX_NODES:
            raise YamlProblem(
                *_where(at),
                f"the file expands into more than {MAX_NODES:,} values (aliases repeating aliases?)",
            )

    def open(self, node: Node, anchor: str | None, event: yaml.Event) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise YamlProblem(*_where(event), f"the file nests deeper than {MAX_DEPTH} levels")
        self.stack.append((node, anchor, None))

    def close(self, event: yaml.Event) -> None:
        node, anchor, _ = self.stack.pop()
        if anchor is not None:
            self.anchors[anchor] = node
        self.add(node, event)

    def add(self, node: Node, event: yaml.Event, *, counted: bool = False) -> None:
        if not counted:
            self._count(node, event)
        if not self.stack:
            self.root = node
            return
        parent, anchor, pending = self.stack[-1]
        parent.size += node.size
        if parent.is_sequence:
            parent.items.append(node)
            parent.value.append(node.value)
        elif pending is None:
            if not _hashable(node.value):
                raise YamlProblem(node.line, node.column, "a key must be a plain word or number")
            self.stack[-1] = (parent, anchor, node)
        else:
            self._put(parent, pending, node)
            self.stack[-1] = (parent, anchor, None)

    def _put(self, mapping: Node, key: Node, value: Node) -> None:
        first = mapping.keys.get(key.value)
        if first is not None:
            self.duplicates.append(
                YamlProblem(
                    key.line,
                    key.column,
                    f"duplicate key `{key.value}` (first at line {first.line}); keep one of them",
                    key=key.value,
                )
            )
            return
        mapping.pairs.append((key, value))
        mapping.keys[key.value] = key
        mapping.value[key.value] = value.value

    def alias(self, event: yaml.AliasEvent) -> None:
        target = self.anchors.get(event.anchor or "")
        if target is None:
            if any(anchor == event.anchor for _, anchor, _ in self.stack):
                raise YamlProblem(*_where(event), "an alias cannot point into itself")
            raise YamlProblem(
                *_where(event),
                f"a text starting with `*` must be quoted: YAML reads *{event.anchor} as an "
                f'alias of an anchor &{event.anchor}, and there is none; put the text in quotes "…"',
            )
        self._count(target, event)
        shared = Node(
            *_where(event),
            target.value,
            target.source,
            target.quoted,
            target.items,
            target.pairs,
            target.size,
            target.keys,
        )
        self.add(shared, event, counted=True)


def parse(text: str) -> Document:
    """Give the one document in ``text`` as nodes; raise YamlProblem if it is not plain YAML."""
    builder = _Builder()
    loader = _Loader(text)
    documents = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.ScalarEvent):
                node = _scalar(event, text)
                if isinstance(node.value, str) and forbidden(node.value) is not None:
                    builder.controls.append(_control(node))
                if event.anchor is not None:
                    builder.anchors[event.anchor] = node
                builder.add(node, event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                _check_tag(event)
                empty: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
                builder.open(Node(*_where(event), empty), event.anchor, event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                builder.close(event)
            elif isinstance(event, yaml.AliasEvent):
                builder.alias(event)
            elif isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise YamlProblem(
                        *_where(event),
                        "one practice per file: this is a second document",
                    )
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = str(error.problem)
        if "nesting depth" in problem:
            problem = f"the file nests deeper than {MAX_DEPTH} levels"
        else:
            context = error.context_mark
            opened = (context.line + 1, context.column + 1) if context else None
            line, column, problem = explain(text, line, column, problem, error.context, opened)
        raise YamlProblem(line, column, problem) from None
    except yaml.reader.ReaderError as error:
        line, column = _position(text, error.position)
        problem = f"the file holds a character YAML does not allow (#x{error.character:04x})"
        raise YamlProblem(line, column, problem) from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, 1, f"this is not valid YAML: {error}") from None
    except RecursionError:  # pragma: no cover - the depth guard comes first
        raise YamlProblem(1, 1, f"the file nests deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    return Document(builder.root, builder.duplicates, builder.controls)


def _control(node: Node) -> YamlProblem:
    """Give the problem of a string holding a control character (an escape sequence, say)."""
    char = node.value[forbidden(node.value) or 0]
    return YamlProblem(
        node.line,
        node.column,
        f"the text holds the control character U+{ord(char):04X}: "
        "escape sequences and other controls are not allowed (only newlines)",
    )


def _check_tag(event: yaml.CollectionStartEvent) -> None:
    if event.tag not in (None, "!") and event.tag not in _PLAIN_TAGS:
        raise YamlProblem(*_where(event), f"the tag {_short(event.tag)} is not allowed here")


def _short(tag: str | None) -> str:
    return str(tag).replace("tag:yaml.org,2002:", "!!")


def _where(event: yaml.Event) -> tuple[int, int]:
    """Give the 1-based line and column where ``event`` starts."""
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _position(text: str, index: int) -> tuple[int, int]:
    """Give the 1-based line and column of the character at ``index``."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1
