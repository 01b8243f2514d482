"""A validated practice as plain data: what planning, a script and a list need, free of pydantic.

The loader checks a file with the model (``kindful.practice.model``); what passed is turned
into a ``Compiled`` practice, and everything after validation works on that. Its steps are the
model's own JSON form (a mapping per step, keyed by its kind), so that the known-practice cache
(``kindful.practice.known``) can keep it as JSON and give it back unchanged: a practice read
before then starts without the YAML parser and without pydantic.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from kindful.practice.limits import (
    LANG_PATTERN,
    MAX_ANSWER,
    MAX_POINTS,
    MAX_SECONDS,
    MAX_STEPS,
    MAX_TEXT,
    MIN_BELL_EVERY,
    MIN_BREATH,
    NAME_PATTERN,
    SCALE_HIGHEST,
    SCALE_LOWEST,
)
from kindful.practice.texts import Question, Text, pick, widest
from kindful.safe_text import forbidden

if TYPE_CHECKING:
    from kindful.practice.model import Practice

FORMAT = 1  # of the data below; a cache holding another is not read
StepData = dict[str, Any]  # one step in the model's JSON form: {"say": ..., "seconds": ...}


@dataclass(frozen=True)
class Source:
    """A citation, and its DOI or address."""

    cite: str
    doi: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Input:
    """An input asked before the first step: ``{name}`` in the texts."""

    name: str
    ask: Text
    default: str = ""


@dataclass(frozen=True)
class Compiled:
    """A practice that passed validation, as plain data; ``languages`` are the ones it uses."""

    id: str
    title: Text
    steps: tuple[StepData, ...]
    languages: tuple[str, ...] = ()
    summary: Text | None = None
    author: str | None = None
    license: str | None = None
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    inputs: tuple[Input, ...] = ()

    def languages_used(self) -> list[str]:
        """Give the declared languages, else those the texts use, in order of first use."""
        return list(self.languages)

    def questions(self, lang: str) -> list[Question]:
        """Give the inputs to ask before the first step, in ``lang``."""
        return [Question(i.name, pick(i.ask, lang), i.default) for i in self.inputs]

    def to_data(self) -> dict[str, Any]:
        """Give the practice as JSON data (its tuples become lists), which ``from_data`` reads back."""
        return asdict(self)

    @classmethod
    def from_data(cls, data: Any) -> Compiled:
        """Give the practice ``to_data`` gave; raise ``ValueError`` for anything else.

        Every field is checked for its type and every number for the model's bounds (a step's
        fields by its kind, the steps a repeat expands to), and every string for control
        characters: data that did not come from ``to_data`` is refused, never planned.
        """
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
        steps = data["steps"]
        if not isinstance(steps, list) or not steps:
            raise ValueError("steps")
        if sum(_checked(step) for step in steps) > MAX_STEPS:
            raise ValueError("more steps than a practice may have")
        for value in _strings(data):  # no controls; filled in, no text grows past the limit
            if forbidden(value) is not None or not _fits(value):
                raise ValueError("a control character, or a text longer than a practice may have")
        languages = _list(data["languages"])
        if len(languages) > MAX_LANGUAGES or len(set(languages)) != len(languages):
            raise ValueError("languages")
        if not all(isinstance(x, str) and _LANG.match(x) for x in languages):
            raise ValueError("languages")
        inputs = _list(data["inputs"])
        for i in inputs:
            if (
                not _is_name(i["name"])
                or i["name"] == "round"
                or len(_string(i["default"])) > MAX_ANSWER
            ):
                raise ValueError("an input")
        return cls(
            id=_string(data["id"]),
            title=_text(data["title"]),
            steps=tuple(steps),
            languages=tuple(languages),
            summary=None if data["summary"] is None else _text(data["summary"]),
            author=_optional(data["author"]),
            license=_optional(data["license"]),
            tags=tuple(_string(x) for x in _list(data["tags"])),
            sources=tuple(
                Source(_string(s["cite"]), _optional(s["doi"]), _optional(s["url"]))
                for s in _list(data["sources"])
            ),
            inputs=tuple(
                Input(_string(i["name"]), _text(i["ask"]), _string(i["default"])) for i in inputs
            ),
        )

    @classmethod
    def from_model(cls, practice: Practice) -> Compiled:
        """Give the plain data of a practice the model validated."""
        data = practice.model_dump(mode="json", exclude_none=True)
        return cls(
            id=practice.id or "",
            title=practice.title,
            steps=tuple(data["steps"]),
            languages=tuple(practice.languages_used()),
            summary=practice.summary,
            author=practice.author,
            license=practice.license,
            tags=tuple(practice.tags),
            sources=tuple(Source(s.cite, s.doi, s.url) for s in practice.sources),
            inputs=tuple(Input(i.name, i.ask, i.default) for i in practice.inputs),
        )


KINDS = ("say", "breathe", "silence", "reflect", "rate", "survey", "bell", "quote", "repeat")


def kind_of(step: StepData) -> str:
    """Give the kind of a step in its JSON form: the key that names it."""
    return next(kind for kind in KINDS if kind in step)


MAX_LANGUAGES = 100  # more is no practice kindful wrote: validated again
_NAME = re.compile(NAME_PATTERN)
_LANG = re.compile(LANG_PATTERN)
_FIELDS = {
    "say": {"say", "seconds"},
    "breathe": {"breathe", "inhale", "out", "hold", "rest", "cycles", "seconds"},
    "silence": {"silence", "text", "bell_every"},
    "reflect": {"reflect", "save"},
    "rate": {"rate", "key", "min", "max", "labels", "label"},
    "survey": {"survey", "key", "scale", "items", "score"},
    "bell": {"bell"},
    "quote": {"quote", "by", "seconds"},
    "repeat": {"repeat", "steps"},
}


def _checked(step: Any, depth: int = 0) -> int:
    """Give how many steps ``step`` expands to; raise ``ValueError`` where it is not a step."""
    if not isinstance(step, dict) or sum(kind in step for kind in KINDS) != 1 or depth > 100:
        raise ValueError("not a step")
    kind = kind_of(step)
    if not set(step) <= _FIELDS[kind] | {"note"} or not _optional_string(step.get("note")):
        raise ValueError(f"not a {kind} step")
    if kind == "repeat":
        inner = step.get("steps")
        if not _whole(step["repeat"], 1, MAX_STEPS) or not isinstance(inner, list) or not inner:
            raise ValueError("not a repeat")
        return int(step["repeat"]) * sum(_checked(s, depth + 1) for s in inner)
    if not _step_fields(kind, step):
        raise ValueError(f"not a {kind} step")
    return 1


def _step_fields(kind: str, step: dict[str, Any]) -> bool:
    """Tell whether the fields of a step of ``kind`` are as the model leaves them."""
    main, get = step[kind], step.get
    if kind == "bell":
        return _whole(main, 1, 12)
    if kind != "silence" and not _is_text(main):
        return False
    if kind in ("say", "quote"):
        timed = get("seconds") is None or _seconds(get("seconds"))
        return timed and (kind == "say" or _optional_string(get("by")))
    if kind == "breathe":
        phases = _seconds(get("inhale"), MIN_BREATH) and _seconds(get("out"), MIN_BREATH)
        pauses = _seconds(get("hold", 0.0), 0.0) and _seconds(get("rest", 0.0), 0.0)
        cycles, seconds = get("cycles"), get("seconds")
        one = (cycles is None) != (seconds is None)
        return phases and pauses and one and (_whole(cycles, 1, MAX_STEPS) or _seconds(seconds))
    if kind == "silence":
        every = get("bell_every")
        text = get("text") is None or _is_text(get("text"))
        return _seconds(main) and text and (every is None or _seconds(every, MIN_BELL_EVERY))
    if kind == "reflect":
        return isinstance(get("save", True), bool)
    if kind == "rate":
        label = get("label") is None or _is_text(get("label"))
        return (
            _is_name(get("key"))
            and label
            and _scale(get("min", 0), get("max", 10), get("labels", {}))
        )
    scale = get("scale", {})
    items = get("items")
    return (
        _is_name(get("key"))
        and isinstance(scale, dict)
        and set(scale) <= {"min", "max", "labels"}
        and _scale(scale.get("min", 1), scale.get("max", 5), scale.get("labels", {}))
        and isinstance(items, list)
        and 1 <= len(items) <= 200
        and all(_is_item(item) for item in items)
        and get("score", "mean") in ("mean", "sum")
    )


def _is_item(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and set(item) <= {"text", "reverse", "subscale"}
        and _is_text(item.get("text"))
        and isinstance(item.get("reverse", False), bool)
        and (item.get("subscale") is None or _is_name(item["subscale"]))
    )


def _scale(low: Any, high: Any, labels: Any) -> bool:
    if not (_whole(low, SCALE_LOWEST) and _whole(high, high=SCALE_HIGHEST)) or low >= high:
        return False
    if high - low + 1 > MAX_POINTS or not isinstance(labels, dict):
        return False
    for key, label in labels.items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            return False
        if str(number) != key or not low <= number <= high or not _is_text(label):
            return False
    return True


def _is_name(value: Any) -> bool:
    return isinstance(value, str) and _NAME.match(value) is not None


def _whole(value: Any, low: float = -math.inf, high: float = math.inf) -> bool:
    return type(value) is int and low <= value <= high


def _fits(text: str) -> bool:
    """Tell whether ``text`` stays within ``MAX_TEXT`` with every placeholder filled at its widest."""
    return len(text) <= MAX_TEXT and ("{" not in text or widest(text) <= MAX_TEXT)


def _seconds(value: Any, least: float | None = None) -> bool:
    """Tell whether ``value`` is a length in seconds: more than 0 (else at least ``least``)."""
    if type(value) not in (int, float) or not math.isfinite(value) or value > MAX_SECONDS:
        return False
    return bool(value > 0 if least is None else value >= least)


def _is_text(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return (
        isinstance(value, dict)
        and bool(value)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())
    )


def _optional_string(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _optional(value: Any) -> str | None:
    return None if value is None else _string(value)


def _text(value: Any) -> Text:
    if not _is_text(value):
        raise ValueError("not a text")
    return value if isinstance(value, str) else dict(value)


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value
