"""Voices: offline speech engines behind one small interface, a text in, samples out.

- ``Espeak``: espeak-ng (Debian's ``espeak-ng`` package), read from ``--stdout``. Its WAV header
  gives a length of about 2 GiB whatever it wrote (it cannot seek back in a pipe), so the length
  is taken from the bytes that came.
- ``Say``: macOS ``say -o``, into a temporary WAV file.
- ``Piper`` (``kindful.sound.piper_voice``): piper's Python package (the ``voice`` extra) with a
  downloaded ``.onnx`` voice model, loaded once a run.

Calm by default: a slow rate (``CALM_RATE`` words a minute as the engine counts them, measured
in ``bench/sound_bench.py``) and a pause after each sentence. ``voice_choice.find_voice``
picks the engine.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from kindful.sound.bowl import RATE, Samples

CALM_RATE = {"en": 115, "de": 110}  # the engine's words a minute; see docs/sound.md
SENTENCE_PAUSE = 0.6  # seconds of quiet after each sentence
TIMEOUT = 30.0  # seconds one text may take to synthesise


class VoiceError(Exception):
    """The engine could not speak a text; the message says why."""


class Voice(Protocol):
    """Turns a text in one language into mono samples at ``RATE``."""

    name: str

    def speak(self, text: str, lang: str) -> Samples: ...


class Engine(Voice, Protocol):
    """A voice whose speech can be kept: ``identity`` names the voice, its version and rate."""

    def identity(self, lang: str) -> str: ...


def sentences(text: str) -> list[str]:
    """Give the text's sentences (and lines), without empty ones."""
    parts = re.split(r"(?<=[.!?…:;])\s+|\n+", text)
    return [p.strip() for p in parts if p.strip()]


class Espeak:
    """espeak-ng through its command line; ``voices`` maps a language to an espeak voice."""

    name = "espeak-ng"

    def __init__(
        self, program: str, voices: dict[str, str] | None = None, rate: int | None = None
    ) -> None:
        self.program = program
        self.voices = voices or {}
        self.rate = rate
        self._known: set[str] | None = None
        self._version: str | None = None

    def speak(self, text: str, lang: str) -> Samples:
        rate = self.rate or CALM_RATE.get(lang, 125)
        voice = self.voices.get(lang, lang)
        if not self.knows(voice):  # espeak-ng would quietly speak with its default voice
            raise VoiceError(f"espeak-ng has no voice '{voice}' (espeak-ng --voices lists them)")
        # SSML lets one call carry the pauses between sentences.
        pause = f'<break time="{int(SENTENCE_PAUSE * 1000)}ms"/>'
        ssml = "<speak>" + f" {pause} ".join(_xml(s) for s in sentences(text)) + "</speak>"
        command = [self.program, "-m", "-v", voice, "-s", str(rate), "--stdout", ssml]
        return _from_wav_bytes(_output(command))

    def identity(self, lang: str) -> str:
        """Give what names this voice's speech in the cache: version, voice and rate."""
        if self._version is None:
            self._version = _output([self.program, "--version"]).decode("utf-8", "replace")
        voice = self.voices.get(lang, lang)
        return f"espeak-ng {self._version.strip()} {voice} {self.rate or CALM_RATE.get(lang, 125)}"

    def knows(self, voice: str) -> bool:
        """Tell whether espeak-ng has ``voice`` (a language, a voice's name or file, a variant)."""
        if self._known is None:
            listing = _output([self.program, "--voices"]).decode("utf-8", "replace")
            known: set[str] = set()
            for row in listing.splitlines()[1:]:
                cells = row.split()
                if len(cells) >= 5:
                    known |= {cells[1], cells[3], cells[4], cells[4].rsplit("/", 1)[-1]}
            self._known = {name.lower() for name in known}
        return voice.split("+", 1)[0].lower() in self._known


class Say:
    """macOS ``say``, writing a WAV file that is read back."""

    name = "say"

    def __init__(
        self, program: str, voices: dict[str, str] | None = None, rate: int | None = None
    ) -> None:
        self.program = program
        self.voices = voices or {}
        self.rate = rate

    def identity(self, lang: str) -> str:
        """Give what names this voice's speech in the cache: voice and rate."""
        return f"say {self.voices.get(lang, '')} {self.rate or CALM_RATE.get(lang, 125)}"

    def speak(self, text: str, lang: str) -> Samples:
        rate = self.rate or CALM_RATE.get(lang, 125)
        pause = f" [[slnc {int(SENTENCE_PAUSE * 1000)}]] "
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "speech.wav"
            command = [self.program, "-r", str(rate), "-o", str(path)]
            command += ["--file-format=WAVE", f"--data-format=LEI16@{RATE}"]
            if lang in self.voices:
                command += ["-v", self.voices[lang]]
            _output([*command, pause.join(sentences(text))])
            return _from_wav_bytes(path.read_bytes())


def resample(samples: NDArray[np.floating[Any]], rate: int, to: int = RATE) -> Samples:
    """Give ``samples`` at ``to`` samples a second (linear: speech needs no better)."""
    if rate == to or len(samples) == 0:
        return samples.astype(np.float32)
    n = round(len(samples) * to / rate)
    x = np.arange(n, dtype=np.float64) * (rate / to)
    out: Samples = np.interp(x, np.arange(len(samples)), samples).astype(np.float32)
    return out


def _output(command: list[str], stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            command, input=stdin, capture_output=True, timeout=TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise VoiceError(f"{Path(command[0]).name} could not run: {error}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise VoiceError(
            f"{Path(command[0]).name} failed: {reason[-1] if reason else done.returncode}"
        )
    return done.stdout


def _from_wav_bytes(data: bytes) -> Samples:
    """Give the samples of 16-bit PCM WAV bytes, trusting the bytes rather than the header."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise VoiceError("the engine gave no WAV sound")
    rate, channels, bits = RATE, 1, 16
    at = 12
    while at + 8 <= len(data):
        chunk, size = data[at : at + 4], int.from_bytes(data[at + 4 : at + 8], "little")
        body = at + 8
        if chunk == b"fmt ":
            channels = int.from_bytes(data[body + 2 : body + 4], "little")
            rate = int.from_bytes(data[body + 4 : body + 8], "little")
            bits = int.from_bytes(data[body + 14 : body + 16], "little")
        elif chunk == b"data":
            pcm = data[body:]  # to the end: the size written may be a placeholder
            if size < len(pcm) and size not in (0, 0xFFFFFFFF) and size < 0x7FFF0000:
                pcm = pcm[:size]
            if bits != 16:
                raise VoiceError(f"the engine gave {bits}-bit sound; kindful reads 16-bit")
            frame = 2 * max(1, channels)
            audio = np.frombuffer(pcm[: len(pcm) // frame * frame], dtype="<i2")
            audio = audio.reshape(-1, max(1, channels)).mean(axis=1)
            return resample((audio / 32768).astype(np.float32), rate)
        at = body + size + (size & 1)
    raise VoiceError("the engine's WAV sound has no data")


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def read_wav(path: Path) -> Samples:
    """Give the mono samples of a 16-bit WAV file at ``RATE`` (for tests and ``say``)."""
    with wave.open(str(path), "rb") as file:
        raw = file.readframes(file.getnframes())
        channels, rate = file.getnchannels(), file.getframerate()
    audio = np.frombuffer(raw, dtype="<i2").reshape(-1, channels).mean(axis=1)
    return resample((audio / 32768).astype(np.float32), rate)
