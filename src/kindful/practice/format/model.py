"""The practice format (format 1): the pydantic model, its validation and its JSON Schema.

Validation is run with a context holding the practice's declared languages and input names,
so that a TEXT can check its languages and its ``{placeholders}`` where it stands.
"""

from __future__ import annotations

import re
import typing
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from kindful.practice.format.durations import (
    DURATION_PATTERN as DURATION_PATTERN,
)
from kindful.practice.format.durations import (
    MAX_SECONDS as MAX_SECONDS,
)
from kindful.practice.format.durations import (
    BellEvery,
    Breath,
    Duration,
    Pause,
)
from kindful.practice.format.durations import (
    parse_duration as parse_duration,
)
from kindful.practice.format.hints import close, comma_trap, region_hint
from kindful.practice.format.limits import ID_PATTERN as ID_PATTERN
from kindful.practice.format.limits import LANG_PATTERN as LANG_PATTERN
from kindful.practice.format.limits import MAX_ANSWER as MAX_ANSWER
from kindful.practice.format.limits import MAX_STEPS as MAX_STEPS
from kindful.practice.format.limits import MAX_TEXT as MAX_TEXT
from kindful.practice.format.limits import NAME_PATTERN as NAME_PATTERN
from kindful.practice.format.limits import RATE_MAX, RATE_MIN, SURVEY_MAX, SURVEY_MIN
from kindful.practice.format.limits import ROUND_WIDTH as ROUND_WIDTH
from kindful.practice.format.texts import Question as Question
from kindful.practice.format.texts import fill as fill
from kindful.practice.format.texts import pick as pick
from kindful.practice.format.texts import placeholders as placeholders
from kindful.practice.format.texts import widest

FORMAT = 1
_LANG = re.compile(LANG_PATTERN)


# ----------------------------------------------------------------------------- TEXT


def _string_problem(text: str, names: set[str], lang: str | None) -> tuple[str, str] | None:
    """Give the kind and message of what is wrong with the placeholders of one string, if any."""
    where = f" in the `{lang}` text" if lang else ""
    found = placeholders(text)
    longest = widest(text)
    if len(text) > MAX_TEXT and longest == len(text):  # no placeholder makes it longer
        return "text_length", (
            f"this text{where} is {len(text):,} characters long; at most {MAX_TEXT:,}: "
            "split it over several steps"
        )
    if longest > MAX_TEXT:
        return "text_length", (
            f"this text{where} could reach {longest:,} characters with its inputs filled in "
            f"(each up to {MAX_ANSWER}); at most {MAX_TEXT:,}"
        )
    if None in found:
        return "brace", f"a lone brace{where}: write {{{{ or }}}} for a literal one"
    unknown = list(dict.fromkeys(n for n in found if n not in names and n != "round"))
    if not unknown:
        return None
    known = ", ".join(f"{{{n}}}" for n in sorted(names)) or "none: declare one under `inputs`"
    listed = ", ".join(f"{{{n}}}" for n in unknown if n is not None)
    plural = "s" if len(unknown) > 1 else ""
    return "placeholder", f"unknown placeholder{plural} {listed}{where}; the inputs are {known}"


def _validate_text(value: Any, info: ValidationInfo) -> str | dict[str, str]:
    context = info.context or {}
    declared: list[str] = context.get("languages") or []
    names: set[str] = context.get("names", set())
    if isinstance(value, str):
        if len(declared) > 1 and value.strip():
            raise PydanticCustomError(
                "untranslated",
                "this text has no languages, but `languages` asks for {langs}: write {{example}}",
                {"langs": ", ".join(declared), "example": ", ".join(f"{x}: ..." for x in declared)},
            )
        problem = _string_problem(value, names, None)
        if problem is not None:
            raise PydanticCustomError(problem[0], "{message}", {"message": problem[1]})
        return value
    if isinstance(value, dict) and value:
        # every language is checked; the first problem is the error, the others wait in the
        # context for the loader, which places each at its own language
        problems: list[tuple[str, str, str | None]] = []
        for lang, text in value.items():
            if not isinstance(lang, str) or not _LANG.match(lang):
                trap = comma_trap(value, lang) or (
                    region_hint(lang) if isinstance(lang, str) else None
                )
                message = trap or f"{lang!r} is not a language code such as en or de"
                problems.append(("language", message, None))
            elif not isinstance(text, str):
                problems.append(("text_type", f"the `{lang}` text should be a string", lang))
            else:
                problem = _string_problem(text, names, lang)
                if problem is not None:
                    problems.append((problem[0], problem[1], lang))
        if declared and not problems:
            missing = [lang for lang in declared if lang not in value]
            extra = [lang for lang in value if lang not in declared]
            typo = len(missing) == len(extra) == 1 and close(extra[0], missing[0])
            if typo:  # `dee:` for `de:` is one mistake
                problems.append(
                    (
                        "extra_language",
                        f"`{extra[0]}` is not in `languages`: did you mean `{missing[0]}`?",
                        extra[0],
                    )
                )
            elif missing:
                problems.append(
                    (
                        "missing_language",
                        f"this text has no {', '.join(missing)} (see `languages`)",
                        None,
                    )
                )
            elif extra:
                problems.append(
                    (
                        "extra_language",
                        f"{', '.join(extra)} is not in `languages`: add it there or remove it here",
                        None,
                    )
                )
        if problems:
            more = context.get("more")
            if isinstance(more, list):
                more.extend(
                    (id(value), kind, message, lang) for kind, message, lang in problems[1:]
                )
            kind, message, lang = problems[0]
            raise PydanticCustomError(kind, "{message}", {"message": message, "lang": lang})
        return dict(value)
    raise PydanticCustomError(
        "text", "should be text: a string, or languages and strings such as {en: ..., de: ...}"
    )


Text = Annotated[
    str | dict[str, str],
    PlainValidator(_validate_text),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "maxLength": MAX_TEXT},
                {
                    "type": "object",
                    "propertyNames": {"pattern": LANG_PATTERN},
                    "additionalProperties": {"type": "string", "maxLength": MAX_TEXT},
                    "minProperties": 1,
                },
            ],
            "description": "Text: a string, or a mapping from language code to string.",
        }
    ),
]


# ----------------------------------------------------------------------------- steps


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=False)


class _Step(_Model):
    note: str | None = Field(None, description="For authors; never shown.")


class Say(_Step):
    say: Text = Field(description="Guidance to show.")
    seconds: Duration | None = Field(None, description="Timed; without it, waits for the person.")


class Breathe(_Step):
    model_config = ConfigDict(
        json_schema_extra={"oneOf": [{"required": ["cycles"]}, {"required": ["seconds"]}]}
    )

    breathe: Text = Field(description="Guidance for the breathing (may be empty).")
    inhale: Breath = Field(alias="in", description="Seconds of the in-breath (at least 1).")
    out: Breath = Field(description="Seconds of the out-breath (at least 1).")
    hold: Pause = Field(0.0, description="Seconds to hold after breathing in.")
    rest: Pause = Field(0.0, description="Seconds to rest after breathing out.")
    cycles: Annotated[int, Field(ge=1, le=10_000)] | None = None
    seconds: Duration | None = Field(None, description="Breathe for this long, in whole cycles.")

    @model_validator(mode="after")
    def _one_length(self) -> Breathe:
        if self.cycles is not None and self.seconds is not None:
            raise ValueError("this `breathe` step has both `cycles` and `seconds`: keep one")
        if self.cycles is None and self.seconds is None:
            raise ValueError("a breathe step needs `cycles` or `seconds` (one of them)")
        return self


class Silence(_Step):
    silence: Duration = Field(description="How long the silence lasts.")
    text: Text | None = Field(None, description="A line shown during the silence.")
    bell_every: BellEvery | None = Field(
        None, description="A bell at each interval (at least 5 s)."
    )


class Reflect(_Step):
    reflect: Text = Field(description="A question to reflect on; the person may type an answer.")
    save: bool = Field(True, description="Log the answer (false: never written anywhere).")


class Rate(_Step):
    rate: Text = Field(description="The question.")
    key: Annotated[str, Field(pattern=NAME_PATTERN)] = Field(
        description="Logged under this name, e.g. stress_before / stress_after."
    )
    min: int = RATE_MIN
    max: int = RATE_MAX
    labels: dict[int, Text] = Field(default_factory=dict, description="Names for some numbers.")
    label: Text | None = Field(
        None,
        description="What is rated, in summaries and stats (default: the key without _before/_after).",
    )

    @model_validator(mode="after")
    def _scale(self) -> Rate:
        _check_scale(self.min, self.max, self.labels)
        return self


def _check_scale(low: int, high: int, labels: dict[int, Any]) -> None:
    """Raise when a scale runs the wrong way, past its bounds, or names a number outside it."""
    from kindful.practice.format.limits import MAX_POINTS, SCALE_HIGHEST, SCALE_LOWEST

    if high > SCALE_HIGHEST:
        raise ValueError(f"`max` should be at most {SCALE_HIGHEST}")
    if low < SCALE_LOWEST:
        raise ValueError(f"`min` should be at least {SCALE_LOWEST}")
    if low >= high:
        raise ValueError("`min` should be less than `max`")
    outside = [n for n in labels if not low <= n <= high]
    if outside:
        raise ValueError(f"label {outside[0]} is outside the scale {low} to {high}")
    if high - low + 1 > MAX_POINTS:
        raise ValueError(f"a scale has at most {MAX_POINTS} points; this one {high - low + 1:,}")


class Scale(_Model):
    min: int = SURVEY_MIN
    max: int = SURVEY_MAX
    labels: dict[int, Text] = Field(default_factory=dict, description="Names for some numbers.")

    @model_validator(mode="after")
    def _scale(self) -> Scale:
        _check_scale(self.min, self.max, self.labels)
        return self


class Item(_Model):
    text: Text = Field(description="The statement or question, answered on the scale.")
    reverse: bool = Field(False, description="Scored min + max - answer.")
    subscale: Annotated[str, Field(pattern=NAME_PATTERN)] | None = None


class Survey(_Step):
    survey: Text = Field(description="What the questionnaire is about, shown before its items.")
    key: Annotated[str, Field(pattern=NAME_PATTERN)] = Field(description="Logged under this name.")
    scale: Scale = Field(default_factory=Scale)
    items: Annotated[list[Item], Field(min_length=1, max_length=200)]
    score: Literal["mean", "sum"] = Field("mean", description="How answers make the score.")


class Bell(_Step):
    bell: Annotated[int, Field(ge=1, le=12)] = Field(description="How many strikes.")


class Quote(_Step):
    quote: Text = Field(description="The words quoted.")
    by: str | None = Field(None, description="Who said or wrote them.")
    seconds: Duration | None = None


class Repeat(_Step):
    repeat: Annotated[int, Field(ge=1, le=10_000)] = Field(description="How many rounds.")
    steps: Annotated[list[Step], Field(min_length=1)]


# The one table of step kinds: each step model, tagged with the key that names its kind.
_Steps = (
    Annotated[Say, Tag("say")]
    | Annotated[Breathe, Tag("breathe")]
    | Annotated[Silence, Tag("silence")]
    | Annotated[Reflect, Tag("reflect")]
    | Annotated[Rate, Tag("rate")]
    | Annotated[Survey, Tag("survey")]
    | Annotated[Bell, Tag("bell")]
    | Annotated[Quote, Tag("quote")]
    | Annotated[Repeat, Tag("repeat")]
)
# Each kind's key and model class, read off the table: the loader validates a step by it.
STEP_MODELS: dict[str, type[BaseModel]] = {
    typing.get_args(kind)[1].tag: typing.get_args(kind)[0] for kind in typing.get_args(_Steps)
}
KINDS: tuple[str, ...] = tuple(STEP_MODELS)


def _kind(value: Any) -> str | None:
    if isinstance(value, dict):
        for kind in KINDS:
            if kind in value:
                return kind
    elif isinstance(value, BaseModel):
        return next((k for k in KINDS if k in type(value).model_fields), None)
    return None


Step = Annotated[
    _Steps,
    Discriminator(
        _kind,
        custom_error_type="step_kind",
        custom_error_message="a step is a mapping with one kind: " + ", ".join(KINDS),
    ),
]
Repeat.model_rebuild()


# ----------------------------------------------------------------------------- the practice


class Input(_Model):
    name: Annotated[str, Field(pattern=NAME_PATTERN)] = Field(
        description="Used as {name} in texts; `round` is kept for `repeat`.",
        json_schema_extra={"not": {"const": "round"}},
    )
    ask: Text = Field(description="The question asked before the first step.")
    default: Annotated[str, Field(max_length=MAX_ANSWER)] = Field(
        "", description="The answer when the person gives none."
    )


class Source(_Model):
    cite: str = Field(description="The citation: authors, year, title, where published.")
    doi: str | None = None
    url: str | None = None


def _citation(value: Any) -> Any:
    return {"cite": value} if isinstance(value, str) else value


Citation = Annotated[Source, BeforeValidator(_citation, json_schema_input_type=str | Source)]


class Practice(_Model):
    """A practice as its file describes it."""

    model_config = ConfigDict(
        title="kindful practice (format 1)",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    kindful: Literal[1] = Field(description="The format version.")
    id: Annotated[str, Field(pattern=ID_PATTERN)] | None = Field(
        None, description="Defaults to the file name without extension."
    )
    title: Text
    summary: Text | None = None
    author: str | None = None
    license: str | None = None
    languages: list[Annotated[str, Field(pattern=LANG_PATTERN)]] | None = Field(
        None, description="When given, every text must have each of these languages."
    )
    tags: list[str] = Field(default_factory=list)
    sources: list[Citation] = Field(default_factory=list)
    inputs: list[Input] = Field(default_factory=list)
    steps: Annotated[list[Step], Field(min_length=1)]

    def languages_used(self) -> list[str]:
        """Give the declared languages, else those the texts use, in order of first use."""
        if self.languages:
            return list(self.languages)
        found: dict[str, None] = {}
        for text in _texts(self):
            if isinstance(text, dict):
                found.update(dict.fromkeys(text))
        return list(found)

    def questions(self, lang: str) -> list[Question]:
        """Give the inputs to ask before the first step, in ``lang``."""
        return [Question(i.name, pick(i.ask, lang), i.default) for i in self.inputs]

    def expanded_count(self) -> int:
        """Give how many steps the practice has with every repeat expanded."""
        return _count(self.steps)


def _count(steps: list[Step]) -> int:
    return sum(s.repeat * _count(s.steps) if isinstance(s, Repeat) else 1 for s in steps)


def _texts(practice: Practice) -> list[str | dict[str, str]]:
    texts: list[str | dict[str, str]] = [practice.title]
    if practice.summary is not None:
        texts.append(practice.summary)
    texts.extend(i.ask for i in practice.inputs)

    def walk(steps: list[Step]) -> None:
        for step in steps:
            if isinstance(step, Repeat):
                walk(step.steps)
            else:
                texts.extend(_step_texts(step))

    walk(practice.steps)
    return texts


def _step_texts(step: Step) -> list[str | dict[str, str]]:
    kind = _kind(step)
    main = getattr(step, kind or "", None)
    out = [main] if isinstance(main, str | dict) else []
    if isinstance(step, Silence) and step.text is not None:
        out.append(step.text)
    if isinstance(step, Rate):
        out.extend(step.labels.values())
        if step.label is not None:
            out.append(step.label)
    if isinstance(step, Survey):
        out.extend(step.scale.labels.values())
        out.extend(item.text for item in step.items)
    return out
