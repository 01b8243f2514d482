"""``kindful run`` with sound options, where no sound device exists (as in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kindful.cli import app
from kindful.sound.output import NoDevice, open_device

runner = CliRunner()

PRACTICE = """\
kindful: 1
title: Short
steps:
  - bell: 1
  - say: Rest.
    seconds: 0.5
  - bell: 2
"""


def no_device() -> bool:
    try:
        open_device().close()
    except NoDevice:
        return True
    return False


@pytest.fixture
def short(tmp_path: Path) -> Path:
    path = tmp_path / "short.yaml"
    path.write_text(PRACTICE, encoding="utf-8")
    return path


@pytest.mark.skipif(not no_device(), reason="this machine has a sound device")
def test_voice_without_a_device_says_so_once_and_runs_with_text(short: Path) -> None:
    result = runner.invoke(app, ["run", str(short), "--voice", "--speed", "50", "--no-log"])
    assert result.exit_code == 0, result.output
    assert result.output.count("No sound here") == 1
    assert "Rest." in result.output


@pytest.mark.skipif(not no_device(), reason="this machine has a sound device")
def test_the_bowl_asked_for_without_a_device_falls_back_to_the_terminal_bell(short: Path) -> None:
    result = runner.invoke(app, ["run", str(short), "--sound", "bowl", "--speed", "50", "--no-log"])
    assert result.exit_code == 0, result.output
    assert result.output.count("the bell rings in the terminal") == 1


def test_without_a_choice_a_pipe_gets_no_word_about_sound(short: Path) -> None:
    result = runner.invoke(app, ["run", str(short), "--speed", "50", "--no-log"])
    assert result.exit_code == 0, result.output
    assert "sound" not in result.output.lower()


def test_sound_takes_three_choices(short: Path) -> None:
    result = runner.invoke(app, ["run", str(short), "--sound", "gong"])
    assert result.exit_code == 2
    assert "bowl, terminal or off" in result.output
    result = runner.invoke(app, ["run", str(short), "--sound", "off", "--speed", "50", "--no-log"])
    assert result.exit_code == 0, result.output


def test_the_sound_libraries_load_only_in_the_commands_that_play_or_write_sound() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from kindful.cli import main\n"
        "sys.argv = ['kindful', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('numpy', 'soundfile', 'miniaudio') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout + done.stderr


class FakeGuide:
    closed = False

    def ring_out_until(self) -> float:
        return 0.0

    def close(self) -> None:
        self.closed = True


def _walk_live(monkeypatch: pytest.MonkeyPatch, guide_for: object, during: object) -> None:
    """Walk a session as the live screen would, with ``guide_for`` and ``run_live`` faked."""
    from fakes import FakeClock
    from kindful.cli import hearing
    from kindful.cli.run import Edges, RunOptions, _walk
    from kindful.practice.plan.planner import Plan, Say
    from kindful.session import live
    from kindful.session.engine import Session
    from kindful.settings import load_settings

    clock = FakeClock()
    session = Session(Plan("p", "P", "en", (Say("Rest.", 1.0),)), clock)
    options = RunOptions(
        lang="en",
        ui="en",
        inputs={},
        minutes=None,
        speed=1,
        settings=load_settings(),
        plain=False,
        log=False,
        bell=True,
    )
    monkeypatch.setattr(hearing, "guide_for", guide_for)
    monkeypatch.setattr(live, "run_live", during)
    _walk(session, options, Edges(clock=clock, sleep=clock.tick), live=True)


def test_what_the_sound_says_on_the_live_screen_waits_until_the_terminal_is_back(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def guide_for(session: object, options: object, clock: object, live: bool, tell):  # type: ignore[no-untyped-def]
        tell("No sound here (no sound device was found)")
        return None

    seen_during: list[str] = []

    def run_live(session: object, *, open_guide, **kwargs: object) -> None:  # type: ignore[no-untyped-def]
        assert open_guide() is None
        seen_during.append(capsys.readouterr().err)  # written over the live screen: lost

    _walk_live(monkeypatch, guide_for, run_live)
    assert seen_during == [""]
    assert capsys.readouterr().err == "kindful: No sound here (no sound device was found)\n"


def test_a_stop_while_the_sound_opens_still_closes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib
    from collections.abc import Iterator

    from kindful import platforms
    from kindful.session.signals import Stopped

    guide = FakeGuide()

    @contextlib.contextmanager
    def stop_when_left() -> Iterator[None]:  # a SIGTERM held while the sound opened
        yield
        raise Stopped(15)

    monkeypatch.setattr(platforms, "stops_held", stop_when_left)

    def run_live(session: object, *, open_guide, **kwargs: object) -> None:  # type: ignore[no-untyped-def]
        open_guide()

    with pytest.raises(Stopped):
        _walk_live(monkeypatch, lambda *args: guide, run_live)
    assert guide.closed


def _walk_with_voice(
    monkeypatch: pytest.MonkeyPatch, answer: str | None
) -> tuple[list[str], object, object]:
    """Walk a live session with --voice where no sound can be had; give what happened."""
    from fakes import FakeClock
    from kindful.cli import hearing
    from kindful.cli.run import Edges, RunOptions, _walk
    from kindful.practice.plan.planner import Plan, Say
    from kindful.session import live
    from kindful.session.engine import Session
    from kindful.settings import load_settings

    happened: list[str] = []
    guide = FakeGuide()

    def guide_for(session: object, options: object, clock: object, live: bool, tell):  # type: ignore[no-untyped-def]
        happened.append("sound opened")
        tell("No sound here (no sound device was found)")
        return guide

    def run_live(session: object, *, open_guide, **kwargs: object) -> None:  # type: ignore[no-untyped-def]
        happened.append("live screen")
        assert open_guide() is guide  # opened once, before the screen
        session.start()  # type: ignore[attr-defined]

    def read_line() -> str | None:
        happened.append("asked")
        return answer

    clock = FakeClock()
    session = Session(Plan("p", "P", "en", (Say("Rest.", 1.0),)), clock)
    options = RunOptions(
        lang="en",
        ui="en",
        inputs={},
        minutes=None,
        speed=1,
        settings=load_settings(),
        plain=False,
        log=False,
        bell=True,
        voice=True,
    )
    monkeypatch.setattr(hearing, "guide_for", guide_for)
    monkeypatch.setattr(live, "run_live", run_live)
    _walk(session, options, Edges(clock=clock, sleep=clock.tick, read_line=read_line), live=True)
    return happened, session, guide


def test_a_voice_that_cannot_be_heard_is_said_before_the_live_screen_begins(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    happened, _, guide = _walk_with_voice(monkeypatch, "")
    assert happened == ["sound opened", "asked", "live screen"]
    said = capsys.readouterr()
    assert said.err == "kindful: No sound here (no sound device was found)\n"  # once, before
    assert "Enter begins the practice with its words on the screen" in said.out
    assert guide.closed  # type: ignore[attr-defined]


def test_q_after_the_voice_notice_leaves_the_practice_unbegun(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    happened, session, guide = _walk_with_voice(monkeypatch, "q")
    assert happened == ["sound opened", "asked"]
    assert not session.started  # type: ignore[attr-defined]
    assert guide.closed  # type: ignore[attr-defined]
