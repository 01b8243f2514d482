"""The newest sessions read from the end of the log are those a reading of all of it gives."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kindful.journal import recent
from kindful.journal.history import newest, wanted
from kindful.journal.reader import MAX_LINE, SessionLog
from records import record, uuid


def a_log(rng: random.Random, count: int) -> list[str]:
    """Give the lines of a log appended in time order, with some that are not sessions."""
    lines = []
    when = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    for n in range(count):
        when += timedelta(hours=rng.randint(1, 40))
        shown = when.astimezone(timezone(timedelta(hours=rng.choice([-5, 0, 2]))))
        stamp = shown.isoformat(timespec="seconds")
        fields = {
            "id": uuid(n),
            "practice": rng.choice("abc"),
            "started_at": stamp,
            "completed": rng.random() < 0.8,
            "speed": rng.choice([1, 1, 1, 4]),
        }
        lines.append(json.dumps(record(**fields, ended_at=stamp)))
        roll = rng.random()
        if roll < 0.03 and lines:
            lines.append(rng.choice(lines))  # a session read twice: the same line again
        elif roll < 0.05:
            lines.append("not a session")
        elif roll < 0.07:
            lines.append("")
        elif roll < 0.08:
            lines.append("x" * (MAX_LINE + 10))
    return lines


@pytest.mark.parametrize("trial", range(10))
def test_the_newest_from_the_end_are_the_newest_of_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trial: int
) -> None:
    monkeypatch.setattr(recent, "BLOCK", 700)  # small blocks, so lines cross their edges
    monkeypatch.setattr(recent, "PATIENCE", 3)
    rng = random.Random(trial)
    home = tmp_path / "home"
    home.mkdir()
    lines = a_log(rng, rng.randint(0, 150))
    torn = rng.random() < 0.3
    text = "\n".join(lines) + ("" if torn or not lines else "\n")
    (home / "sessions.jsonl").write_text(text)
    limit = rng.choice([1, 5, 20, 500])
    keep = wanted(
        completed=rng.random() < 0.3,
        rehearsals=rng.random() < 0.5,
        practice=rng.choice([None, "a"]),
    )
    with SessionLog(home) as log:
        whole = [s["id"] for s in newest(filter(keep, log.sessions()), limit)]
        found = [s["id"] for s in recent.newest_sessions(log, limit, keep)]
    assert found == whole


def test_skipped_lines_at_the_end_are_named_by_their_line(tmp_path: Path) -> None:
    lines = a_log(random.Random(3), 40)
    lines = [line for line in lines if line.startswith("{")]
    lines[-2] = "torn {"
    path = tmp_path / "sessions.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with SessionLog(tmp_path) as log:
        recent.newest_sessions(log, 5)
    assert log.skipped.count == 1
    assert log.skipped.named() == [f"{path}:{len(lines) - 1}"]


def test_only_the_end_of_a_long_log_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = a_log(random.Random(5), 3000)
    (tmp_path / "sessions.jsonl").write_text("\n".join(lines) + "\n")
    parsed: list[bytes] = []
    real = recent.parse_record

    def counted(line: bytes) -> object:
        parsed.append(line)
        return real(line)

    monkeypatch.setattr(recent, "parse_record", counted)
    with SessionLog(tmp_path) as log:
        assert len(recent.newest_sessions(log, 20)) == 20
    assert len(parsed) < 20 + recent.PATIENCE + 200
