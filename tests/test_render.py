"""``kindful render``: a practice as an audio file and a transcript, measured from the file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile
from typer.testing import CliRunner

from kindful.cli import app
from kindful.sound.transcript import Cue, timestamp, webvtt

runner = CliRunner()
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
)

PRACTICE = """\
kindful: 1
title: Heard
steps:
  - bell: 1
  - say: Hello there. Rest now.
    seconds: 6
  - silence: 5
  - rate: How calm are you?
    key: calm
  - bell: 2
"""


@pytest.fixture
def heard(tmp_path: Path) -> Path:
    path = tmp_path / "heard.yaml"
    path.write_text(PRACTICE, encoding="utf-8")
    return path


def cues(vtt: Path) -> list[tuple[float, float, str]]:
    def seconds(stamp: str) -> float:
        h, m, s = stamp.split(":")
        return int(h) * 3600 + int(m) * 60 + float(s)

    text = vtt.read_text(encoding="utf-8")
    assert text.startswith("WEBVTT\n")
    found = re.findall(r"(\S+) --> (\S+)\n(.+)", text)
    return [(seconds(a), seconds(b), line) for a, b, line in found]


def rms(samples: np.ndarray, rate: int, start: float, end: float) -> float:
    part = samples[int(start * rate) : int(end * rate)]
    return float(np.sqrt(np.mean(np.square(part, dtype=np.float64))))


@needs_espeak
def test_render_lays_the_plan_out_exactly_with_speech_and_silence(
    heard: Path, tmp_path: Path
) -> None:
    out = tmp_path / "heard.wav"
    result = runner.invoke(app, ["render", str(heard), "-o", str(out)])
    assert result.exit_code == 0, result.output
    timeline = cues(out.with_suffix(".vtt"))
    assert [text for _, _, text in timeline] == [
        "You can pause or stop at any time.",
        "[bell]",
        "Hello there. Rest now.",
        "How calm are you?",
        "[bell ×2]",
    ]
    opening, bell, say, rate, closing = timeline
    assert opening[0] == 0.5  # a half-second lead, then what a listener may do
    at = opening[1] + 1.0  # and a second's pause after it
    assert bell[:2] == pytest.approx((at, at + 1.5), abs=0.001)  # one strike and its gap
    assert say[:2] == pytest.approx((at + 1.5, at + 7.5), abs=0.001)  # the six seconds kept
    assert rate[0] == pytest.approx(at + 12.5, abs=0.001)  # after the five-second silence
    assert rate[1] > rate[0] + 10  # the prompt, then ten seconds for an answer
    assert closing[0] == rate[1]

    samples, rate_hz = soundfile.read(out, dtype="float32")
    # The closing bell's two strikes and their ring-out, and a second of quiet.
    assert len(samples) / rate_hz == pytest.approx(closing[0] + 1.5 + 7.5 + 1.0, abs=0.002)
    assert rms(samples, rate_hz, 0.6, 1.5) > 0.02  # the opening words are heard
    assert rms(samples, rate_hz, say[0] + 0.1, say[0] + 1.0) > 0.02  # the words are heard
    assert rms(samples, rate_hz, say[1] + 0.01, rate[0] - 0.01) == 0.0  # the silence, exactly
    assert rms(samples, rate_hz, rate[0] + 0.05, rate[0] + 1.0) > 0.02  # the prompt is spoken
    answer_window = (rate[1] - 9.5, rate[1] - 0.01)
    assert rms(samples, rate_hz, *answer_window) == 0.0  # the pause to answer in is quiet


@pytest.mark.skipif(
    shutil.which("soxi") is None, reason="sox is not installed (apt-get install sox)"
)
@needs_espeak
def test_an_mp3_is_constant_128_kbits_and_as_long_as_the_wav(heard: Path, tmp_path: Path) -> None:
    wav, mp3 = tmp_path / "a.wav", tmp_path / "a.mp3"
    for path in (wav, mp3):
        args = ["render", str(heard), "-o", str(path), "--lang", "en", "--force"]
        result = runner.invoke(app, args)  # the second writes over the first's transcript
        assert result.exit_code == 0, result.output
    seconds = float(subprocess.check_output(["soxi", "-D", str(wav)], text=True))
    info = soundfile.info(str(mp3))
    assert info.duration == pytest.approx(seconds, abs=0.1)
    assert mp3.stat().st_size * 8 / seconds / 1000 == pytest.approx(128, abs=4)


@needs_espeak
def test_render_speaks_german_with_the_german_voice(tmp_path: Path) -> None:
    out = tmp_path / "metta.flac"
    result = runner.invoke(app, ["render", "self-compassion-break", "-o", str(out), "--lang", "de"])
    assert result.exit_code == 0, result.output
    assert "geschrieben" in result.output
    text = out.with_suffix(".vtt").read_text(encoding="utf-8")
    assert "Glocke" in text
    assert soundfile.info(str(out)).format == "FLAC"


@needs_espeak
@pytest.mark.parametrize("suffix", [".ogg", ".opus"])
def test_render_writes_the_compressed_formats(heard: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"heard{suffix}"
    result = runner.invoke(app, ["render", str(heard), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert soundfile.info(str(out)).duration == pytest.approx(
        cues(out.with_suffix(".vtt"))[-1][0] + 10.0, abs=0.1
    )


@needs_espeak
def test_a_voice_the_engine_does_not_know_is_one_clear_error(heard: Path, tmp_path: Path) -> None:
    out = tmp_path / "heard.wav"
    result = runner.invoke(app, ["render", str(heard), "-o", str(out), "--voice", "no-such-voice"])
    assert result.exit_code == 1
    assert result.output.startswith("kindful: espeak-ng has no voice")
    assert "Traceback" not in result.output
    assert not out.exists()


def test_render_asks_for_a_file_it_can_write(heard: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(heard)])
    assert result.exit_code == 2
    assert "-o FILE" in result.output
    result = runner.invoke(app, ["render", str(heard), "-o", str(tmp_path / "x.aac")])
    assert result.exit_code == 2
    assert ".aac" in result.output


def test_webvtt_escapes_markup_and_keeps_times() -> None:
    text = webvtt([Cue(0.5, 61.25, "a <b> & c --> d\n\nnext")])
    assert text == (
        "WEBVTT\n\n1\n00:00:00.500 --> 00:01:01.250\na &lt;b&gt; &amp; c --&gt; d\nnext\n"
    )
    assert timestamp(3723.0005) == "01:02:03.000"


@needs_espeak
def test_the_speech_timer_measures_the_real_length_of_a_text() -> None:
    from kindful.sound.voice_choice import speech_timer

    timer = speech_timer()
    assert timer is not None
    short = timer("Rest.", "en")
    long = timer("Rest here. Let the breath come and go. There is nothing you need to do.", "de")
    assert short is not None and long is not None
    assert 0.2 < short < 2.0
    assert long > short + 2.0  # 15 words and three sentence pauses at a calm pace
    assert timer("Rest.", "xx-no-such-language") is None


INPUTS = """\
kindful: 1
title: Named
inputs:
  - name: friend
    ask: Who?
    default: a friend
steps:
  - say: "Think of {friend}."
    seconds: 20
  - breathe: ""
    in: 4
    out: 6
    cycles: 3
"""


@needs_espeak
def test_render_takes_inputs_and_minutes_as_run_does(tmp_path: Path) -> None:
    path = tmp_path / "named.yaml"
    path.write_text(INPUTS, encoding="utf-8")
    out = tmp_path / "named.wav"
    args = ["render", str(path), "-o", str(out), "--input", "friend=Ana", "--minutes", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    opening, *timeline = cues(out.with_suffix(".vtt"))
    assert timeline[0][2] == "Think of Ana."
    info = soundfile.info(str(out))
    # Scaled to a minute: the lead and the opening, the saying, whole breaths, a second of quiet.
    assert info.duration == pytest.approx(opening[1] + 1.0 + 60 + 1.0, abs=1.0)
    samples, rate_hz = soundfile.read(out, dtype="float32")
    breath_start = timeline[0][1]
    assert (
        rms(samples, rate_hz, breath_start + 0.5, breath_start + 3.5) > 0.005
    )  # the in-breath tone


def test_a_five_minute_ogg_is_written_whole(tmp_path: Path) -> None:
    # Written in one call, libvorbis overran the stack at about 95 s and the process died with
    # SIGSEGV; a child process keeps such a crash from taking the test run with it.
    out = tmp_path / "long.ogg"
    script = (
        "import sys, numpy as np\n"
        "from pathlib import Path\n"
        "from kindful.sound.bowl import RATE\n"
        "from kindful.sound.master import Tags, write_programme\n"
        "from kindful.sound.mix import Mixdown\n"
        "noise = np.random.default_rng(1).standard_normal(300 * RATE).astype(np.float32)\n"
        "mix = Mixdown(lambda: 0.0)\n"
        "mix.play(noise * np.float32(0.1), 'speech')\n"
        "write_programme(Path(sys.argv[1]), mix, 300.0, Tags('Long', 'kindful'))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert soundfile.info(str(out)).duration == pytest.approx(300.0, abs=0.01)
