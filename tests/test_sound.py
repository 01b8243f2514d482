"""The sound itself: the bowl's strike, the breathing tones, the mixer, playback, the settings."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from kindful import paths
from kindful.errors import ConfigError
from kindful.settings import Settings, load_settings
from kindful.sound import bowl, cues
from kindful.sound.bowl import RATE
from kindful.sound.output import Mixer, NoDevice, open_device


def db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.square(x, dtype=np.float64))) + 1e-12))


def test_a_strike_has_its_length_peak_and_a_quick_soft_attack() -> None:
    strike = bowl.synthesise()
    assert strike.dtype == np.float32
    assert len(strike) == int(bowl.STRIKE_SECONDS * RATE)
    assert float(np.max(np.abs(strike))) == pytest.approx(bowl.PEAK, abs=1e-6)
    peak_at = int(np.argmax(np.abs(strike)))
    assert peak_at < 0.05 * RATE  # loudest within its first hundredths of a second
    assert abs(strike[0]) < 1e-3  # no click at the onset
    assert strike[-1] == 0.0


def test_a_strike_dies_away_over_six_to_eight_seconds() -> None:
    strike = bowl.synthesise()
    window = RATE // 4
    level = [db(strike[int(s * RATE) : int(s * RATE) + window]) for s in (0.1, 2, 4, 6)]
    assert level == sorted(level, reverse=True)
    assert level[0] - level[2] > 20  # well down by 4 s
    assert level[0] - level[3] > 40  # nearly gone by 6 s, still heard at 2 s
    assert level[0] - level[1] < 30


def test_a_strike_has_the_bowls_inharmonic_partials() -> None:
    strike = bowl.synthesise()[: RATE * 2]
    spectrum = np.abs(np.fft.rfft(strike))
    freqs = np.fft.rfftfreq(len(strike), 1 / RATE)
    for ratio in (1.0, 2.71, 5.18):
        near = (freqs > bowl.FUNDAMENTAL * ratio * 0.98) & (freqs < bowl.FUNDAMENTAL * ratio * 1.02)
        assert spectrum[near].max() > 20 * np.median(spectrum)
    harmonic = (freqs > bowl.FUNDAMENTAL * 1.98) & (freqs < bowl.FUNDAMENTAL * 2.02)
    assert spectrum[harmonic].max() < spectrum.max() / 20  # not a harmonic tone


def test_a_bell_of_three_strikes_them_a_gap_apart_and_keeps_its_peak(tmp_path: Path) -> None:
    bowl.strike.cache_clear()
    three = bowl.bell(3)
    assert len(three) == int(2 * bowl.BELL_GAP * RATE) + int(bowl.STRIKE_SECONDS * RATE)
    assert float(np.max(np.abs(three))) <= bowl.PEAK + 1e-6
    assert bowl.bell_seconds(3) == 4.5
    cached = list((paths.cache_folder() / "bowl").glob("*.json"))
    assert len(cached) == 1
    bowl.strike.cache_clear()
    assert np.array_equal(bowl.strike(), bowl.synthesise())  # read back from the cache


def made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the strikes synthesised from now on (each one a cache miss)."""
    count: list[int] = []
    synthesise = bowl.synthesise

    def counted(rate: int = RATE) -> np.ndarray:
        count.append(rate)
        return synthesise(rate)

    monkeypatch.setattr(bowl, "synthesise", counted)
    bowl.strike.cache_clear()
    return count


def test_a_kept_strike_is_read_back_exactly_and_an_altered_one_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    count = made(monkeypatch)
    first = bowl.strike()
    bowl.strike.cache_clear()
    assert np.array_equal(bowl.strike(), first) and len(count) == 1  # the second from the cache
    (file,) = (paths.cache_folder() / "bowl").glob("*.json")
    kept = json.loads(file.read_text())
    samples = kept["data"]["samples"]
    altered = [
        samples[:100] + ("A" if samples[100] != "A" else "B") + samples[101:],  # one sample off
        samples[:-8],  # cut short
        samples + "AAAA",  # a sample too many
    ]
    for data in altered:
        file.write_text(json.dumps({"key": kept["key"], "data": {**kept["data"], "samples": data}}))
        bowl.strike.cache_clear()
        assert np.array_equal(bowl.strike(), first)
    assert len(count) == 1 + len(altered)  # each altered strike was made again, and kept
    bowl.strike.cache_clear()
    bowl.strike()
    assert len(count) == 1 + len(altered)


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("FORMAT", 99),
        ("RATE", 44100),
        ("FUNDAMENTAL", 221.0),
        ("PARTIALS", ((1.0, 1.0, 1.05, 0.7),)),
        ("STRIKE_SECONDS", 7.0),
        ("ATTACK_SECONDS", 0.005),
        ("PEAK", 0.7),
    ],
)
def test_the_strike_key_changes_with_every_figure_of_the_sound(
    name: str, other: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = bowl.strike_key()
    monkeypatch.setattr(bowl, name, other)
    assert bowl.strike_key() != before


def test_the_strike_key_changes_with_kindfuls_version_and_the_bowls_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kindful import cache

    before = bowl.strike_key()
    monkeypatch.setattr(cache, "__version__", "0.0.0-other")
    assert bowl.strike_key() != before
    monkeypatch.undo()
    assert bowl.strike_key() == before
    edited = tmp_path / "bowl.py"  # the module as edited in a source checkout: another size
    edited.write_text(Path(bowl.__file__).read_text() + "\n# edited\n")
    monkeypatch.setattr(bowl, "__file__", str(edited))
    assert bowl.strike_key() != before


def test_breath_tones_rise_for_in_and_fall_for_out_and_stay_quiet() -> None:
    def pitch(x: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(x))
        return float(np.fft.rfftfreq(len(x), 1 / RATE)[np.argmax(spectrum)])

    rising = cues.breath_tone(True, 4.0)
    falling = cues.breath_tone(False, 4.0)
    assert len(rising) == 4 * RATE
    q = len(rising) // 4
    assert pitch(rising[:q]) < pitch(rising[-q:])
    assert pitch(falling[:q]) > pitch(falling[-q:])
    assert float(np.max(np.abs(rising))) <= cues.LEVEL + 1e-6
    assert len(cues.breath_tone(True, 60.0)) == int(cues.LONGEST * RATE)


def test_the_mixer_sums_pauses_and_stops_by_tag() -> None:
    mixer = Mixer(volume=0.5)
    mixer.add(np.ones(10, dtype=np.float32), "bell")
    mixer.add(np.ones(4, dtype=np.float32), "speech")
    assert list(mixer.pull(3)) == [1.0, 1.0, 1.0]
    mixer.pause()
    assert list(mixer.pull(2)) == [0.0, 0.0]
    mixer.pause(False)
    assert list(mixer.pull(2)) == [1.0, 0.5]
    mixer.stop("bell")
    assert not mixer.playing
    assert list(mixer.pull(2)) == [0.0, 0.0]


def test_playback_through_miniaudios_null_backend_pulls_the_sound() -> None:
    sink = open_device(null=True)
    try:
        sink.play(np.full(RATE // 10, 0.5, dtype=np.float32), "bell")
        deadline = time.monotonic() + 5
        while sink.mixer.playing and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not sink.mixer.playing  # the device took it all
    finally:
        sink.close()


def test_without_a_device_opening_one_says_why() -> None:
    try:
        sink = open_device()
    except NoDevice as error:
        assert str(error)
    else:  # this machine has a sound card: nothing to show here
        sink.close()
        pytest.skip("a sound device is present")


def test_the_sound_settings(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "sound: terminal\nvolume: 0.5\nvoice: true\nspeech_rate: 100\nbreath_cues: voice\n"
        "voices: {en: en-gb, de: ~/voices/de.onnx}\n",
        encoding="utf-8",
    )
    assert load_settings(path) == Settings(
        sound="terminal",
        volume=0.5,
        voice=True,
        speech_rate=100,
        breath_cues="voice",
        voices={"en": "en-gb", "de": "~/voices/de.onnx"},
    )
    path.write_text("sound: off\nbreath_cues: off\n", encoding="utf-8")
    assert load_settings(path).sound == "off"
    assert load_settings(path).breath_cues == "off"


def test_bad_sound_settings_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("sound: gong\nvolume: 3\nspeech_rate: fast\nvoices: [en]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    lines = caught.value.lines()
    assert [line.split(":")[1] for line in lines] == ["1", "2", "3", "4"]
    assert "bowl, terminal, off" in lines[0]
