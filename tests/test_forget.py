"""kindful forget: sessions taken back out of the log, and nothing else lost on the way."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from kindful import atomic
from kindful.cli import app
from kindful.errors import KindfulError, UsageError
from kindful.journal.forget import find, forget
from kindful.journal.record import SessionRecord
from records import record, uuid

runner = CliRunner()


@pytest.fixture()
def home(kindful_home: Path) -> Path:
    kindful_home.mkdir()
    return kindful_home


def line(n: int, **fields: Any) -> bytes:
    fields = {"started_at": f"2026-11-{n % 28 + 1:02d}T07:30:00+01:00", **fields}
    return (
        SessionRecord(**record(id=f"{n:08x}-0000-4000-8000-{n:012d}", **fields)).to_line().encode()
    )


def write(path: Path, *lines: bytes) -> Path:
    path.write_bytes(b"".join(lines))
    return path


def ids_in(path: Path) -> list[str]:
    return [
        json.loads(text)["id"] for text in path.read_text().splitlines() if text.startswith("{")
    ]


def test_a_short_id_finds_one_session(home: Path) -> None:
    write(home / "sessions.jsonl", line(1), line(2))
    assert [r["id"] for r in find(home, "00000002")] == ["00000002-0000-4000-8000-000000000002"]
    with pytest.raises(KindfulError, match="no session in the log has the id 00000009"):
        find(home, "00000009")
    with pytest.raises(UsageError, match="first 8 characters"):
        find(home, "0000")


def test_a_prefix_that_fits_several_sessions_is_refused(home: Path) -> None:
    same = "abcdef12-0000-4000-8000-00000000000"
    lines = [SessionRecord(**record(id=same + n)).to_line().encode() for n in "12"]
    write(home / "sessions.jsonl", *lines)
    with pytest.raises(KindfulError, match="2 sessions have ids that start with abcdef12"):
        find(home, "abcdef12")
    assert [r["id"] for r in find(home, "ABCDEF12-0000-4000-8000-000000000002")] == [same + "2"]


def test_forget_keeps_every_other_line_byte_for_byte(home: Path) -> None:
    kept = [line(1), b"not a record\n", line(3, title="Übung „mit“ Zeichen"), b"{torn"]
    log = write(home / "sessions.jsonl", kept[0], line(2), kept[1], kept[2], line(2), kept[3])
    log.chmod(0o640)
    removed = forget(home, {"00000002-0000-4000-8000-000000000002"})
    assert removed == 2
    assert log.read_bytes() == b"".join(kept)
    assert stat.S_IMODE(log.stat().st_mode) == 0o640
    assert sorted(p.name for p in home.iterdir()) == ["sessions.jsonl"]  # no temp file left


def test_forget_reaches_into_conflict_copies_and_leaves_other_files_alone(home: Path) -> None:
    log = write(home / "sessions.jsonl", line(1), line(2))
    copy = write(home / "sessions.sync-conflict-20261123-083000-ABCDEFG.jsonl", line(2), line(3))
    other = write(home / "sessions (Laptop's conflicted copy).jsonl", line(4))
    untouched = other.stat().st_ino
    forget(home, {"00000002-0000-4000-8000-000000000002"})
    assert ids_in(log) == ["00000001-0000-4000-8000-000000000001"]
    assert ids_in(copy) == ["00000003-0000-4000-8000-000000000003"]
    assert other.stat().st_ino == untouched


def test_a_crash_before_the_rename_leaves_the_old_log_whole(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = b"".join((line(1), line(2), line(3)))
    log = write(home / "sessions.jsonl", before)

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(KindfulError, match="cannot rewrite the log: no space left on device"):
        forget(home, {"00000002-0000-4000-8000-000000000002"})
    assert log.read_bytes() == before
    assert [p.name for p in home.iterdir()] == ["sessions.jsonl"]


def test_a_killed_forget_leaves_the_old_log_whole(home: Path) -> None:
    before = b"".join(line(n) for n in range(1, 6))
    log = write(home / "sessions.jsonl", before)
    # The process dies between writing the new file and renaming it over the old one.
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from kindful import atomic\n"
        "from kindful.journal.forget import forget\n"
        "atomic.os.replace = lambda *a: os._exit(9)\n"
        "forget(Path(sys.argv[1]), {'00000002-0000-4000-8000-000000000002'})\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(home)], check=False)
    assert done.returncode == 9
    assert log.read_bytes() == before


APPENDER = """
import sys
from pathlib import Path
from kindful.journal.record import SessionRecord
from kindful.journal.writer import append
sys.path.insert(0, sys.argv[3])
from records import record
name, count = sys.argv[1], int(sys.argv[2])
for n in range(count):
    fields = record(id=f"{name}-{n}", practice="appended")
    append(SessionRecord(**fields), Path(sys.argv[4]))
"""


def test_sessions_appended_during_a_forget_are_all_kept(home: Path) -> None:
    log = write(home / "sessions.jsonl", *(line(n) for n in range(1, 200)))
    tests = str(Path(__file__).parent)
    writers = [
        subprocess.Popen([sys.executable, "-c", APPENDER, name, "60", tests, str(log)])
        for name in ("a", "b")
    ]
    forgotten: set[str] = set()
    for n in range(1, 200, 4):
        forgotten.add(f"{n:08x}-0000-4000-8000-{n:012d}")
        forget(home, forgotten)
    assert [w.wait(timeout=60) for w in writers] == [0, 0]
    forget(home, forgotten)
    found = ids_in(log)
    assert len(found) == len(set(found))
    assert {f"{name}-{n}" for name in "ab" for n in range(60)} <= set(found)
    assert not forgotten & set(found)
    assert len(found) == 120 + 199 - len(forgotten)


def invoke(*args: str, input: str | None = None) -> Any:
    return runner.invoke(app, ["forget", *args], input=input)


def test_forget_shows_what_it_removes_and_asks(home: Path) -> None:
    log = write(home / "sessions.jsonl", line(1), line(2))
    result = invoke("00000002", input="n\n")
    assert result.exit_code == 0, result.output
    assert "This session will be forgotten:" in result.stdout
    assert "00000002" in result.stdout
    assert "Remove it from the log for good? [y/N]" in result.stdout
    assert "Nothing was changed." in result.stdout
    assert len(ids_in(log)) == 2
    result = invoke("00000002", input="y\n")
    assert result.exit_code == 0, result.output
    assert "Forgotten: 1 session." in result.stdout
    assert ids_in(log) == ["00000001-0000-4000-8000-000000000001"]


def test_forget_at_end_of_input_changes_nothing(home: Path) -> None:
    log = write(home / "sessions.jsonl", line(1))
    result = invoke("--practice", "check-in", input="")
    assert result.exit_code == 0, result.output
    assert len(ids_in(log)) == 1


def test_forget_a_practice_or_the_rehearsals_with_yes(home: Path) -> None:
    log = write(
        home / "sessions.jsonl", line(1), line(2, practice="box"), line(3, speed=4), line(4)
    )
    result = invoke("--rehearsals", "--yes", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert "Vergessen: 1 Sitzung." in result.stdout
    result = invoke("--practice", "check-in", "-y")
    assert "These 2 sessions will be forgotten:" in result.stdout
    assert "Forgotten: 2 sessions." in result.stdout
    assert ids_in(log) == ["00000002-0000-4000-8000-000000000002"]
    result = invoke("--rehearsals", "--yes")
    assert (result.exit_code, result.stdout) == (0, "No rehearsals in the log.\n")


@pytest.mark.parametrize("args", [[], ["00000001", "--rehearsals"]])
def test_forget_needs_one_choice(home: Path, args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert "give one of" in result.stderr


def test_forget_an_unknown_id_is_one_line_and_exit_1(home: Path) -> None:
    write(home / "sessions.jsonl", line(1))
    result = invoke(uuid(7), "--yes")
    assert result.exit_code == 1
    assert result.stderr == f"kindful: no session in the log has the id {uuid(7)}\n"
