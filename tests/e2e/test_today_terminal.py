"""`kindful today --run` of a day of two practices in a real terminal: live and plain.

The second practice of a day starts in the same process once the first has given the terminal
back, so the terminal must be restored between them and taken again, and plain mode must still
read its lines.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(sys.platform == "win32", reason="a pty")]

KINDFUL = shutil.which("kindful", path=str(Path(sys.executable).parent)) or "kindful"

STEP = """\
kindful: 1
title: {title}
steps:
  - say: {title} begins.
    seconds: 2
  - rate: How is it?
    key: ease
  - say: {title} ends.
    seconds: 2
"""
PROGRAM = """\
kindful: 1
program: true
title: Two a day
weeks:
  - title: The only week
    days: [[first, second], [first]]
"""


def spawn(tmp_path: Path, *options: str) -> tuple[object, Path]:
    folder = tmp_path / "mine"
    folder.mkdir()
    for name in ("first", "second"):
        (folder / f"{name}.yaml").write_text(STEP.format(title=name.title()))
    (folder / "two-a-day.yaml").write_text(PROGRAM)
    home = tmp_path / "home"
    env = {
        **os.environ,
        "KINDFUL_HOME": str(home),
        "KINDFUL_PATH": str(folder),
        "KINDFUL_CONFIG": str(tmp_path / "no-config.yaml"),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    for name in ("NO_COLOR", "KINDFUL_LANG", "LC_ALL"):
        env.pop(name, None)
    kindful = shlex.quote(KINDFUL)
    today = " ".join([kindful, "today", "--run", "--speed", "4", "--sound", "off", *options])
    script = f'{kindful} program start two-a-day >/dev/null; {today}; echo "STATUS=$?"; stty -a'
    child = pexpect.spawn(
        "/bin/sh", ["-c", script], env=env, dimensions=(24, 80), encoding="utf-8", timeout=10
    )
    return child, home


def finish(child: object) -> tuple[int, str]:
    child.expect(r"STATUS=(\d+)")  # type: ignore[attr-defined]
    status = int(child.match.group(1))  # type: ignore[attr-defined]
    child.expect(pexpect.EOF)  # type: ignore[attr-defined]
    stty: str = child.before  # type: ignore[attr-defined]
    return status, stty


def logged(home: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (home / "sessions.jsonl").read_text().splitlines()]


def test_a_day_of_two_runs_both_on_the_live_screen(tmp_path: Path) -> None:
    child, home = spawn(tmp_path)
    for title in ("First", "Second"):
        child.expect(f"{title} begins.")  # type: ignore[attr-defined]
        child.expect("How is it")  # type: ignore[attr-defined]
        child.send("4\r")  # type: ignore[attr-defined]
        child.expect(f"{title} ends.")  # type: ignore[attr-defined]
    status, stty = finish(child)
    assert status == 0
    assert "icanon" in stty.split() and "echo" in stty.split()
    records = logged(home)
    assert [r["practice"] for r in records] == ["first", "second"]
    assert [r["ratings"] for r in records] == [{"ease": 4}, {"ease": 4}]
    assert all(r["completed"] for r in records)


def test_a_day_of_two_runs_both_in_plain_mode_on_a_terminal(tmp_path: Path) -> None:
    child, home = spawn(tmp_path, "--plain")
    for title in ("First", "Second"):
        child.expect(f"{title} begins.")  # type: ignore[attr-defined]
        child.expect("How is it")  # type: ignore[attr-defined]
        child.sendline("6")  # type: ignore[attr-defined]
        child.expect(f"{title} ends.")  # type: ignore[attr-defined]
    status, _ = finish(child)
    assert status == 0
    assert [r["ratings"] for r in logged(home)] == [{"ease": 6}, {"ease": 6}]
