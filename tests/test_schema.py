"""The JSON Schema agrees with the loader: every fixture is judged alike by both."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kindful.errors import PracticeError
from kindful.paths import builtin_practices
from kindful.practice.checking.load import load_practice
from kindful.practice.format.schema import SCHEMA_ID, json_schema

FIXTURES = Path(__file__).parent / "fixtures"


def is_program(path: Path) -> bool:
    """Tell whether a built-in file is a program (contract, section 9), which has its own format."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(raw, dict) and raw.get("program") is True


BUILTINS = [p for p in sorted(builtin_practices().glob("*.yaml")) if not is_program(p)]
VALID = sorted((FIXTURES / "valid").glob("*.yaml")) + BUILTINS
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
# What only kindful checks (docs/authoring.md, "What the schema cannot see"): the languages
# of texts against `languages`, placeholders, and practice ids.
KINDFUL_ALONE = {"bilingual-plain"}


class _Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML reading booleans as YAML 1.2 does, as editors do: only true and false."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _Yaml12Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        __import__("re").compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        [_first],
    )


def as_json(path: Path) -> Any:
    """Give the file's data as an editor's YAML plugin sees it: YAML 1.2, JSON, keys as strings."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_files_pass_the_schema(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    errors = [e.message for e in validator.iter_errors(as_json(path))]
    assert errors == []
    assert load_practice(path).steps


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_wrong_files_fail_the_schema(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    with pytest.raises(PracticeError):
        load_practice(path)
    try:
        data = as_json(path)
    except yaml.YAMLError:
        return  # not YAML at all: an editor says so before any schema
    if path.stem not in KINDFUL_ALONE:
        assert list(validator.iter_errors(data))


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (
            {"say": "Hi", "secnds": 3},
            "Additional properties are not allowed ('secnds' was unexpected)",
        ),
        ({"say": "Hi", "seconds": 0}, "0 is less than or equal to the minimum of 0"),
        ({"silence": ""}, "'' does not match '^(?=.*[1-9])"),
        ({"breathe": "", "in": 4}, "'out' is a required property"),
    ],
)
def test_an_editor_names_the_real_problem_of_a_step(
    validator: jsonschema.Draft202012Validator, step: dict[str, Any], message: str
) -> None:
    practice = {"kindful": 1, "title": "T", "steps": [step]}
    best = jsonschema.exceptions.best_match(validator.iter_errors(practice))
    assert best is not None
    assert best.message.startswith(message)


def test_the_builtins_are_there() -> None:
    assert len(VALID) > 3
