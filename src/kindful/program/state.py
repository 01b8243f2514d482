"""What kindful keeps about programs: ``programs.jsonl`` in the data home, only appended to.

Each line is one event: ``{"v": 1, "event": "start"|"stop", "program": ID, "at": TIME}``. The
program followed is the one the last event started, if no stop came after it. A line that
cannot be read is skipped, as in the log.

``program resume`` brings an earlier start back: it appends a start whose ``at`` is that earlier
start, with ``"resumed": TIME`` saying when it was brought back. So nothing is ever lost by
starting again, and a reader that knows nothing of resuming reads it as the start it is.
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
    return _follow(events(path))


def events(path: Path | None = None) -> list[tuple[str, str, datetime]]:
    """Give every event that can be read, in the order written: (kind, program, at)."""
    path = path or state_path()
    try:
        data = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as error:
        from kindful.errors import LogError

        raise LogError(
            f"cannot read it: {(error.strerror or str(error)).lower()}", path=path
        ) from None
    return [event for line in data.splitlines() if (event := _event(line)) is not None]


def _follow(events: list[tuple[str, str, datetime]]) -> Following | None:
    """Give the program the ``events`` leave followed: the last started and not stopped."""
    current: Following | None = None
    for kind, program, at in events:
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


def earlier_start(path: Path | None = None) -> Following | None:
    """Give the start ``program resume`` brings back, or ``None`` when there is none.

    Following a program: the start followed before the one followed now, of an earlier time
    (the one starting again put aside; asked again, the one before that). Following none: the
    program last stopped, from the start it had then.
    """
    found = events(path)
    current = _follow(found)
    for end in range(len(found) - 1, 0, -1):  # back through what was followed before
        earlier = _follow(found[:end])
        if earlier is None:
            continue
        if current is None or (
            earlier.program == current.program and earlier.since < current.since
        ):
            return earlier
    return None


def record(
    kind: str,
    program: str,
    at: datetime,
    path: Path | None = None,
    resumed: datetime | None = None,
) -> None:
    """Append a start or stop of ``program`` at ``at``; a start brought back says when."""
    from kindful.journal.writer import append_line

    assert kind in EVENTS
    line: dict[str, object] = {
        "v": 1,
        "event": kind,
        "program": program,
        "at": at.isoformat(timespec="seconds"),
    }
    if resumed is not None:
        line["resumed"] = resumed.isoformat(timespec="seconds")
    append_line(path or state_path(), json.dumps(line, ensure_ascii=False) + "\n")
