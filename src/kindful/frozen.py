"""``@frozen``: a frozen dataclass whose methods but ``__init__`` are written once for all.

A ``@dataclass(frozen=True)`` writes six methods for each class through ``exec``: ``__init__``,
``__setattr__``, ``__delattr__``, ``__eq__``, ``__hash__`` and ``__repr__``. On Python 3.11 that
is about half a millisecond a class, and a run builds some forty of them (the typed steps, the
planned steps, the session's events, the record) before its first line. Only ``__init__``
depends on the class's own fields in a way that needs code of its own; ``frozen`` lets
``dataclass`` write that one and gives every class the same five others, which read the
fields' names from tuples kept on the class.

A class made with ``@frozen`` is a dataclass in every other way (``fields``, ``replace``,
``asdict``, ``match``), and it behaves as ``@dataclass(frozen=True)`` would: assigning or
deleting an attribute raises ``FrozenInstanceError`` (``__init__`` gives each field its value
once), it compares equal to the same class with equal fields in order (those with
``compare=False`` left out), hashes those fields (or those ``hash=`` names), and prints as
``Name(field=value, ...)``. ``tests/test_frozen.py`` holds both side by side. (To ``dataclass``
itself such a class is not frozen, so it cannot inherit from a ``@dataclass(frozen=True)``
class; none does.)
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar, dataclass_transform

C = TypeVar("C")


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field,))
def frozen(cls: type[C]) -> type[C]:
    """Make ``cls`` a frozen dataclass with the shared equality, hash and repr."""
    made = dataclasses.dataclass(cls, eq=False, repr=False)
    fields = dataclasses.fields(made)  # type: ignore[arg-type]  # it is one now
    setattr(made, _FIELDS, frozenset(f.name for f in fields))
    setattr(made, _COMPARED, tuple(f.name for f in fields if f.compare))
    setattr(
        made, _HASHED, tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
    )
    setattr(made, _SHOWN, tuple(f.name for f in fields if f.repr))
    made.__setattr__ = _setattr  # type: ignore[method-assign]
    made.__delattr__ = _delattr  # type: ignore[method-assign]
    made.__eq__ = _eq  # type: ignore[method-assign]
    made.__hash__ = _hash  # type: ignore[method-assign]
    made.__repr__ = _repr  # type: ignore[method-assign]
    return made


_COMPARED, _HASHED, _SHOWN = "_frozen_compared", "_frozen_hashed", "_frozen_shown"
_FIELDS = "_frozen_fields"


def _setattr(self: Any, name: str, value: Any) -> None:
    if name not in getattr(self, _FIELDS) or name in self.__dict__:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)  # __init__ giving a field its value, once


def _delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


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
