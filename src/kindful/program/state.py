"""What kindful keeps about programs: ``programs.jsonl`` in the data home, only appended to.

Each line is one event: ``{"v": 1, "event": "start"|"stop", "program": ID, "at": TIME}``. The
program followed is the one the last event started, if no stop came after it. A line that
cannot be read is skipped, as in the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kindful import paths

STATE_NAME = "programs.jsonl"
EVENTS = ("start", "stop")


@dataclass(frozen=True)
class Following:
    """The program a person follows, and when they started it (aware local time)."""

    program: str
    since: datetime


def state_path() -> Path:
    """Give the file of program events."""
    return paths.home() / STATE_NAME


def following(path: Path | None = None) -> Following | None:
    """Give the program followed now, or ``None``."""
    path = path or state_path()
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        from kindful.errors import LogError

        raise LogError(
            f"cannot read it: {(error.strerror or str(error)).lower()}", path=path
        ) from None
    current: Following | None = None
    for line in data.splitlines():
        event = _event(line)
        if event is None:
            continue
        kind, program, at = event
        if kind == "start":
            current = Following(program, at)
        elif current is not None and current.program == program:
            current = None
    return current


def _event(line: bytes) -> tuple[str, str, datetime] | None:
    try:
        data = json.loads(line)
        kind, program, at = data["event"], data["program"], data["at"]
        if data.get("v") != 1 or kind not in EVENTS or type(program) is not str:
            return None
        when = datetime.fromisoformat(at)
    except (ValueError, KeyError, TypeError):
        return None
    return (kind, program, when) if when.tzinfo is not None else None


def record(kind: str, program: str, at: datetime, path: Path | None = None) -> None:
    """Append a start or stop of ``program`` at ``at``."""
    from kindful.journal.writer import append_line

    assert kind in EVENTS
    line = {"v": 1, "event": kind, "program": program, "at": at.isoformat(timespec="seconds")}
    append_line(path or state_path(), json.dumps(line, ensure_ascii=False) + "\n")
