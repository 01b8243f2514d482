"""piper's neural voices, in the process (the ``voice`` extra: ``pip install 'kindful[voice]'``).

A model is loaded once a run, the first time it is asked to speak, and kept for every text after
(loading takes a second or more; each text then takes a fraction of its length to synthesise).

``speech_rate`` holds as it does for espeak-ng: the same text at the same setting takes about
the same time in both. piper's pace is set by its length scale, and each voice speaks at its
own pace, so the voice's pace at scale 1 is measured once on a short passage (and kept in the
speech cache); the scale is then that pace over espeak-ng's pace at the setting.
"""

from __future__ import annotations

import stat
import threading
from pathlib import Path
from typing import Any

import numpy as np

from kindful.sound.bowl import RATE, Samples
from kindful.sound.voice import CALM_RATE, SENTENCE_PAUSE, VoiceError, resample, sentences

# Words a minute espeak-ng is heard to say, speech alone, per word a minute it is set to:
# measured on the built-in texts in bench/sound_bench.py (the same at 115 and at 160).
ESPEAK_PACE = {"en": 1.21, "de": 1.02}
OTHER_PACE = 1.1
PASSAGES = {
    "en": "Notice what you are feeling right now, without trying to change it. Let your hand "
    "rest where it is, and feel its warmth. May I be kind to myself in this moment.",
    "de": "Bemerke, was du gerade fühlst, ohne es ändern zu wollen. Lass deine Hand ruhen, wo "
    "sie ist, und spüre ihre Wärme. Möge ich in diesem Moment freundlich zu mir sein.",
}

MAX_CONFIG = 4 * 1024 * 1024  # bytes of a voice's .onnx.json (real ones hold a few dozen KB)
LOWEST_RATE, HIGHEST_RATE = 8_000, 192_000  # samples a second a voice may speak at

_MODELS: dict[tuple[str, int, int], Any] = {}  # loaded models, by file, size and time
_LOADING = threading.Lock()
_PHONEMIZING = threading.Lock()


def available() -> bool:
    """Tell whether piper's Python package is installed (without loading it)."""
    import importlib.util

    return importlib.util.find_spec("piper") is not None


def checked_config(model: Path) -> bytes:
    """Give the ``.onnx.json`` beside ``model``, read as any file from anyone and checked for
    what kindful relies on: a sample rate audio is made at. Raise ``VoiceError`` otherwise."""
    import json

    from kindful.files import read_regular

    path = Path(f"{model}.json")
    try:
        data = read_regular(path, MAX_CONFIG + 1)
    except OSError as error:
        reason = (error.strerror or str(error)).lower()
        raise VoiceError(f"cannot read the voice's configuration {path}: {reason}") from None
    if len(data) > MAX_CONFIG:
        raise VoiceError(f"the voice's configuration {path} is over {MAX_CONFIG // 2**20} MiB")
    try:
        rate = json.loads(data)["audio"]["sample_rate"]
    except (ValueError, RecursionError, KeyError, TypeError):
        raise VoiceError(f"the voice's configuration {path} has no audio sample rate") from None
    if type(rate) is not int or not LOWEST_RATE <= rate <= HIGHEST_RATE:
        raise VoiceError(
            f"the voice's configuration {path} gives a sample rate of {str(rate)[:20]}; "
            f"a voice speaks at {LOWEST_RATE} to {HIGHEST_RATE}"
        )
    return data


def _load(model: Path, checked: bytes) -> Any:
    """Give a piper voice whose model runs on one thread that never spins waiting.

    ``PiperVoice.load`` lets onnxruntime take every core with threads that spin between tasks:
    on a machine doing other work that costs more CPU than it saves time (measured in
    bench/voice_bench.py: a paragraph took 1.38 s of CPU so, 0.86 s on one quiet thread, and
    less time too). The voice is built the way ``load`` builds it, with those options.
    """
    import json

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    config = json.loads(checked)  # as checked_config read it: never the path again
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    return PiperVoice(config=PiperConfig.from_dict(config), session=session)


class Piper:
    """One piper voice model (``.onnx``, with its ``.onnx.json`` beside it)."""

    name = "piper"

    def __init__(self, model: Path, rate: int | None = None) -> None:
        self.model = model
        self.rate = rate
        self._scales: dict[str, float] = {}

    def _stamp(self) -> tuple[str, int, int]:
        try:
            info = self.model.stat()
        except OSError as error:
            raise VoiceError(f"no piper voice model at {self.model}: {error.strerror}") from None
        if not stat.S_ISREG(info.st_mode):
            raise VoiceError(f"the piper voice model {self.model} is not a regular file")
        return str(self.model.resolve()), info.st_size, info.st_mtime_ns

    def identity(self, lang: str) -> str:
        """Give what names this voice's speech in the cache: the model, as it is, and the rate."""
        path, size, mtime = self._stamp()
        return f"piper {path} {size} {mtime} {self.rate or CALM_RATE.get(lang, 125)}"

    def _loaded(self) -> Any:
        stamp = self._stamp()
        with _LOADING:
            if stamp not in _MODELS:
                config = checked_config(self.model)
                try:
                    _MODELS[stamp] = _load(self.model, config)
                except ImportError:
                    raise VoiceError(
                        "piper is not installed: pip install 'kindful[voice]'"
                    ) from None
                except Exception as error:  # onnxruntime's errors have no common class
                    raise VoiceError(f"piper could not load {self.model.name}: {error}") from None
            return _MODELS[stamp]

    def _synthesise(self, text: str, scale: float) -> Samples:
        from piper import SynthesisConfig

        voice = self._loaded()
        config = SynthesisConfig(length_scale=scale)
        parts: list[Samples] = []
        pause = np.zeros(round(SENTENCE_PAUSE * RATE), dtype=np.float32)
        for sentence in sentences(text):
            # piper turns text into phonemes through espeak-ng's library, whose state is shared
            # by the whole process: one text at a time. The model itself may run beside another.
            with _PHONEMIZING:
                phonemes = [p for p in voice.phonemize(sentence) if p]
            for part in phonemes:
                audio = np.asarray(
                    voice.phoneme_ids_to_audio(voice.phonemes_to_ids(part), config),
                    dtype=np.float32,
                ).reshape(-1)
                peak = float(np.max(np.abs(audio))) if len(audio) else 0.0
                audio = audio / peak if peak > 1e-8 else np.zeros_like(audio)  # as piper does
                if parts:
                    parts.append(pause)
                parts.append(resample(audio, int(voice.config.sample_rate)))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def length_scale(self, lang: str) -> float:
        """Give the length scale that makes this voice speak at the run's rate in ``lang``."""
        base = lang.split("-")[0]
        if base not in self._scales:
            from kindful.practice.plan.speaking import words
            from kindful.sound.speech_cache import speech_cache

            passage = PASSAGES.get(base, PASSAGES["en"])
            path, size, mtime = self._stamp()
            cache = speech_cache()
            key = cache.key("piper-pace", path, size, mtime, passage)
            heard = cache.get(key)
            if heard is None:
                heard = self._synthesise(passage, 1.0)
                cache.put(key, heard)
            spoken = len(heard) / RATE - SENTENCE_PAUSE * (len(sentences(passage)) - 1)
            pace = words(passage) * 60.0 / max(0.1, spoken)  # words a minute of speech, at 1
            wanted = (self.rate or CALM_RATE.get(base, 125)) * ESPEAK_PACE.get(base, OTHER_PACE)
            self._scales[base] = min(4.0, max(0.25, pace / wanted))
        return self._scales[base]

    def speak(self, text: str, lang: str) -> Samples:
        return self._synthesise(text, self.length_scale(lang))
