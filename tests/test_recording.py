"""The recorder's flow with a file for a microphone, the level meter, and the capture device:
miniaudio's NULL backend (silence) and ALSA's ``file`` plugin (a real capture path, no hardware)."""

from __future__ import annotations

import ctypes.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
import soundfile

from kindful.practice.plan.own_voice import ToRecord
from kindful.session.recording import Recorder, State, fit, meter, screen
from kindful.sound.bowl import RATE
from kindful.sound.capture import FileSource, open_microphone
from kindful.sound.loudness import integrated_loudness
from kindful.sound.takes import VOICE_LUFS, read_clip

TEXTS = [
    ToRecord(1, "Feel your feet on the floor.", "Feel your feet on the floor.", "a" * 16, 2.0),
    ToRecord(2, "Rest.", "Rest.", "b" * 16, None),
]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def spoken_take(path: Path, seconds: float = 3.0) -> Path:
    t = np.arange(round(seconds * RATE)) / RATE
    voice = 0.05 * np.sign(np.sin(2 * np.pi * 180 * t)) * np.clip(np.sin(2 * np.pi * 2 * t), 0, 1)
    audio = np.concatenate([np.zeros(RATE // 2), voice, np.zeros(RATE // 2)])
    soundfile.write(str(path), audio, RATE)
    return path


def recorder_for(tmp_path: Path, take: Path | None) -> tuple[Recorder, Clock, list[int]]:
    clock = Clock()
    played: list[int] = []
    recorder = Recorder(
        TEXTS,
        tmp_path / "mine.voice" / "en",
        ui="en",
        listen=lambda: FileSource(take) if take else SilentSource(),
        play=lambda samples: played.append(len(samples)),
        clock=clock,
    )
    return recorder, clock, played


class SilentSource:
    def read(self) -> np.ndarray:
        return np.zeros(RATE // 20, dtype=np.float32)

    def close(self) -> None:
        pass


def run_take(recorder: Recorder, clock: Clock, seconds: float) -> None:
    recorder.press("r")
    assert recorder.state is State.RECORDING
    for _ in range(round(seconds * 10)):
        clock.now += 0.1
        recorder.tick()
    recorder.press("space")


def test_a_take_is_recorded_played_kept_cleaned_and_the_next_text_comes(tmp_path: Path) -> None:
    recorder, clock, played = recorder_for(tmp_path, spoken_take(tmp_path / "take.wav"))
    run_take(recorder, clock, 4.0)
    assert recorder.state is State.TAKEN and recorder.take is not None
    assert 2.8 < recorder.take.seconds < 3.6  # the silence either side trimmed
    shown = screen(recorder)
    assert shown.foot[0].startswith("This take: ")
    assert "words a minute (its step: 2 s)." in shown.foot[0]
    assert shown.foot[1].startswith("Longer than its step (2 s): the step will wait for it")
    recorder.press("p")
    assert played == [len(recorder.take.samples)]
    recorder.press("enter")
    kept = read_clip(tmp_path / "mine.voice" / "en" / f"{'a' * 16}.flac")
    assert kept is not None
    assert integrated_loudness(kept, RATE) == pytest.approx(VOICE_LUFS, abs=0.5)
    assert recorder.index == 1 and recorder.recorded() == 1
    recorder.press("b")
    assert "(recorded)" in screen(recorder).head[0]
    recorder.press("q")
    assert recorder.done


def test_nothing_heard_is_said_and_nothing_is_kept(tmp_path: Path) -> None:
    recorder, clock, _ = recorder_for(tmp_path, None)
    run_take(recorder, clock, 2.0)
    assert recorder.state is State.READY and recorder.take is None
    assert screen(recorder).foot[-1].startswith("Nothing was heard in that take")
    recorder.press("enter")
    assert not (tmp_path / "mine.voice").exists()


def test_redo_moves_and_leaving_mid_take_keep_nothing_unasked(tmp_path: Path) -> None:
    recorder, clock, _ = recorder_for(tmp_path, spoken_take(tmp_path / "take.wav"))
    run_take(recorder, clock, 4.0)
    recorder.press("x")  # again: the first take is let go
    assert recorder.state is State.RECORDING and recorder.take is None
    recorder.press("q")
    assert recorder.done and recorder.recorded() == 0
    recorder.done = False
    recorder.press("n")
    assert recorder.index == 1
    recorder.press("n")
    assert recorder.index == 1  # no text after the last


def test_the_meter_and_the_fit_read_as_an_author_expects() -> None:
    assert meter(-60.0, 10) == "[----------]"
    assert meter(-30.0, 10) == "[#####-----]"
    assert meter(0.0, 10) == "[##########]"
    untimed = fit(3.0, TEXTS[1], "en")
    assert untimed == ["This take: 3 s, 20 words a minute"]
    assert len(fit(1.5, TEXTS[0], "en")) == 1  # fits: no warning


def test_the_null_backend_hears_nothing_and_the_take_is_refused(tmp_path: Path) -> None:
    import time

    microphone = open_microphone(null=True)
    deadline = time.monotonic() + 5  # a device's own clock: waited for, briefly
    try:
        while microphone.heard < RATE // 10 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        microphone.close()
    heard = microphone.read()
    assert len(heard) >= RATE // 10  # it did hear, and what it heard was silence
    assert not np.any(heard)
    recorder, clock, _ = recorder_for(tmp_path, None)
    recorder.listen = lambda: open_microphone(null=True)
    run_take(recorder, clock, 0.5)
    assert recorder.take is None
    assert "Nothing was heard" in recorder.message


HAS_ALSA = ctypes.util.find_library("asound") is not None


@pytest.mark.skipif(not HAS_ALSA, reason="ALSA's library (libasound2) is not installed")
def test_the_real_capture_path_records_what_alsas_file_plugin_feeds_it(tmp_path: Path) -> None:
    # A capture device that reads a raw file: the default device of a HOME made for the test.
    t = np.arange(RATE * 2) / RATE
    fed = (0.3 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2")
    raw = tmp_path / "fed.raw"
    raw.write_bytes(fed.tobytes())
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text(
        textwrap.dedent(
            f"""\
            pcm.!default {{
                type file
                slave.pcm "null"
                file "/dev/null"
                infile "{raw}"
                format "raw"
            }}
            """
        )
    )
    out = tmp_path / "heard.raw"
    # ALSA reads its configuration once a process: a process of its own, with that HOME.
    script = textwrap.dedent(
        f"""\
        import time
        from kindful.sound.capture import open_microphone
        want = {len(fed) + RATE}
        mic = open_microphone(limit=want)
        heard = []
        deadline = time.monotonic() + 20
        while mic.heard < want and time.monotonic() < deadline:
            time.sleep(0.01)
        mic.close()
        samples = mic.read()
        open({str(out)!r}, "wb").write((samples * 32768).astype("<i2").tobytes())
        """
    )
    env = {**os.environ, "HOME": str(home)}
    env.pop("ALSA_CONFIG_PATH", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    heard = np.frombuffer(out.read_bytes(), dtype="<i2")
    start = int(np.argmax(heard != 0))  # the device's first period may be quiet
    assert np.array_equal(heard[start - 1 : start - 1 + len(fed)], fed), json.dumps(
        [int(x) for x in heard[start : start + 5]]
    )


def _has_microphone() -> bool:
    from kindful.sound.capture import NoMicrophone

    try:
        open_microphone().close()
    except NoMicrophone:
        return False
    return True


@pytest.mark.e2e
def test_without_a_microphone_record_shows_the_first_text_then_says_so_in_one_line(
    tmp_path: Path,
) -> None:
    pexpect = pytest.importorskip("pexpect")
    if _has_microphone():
        pytest.skip("this machine has a microphone")
    practice = tmp_path / "calm.yaml"
    practice.write_text(
        "kindful: 1\ntitle: Calm\nsteps:\n  - say: Feel your feet.\n    seconds: 4\n", "utf-8"
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "kindful", "record", str(practice)],
        env=dict(os.environ),
        dimensions=(24, 80),
        timeout=60,
        encoding="utf-8",
    )
    child.expect("Feel your feet")  # the text first, before the device is tried
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert child.before.count("kindful:") == 1
    assert "kindful: Cannot record: no microphone was found." in child.before
