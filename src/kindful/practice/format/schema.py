"""The JSON Schema (draft 2020-12) of the practice format, shaped for editors.

pydantic writes the schema from the model; added here are an ``$id``; for each step, its
kind's schema chosen by the kind's key (``dependentSchemas``) in place of ``oneOf``; and the
checks JSON Schema cannot compute from the model (``schema_bounds``): a scale's ends and labels.
"""

from __future__ import annotations

import typing
from typing import Any

from kindful.practice.format import model
from kindful.practice.format.limits import RATE_MAX, RATE_MIN, SURVEY_MAX, SURVEY_MIN
from kindful.practice.format.schema_bounds import scale_rules

SCHEMA_ID = "urn:kindful:practice:1"


def json_schema() -> dict[str, Any]:
    """Give the JSON Schema (draft 2020-12) of the practice format."""
    schema = model.Practice.model_json_schema(by_alias=True)
    _discriminate(schema)
    defs = schema.get("$defs", {})
    for name, (low, high) in {
        "Rate": (RATE_MIN, RATE_MAX),
        "Scale": (SURVEY_MIN, SURVEY_MAX),
    }.items():
        if name in defs:
            defs[name]["allOf"] = scale_rules(low, high)
    return {"$schema": schema.pop("$schema"), "$id": SCHEMA_ID, **schema}


def _discriminate(node: Any, defs: dict[str, Any] | None = None) -> None:
    """Replace each "one of the step kinds" with the kind's schema, chosen by the kind's key.

    With ``oneOf``, an editor can only say "not valid under any of the given schemas"; with
    ``dependentSchemas: {say: Say}`` it names the real problem of a ``say`` step. While a step
    has no kind yet, only the kinds are its properties, so that an editor completing a new
    step offers the nine kinds, not every key of every kind.
    """
    if defs is None:
        defs = node.get("$defs", {}) if isinstance(node, dict) else {}
    refs = {
        f"#/$defs/{typing.get_args(kind)[0].__name__}": typing.get_args(kind)[1].tag
        for kind in typing.get_args(typing.get_args(model.Step)[0])
    }
    if isinstance(node, dict):
        one_of = node.get("oneOf")
        if isinstance(one_of, list) and {item.get("$ref") for item in one_of} == set(refs):
            del node["oneOf"]
            kinds = [{"required": [tag]} for tag in refs.values()]
            node["type"] = "object"
            node["anyOf"] = kinds
            node["dependentSchemas"] = {tag: {"$ref": ref} for ref, tag in refs.items()}
            node["if"] = {"not": {"anyOf": kinds}}
            node["then"] = {"properties": {tag: _kind(defs, ref, tag) for ref, tag in refs.items()}}
        for value in node.values():
            _discriminate(value, defs)
    elif isinstance(node, list):
        for value in node:
            _discriminate(value, defs)


def _kind(defs: dict[str, Any], ref: str, tag: str) -> dict[str, Any]:
    """Give a step kind's key as a property: its description, for an editor to show."""
    found = defs.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}).get(tag, {})
    description = found.get("description") or f"a `{tag}` step"
    return {"description": f"{tag}: {description}"}
