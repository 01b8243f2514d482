"""Audio a client can keep: loudness read by ffmpeg, tags read by mutagen, transcripts in order.

Each property is read back by a reader kindful does not share code with: ffmpeg's ``ebur128``
filter for the loudness, mutagen for the tags.
"""

from __future__ import annotations

import json
import re
import shutil
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest
import soundfile
from typer.testing import CliRunner

from kindful.cli import app
from kindful.sound.bowl import RATE
from kindful.sound.master import Mastered, Tags, id3, level_of, riff_info, write_programme
from kindful.sound.mix import Mixdown
from kindful.sound.transcript import Cue, webvtt

runner = CliRunner()
needs_espeak = pytest.mark.skipif(
    shutil.which("espeak-ng") is None,
    reason="espeak-ng is not installed (apt-get install espeak-ng)",
)
needs_ffmpeg = pytest.mark.skipif(
    shutil.which("ffmpeg") is None, reason="ffmpeg is not installed (apt-get install ffmpeg)"
)


EBUR128 = ["-af", "ebur128=peak=true", "-f", "null", "-"]


def ebur128(path: Path) -> tuple[float, float]:
    """Give ffmpeg's integrated loudness (LUFS) and true peak (dBTP) of ``path``."""
    done = subprocess.run(
        ["ffmpeg", "-nostats", "-hide_banner", "-i", str(path), *EBUR128],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = done.stderr[done.stderr.rindex("Summary:") :]
    loudness = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return loudness, peak


@needs_espeak
@needs_ffmpeg
@pytest.mark.parametrize(
    ("practice", "suffix"),
    [("loving-kindness", ".mp3"), ("box-breathing", ".opus"), ("self-compassion-break", ".flac")],
)
def test_a_render_is_at_minus_19_lufs_and_below_minus_1_dbtp(
    practice: str, suffix: str, tmp_path: Path
) -> None:
    out = tmp_path / f"a{suffix}"
    result = runner.invoke(app, ["render", practice, "-o", str(out), "--minutes", "2"])
    assert result.exit_code == 0, result.output
    loudness, peak = ebur128(out)
    assert loudness == pytest.approx(-19.0, abs=0.5)
    assert peak <= -1.0


@needs_ffmpeg
def test_a_loud_bell_over_quiet_speech_is_limited_not_clipped(tmp_path: Path) -> None:
    # A programme whose peaks stand far above its loudness: at -19 LUFS the bell would pass
    # 0 dBFS; the limiter lowers it alone, and the loudness stays where it was asked.
    clock = [0.0]
    mix = Mixdown(lambda: clock[0])
    t = np.arange(60 * RATE) / RATE
    mix.play((0.05 * np.sin(2 * np.pi * 300 * t)).astype(np.float32), "speech")
    clock[0] = 30.0
    click = np.zeros(RATE, dtype=np.float32)
    click[100:140] = 0.9
    mix.play(click, "bell")
    out = tmp_path / "peaky.wav"
    write_programme(out, mix, 60.0, Tags("Peaky", "kindful"))
    loudness, peak = ebur128(out)
    assert loudness == pytest.approx(-19.0, abs=0.5)
    assert peak <= -1.0


def test_the_limiter_gain_never_jumps_between_blocks() -> None:
    clock = [0.0]
    mix = Mixdown(lambda: clock[0])
    tone = (0.9 * np.sin(2 * np.pi * 440 * np.arange(10 * RATE) / RATE)).astype(np.float32)
    mix.play(tone, "bell")
    whole = Mastered(mix, 10 * RATE, 4.0)
    joined = np.concatenate(list(whole.blocks()))
    in_one = whole.span(0, 10 * RATE)
    assert np.max(np.abs(joined - in_one)) < 1e-6  # blocks give what one span gives
    assert np.max(np.abs(joined)) <= 10 ** (-1.5 / 20) + 1e-6


@pytest.mark.parametrize("rate", [24000, 48000, 16000])
def test_blocks_at_another_rate_are_the_whole_mix_resampled(rate: int) -> None:
    # Ten seconds, longer than one block at any rate: each block's samples lie where the
    # whole file's would, and the file is as long as its seconds make it.
    mix = Mixdown(lambda: 0.25)
    mix.play((0.3 * np.sin(2 * np.pi * 330 * np.arange(10 * RATE) / RATE)).astype(np.float32), "x")
    length = 10 * RATE + 777
    mastered = Mastered(mix, length, 1.0)
    blocks = list(mastered.blocks(rate))
    total = round(length * rate / RATE)
    assert len(blocks) > 1 and sum(len(block) for block in blocks) == total
    assert all(block.dtype == np.float32 for block in blocks)
    whole = mastered.span(0, length + 2)
    wanted = np.interp(np.arange(total) * RATE / rate, np.arange(len(whole)), whole)
    assert np.max(np.abs(np.concatenate(blocks) - wanted)) < 1e-5


def test_the_limiter_finds_the_peaks_between_samples_as_the_meter_does() -> None:
    # Each window's largest point at four times the rate, against the signal filtered whole
    # with zeros stuffed between its samples (the meter's own interpolator, delay removed).
    from kindful.sound.loudness import OVERSAMPLING, interpolator
    from kindful.sound.master import WINDOW, true_peaks

    rng = np.random.default_rng(5)
    margin = len(interpolator()) // OVERSAMPLING
    wide = rng.normal(0.0, 0.3, 12 * WINDOW + 2 * margin).astype(np.float32)
    wide[5 * WINDOW : 6 * WINDOW] = np.sin(np.pi / 2 * np.arange(WINDOW) + np.pi / 4)  # fs/4
    stuffed = np.zeros(len(wide) * OVERSAMPLING)
    stuffed[::OVERSAMPLING] = wide
    heard = np.convolve(stuffed, interpolator(), mode="same")
    windows = np.array([0, 3, 4, 5, 11])
    found = true_peaks(wide, windows)
    for i, peak in zip(windows, found, strict=True):
        at = (margin + i * WINDOW) * OVERSAMPLING
        assert peak == pytest.approx(np.max(np.abs(heard[at : at + WINDOW * OVERSAMPLING])))
    # The sine at a quarter of the rate, sampled 45 degrees off its crest: every sample at 0.71,
    # the crest between them at 1.
    assert float(np.max(np.abs(wide[5 * WINDOW : 6 * WINDOW]))) == pytest.approx(0.707, abs=1e-3)
    assert found[3] == pytest.approx(1.0, abs=0.02)


def mutagen_tags(path: Path) -> dict[str, str]:
    mutagen = pytest.importorskip("mutagen")
    found = mutagen.File(str(path))
    assert found is not None, path
    if path.suffix in (".mp3", ".wav"):
        assert found.tags.version[:2] == (2, 4)
        return {
            "title": str(found.tags["TIT2"]),
            "artist": str(found.tags["TPE1"]),
            "album": str(found.tags["TALB"]),
            "comment": str(found.tags["COMM::deu"]),
        }
    return {key: found.tags[key][0] for key in ("title", "artist", "album", "comment")}


@pytest.mark.parametrize("suffix", [".mp3", ".ogg", ".opus", ".flac", ".wav"])
def test_tags_are_read_right_in_german(suffix: str, tmp_path: Path) -> None:
    mix = Mixdown(lambda: 0.5)
    mix.play((0.1 * np.sin(np.arange(2 * RATE) / 5)).astype(np.float32), "speech")
    tags = Tags(
        "Selbstmitgefühlspause für Übende",
        "Jürgen Größ",
        album="Vier Wochen Freundlichkeit",
        comment="Neff, K. (2011). Selbstmitgefühl – „Übung“",
        lang="de",
    )
    out = tmp_path / f"a{suffix}"
    write_programme(out, mix, 3.0, tags)
    assert mutagen_tags(out) == {
        "title": tags.title,
        "artist": tags.artist,
        "album": tags.album,
        "comment": tags.comment,
    }


def test_a_wav_carries_its_tags_as_a_riff_info_list_too(tmp_path: Path) -> None:
    # libsndfile reads the INFO list (and not the ID3 chunk), ffprobe reads the file as players
    # do, and the samples are all there, as the header says.
    mix = Mixdown(lambda: 0.5)
    mix.play((0.1 * np.sin(np.arange(2 * RATE) / 5)).astype(np.float32), "speech")
    tags = Tags("Mitgefühl mit dir", "Jürgen Größ", album="Vier Wochen", comment="Neff – „Übung“")
    out = tmp_path / "a.wav"
    write_programme(out, mix, 3.0, tags)
    with soundfile.SoundFile(out) as read:
        assert (read.title, read.artist, read.album, read.comment) == (
            tags.title,
            tags.artist,
            tags.album,
            tags.comment,
        )
        assert (read.frames, read.samplerate, read.subtype) == (3 * RATE, RATE, "PCM_16")
    with wave.open(str(out)) as plain:
        assert plain.getnframes() == 3 * RATE
    ffprobe = shutil.which("ffprobe")
    if ffprobe is not None:  # comes with ffmpeg
        probe = subprocess.run(
            [ffprobe, "-v", "error", "-show_entries", "format_tags", "-of", "json", str(out)],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        assert json.loads(probe.stdout)["format"]["tags"] == {
            "title": tags.title,
            "artist": tags.artist,
            "album": tags.album,
            "comment": tags.comment,
        }


def test_an_info_list_leaves_out_what_is_missing_and_pads_odd_entries() -> None:
    info = riff_info(Tags("Abc", "kindful"))  # "Abc\0" is even; "kindful\0" too
    assert info == b"INAM\x04\x00\x00\x00Abc\x00IART\x08\x00\x00\x00kindful\x00"
    assert riff_info(Tags("Ab", "x")) == b"INAM\x03\x00\x00\x00Ab\x00\x00IART\x02\x00\x00\x00x\x00"


def test_the_id3_tag_is_version_4_with_utf8_frames() -> None:
    tag = id3(Tags("Ä", "kindful"))
    assert tag[:5] == b"ID3\x04\x00"
    assert b"TIT2\x00\x00\x00\x03\x00\x00\x03\xc3\x84" in tag  # syncsafe size 3, UTF-8


@needs_espeak
def test_the_transcript_is_in_time_order_and_every_cue_valid(tmp_path: Path) -> None:
    # Interval bells ring inside a long silence; their cues used to come after the silence's.
    out = tmp_path / "words.wav"
    args = ["render", "words-of-compassion", "-o", str(out), "--minutes", "3"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    text = out.with_suffix(".vtt").read_text(encoding="utf-8")
    assert_valid_webvtt(text)
    assert "[bell]" in text


def assert_valid_webvtt(text: str) -> None:
    """Check the WebVTT rules a player holds a file to: header, cue timings, no blank cue."""
    assert text.startswith("WEBVTT\n\n")
    starts = []
    for block in text.split("\n\n")[1:]:
        if not block.strip():
            continue
        lines = block.strip("\n").split("\n")
        assert "-->" not in lines[0]  # the identifier
        match = re.fullmatch(
            r"(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})", lines[1]
        )
        assert match, lines[1]
        h, m, s, ms, h2, m2, s2, ms2 = map(int, match.groups())
        start = h * 3600 + m * 60 + s + ms / 1000
        end = h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
        assert end > start, lines[1]
        assert m < 60 and s < 60 and m2 < 60 and s2 < 60
        assert lines[2:] and all(line.strip() and "-->" not in line for line in lines[2:])
        starts.append(start)
    assert starts == sorted(starts)


def test_cues_given_out_of_order_are_written_in_order() -> None:
    text = webvtt([Cue(10.0, 40.0, "silence"), Cue(20.0, 21.5, "[bell]"), Cue(5.0, 5.0, "x")])
    assert_valid_webvtt(text)
    assert text.index("x\n") < text.index("silence") < text.index("[bell]")


def test_a_bitrate_picks_the_compression_level() -> None:
    assert level_of(128, ".mp3") == pytest.approx(32 / 152)
    assert level_of(64, ".opus") == pytest.approx((256 - 64) / 250)
    assert level_of(88, ".ogg") == 0.0


@needs_espeak
def test_bitrate_sets_the_mp3_rate(tmp_path: Path) -> None:
    out = tmp_path / "a.mp3"
    args = ["render", "self-compassion-break", "-o", str(out), "--bitrate", "64", "--minutes", "1"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    seconds = float(
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"import soundfile; print(soundfile.info({str(out)!r}).duration)",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert out.stat().st_size * 8 / seconds / 1000 == pytest.approx(64, abs=3)


def test_a_bitrate_a_format_cannot_take_is_wrong_usage(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["render", "first-aid", "-o", str(tmp_path / "a.wav"), "--bitrate", "64"]
    )
    assert result.exit_code == 2
    assert "lossless" in result.output
    result = runner.invoke(
        app, ["render", "first-aid", "-o", str(tmp_path / "a.mp3"), "--bitrate", "999"]
    )
    assert result.exit_code == 2
    assert "8 to 160" in result.output


def test_render_refuses_to_write_over_a_file_unasked_off_a_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "kept.wav"
    out.write_bytes(b"the client's copy")
    result = runner.invoke(app, ["render", "first-aid", "-o", str(out)])
    assert result.exit_code == 1
    assert "--force" in result.output
    assert out.read_bytes() == b"the client's copy"
    assert sorted(p.name for p in folder.iterdir()) == ["kept.wav"]


@needs_espeak
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGHUP, 129)])
def test_a_stopped_render_leaves_no_file_behind(
    signum: int, status: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "long.ogg"
    practice = tmp_path / "sit.yaml"
    practice.write_text("kindful: 1\ntitle: Sit\nsteps:\n  - bell: 1\n  - silence: 60\n")
    # Quick to lay out, and an hour to write: stopped while the file is being written.
    command = [sys.executable, "-m", "kindful", "render", str(practice), "-o", str(out)]
    child = subprocess.Popen(
        [*command, "--minutes", "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not any(folder.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)  # waits for a real process: the temp file appears once writing starts
        assert any(folder.iterdir()), "the render never started writing"
        child.send_signal(signum)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == status, err.decode()
    assert list(folder.iterdir()) == []
    assert b"Traceback" not in err
