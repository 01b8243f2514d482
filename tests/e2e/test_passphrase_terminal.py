"""Sealed reflections opened in a real terminal: the passphrase is asked once, and not echoed."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from kindful.journal import sealing, writer
from kindful.journal.record import Reflection, SessionRecord
from records import record, uuid

pexpect = pytest.importorskip("pexpect")

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(sys.platform == "win32", reason="a pty")]

KINDFUL = shutil.which("kindful", path=str(Path(sys.executable).parent)) or "kindful"
PASSPHRASE = "by the river"


def test_history_asks_for_the_passphrase_once_on_the_terminal(tmp_path: Path) -> None:
    made = sealing.new_key(PASSPHRASE)
    config = tmp_path / "config"
    config.mkdir()
    (config / "reflections-key.age").write_bytes(made.key_file)
    home = tmp_path / "home"
    for n in (1, 2):
        answer = [Reflection("What do you need?", f"quiet number {n}")]
        fields = record(id=uuid(n), started_at=f"2026-11-2{n}T07:30:00+01:00")
        sealed, _ = writer.fit(SessionRecord(**{**fields, "reflections": answer}), made.public)
        writer.append(sealed, home / "sessions.jsonl")
    env = {
        **os.environ,
        "KINDFUL_HOME": str(home),
        "KINDFUL_CONFIG": str(config / "config.yaml"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "COLUMNS": "80",
    }
    child = pexpect.spawn(
        KINDFUL, ["history", "--reflections"], env=env, encoding="utf-8", timeout=120
    )
    child.expect("Passphrase for your reflections key: ")
    child.sendline(PASSPHRASE)
    child.expect(pexpect.EOF)
    child.close()
    shown = child.before
    assert child.exitstatus == 0, shown
    assert PASSPHRASE not in shown  # not echoed
    assert "quiet number 1" in shown and "quiet number 2" in shown
    assert "Passphrase" not in shown  # asked once, for both
