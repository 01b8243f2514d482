"""JSON data to typed values and back, exactly: what a cache keeps is read into its own types.

``encode(value)`` gives the JSON data of a frozen dataclass (tuples as lists, numbered keys as
strings, a member of a union of dataclasses tagged with its ``kind``). ``decode(kind, data)``
gives the value back, or raises ``Mismatch`` for anything that is not exactly what ``encode``
gives for that type: a missing or extra field, a number where text belongs, a ``true`` where a
number belongs, a number outside its ``Range``, a control character in a string. The types say
what is allowed; there is no second validator to keep in step with them.

The types understood are those kept data is made of: ``str``, ``int``, ``float``, ``bool``,
``None``, ``Literal``, unions, ``tuple[X, ...]``, ``list[X]``, ``dict[str, X]``,
``dict[int, X]``, ``Annotated[X, Range(...)]`` and frozen dataclasses of these.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from kindful.safe_text import forbidden

T = TypeVar("T")


class Mismatch(ValueError):
    """The data is not exactly what ``encode`` gives for the type asked for."""


@dataclasses.dataclass(frozen=True)
class Range:
    """Bounds of a number, for ``Annotated[int, Range(1, 12)]``; ``above`` excludes ``low``."""

    low: float = -math.inf
    high: float = math.inf
    above: bool = False

    def holds(self, number: float) -> bool:
        """Tell whether ``number`` is within the bounds."""
        low_ok = number > self.low if self.above else number >= self.low
        return low_ok and number <= self.high


def decode(kind: type[T], data: Any) -> T:
    """Give ``data`` read as ``kind``; raise ``Mismatch`` unless it is exactly that."""
    try:
        value: T = _decoder(typing.cast(Any, kind))(data)
    except RecursionError:
        raise Mismatch("nested too deep") from None
    return value


def encode(value: Any) -> Any:
    """Give the JSON data of ``value``, which ``decode`` reads back as the same value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        tag = getattr(type(value), "KIND", None)
        return {"kind": tag, **data} if tag else data
    if isinstance(value, tuple | list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


Decoder = Callable[[Any], Any]


@functools.cache
def _decoder(kind: Any) -> Decoder:
    """Give the function that reads data as ``kind`` (made once per type)."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if kind is str:
        return _string
    if kind is bool:
        return _exactly(bool)
    if kind is int:
        return _exactly(int)
    if kind is float:
        return _float
    if kind is type(None) or kind is None:
        return _none
    if origin is typing.Annotated:
        inner = _decoder(args[0])
        bounds = [a for a in args[1:] if isinstance(a, Range)]
        return functools.partial(_bounded, inner, bounds)
    if origin is typing.Literal:
        return functools.partial(_literal, args)
    if origin is types.UnionType or origin is typing.Union:
        return _union(args)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return functools.partial(_sequence, _decoder(args[0]), tuple)
    if origin is list:
        return functools.partial(_sequence, _decoder(args[0]), list)
    if origin is dict:
        if args[0] not in (str, int):
            raise TypeError(f"no decoder for keys of {args[0]!r}")
        return functools.partial(_mapping, args[0] is int, _decoder(args[1]))
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass(kind)
    raise TypeError(f"no decoder for {kind!r}")


def _string(data: Any) -> str:
    if type(data) is not str or forbidden(data) is not None:
        raise Mismatch("not a string, or one with a control character")
    return data


def _exactly(kind: type) -> Decoder:
    def read(data: Any) -> Any:
        if type(data) is not kind:
            raise Mismatch(f"not a {kind.__name__}")
        return data

    return read


def _float(data: Any) -> float:
    if type(data) not in (int, float) or not math.isfinite(data):
        raise Mismatch("not a finite number")
    return float(data)


def _none(data: Any) -> None:
    if data is not None:
        raise Mismatch("not null")


def _bounded(inner: Decoder, bounds: list[Range], data: Any) -> Any:
    value = inner(data)
    if not all(b.holds(value) for b in bounds):
        raise Mismatch("out of bounds")
    return value


def _literal(choices: tuple[Any, ...], data: Any) -> Any:
    if not any(type(data) is type(c) and data == c for c in choices):
        raise Mismatch("not one of the choices")
    return data


def _union(members: tuple[Any, ...]) -> Decoder:
    tagged = {
        m.KIND: _decoder(m)  # type: ignore[attr-defined]
        for m in members
        if isinstance(m, type) and dataclasses.is_dataclass(m) and getattr(m, "KIND", None)
    }
    others = [_decoder(m) for m in members if getattr(m, "KIND", None) not in tagged]

    def read(data: Any) -> Any:
        if tagged and type(data) is dict and "kind" in data:
            found = tagged.get(data["kind"])
            if found is None:
                raise Mismatch("a kind there is none of")
            return found(data)
        for member in others:
            try:
                return member(data)
            except Mismatch:
                continue
        raise Mismatch("none of the kinds it may be")

    return read


def _sequence(item: Decoder, make: type, data: Any) -> Any:
    if type(data) is not list:
        raise Mismatch("not a list")
    return make(item(x) for x in data)


def _mapping(numbered: bool, item: Decoder, data: Any) -> dict[Any, Any]:
    if type(data) is not dict:
        raise Mismatch("not a mapping")
    out: dict[Any, Any] = {}
    for key, value in data.items():
        name = _string(key)
        if numbered:
            if not name.lstrip("-").isdigit() or str(int(name)) != name:
                raise Mismatch("not a number as a key")
            out[int(name)] = item(value)
        else:
            out[name] = item(value)
    return out


def _dataclass(kind: type) -> Decoder:
    hints = typing.get_type_hints(kind, include_extras=True)
    names = [f.name for f in dataclasses.fields(kind) if f.init]
    tag = getattr(kind, "KIND", None)
    expected = {*names, "kind"} if tag else set(names)
    decoders: dict[str, Decoder] = {}

    def read(data: Any) -> Any:
        if type(data) is not dict or data.keys() != expected or (tag and data["kind"] != tag):
            raise Mismatch(f"not a {kind.__name__}")
        if not decoders:  # made on first use: a dataclass may name itself (a repeat's steps)
            decoders.update({name: _decoder(hints[name]) for name in names})
        return kind(**{name: decoders[name](data[name]) for name in names})

    return read
