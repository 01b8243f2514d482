"""``forget`` among conflict copies from anyone: a FIFO beside the log, a line far longer than
any record. The session goes from every file that holds it, and nothing else changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from records import record, uuid


def forget(home: Path, *args: str, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    probe = "import sys\nfrom kindful.cli import app\nsys.argv = ['kindful', *sys.argv[1:]]\n"
    if memory is not None:
        probe = (
            f"import resource\nresource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))\n"
            + probe
        )
    return subprocess.run(
        [sys.executable, "-c", probe + "app()\n", "forget", *args, "--yes"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "KINDFUL_HOME": str(home)},
    )


@pytest.fixture
def home(kindful_home: Path) -> Path:
    kindful_home.mkdir(parents=True)
    return kindful_home


def line(n: int) -> str:
    return json.dumps(record(id=uuid(n))) + "\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_among_the_copies_is_left_out_and_every_copy_forgets(home: Path) -> None:
    (home / "sessions.jsonl").write_text(line(1) + line(2))
    os.mkfifo(home / "sessions.sync-conflict-a.jsonl")
    (home / "sessions.sync-conflict-b.jsonl").write_text(line(1) + line(3))
    done = forget(home, uuid(1))
    assert done.returncode == 0, done.stderr
    assert (home / "sessions.jsonl").read_text() == line(2)
    assert (home / "sessions.sync-conflict-b.jsonl").read_text() == line(3)


def test_a_line_far_longer_than_a_record_is_copied_without_being_held(home: Path) -> None:
    huge = b'{"id": "' + b"x" * (64 * 1024 * 1024) + b'"}\n'
    path = home / "sessions.jsonl"
    path.write_bytes(line(1).encode() + huge + line(2).encode() + b"x" * 3_000_000)
    before = path.read_bytes()
    # Room for the interpreter and a few records, not for the 64 MB line read whole and parsed
    # (forget needed three times the line's length; it now needs a record's at most).
    done = forget(home, uuid(1), memory=150 * 1024 * 1024)
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == before[len(line(1)) :]
