"""Plain conversion of option values, so that a command does not pay for pydantic at start-up.

Recent typer converts every option value through a pydantic ``TypeAdapter`` built on first use:
importing pydantic and building the adapters costs about 70 ms before a command does anything,
as much as all of ``kindful --version``. kindful's options are plain ``str``, ``int``, ``float``,
``Path``, ``bool`` and ``list[str]``, for which ``int(value)`` says all there is to say. So for
exactly those types this module gives typer a plain converter; every other type keeps typer's
own. Where typer's internals are not as expected (an older or newer typer), nothing is changed
and typer converts as it always does: slower, never different.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

_SIMPLE: tuple[Any, ...] = (str, int, float, Path, bool)
_TRUE = {"1", "true", "yes", "on", "y", "t"}
_FALSE = {"0", "false", "no", "off", "n", "f"}


def _plain_type(annotation: Any) -> Any | None:
    """Give the plain type an option annotation stands for, or None if it is not a plain one."""
    if typing.get_origin(annotation) in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return None
        annotation = args[0]
    if annotation in _SIMPLE or annotation == list[str]:
        return annotation
    return None


def convert(kind: Any, value: Any) -> Any:
    """Give ``value`` as ``kind``; raise ValueError with a message a person can act on."""
    if kind == list[str]:
        items = value if isinstance(value, list | tuple) else [value]
        return [str(item) for item in items]
    if isinstance(value, kind):
        return value
    text = str(value).strip()
    if kind is bool:
        if text.lower() in _TRUE | _FALSE:
            return text.lower() in _TRUE
        raise ValueError(f"{value!r} is not true or false")
    try:
        return kind(text)
    except (TypeError, ValueError):
        name = {int: "a whole number", float: "a number"}.get(kind, kind.__name__)
        raise ValueError(f"{value!r} is not {name}") from None


def within(value: Any, info: Any) -> Any:
    """Give ``value`` if it lies within the option's ``min`` and ``max`` (or clamped to them)."""
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if getattr(info, "clamp", False):
        value = max(low, value) if low is not None else value
        return min(high, value) if high is not None else value
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = (
            f"from {low} to {high}"
            if low is not None and high is not None
            else (f"at least {low}" if low is not None else f"at most {high}")
        )
        raise ValueError(f"{value} is not in the range: it should be {bounds}")
    return value


def install() -> bool:
    """Teach typer to convert plain option types by hand; tell whether it took."""
    try:
        from dataclasses import dataclass

        from typer import _coercion, core
        from typer._click.exceptions import BadParameter

        parameter = core._TyperParameter
        original = parameter.get_runtime_param
        base = _coercion.RuntimeParam
    except (ImportError, AttributeError):
        return False

    @dataclass(frozen=True)
    class PlainParam(base):  # type: ignore[valid-type,misc]
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                return within(convert(self.annotation, value), self.parameter_info)
            except ValueError as error:
                raise BadParameter(str(error), ctx=ctx, param=param) from None

    def get_runtime_param(self: Any) -> Any:
        descriptor = self.type_descriptor
        if self._runtime_param is None and not (descriptor.is_file or descriptor.is_choice):
            kind = _plain_type(descriptor.annotation)
            if kind is not None:
                self._runtime_param = PlainParam(
                    parameter_info=descriptor.parameter_info, annotation=kind
                )
        return original(self)

    parameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    return True
