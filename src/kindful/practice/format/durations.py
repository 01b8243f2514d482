"""DURATION in practice files: ``90``, ``"45s"``, ``"2m"``, ``"1m30s"``, ``"1h"``, ``"1:30"``.

The parsing, the validators the model's fields use, and their JSON Schema.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from kindful.practice.format.duration_text import DURATION_PATTERN as DURATION_PATTERN
from kindful.practice.format.duration_text import parse_duration as parse_duration
from kindful.practice.format.hints import duration_hint
from kindful.practice.format.limits import MAX_SECONDS as MAX_SECONDS
from kindful.practice.format.limits import MIN_BELL_EVERY as MIN_BELL_EVERY
from kindful.practice.format.limits import MIN_BREATH as MIN_BREATH
from kindful.practice.format.schema_bounds import duration_schema


def _seconds(value: Any, *, zero_allowed: bool) -> float:
    try:
        seconds = parse_duration(value)
    except (ValueError, OverflowError):
        raise PydanticCustomError(
            "duration",
            'should be a duration such as 90, "45s", "2m", "1m30s" or "1:30"{hint}',
            {"hint": duration_hint(value)},
        ) from None
    if not math.isfinite(seconds) or seconds > MAX_SECONDS:
        raise PydanticCustomError("duration_range", "should be at most a day")
    if seconds < 0 or (seconds == 0 and not zero_allowed):
        least = "0 seconds or more" if zero_allowed else "more than 0 seconds"
        raise PydanticCustomError("duration_range", "should be {least}", {"least": least})
    return seconds


def _duration(value: Any) -> float:
    return _seconds(value, zero_allowed=False)


def _pause(value: Any) -> float:
    return _seconds(value, zero_allowed=True)


Duration = Annotated[float, PlainValidator(_duration), WithJsonSchema(duration_schema())]
Pause = Annotated[  # 0 allowed
    float, PlainValidator(_pause), WithJsonSchema(duration_schema(zero=True))
]


def _at_least(least: float) -> Any:
    """Give a validator of a DURATION of ``least`` seconds or more (an event no faster)."""

    def check(value: Any) -> float:
        seconds = _duration(value)
        if seconds < least:
            raise PydanticCustomError(
                "duration_range", "should be at least {least} s", {"least": f"{least:g}"}
            )
        return seconds

    return check


Breath = Annotated[
    float, PlainValidator(_at_least(MIN_BREATH)), WithJsonSchema(duration_schema(MIN_BREATH))
]
BellEvery = Annotated[
    float,
    PlainValidator(_at_least(MIN_BELL_EVERY)),
    WithJsonSchema(duration_schema(MIN_BELL_EVERY)),
]
