"""The program format (format 1): weeks of days, each day one or more practice ids.

A program file sits among practice files and is told apart by its top-level ``program: true``
(contract section 9). Its texts are TEXT as in practices, checked the same way.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from kindful.practice.format.model import ID_PATTERN, LANG_PATTERN, Citation, Text, _Model
from kindful.practice.format.schema import json_schema as practice_schema

PracticeId = Annotated[str, Field(pattern=ID_PATTERN)]


class Week(_Model):
    """One week of a program: its title, a text for the week, and its days."""

    title: Text
    text: Text | None = Field(None, description="Shown with each day of the week.")
    days: list[Annotated[list[PracticeId], Field(min_length=1)]] = Field(
        default_factory=list, description="Each day: one or more practice ids."
    )


class Program(_Model):
    """A program as its file describes it."""

    model_config = ConfigDict(title="kindful program (format 1)")

    kindful: Literal[1] = Field(description="The format version.")
    program: Literal[True] = Field(description="Marks the file as a program.")
    id: Annotated[str, Field(pattern=ID_PATTERN)] | None = Field(
        None, description="Defaults to the file name without extension."
    )
    title: Text
    summary: Text | None = None
    author: str | None = None
    license: str | None = None
    languages: list[Annotated[str, Field(pattern=LANG_PATTERN)]] | None = None
    tags: list[str] = Field(default_factory=list)
    sources: list[Citation] = Field(default_factory=list)
    weeks: Annotated[list[Week], Field(min_length=1)]

    def texts(self) -> list[str | dict[str, str]]:
        """Give every TEXT of the program."""
        out: list[str | dict[str, str]] = [self.title]
        if self.summary is not None:
            out.append(self.summary)
        for week in self.weeks:
            out.append(week.title)
            if week.text is not None:
                out.append(week.text)
        return out

    def languages_used(self) -> list[str]:
        """Give the declared languages, else those the texts use, in order of first use."""
        if self.languages:
            return list(self.languages)
        found: dict[str, None] = {}
        for text in self.texts():
            if isinstance(text, dict):
                found.update(dict.fromkeys(text))
        return list(found)


PROGRAM_SCHEMA_ID = "urn:kindful:program:1"


def program_schema() -> dict[str, Any]:
    """Give the JSON Schema (draft 2020-12) of the program format alone."""
    program = Program.model_json_schema(by_alias=True)
    dialect = practice_schema()["$schema"]
    return {"$schema": dialect, "$id": PROGRAM_SCHEMA_ID, **program}


def json_schema() -> dict[str, Any]:
    """Give the JSON Schema (draft 2020-12) of a kindful file: a practice or a program.

    Which one is chosen by the ``program`` key (``if``/``then``/``else``), not by ``oneOf``: a
    validator then reports each problem against the one format it is about, instead of the
    whole document against both.
    """
    practice = practice_schema()
    program = Program.model_json_schema(by_alias=True)
    defs = {**practice.pop("$defs", {}), **program.pop("$defs", {})}
    dialect = practice.pop("$schema")
    practice.pop("$id", None)  # one resource, so that every #/$defs/ reference finds its place
    defs["PracticeFile"] = practice
    defs["ProgramFile"] = program
    return {
        "$schema": dialect,
        "$id": "urn:kindful:file:1",
        "title": "kindful file (format 1): a practice, or a program (with program: true)",
        "if": {"required": ["program"]},
        "then": {"$ref": "#/$defs/ProgramFile"},
        "else": {"$ref": "#/$defs/PracticeFile"},
        "$defs": defs,
    }
