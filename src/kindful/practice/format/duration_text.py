"""DURATION as written (``90``, ``"45s"``, ``"2m"``, ``"1m30s"``, ``"1h"``, ``"1:30"``) to seconds.

Free of pydantic, so that a command taking a DURATION on its command line (``sit``) parses it
the way a practice file's is parsed without loading the model.
"""

from __future__ import annotations

import re
from typing import Any

_UNITS = re.compile(
    r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?$"
)
_CLOCK = re.compile(r"^(?:(?P<h>\d+):)?(?P<m>\d+):(?P<s>[0-5]?\d(?:\.\d+)?)$")
DURATION_PATTERN = r"^\s*(\d+(\.\d+)?|((\d+(\.\d+)?)h)?\s*((\d+(\.\d+)?)m)?\s*((\d+(\.\d+)?)s)?|(\d+:)?\d+:[0-5]?\d(\.\d+)?)\s*$"


def parse_duration(value: Any) -> float:
    """Give seconds from a DURATION: ``90``, ``"45s"``, ``"2m"``, ``"1m30s"``, ``"1h"``, ``"1:30"``."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        try:
            return float(text)
        except ValueError:
            pass
        match = _UNITS.match(text) if text else None
        if match and any(match.groupdict().values()):
            parts = match.groupdict()
        else:
            match = _CLOCK.match(text)
            if not match:
                raise ValueError(value)
            parts = match.groupdict()
        return sum(
            float(parts[unit] or 0) * scale for unit, scale in (("h", 3600), ("m", 60), ("s", 1))
        )
    return float(value)
