"""The person's settings: ``config.yaml`` (or the file ``KINDFUL_CONFIG`` names).

Every key is optional; a missing file means the defaults. A file that cannot be used is one
``ConfigError`` whose lines read ``PATH:LINE:COL: message``, one per problem. Options on the
command line beat settings; the CLI applies that, not this module.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kindful.errors import ConfigError, Problem

if TYPE_CHECKING:
    from kindful.safe_yaml import Node

MAX_BYTES = 64 * 1024
# An age public key: "age1" and 58 characters of Bech32 (age itself checks the rest).
RECIPIENT = re.compile(r"age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}")


@dataclass(frozen=True)
class Settings:
    """What a person chose once for every run: language, bell, what is kept, what is shown."""

    lang: str | None = None
    bell: bool = True
    save_reflections: bool = True
    show_streaks: bool = True
    # sound (docs/sound.md)
    sound: str | None = None  # bowl, terminal or off; None: the bowl where a person hears it
    volume: float = 0.8  # 0 to 1
    voice: bool = False
    voices: dict[str, str] = field(default_factory=dict)  # language: voice name or model file
    speech_rate: int | None = None  # words a minute as the engine counts them; None: calm
    breath_cues: str = "tone"  # tone, voice or off
    # heart rhythm (docs/heart.md)
    heart: str | None = None  # ble, ble:ADDRESS or an RR file: the default of --heart
    resonance_bpm: float | None = None  # the rate `kindful resonance` found, for resonant-breathing
    # private reflections (docs/privacy.md): the age public key they are sealed to
    reflections_to: str | None = None


_KEYS = (
    "lang",
    "bell",
    "save_reflections",
    "show_streaks",
    "sound",
    "volume",
    "voice",
    "voices",
    "speech_rate",
    "breath_cues",
    "heart",
    "resonance_bpm",
    "reflections_to",
)
_CHOICES = {"sound": ("bowl", "terminal", "off"), "breath_cues": ("tone", "voice", "off")}


def load_settings(path: Path | None = None) -> Settings:
    """Give the settings in ``path`` (default: ``paths.config_path()``); the defaults if none."""
    if path is None:
        from kindful.paths import config_path

        path = config_path()
    text = _read(path)
    if text is None:
        return Settings()
    return _parse(text, str(path))


def _read(path: Path) -> str | None:
    """Give the file's text, ``None`` when there is no file."""
    from kindful.files import NotRegularFile, read_regular

    try:
        data = read_regular(path, MAX_BYTES + 1)
    except FileNotFoundError:
        return None
    except NotRegularFile:
        raise ConfigError("the settings file is not a regular file", path=path) from None
    except IsADirectoryError:
        raise ConfigError("the settings file is a folder", path=path) from None
    except OSError as error:
        raise ConfigError(f"cannot read the settings: {error.strerror}", path=path) from None
    if len(data) > MAX_BYTES:
        raise ConfigError("the settings file is larger than 64 KiB", path=path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(
            problems=[Problem(str(path), line, 1, "the settings file is not UTF-8 text")]
        ) from None


def _parse(text: str, where: str) -> Settings:
    from kindful.safe_yaml import YamlProblem, parse

    try:
        document = parse(text)
    except YamlProblem as error:
        message = error.message.replace("this is not valid YAML", "not valid YAML")
        raise ConfigError(problems=[Problem(where, error.line, error.column, message)]) from None
    root = document.root
    if root is None or root.value is None:
        return Settings()
    if not root.is_mapping:
        raise ConfigError(
            problems=[
                Problem(
                    where, root.line, root.column, "the settings must be a mapping of key: value"
                )
            ]
        )
    values: dict[str, object] = {}
    problems = [(d.line, d.column, f"'{d.key}' is set twice") for d in document.duplicates]
    for key_node, value_node in root.pairs:
        key = key_node.value
        if not isinstance(key, str) or key not in _KEYS:
            problems.append((key_node.line, key_node.column, _unknown(key)))
            continue
        value, problem = _value(key, value_node)
        values[key] = value
        if problem:
            problems.append((value_node.line, value_node.column, problem))
    if problems:
        raise ConfigError(problems=[Problem(where, ln, col, msg) for ln, col, msg in problems])
    return Settings(**values)  # type: ignore[arg-type]


def _value(key: str, node: Node) -> tuple[object, str | None]:
    """Give the value of one setting, or a problem with it."""
    if key in _CHOICES:
        return _choice(key, node)
    read = _READERS.get(key)
    if read is not None:
        return read(node)
    if isinstance(node.value, bool):
        return node.value, None
    return True, f"'{key}' must be true or false"


def _choice(key: str, node: Node) -> tuple[object, str | None]:
    choices = _CHOICES[key]
    if node.value is False:  # YAML reads a bare off as false
        return "off", None
    if isinstance(node.value, str) and node.value.strip() in choices:
        return node.value.strip(), None
    return choices[0], f"'{key}' must be one of {', '.join(choices)}"


def _lang(node: Node) -> tuple[object, str | None]:
    if node.value is None:
        return None, None
    if isinstance(node.value, str) and node.value.strip():
        return node.value.strip(), None
    hint = f' (write "{node.source}" in quotes)' if isinstance(node.value, bool) else ""
    return None, f"'lang' must be a language code such as en or de{hint}"


def _heart(node: Node) -> tuple[object, str | None]:
    if node.value is None:
        return None, None
    if isinstance(node.value, str) and node.value.strip():
        return node.value.strip(), None
    return None, "'heart' must be ble, ble:ADDRESS or the path of a file of RR intervals"


def _number(node: Node, low: float, high: float, *, whole: bool = False) -> object | None:
    """Give the number in ``node`` if it lies from ``low`` to ``high``; else None."""
    value = node.value
    kinds = int if whole else int | float
    if isinstance(value, kinds) and not isinstance(value, bool) and low <= value <= high:
        return value if whole else float(value)
    return None


def _volume(node: Node) -> tuple[object, str | None]:
    value = _number(node, 0, 1)
    return (value, None) if value is not None else (0.8, "'volume' must be a number from 0 to 1")


def _speech_rate(node: Node) -> tuple[object, str | None]:
    value = None if node.value is None else _number(node, 40, 400, whole=True)
    if value is not None or node.value is None:
        return value, None
    return None, "'speech_rate' must be a whole number of words a minute, from 40 to 400"


def _resonance_bpm(node: Node) -> tuple[object, str | None]:
    value = None if node.value is None else _number(node, 3, 8)
    if value is not None or node.value is None:
        return value, None
    return None, "'resonance_bpm' must be a number of breaths a minute, from 3 to 8"


def _voices(node: Node) -> tuple[object, str | None]:
    """Give ``voices: {LANG: NAME or model path}``, or a problem with it."""
    if node.value is None:
        return {}, None
    problem = "'voices' must map a language to a voice, e.g. {en: en-us, de: ~/voices/de.onnx}"
    if not node.is_mapping:
        return {}, problem
    voices: dict[str, str] = {}
    for key_node, value_node in node.pairs:
        key, value = key_node.value, value_node.value
        if not isinstance(key, str) or not isinstance(value, str) or not value.strip():
            return {}, problem
        voices[key] = value.strip()
    return voices, None


def _recipient(node: Node) -> tuple[object, str | None]:
    """Give ``reflections_to: age1...`` (an age public key), or a problem with it."""
    if node.value is None:
        return None, None
    problem = "'reflections_to' must be an age public key (age1...), as kindful key new makes"
    if not isinstance(node.value, str) or not RECIPIENT.fullmatch(node.value.strip()):
        return None, problem
    # Checked in full here, so that a key age would refuse stops a run before it starts, not
    # when its reflections are sealed. Only those who set it load pyrage for it.
    from pyrage import RecipientError, x25519

    try:
        x25519.Recipient.from_str(node.value.strip())
    except RecipientError:
        return None, problem
    return node.value.strip(), None


def set_setting(key: str, value: str, path: Path | None = None) -> Path:
    """Set ``key: value`` in the settings file, keeping the rest of it as it is; give its path.

    A line that sets ``key`` at the top level is replaced; otherwise the line is added at the
    end. The file is replaced in one step (``kindful.atomic``) and only when the result reads
    as valid settings; ``ConfigError`` otherwise. ``value`` is written as YAML plain text, so it
    must be a word that needs no quotes (a key, a number).
    """
    from kindful import atomic
    from kindful.paths import config_path, private_folder

    if path is None:
        path = config_path()
    text = _read(path) or ""
    line = f"{key}: {value}"
    pattern = re.compile(rf"^{re.escape(key)}[ \t]*:.*$", re.MULTILINE)
    if pattern.search(text):
        new = pattern.sub(lambda _: line, text)
    else:
        new = f"{text}\n{line}\n" if text and not text.endswith("\n") else f"{text}{line}\n"
    _parse(new, str(path))  # nothing is written that would not load
    try:
        private_folder(path.parent)
        atomic.write_text(path, new)
    except OSError as error:
        raise ConfigError(f"cannot write the settings: {error.strerror}", path=path) from None
    return path


def _unknown(key: object) -> str:
    if not isinstance(key, str):
        return "a settings key must be a plain word"
    close = difflib.get_close_matches(key, _KEYS, n=1)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown setting '{key}'{hint}; known: {', '.join(_KEYS)}"


_READERS: dict[str, Callable[[Node], tuple[object, str | None]]] = {
    "lang": _lang,
    "volume": _volume,
    "speech_rate": _speech_rate,
    "voices": _voices,
    "heart": _heart,
    "resonance_bpm": _resonance_bpm,
    "reflections_to": _recipient,
}
