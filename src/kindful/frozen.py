"""``@frozen``: a frozen dataclass whose equality, hash and repr are written once for all.

A ``@dataclass(frozen=True)`` writes six methods for each class through ``exec``: ``__init__``,
``__setattr__``, ``__delattr__``, ``__eq__``, ``__hash__`` and ``__repr__``. On Python 3.11 that
is about half a millisecond a class, and a run builds some forty of them (the typed steps, the
planned steps, the session's events, the record) before its first line. Only the first three
depend on the class's own fields; ``frozen`` lets ``dataclass`` write those and gives every
class the same three others, which read the fields' names from a tuple kept on the class.

A class made with ``@frozen`` is a dataclass in every other way (``fields``, ``replace``,
``asdict``, ``match``), and it compares, hashes and prints exactly as ``@dataclass(frozen=True)``
would: the same class and equal fields in order (those with ``compare=False`` left out), the
hash of those fields (or of those ``hash=`` names), and ``Name(field=value, ...)``.
``tests/test_frozen.py`` holds both side by side.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, dataclass_transform

C = TypeVar("C")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[C]) -> type[C]:
    """Make ``cls`` a frozen dataclass with the shared equality, hash and repr."""
    made = dataclasses.dataclass(cls, frozen=True, eq=False, repr=False)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]  # it is one now
    setattr(made, _COMPARED, tuple(f.name for f in fields if f.compare))
    setattr(
        made, _HASHED, tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    )
    setattr(made, _SHOWN, tuple(f.name for f in fields if f.repr))
    made.__eq__ = _eq  # type: ignore[method-assign]
    made.__hash__ = _hash  # type: ignore[method-assign]
    made.__repr__ = _repr  # type: ignore[method-assign]
    return made


_COMPARED, _HASHED, _SHOWN = "_frozen_compared", "_frozen_hashed", "_frozen_shown"


def _values(value: Any, names: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(getattr(value, name) for name in names)


def _eq(self: Any, other: object) -> bool:
    equal: bool = NotImplemented  # another class: Python asks it, as for a dataclass
    if other.__class__ is self.__class__:
        names = getattr(self, _COMPARED)
        equal = _values(self, names) == _values(other, names)  # a tuple's ==, as dataclass's
    return equal


def _hash(self: Any) -> int:
    return hash(_values(self, getattr(self, _HASHED)))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in getattr(self, _SHOWN))
    return f"{self.__class__.__qualname__}({shown})"
