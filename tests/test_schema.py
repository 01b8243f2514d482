"""The JSON Schema agrees with the loader: valid files pass it, structurally wrong ones fail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from kindful.paths import builtin_practices
from kindful.practice.model import json_schema

FIXTURES = Path(__file__).parent / "fixtures"


def is_program(path: Path) -> bool:
    """Tell whether a built-in file is a program (contract, section 9), which has its own format."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return isinstance(raw, dict) and raw.get("program") is True


BUILTINS = [p for p in sorted(builtin_practices().glob("*.yaml")) if not is_program(p)]
VALID = sorted((FIXTURES / "valid").glob("*.yaml")) + BUILTINS
INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))


def as_json(path: Path) -> Any:
    """Give the file's data as an editor's YAML plugin sees it: JSON, keys as strings."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the parser kindful itself uses
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    return json.loads(json.dumps(data, default=str))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_files_pass_the_schema(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    errors = [e.message for e in validator.iter_errors(as_json(path))]
    assert errors == []


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_wrong_files_fail_the_schema(
    validator: jsonschema.Draft202012Validator, path: Path
) -> None:
    assert list(validator.iter_errors(as_json(path)))


def test_the_builtins_are_there() -> None:
    assert len(VALID) > 3
