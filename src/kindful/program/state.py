"""What kindful keeps about programs: ``programs.jsonl`` in the data home, only appended to.

Each line is one event: ``{"v": 1, "event": "start"|"stop", "program": ID, "at": TIME}``. The
program followed is the one the last event started, if no stop came after it. A line that
cannot be read is skipped, as in the log: so is one nested too deep for the JSON parser, and
one whose time lies so near the calendar's ends that counting days from it would overflow.

The file is read as every file from anyone is (``kindful.files``): a FIFO or a device is one
clear error, and of a file grown past ``MAX_BYTES`` only its end, where the newest events are,
is read.

``program resume`` brings an earlier start back: it appends a start whose ``at`` is that earlier
start, with ``"resumed": TIME`` saying when it was brought back. So nothing is ever lost by
starting again, and a reader that knows nothing of resuming reads it as the start it is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kindful import paths

STATE_NAME = "programs.jsonl"
EVENTS = ("start", "stop")
MAX_BYTES = 4 * 1024 * 1024  # some 40,000 events: a start and a stop a day for 50 years
_ROOM = timedelta(days=400)  # what readers may add to or take from a start without overflow


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
    from kindful.files import read_regular

    path = path or state_path()
    try:
        data = read_regular(path, MAX_BYTES + 1, tail=True)
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError as error:
        from kindful.errors import LogError

        raise LogError(
            f"cannot read it: {(error.strerror or str(error)).lower()}", path=path
        ) from None
    lines = data.splitlines()
    if len(data) > MAX_BYTES:
        lines = lines[1:]  # the first is cut somewhere in its middle
    return [event for line in lines if (event := _event(line)) is not None]


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
        if when.tzinfo is None:
            return None
        when.astimezone(UTC), when - _ROOM, when + _ROOM
    except (ValueError, KeyError, TypeError, RecursionError, OverflowError):
        return None
    return kind, program, when


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
