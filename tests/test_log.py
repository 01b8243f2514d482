"""The session log: whole lines, appended under a lock, private, never losing a torn line."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kindful.errors import LogError
from kindful.journal import writer as log
from kindful.journal.record import Reflection, SessionRecord


def make_record(n: int = 0, text: str = "ruhig") -> SessionRecord:
    return SessionRecord(
        id=f"00000000-0000-4000-8000-{n:012d}",
        practice="check-in",
        title="Check-in",
        lang="de",
        started_at="2026-11-23T07:30:00+01:00",
        ended_at="2026-11-23T07:35:00+01:00",
        planned_seconds=300,
        elapsed_seconds=301.5,
        completed=True,
        steps_done=4,
        steps_total=4,
        ratings={"stress_before": 6},
        reflections=[Reflection("Wie geht es dir?", text)],
    )


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def test_append_writes_one_json_line_per_record(tmp_path: Path) -> None:
    path = tmp_path / "home" / "sessions.jsonl"
    assert log.append(make_record(1), path) == path
    log.append(make_record(2, "äöü ß"), path)
    records = [json.loads(line) for line in lines(path)]
    assert [r["id"][-1] for r in records] == ["1", "2"]
    assert records[1]["reflections"] == [{"prompt": "Wie geht es dir?", "text": "äöü ß"}]
    assert path.read_bytes().endswith(b"\n")


def test_a_torn_last_line_is_left_alone_and_the_next_starts_fresh(tmp_path: Path) -> None:
    path = tmp_path / "sessions.jsonl"
    path.write_bytes(make_record(1).to_line().encode() + b'{"v":1,"id":"torn')
    log.append(make_record(2), path)
    found = lines(path)
    assert found[1] == '{"v":1,"id":"torn'
    assert json.loads(found[2])["id"].endswith("2")
    assert len(found) == 3


def test_folder_and_log_are_the_owners_alone_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        path = tmp_path / "new" / "home" / "sessions.jsonl"
        log.append(make_record(), path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_an_existing_wide_log_is_narrowed(tmp_path: Path) -> None:
    path = tmp_path / "sessions.jsonl"
    path.write_text("")
    path.chmod(0o644)
    log.append(make_record(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_symlinked_log_is_followed_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "synced" / "sessions.jsonl"
    target.parent.mkdir()
    target.write_text(make_record(1).to_line(), encoding="utf-8")
    link = tmp_path / "home" / "sessions.jsonl"
    link.parent.mkdir()
    link.symlink_to(target)
    log.append(make_record(2), link)
    assert link.is_symlink()
    assert len(lines(target)) == 2


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "sessions.jsonl"
    link = tmp_path / "sessions.jsonl"
    link.symlink_to(target)
    log.append(make_record(), link)
    assert len(lines(target)) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_log_is_a_log_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "sessions.jsonl"
    path.write_text("")
    path.chmod(0o400)
    with pytest.raises(LogError, match=r"sessions\.jsonl"):
        log.append(make_record(), path)


def test_no_permission_is_a_log_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(log.os, "open", refuse)
    with pytest.raises(LogError, match="Permission denied"):
        log.append(make_record(), tmp_path / "sessions.jsonl")


def test_a_home_that_cannot_be_made_is_a_log_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(LogError):
        log.append(make_record(), blocker / "home" / "sessions.jsonl")


def test_a_full_disk_is_a_log_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(log.os, "write", full)
    with pytest.raises(LogError, match="No space left"):
        log.append(make_record(), tmp_path / "sessions.jsonl")


APPENDER = """
import sys
from pathlib import Path
from kindful.journal import writer as log
from kindful.journal.record import SessionRecord
n = int(sys.argv[2])
record = SessionRecord(
    id=f"id-{n}", practice="p", title="T", lang="en",
    started_at="2026-11-23T07:30:00+01:00", ended_at="2026-11-23T07:35:00+01:00",
    planned_seconds=300, elapsed_seconds=300, completed=True, steps_done=1, steps_total=1,
    ratings={f"k{i}": i % 11 for i in range(400)},  # a long line: many writes would tear
)
sys.stdin.readline()  # all start together
log.append(record, Path(sys.argv[1]))
"""


def test_twenty_sessions_ending_at_once_leave_twenty_whole_lines(tmp_path: Path) -> None:
    path = tmp_path / "sessions.jsonl"
    procs = [
        subprocess.Popen([sys.executable, "-c", APPENDER, str(path), str(n)], stdin=subprocess.PIPE)
        for n in range(20)
    ]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(b"go\n")
        proc.stdin.close()
    assert all(proc.wait(timeout=60) == 0 for proc in procs)
    records = [json.loads(line) for line in lines(path)]
    assert sorted(r["id"] for r in records) == sorted(f"id-{n}" for n in range(20))
    assert all(len(r["ratings"]) == 400 for r in records)


def test_every_folder_kindful_makes_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from kindful.cli import app

    home, cache = tmp_path / "a" / "home", tmp_path / "b" / "cache"
    monkeypatch.setenv("KINDFUL_HOME", str(home))
    monkeypatch.setenv("KINDFUL_CACHE", str(cache))
    old = os.umask(0o022)
    try:
        assert CliRunner().invoke(app, ["list"]).exit_code == 0  # writes the list cache first
        log.append(make_record(), home / "sessions.jsonl")
    finally:
        os.umask(old)
    for folder in (tmp_path / "a", home, tmp_path / "b", cache):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_an_open_home_is_narrowed_when_the_log_is_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    log.append(make_record(), home / "sessions.jsonl")
    assert stat.S_IMODE(home.stat().st_mode) == 0o700


def test_a_line_is_on_the_disk_before_the_append_returns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sessions.jsonl"
    synced: list[bytes] = []
    real = os.fsync

    def fsync(fd: int) -> None:  # keeps what the file held when it was synced
        synced.append(os.pread(fd, 1 << 16, 0))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    log.append(make_record(1), path)
    first = path.read_bytes()
    log.append(make_record(2), path)
    assert synced == [first, path.read_bytes()]
