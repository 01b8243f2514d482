"""A validated practice as plain data: what planning, a script and a list need, free of pydantic.

The loader checks a file with the model (``kindful.practice.model``); what passed is turned
into a ``Compiled`` practice, and everything after validation works on that. Its steps are the
model's own JSON form (a mapping per step, keyed by its kind), so that the known-practice cache
(``kindful.practice.known``) can keep it as JSON and give it back unchanged: a practice read
before then starts without the YAML parser and without pydantic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kindful.practice.texts import Question, Text, pick
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
        """Give the practice as JSON data, which ``from_data`` reads back."""
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "author": self.author,
            "license": self.license,
            "languages": list(self.languages),
            "tags": list(self.tags),
            "sources": [{"cite": s.cite, "doi": s.doi, "url": s.url} for s in self.sources],
            "inputs": [{"name": i.name, "ask": i.ask, "default": i.default} for i in self.inputs],
            "steps": list(self.steps),
        }

    @classmethod
    def from_data(cls, data: Any) -> Compiled:
        """Give the practice ``to_data`` gave; raise ``ValueError`` for anything else.

        Every field is checked for its type, and every string in the steps for control
        characters, so that data which did not come from ``to_data`` cannot reach a terminal.
        """
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
        steps = data["steps"]
        if not isinstance(steps, list) or not steps or not all(_is_step(s) for s in steps):
            raise ValueError("steps")
        if any(forbidden(value) is not None for value in _strings(data)):
            raise ValueError("a control character")
        return cls(
            id=_string(data["id"]),
            title=_text(data["title"]),
            steps=tuple(steps),
            languages=tuple(_string(x) for x in _list(data["languages"])),
            summary=None if data["summary"] is None else _text(data["summary"]),
            author=_optional(data["author"]),
            license=_optional(data["license"]),
            tags=tuple(_string(x) for x in _list(data["tags"])),
            sources=tuple(
                Source(_string(s["cite"]), _optional(s["doi"]), _optional(s["url"]))
                for s in _list(data["sources"])
            ),
            inputs=tuple(
                Input(_string(i["name"]), _text(i["ask"]), _string(i["default"]))
                for i in _list(data["inputs"])
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


def _is_step(step: Any) -> bool:
    if not isinstance(step, dict) or sum(kind in step for kind in KINDS) != 1:
        return False
    inner = step.get("steps")
    if "repeat" in step:
        return isinstance(inner, list) and bool(inner) and all(_is_step(s) for s in inner)
    return inner is None


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
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return {_string(k): v for k, v in value.items()}
    raise ValueError("not a text")


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value
