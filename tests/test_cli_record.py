"""``kindful record``: the texts listed, takes imported, the status, and clips heard in a render."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import soundfile
from typer.testing import CliRunner

from kindful.cli import app
from kindful.practice.plan.own_voice import clip_key
from kindful.sound.bowl import RATE

runner = CliRunner()

PRACTICE = """\
kindful: 1
title: Mine
inputs:
  - name: friend
    ask: Who?
    default: a friend
steps:
  - bell: 1
  - say: "Think of {friend}."
    seconds: 6
  - say: Rest your hands.
    seconds: 5
  - silence: 4
    text: Stay here.
"""


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    path = tmp_path / "practices" / "mine.yaml"
    path.parent.mkdir()
    path.write_text(PRACTICE, encoding="utf-8")
    return path


def take(path: Path, hz: float = 440.0, seconds: float = 1.5, quiet: bool = False) -> Path:
    """Write a take: quiet, a buzzy tone of ``seconds``, quiet; or silence alone."""
    t = np.arange(round(seconds * RATE)) / RATE
    tone = 0.2 * np.sign(np.sin(2 * np.pi * hz * t)) * np.hanning(len(t))
    gap = np.zeros(RATE // 2)
    audio = np.zeros(RATE * 2) if quiet else np.concatenate([gap, tone, gap])
    soundfile.write(str(path), audio, RATE)
    return path


def test_list_numbers_the_texts_as_a_run_meets_them_with_their_time(mine: Path) -> None:
    result = runner.invoke(app, ["record", str(mine), "--list"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "  1  [6 s]  Think of {friend}.",
        "  2  [5 s]  Rest your hands.",
        "  3  [4 s]  Stay here.",
    ]


def test_import_keeps_the_numbered_takes_under_their_texts_keys(mine: Path, tmp_path: Path) -> None:
    takes = tmp_path / "takes"
    takes.mkdir()
    take(takes / "01.wav")
    take(takes / "3.flac", hz=330)
    (takes / "notes.txt").write_text("not a take")
    result = runner.invoke(app, ["record", str(mine), "--import", str(takes)])
    assert result.exit_code == 0, result.output
    folder = mine.parent / "mine.voice" / "en"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{clip_key('en', 'Think of {friend}.')}.flac", f"{clip_key('en', 'Stay here.')}.flac"]
    )
    info = soundfile.info(str(folder / f"{clip_key('en', 'Stay here.')}.flac"))
    assert (info.format, info.samplerate, info.channels) == ("FLAC", RATE, 1)
    status = runner.invoke(app, ["record", str(mine), "--status"])
    assert status.exit_code == 0, status.output
    lines = status.output.splitlines()
    assert lines[0].split()[:2] == ["1", "recorded"]
    assert lines[1].split()[:2] == ["2", "missing"]
    assert lines[-1] == ("2 of 3 texts recorded, 1 missing, 0 recordings for no text any more.")


def test_an_edited_text_leaves_its_old_clip_orphaned_and_unused(mine: Path, tmp_path: Path) -> None:
    takes = tmp_path / "takes"
    takes.mkdir()
    take(takes / "02.wav")
    assert runner.invoke(app, ["record", str(mine), "--import", str(takes)]).exit_code == 0
    mine.write_text(PRACTICE.replace("Rest your hands.", "Rest your hands gently."), "utf-8")
    status = runner.invoke(app, ["record", str(mine), "--status"])
    assert "orphaned" in status.output
    assert status.output.splitlines()[-1].endswith("1 recordings for no text any more.")
    render = runner.invoke(app, ["render", str(mine), "-o", str(tmp_path / "out.wav")])
    assert "0 of 3 texts in your voice" in render.output


def test_a_silent_take_is_refused_in_one_line_and_the_rest_are_kept(
    mine: Path, tmp_path: Path
) -> None:
    takes = tmp_path / "takes"
    takes.mkdir()
    take(takes / "01.wav", quiet=True)
    take(takes / "02.wav")
    take(takes / "07.wav")
    result = runner.invoke(app, ["record", str(mine), "--import", str(takes)])
    assert result.exit_code == 1
    assert "Kept 1 takes (2) in " in result.output
    assert "01.wav: Nothing was heard in that take" in result.output
    assert "07.wav: there is no text 7 (the practice has 3" in result.output
    assert "Traceback" not in result.output


def test_a_practice_folder_that_cannot_hold_recordings_is_one_clear_error(
    mine: Path, tmp_path: Path
) -> None:
    (mine.parent / "mine.voice").write_text("in the way")
    takes = tmp_path / "takes"
    takes.mkdir()
    take(takes / "01.wav")
    result = runner.invoke(app, ["record", str(mine), "--import", str(takes)])
    assert result.exit_code == 1
    assert result.output.startswith("kindful: Cannot keep recordings in ")
    assert len(result.output.strip().splitlines()) == 1


def test_record_without_a_terminal_says_so_in_one_line(mine: Path) -> None:
    result = runner.invoke(app, ["record", str(mine)])
    assert result.exit_code == 1
    assert "Recording needs a terminal" in result.output


def test_list_status_and_import_go_one_at_a_time(mine: Path) -> None:
    result = runner.invoke(app, ["record", str(mine), "--list", "--status"])
    assert result.exit_code == 2


def band(audio: np.ndarray, hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(audio * np.hanning(len(audio))))
    freq = np.fft.rfftfreq(len(audio), 1 / RATE)
    near = np.abs(freq - hz) < 5
    return float(spectrum[near].max() / (spectrum.mean() + 1e-12))


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_render_mixes_the_authors_clips_with_the_synthetic_voice(
    mine: Path, tmp_path: Path
) -> None:
    takes = tmp_path / "takes"
    takes.mkdir()
    take(takes / "02.wav", hz=441, seconds=2.0)
    assert runner.invoke(app, ["record", str(mine), "--import", str(takes)]).exit_code == 0
    out = tmp_path / "mine.wav"
    result = runner.invoke(app, ["render", str(mine), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 of 3 texts in your voice." in result.output
    audio, rate = soundfile.read(str(out))
    starts = {text: start for start, _, text in cues_of(out.with_suffix(".vtt"))}
    # The clip's buzz at 441 Hz is heard in its step, and not in a synthetic one.
    own = audio[round(starts["Rest your hands."] * rate) :][: 2 * rate]
    synthetic = audio[round(starts["Think of a friend."] * rate) :][: 2 * rate]
    assert band(own, 441) > 100
    assert band(own, 441) > 5 * band(synthetic, 441)


def cues_of(vtt: Path) -> list[tuple[float, float, str]]:
    """Give the transcript's cues: start and end in seconds, and the text."""
    found = []
    for block in vtt.read_text(encoding="utf-8").split("\n\n")[1:]:
        lines = block.strip().splitlines()
        start, _, end = lines[1].partition(" --> ")
        found.append((seconds(start), seconds(end), "\n".join(lines[2:])))
    return found


def seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_text_with_inputs_filled_otherwise_is_spoken_synthetically(
    mine: Path, tmp_path: Path
) -> None:
    takes = tmp_path / "takes"
    takes.mkdir()
    take(takes / "01.wav")
    assert runner.invoke(app, ["record", str(mine), "--import", str(takes)]).exit_code == 0
    out = tmp_path / "mine.wav"
    same = runner.invoke(app, ["render", str(mine), "-o", str(out)])
    assert "1 of 3 texts in your voice." in same.output
    other = runner.invoke(
        app, ["render", str(mine), "-o", str(tmp_path / "sam.wav"), "--input", "friend=Sam"]
    )
    assert "0 of 3 texts in your voice." in other.output


def test_validate_warns_of_missing_recordings_only_in_a_language_begun(
    mine: Path, tmp_path: Path
) -> None:
    plain = runner.invoke(app, ["validate", "--strict", str(mine)])
    assert plain.exit_code == 0, plain.output  # nothing recorded, nothing begun: no word
    takes = tmp_path / "takes"
    takes.mkdir()
    take(takes / "02.wav")
    assert runner.invoke(app, ["record", str(mine), "--import", str(takes)]).exit_code == 0
    begun = runner.invoke(app, ["validate", str(mine)])
    assert begun.exit_code == 0
    lines = [line for line in begun.output.splitlines() if "no recording" in line]
    assert lines == [
        f"{mine}:9:1: warning: text 1 has no recording in `en` (kindful record {mine} --lang en)",
        f"{mine}:14:1: warning: text 3 has no recording in `en` (kindful record {mine} --lang en)",
    ]
    assert runner.invoke(app, ["validate", "--strict", str(mine)]).exit_code == 1


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_validate_measures_with_the_installed_voice_and_says_which(tmp_path: Path) -> None:
    path = tmp_path / "tight.yaml"
    path.write_text(
        "kindful: 1\ntitle: Tight\nsteps:\n  - say: |\n      Feel your feet.\n\n"
        "      Feel your hands.\n\n      Feel your breath.\n    seconds: 6\n",
        encoding="utf-8",
    )
    # Six words: 3.3 s by the estimate, but each blank line is 2 s of quiet when spoken.
    result = runner.invoke(app, ["validate", str(path)])
    assert "(measured with espeak-ng en at 115 words a minute), has 6 s" in result.output
    config = tmp_path / "config.yaml"
    config.write_text("speech_rate: 400\nvoices:\n  en: en-gb\n", encoding="utf-8")
    faster = runner.invoke(app, ["validate", str(path)], env={"KINDFUL_CONFIG": str(config)})
    assert "warning" not in faster.output, faster.output  # not the report kept from before


def test_run_with_the_voice_says_how_many_texts_are_in_the_authors_voice(
    mine: Path, tmp_path: Path
) -> None:
    takes = tmp_path / "takes"
    takes.mkdir()
    take(takes / "03.wav")
    assert runner.invoke(app, ["record", str(mine), "--import", str(takes)]).exit_code == 0
    args = ["run", str(mine), "--plain", "--voice", "--no-log", "--speed", "1000"]
    result = runner.invoke(app, args, input="\n")
    assert result.exit_code == 0, result.output
    assert "kindful: 1 of 3 texts in your voice." in result.output


def test_record_list_of_a_known_practice_loads_nothing_heavy(mine: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    script = (
        "import sys\nfrom kindful.cli import main\ntry:\n    main()\nexcept SystemExit:\n"
        "    pass\nheavy = [m for m in ('yaml', 'pydantic', 'numpy', 'miniaudio', 'rich')"
        " if m in sys.modules]\nprint('HEAVY', heavy, file=sys.stderr)\n"
    )

    def heavy() -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, "record", str(mine), "--list"],
            env=dict(os.environ),
            capture_output=True,
            text=True,
            timeout=60,
        )
        return done.stderr.strip().splitlines()[-1]

    heavy()  # the first time, the practice is validated
    assert heavy() == "HEAVY []"


def test_the_recorders_screen_draws_without_numpy() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nimport kindful.cli.record, kindful.session.recording\n"
        "print('numpy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
