"""Voices: offline speech engines behind one small interface, a text in, samples out.

- ``Espeak``: espeak-ng (Debian's ``espeak-ng`` package), read from ``--stdout``. Its WAV header
  gives a length of about 2 GiB whatever it wrote (it cannot seek back in a pipe), so the length
  is taken from the bytes that came.
- ``Say``: macOS ``say -o``, into a temporary WAV file.
- ``Piper`` (``kindful.sound.piper_voice``): piper's Python package (the ``voice`` extra) with a
  downloaded ``.onnx`` voice model, loaded once a run.

Calm by default: a slow rate (``CALM_RATE`` words a minute as the engine counts them, measured
in ``bench/sound_bench.py``) and a pause after each sentence. ``find_voice`` picks the engine.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
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


def find_voice(
    lang: str, voices: dict[str, str] | None = None, rate: int | None = None
) -> Engine | None:
    """Give the voice for ``lang``: piper when ``voices`` names a model, else espeak-ng, else say.

    ``voices`` maps a language to a piper model file or an engine's voice name. A model that is
    missing, or piper not installed, is said when the voice first speaks (``VoiceError``), never
    a quiet switch to another voice. ``None`` when no engine is installed.
    """
    voices = voices or {}
    named = voices.get(lang, "")
    if named.endswith(".onnx"):
        from kindful.sound.piper_voice import Piper

        return Piper(Path(named).expanduser(), rate)
    engine_voices = {k: v for k, v in voices.items() if not v.endswith(".onnx")}
    program = shutil.which("espeak-ng")
    if program:
        return Espeak(program, engine_voices, rate)
    program = shutil.which("say")
    if program and sys.platform == "darwin":
        return Say(program, engine_voices, rate)
    return None


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


def speech_timer(
    voices: dict[str, str] | None = None, rate: int | None = None
) -> SpeechTimer | None:
    """Give a way to measure how long texts take to say with the installed voice, ``None``
    when no engine is installed (then estimates from words a minute are all there is)."""
    if find_voice("en", voices, rate) is None:
        return None
    return SpeechTimer(voices, rate)


class SpeechTimer:
    """``timer(text, lang)`` gives the seconds the installed voice takes to say ``text``."""

    def __init__(self, voices: dict[str, str] | None, rate: int | None) -> None:
        self.voices = voices
        self.rate = rate
        self._by_lang: dict[str, Voice | None] = {}
        self.names: set[str] = set()  # the voices that measured something

    def _voice(self, lang: str) -> Voice | None:
        if lang not in self._by_lang:
            from kindful.sound.speech import speaking

            self._by_lang[lang] = speaking(find_voice(lang, self.voices, self.rate))
        return self._by_lang[lang]

    def describe(self, lang: str) -> str | None:
        """Give the voice that measures ``lang`` (engine, voice and rate), ``None`` for none."""
        engine = getattr(self._voice(lang), "engine", None)
        if engine is None:
            return None
        model = getattr(engine, "model", None)
        voice = model.name if model is not None else getattr(engine, "voices", {}).get(lang, lang)
        rate = engine.rate or CALM_RATE.get(lang, 125)
        return f"{engine.name} {voice} at {rate} words a minute"

    def __call__(self, text: str, lang: str) -> float | None:
        """Give the seconds, or ``None`` when this language's voice cannot say it."""
        voice = self._voice(lang)
        if voice is None or not text.strip():
            return None if voice is None else 0.0
        try:
            seconds = len(voice.speak(text, lang)) / RATE
            self.names.add(voice.name)
            return seconds
        except VoiceError:
            return None


class MeasuredSpeech:
    """How long a text takes to say: measured with the installed voice, else estimated from
    its words (a language the voice cannot say).

    ``measured_by(lang)`` names the voice that measures in ``lang`` (``None``: estimated), for
    warnings that depend on the machine.
    """

    def __init__(self, timer: SpeechTimer) -> None:
        self.timer = timer

    def __call__(self, text: str, lang: str) -> float:
        from kindful.practice.plan.speaking import speaking_seconds

        measured = self.timer(text, lang)
        return speaking_seconds(text, lang) if measured is None else measured

    def measured_by(self, lang: str) -> str | None:
        return self.timer.describe(lang)

    def rough(self, text: str, lang: str) -> float:
        """Give a quick estimate at the voice's rate, with its pauses, without synthesising."""
        from kindful.practice.plan.speaking import speaking_seconds
        from kindful.sound.speech import PARAGRAPH_PAUSE, paragraphs

        calm = CALM_RATE.get(lang.split("-")[0], 125)
        words = speaking_seconds(text, lang) * calm / (self.timer.rate or calm)
        pauses = SENTENCE_PAUSE * max(0, len(sentences(text)) - 1)
        return words + pauses + PARAGRAPH_PAUSE * max(0, len(paragraphs(text)) - 1)
