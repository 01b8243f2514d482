"""`kindful run` in a real pseudo-terminal: keys, exit statuses, the log, the terminal restored.

Each run goes through a small shell, ``kindful run ...; echo STATUS=$?; stty -a``, so the exit
status and the terminal's mode afterwards are read from the same terminal the person would see.
The shell traps SIGINT with a no-op, so Ctrl-C ends kindful but not the shell that reports it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc"),
]

KINDFUL = shutil.which("kindful", path=str(Path(sys.executable).parent)) or "kindful"

PRACTICE = """\
kindful: 1
title: A short test pause
steps:
  - say: Arrive here.
    seconds: 60
  - say: The second step.
    seconds: 60
  - silence: 60
    text: Rest here.
"""

HIDE_CURSOR = "\x1b[?25l"
SHOW_CURSOR = "\x1b[?25h"


class Run:
    """One ``kindful run`` in a pseudo-terminal of 80 by 24, and what it wrote."""

    def __init__(
        self, tmp_path: Path, dimensions: tuple[int, int] = (24, 80), text: str = PRACTICE
    ) -> None:
        practice = tmp_path / "short-pause.yaml"
        practice.write_text(text, encoding="utf-8")
        self.home = tmp_path / "home"
        env = {
            **os.environ,
            "KINDFUL_HOME": str(self.home),
            "KINDFUL_CONFIG": str(tmp_path / "no-config.yaml"),
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
        }
        for name in ("NO_COLOR", "KINDFUL_LANG", "LC_ALL", "KINDFUL_PATH"):
            env.pop(name, None)
        command = f"{shlex.quote(KINDFUL)} run {shlex.quote(str(practice))} --speed 5"
        script = f'trap : INT; {command}; echo "STATUS=$?"; stty -a'
        self.child = pexpect.spawn(
            "/bin/sh", ["-c", script], env=env, dimensions=dimensions, encoding="utf-8", timeout=8
        )
        self.child.expect("Arrive here.")

    def kindful_pid(self) -> int:
        """Give the pid of kindful, the shell's child."""
        children = Path(f"/proc/{self.child.pid}/task/{self.child.pid}/children").read_text()
        return int(children.split()[0])

    def quiet_for(self, seconds: float) -> bool:
        """Tell whether nothing was drawn for ``seconds``, once the frame being drawn is out."""
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:  # the rest of the frame that is being written
            try:
                self.child.read_nonblocking(size=65536, timeout=0.2)
            except pexpect.TIMEOUT:
                break
        try:
            self.child.read_nonblocking(size=1, timeout=seconds)
        except pexpect.TIMEOUT:
            return True
        return False

    def finish(self) -> tuple[int, str, str]:
        """Wait for the end; give the exit status, what kindful drew and ``stty -a`` after."""
        self.child.expect(r"STATUS=(\d+)")
        drawn = self.child.before
        status = int(self.child.match.group(1))
        self.child.expect(pexpect.EOF)
        stty = self.child.before
        self.child.close()
        return status, drawn, stty

    def logged(self) -> list[dict[str, object]]:
        lines = (self.home / "sessions.jsonl").read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines]


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    started = Run(tmp_path)
    try:
        yield started
    finally:
        if started.child.isalive():
            with contextlib.suppress(OSError, ValueError, IndexError):
                os.kill(started.kindful_pid(), signal.SIGKILL)  # the shell's child, not only it
            started.child.terminate(force=True)


def assert_restored(drawn: str, stty: str) -> None:
    assert drawn.rfind(SHOW_CURSOR) > drawn.rfind(HIDE_CURSOR), "the cursor is left hidden"
    assert drawn.rfind("\x1b[?1049l") > drawn.rfind("\x1b[?1049h"), "left on the other screen"
    flags = stty.split()
    assert "icanon" in flags and "echo" in flags, stty


def assert_logged_not_completed(run: Run) -> None:
    (record,) = run.logged()
    assert record["completed"] is False
    assert record["speed"] == 5


def test_keys_move_the_practice_and_q_ends_it(run: Run) -> None:
    run.child.expect(r"0:5[0-8]")  # the countdown moves (five planned seconds a second)
    run.child.send(" ")
    run.child.expect("Paused")
    assert run.quiet_for(1.2), "the screen kept changing while paused"
    run.child.send(" ")
    run.child.expect(r"0:[0-4]\d")
    run.child.send("n")
    run.child.expect("The second step.")
    run.child.send("\x1b[C")  # the right arrow
    run.child.expect("Rest here.")
    run.child.send("q")
    status, drawn, stty = run.finish()
    assert status == 0
    assert_restored(drawn, stty)
    assert_logged_not_completed(run)
    assert run.logged()[0]["steps_done"] == 2


def test_ctrl_c_ends_with_130(run: Run) -> None:
    run.child.expect(r"0:5[0-8]")  # the live loop is running, its handlers in place
    run.child.sendintr()
    status, drawn, stty = run.finish()
    assert status == 130
    assert_restored(drawn, stty)
    assert_logged_not_completed(run)


@pytest.mark.parametrize(("signum", "expected"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_signal_ends_with_its_status(run: Run, signum: int, expected: int) -> None:
    run.child.expect(r"0:5[0-8]")  # the live loop is running, its handlers in place
    os.kill(run.kindful_pid(), signum)
    status, drawn, stty = run.finish()
    assert status == expected
    assert_restored(drawn, stty)
    assert_logged_not_completed(run)


def test_the_countdown_is_drawn_only_when_it_changes(run: Run) -> None:
    # At speed 5 a silence shows a new second five times a real second; between, nothing, and
    # what did not change (the title, the text, the keys) is not written again.
    run.child.send("n")
    run.child.send("n")
    run.child.expect("Rest here.")
    start = time.monotonic()
    drawn = ""
    while time.monotonic() - start < 2.0:
        try:
            drawn += run.child.read_nonblocking(size=65536, timeout=0.5)
        except pexpect.TIMEOUT:
            break
    assert 6 <= len(re.findall(r"\d:\d\d left", drawn)) <= 14
    assert "Rest here." not in drawn
    assert "q end" not in drawn
    run.child.send("q")
    status, drawn, stty = run.finish()
    assert status == 0
    assert_restored(drawn, stty)


def test_a_terminal_that_goes_away_still_leaves_the_session_logged(tmp_path: Path) -> None:
    practice = tmp_path / "short-pause.yaml"
    practice.write_text(PRACTICE, encoding="utf-8")
    home, status_file = tmp_path / "home", tmp_path / "status"
    env = {**os.environ, "KINDFUL_HOME": str(home), "TERM": "xterm-256color"}
    env["KINDFUL_CONFIG"] = str(tmp_path / "no-config.yaml")
    command = f"{shlex.quote(KINDFUL)} run {shlex.quote(str(practice))} --speed 5"
    script = f"trap : HUP; {command} 2>/dev/null; echo $? > {shlex.quote(str(status_file))}"
    child = pexpect.spawn("/bin/sh", ["-c", script], env=env, dimensions=(24, 80), timeout=8)
    try:
        child.expect("Arrive here.")
        os.close(child.child_fd)  # the terminal window is closed
        deadline = time.monotonic() + 8
        while not status_file.exists() or not status_file.read_text():
            assert time.monotonic() < deadline, "kindful did not end after the hang-up"
            time.sleep(0.05)
    finally:
        with contextlib.suppress(OSError):
            os.killpg(child.pid, signal.SIGKILL)  # the shell and kindful, if either is left
    assert status_file.read_text().strip() == "129"
    (record,) = [json.loads(line) for line in (home / "sessions.jsonl").read_text().splitlines()]
    assert record["completed"] is False


LONG_PRACTICE = """\
kindful: 1
title: A long line
steps:
  - say: >-
      Arrive here. Let your attention rest on the breath for a moment, without changing it.
      Notice where you feel it most clearly: at the nostrils, in the chest, or in the belly
      as it rises and falls, and let it be just as it is.
    seconds: 60
  - reflect: What do you need?
"""


def test_a_wide_terminal_keeps_a_readable_measure_in_the_middle(tmp_path: Path) -> None:
    run = Run(tmp_path, dimensions=(30, 200), text=LONG_PRACTICE)
    run.child.expect(r"\x1b\[\d+;1H {64}changing it\. Notice where")  # 72 columns, centred
    run.child.expect("rehearsal ×5")  # a --speed other than 1 says so
    run.child.send("q")
    status, drawn, stty = run.finish()
    assert status == 0
    assert_restored(drawn, stty)


def test_a_short_terminal_keeps_the_keys_and_the_countdown(tmp_path: Path) -> None:
    run = Run(tmp_path, dimensions=(9, 60), text=LONG_PRACTICE)
    run.child.expect("…")  # the text is cut, in the first frame drawn
    run.child.expect("1:00")  # the countdown
    run.child.expect("q end")  # and the keys, at the bottom
    run.child.expect(r"0:[0-5]\d")  # the countdown moves
    run.child.send("n")
    run.child.expect("Enter alone skips · Ctrl-C ends")  # the question screen shows its keys
    run.child.sendline("A walk.")
    status, drawn, stty = run.finish()
    assert status == 0
    assert_restored(drawn, stty)
    assert run.logged()[0]["reflections"] == [{"prompt": "What do you need?", "text": "A walk."}]
