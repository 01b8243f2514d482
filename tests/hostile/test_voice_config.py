"""A piper voice's ``.onnx.json`` from anyone: read as every file is, its sample rate checked
before piper or onnxruntime see it."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from kindful.sound.piper_voice import Piper, checked_config
from kindful.sound.voice import VoiceError


def model(tmp_path: Path, config: str | None) -> Path:
    path = tmp_path / "voice.onnx"
    path.write_bytes(b"not a model")
    if config is not None:
        (tmp_path / "voice.onnx.json").write_text(config)
    return path


@pytest.mark.parametrize(
    ("config", "said"),
    [
        ('{"audio": {"sample_rate": 0}}', "gives a sample rate of 0; a voice speaks at 8000"),
        ('{"audio": {"sample_rate": 1}}', "gives a sample rate of 1"),
        ('{"audio": {"sample_rate": 22050.5}}', "gives a sample rate of 22050.5"),
        ('{"audio": {"sample_rate": "22050"}}', "gives a sample rate of 22050"),
        ('{"audio": {}}', "has no audio sample rate"),
        ("[" * 100_000, "has no audio sample rate"),
        ("{" + " " * (5 * 1024 * 1024) + "}", "is over 4 MiB"),
    ],
)
def test_a_voice_configuration_out_of_bounds_is_one_clear_error(
    tmp_path: Path, config: str, said: str
) -> None:
    with pytest.raises(VoiceError, match="the voice's configuration") as raised:
        Piper(model(tmp_path, config)).speak("Hello.", "en")
    assert said in str(raised.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_the_voice_configuration_never_waits(tmp_path: Path) -> None:
    path = model(tmp_path, None)
    os.mkfifo(tmp_path / "voice.onnx.json")
    failed: list[BaseException] = []

    def load() -> None:
        try:
            checked_config(path)
        except VoiceError as error:
            failed.append(error)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "reading the configuration waited on the FIFO"
    assert "not a regular file" in str(failed[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_the_model_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "voice.onnx")
    with pytest.raises(VoiceError, match="not a regular file"):
        Piper(tmp_path / "voice.onnx").speak("Hello.", "en")
