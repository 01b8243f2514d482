"""Reading only the end of the log for a program gives what reading all of it gives."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kindful.journal import recent
from kindful.journal.reader import SessionLog
from kindful.program.progress import Day, progress
from records import record, uuid

DAYS = [Day(1, d, [p]) for d, p in enumerate("abcabcab", 1)]


def write(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines))


def test_the_end_of_the_log_counts_as_the_whole_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recent, "BLOCK", 512)  # small blocks, so lines cross their edges
    rng = random.Random(7)
    since = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
    for trial in range(12):
        home = tmp_path / str(trial)
        lines = []
        when = since - timedelta(days=rng.randint(0, 60))
        for n in range(rng.randint(0, 120)):
            when += timedelta(hours=rng.randint(1, 30))
            shown = when.astimezone(timezone(timedelta(hours=rng.choice([-5, 0, 2]))))
            stamp = shown.isoformat(timespec="seconds")
            fields = {"id": uuid(n), "practice": rng.choice("abc"), "started_at": stamp}
            lines.append(json.dumps(record(**fields, ended_at=stamp)))
            if rng.random() < 0.05:
                lines.append("not a record")
        write(home / "sessions.jsonl", lines)
        write(home / "sessions.sync-conflict-1.jsonl", lines[: len(lines) // 2])
        with SessionLog(home) as log:
            whole = progress(DAYS, log.sessions(), since)
            tail = progress(DAYS, recent.sessions_since(log, since), since)
        assert tail == whole, trial


def test_a_line_that_starts_the_read_is_found_across_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recent, "BLOCK", 100)
    path = tmp_path / "sessions.jsonl"
    old = json.dumps(record(id=uuid(1), started_at="2026-01-01T08:00:00+01:00"))
    new = json.dumps(record(id=uuid(2), started_at="2026-06-01T08:00:00+01:00"))
    write(path, [old, old, new, "torn"])
    with path.open("rb") as file:
        size = path.stat().st_size
        start = recent._start(file, size, datetime(2026, 5, 1, tzinfo=UTC))
        assert start == 2 * (len(old) + 1)
        assert recent._lines_before(file, start) == 2
        assert recent._start(file, size, datetime(2025, 1, 1, tzinfo=UTC)) == 0
