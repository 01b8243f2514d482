"""Plain conversion of kindful's own option values, so that a command does not pay for pydantic.

This typer converts every option value through a pydantic ``TypeAdapter`` built on first use:
importing pydantic and building the adapters costs about 70 ms before a command does anything,
as much as all of ``kindful --version``. typer offers no supported way around it (it vendors
click, so click types are not accepted, and ``parser=`` goes through an adapter too).

So :func:`adopt` gives each parameter of kindful's own commands a converter that settles the
values it is sure of without pydantic (see ``option_values``): text; whole numbers and decimals
written plainly, within their bounds or clamped to them; the true-or-false words; paths without
checks; lists of these. Everything else goes to typer's own converter for that parameter, built
when first needed: every other type, ``parser=``, choices, files, paths with checks, and every
value the plain converter is not sure of, errors included, so a mistake reads word for word as
typer says it. Nothing else in the process changes. This leans on typer's internals
(``typer._coercion`` and a parameter's ``_runtime_param``), so ``pyproject.toml`` pins typer
below its next minor version and ``tests/test_cli_coercion.py`` converts the same values both
ways; where the internals are not as expected, nothing is adopted and typer converts as it
always does: slower, never different.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import typing
from pathlib import Path
from typing import Any

_LEAVES: tuple[type, ...] = (str, int, float, bool, Path)
_MISSING = object()


class Kind:
    """What a parameter holds: its plain type, whether a list of them, and its bounds."""

    __slots__ = ("clamp", "high", "leaf", "low", "many")

    def __init__(
        self,
        leaf: type,
        many: bool = False,
        low: float | None = None,
        high: float | None = None,
        clamp: bool = False,
    ) -> None:
        self.leaf, self.many, self.low, self.high, self.clamp = leaf, many, low, high, clamp


def kind_of(descriptor: Any) -> Kind | None:
    """Give the Kind of a typer parameter's type descriptor, or None if typer must convert it."""
    info = descriptor.parameter_info
    if info.parser is not None or descriptor.is_file or descriptor.is_choice:
        return None
    if descriptor.is_tuple or descriptor.is_datetime:
        return None
    leaf, many = descriptor.annotation, descriptor.is_list
    if many:
        args = typing.get_args(leaf)
        if len(args) != 1:
            return None
        leaf = args[0]
    if not isinstance(leaf, type) or leaf not in _LEAVES:
        return None
    if leaf is Path and not _unchecked_path(info):
        return None
    if leaf in (int, float):
        return Kind(leaf, many, info.min, info.max, bool(info.clamp))
    return Kind(leaf, many)


def _unchecked_path(info: Any) -> bool:
    """Tell whether a Path parameter asks only for typer's default checks."""
    return (
        info.exists is False
        and info.file_okay is True
        and info.dir_okay is True
        and info.writable is False
        and info.readable is True
        and info.resolve_path is False
        and info.allow_dash is False
        and info.path_type is None
    )


def _typer_coercion() -> tuple[Any, Any] | None:
    """Give typer's runtime-parameter base and builder if they have the shape this module knows."""
    try:
        from typer import _coercion

        base, build = _coercion.RuntimeParam, _coercion.build_runtime_param
    except (ImportError, AttributeError):
        return None
    return (base, build) if _known_shape(base, build) else None


@functools.cache
def _known_shape(base: Any, build: Any) -> bool:
    try:
        fields = [field.name for field in dataclasses.fields(base)]
        takes = list(inspect.signature(base._coerce_value).parameters)
        abstract = getattr(base, "__abstractmethods__", None)
    except (AttributeError, TypeError, ValueError):
        return False
    return (
        fields == ["parameter_info", "annotation"]
        and abstract == {"_coerce_value"}
        and takes == ["self", "value", "param", "ctx"]
        and callable(getattr(base, "coerce", None))
        and callable(build)
    )


@functools.cache
def _plain_param_class(base: Any, build: Any) -> Any:
    class PlainParam(base):  # type: ignore[misc]
        """typer's runtime parameter, settling plain values by hand and the rest typer's way."""

        kind: Kind
        descriptor: Any

        def __init__(self, descriptor: Any, kind: Kind) -> None:
            super().__init__(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation
            )
            object.__setattr__(self, "descriptor", descriptor)  # typer's base class is frozen
            object.__setattr__(self, "kind", kind)

        @functools.cached_property
        def fallback(self) -> Any:
            """typer's own runtime parameter for the same type: it builds the adapter."""
            return build(self.descriptor)

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if type(value) is str and self.kind.leaf is str and not self.kind.many:
                return value  # the commonest case, without loading option_values
            from kindful.cli.option_values import UNSURE, convert

            converted = convert(self.kind, value)
            if converted is UNSURE:
                return self.fallback._coerce_value(value, param=param, ctx=ctx)
            return converted

    return PlainParam


def adopt(params: typing.Iterable[Any]) -> int:
    """Give each plain parameter of kindful's own commands kindful's converter.

    Gives how many were taken; 0 when typer's internals are not as this module knows them.
    """
    found = _typer_coercion()
    if found is None:
        return 0
    plain_param = _plain_param_class(*found)
    taken = 0
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if getattr(param, "_runtime_param", _MISSING) is not None or descriptor is None:
            continue
        if not callable(getattr(param, "get_runtime_param", None)):
            continue
        try:
            kind = kind_of(descriptor)
            if kind is None:
                continue
            param._runtime_param = plain_param(descriptor, kind)
        except (AttributeError, TypeError, ValueError):
            continue
        taken += 1
    return taken
