"""The JSON Schema (draft 2020-12) of the practice format, shaped for editors.

pydantic writes the schema from the model; two things are added here: an ``$id``, and for each
list of steps an ``if``/``then`` on the kind's key in place of ``oneOf``.
"""

from __future__ import annotations

import typing
from typing import Any

from kindful.practice import model

SCHEMA_ID = "urn:kindful:practice:1"


def json_schema() -> dict[str, Any]:
    """Give the JSON Schema (draft 2020-12) of the practice format."""
    schema = model.Practice.model_json_schema(by_alias=True)
    _discriminate(schema)
    return {"$schema": schema.pop("$schema"), "$id": SCHEMA_ID, **schema}


def _discriminate(node: Any) -> None:
    """Replace each "one of the step kinds" with an if/then on the kind's key.

    With ``oneOf``, an editor can only say "not valid under any of the given schemas"; with
    ``if: {required: [say]}, then: Say`` it names the real problem of a ``say`` step.
    """
    refs = {
        f"#/$defs/{typing.get_args(kind)[0].__name__}": typing.get_args(kind)[1].tag
        for kind in typing.get_args(typing.get_args(model.Step)[0])
    }
    if isinstance(node, dict):
        one_of = node.get("oneOf")
        if isinstance(one_of, list) and {item.get("$ref") for item in one_of} == set(refs):
            del node["oneOf"]
            node["type"] = "object"
            node["anyOf"] = [{"required": [tag]} for tag in refs.values()]
            node["allOf"] = [
                {"if": {"required": [tag]}, "then": {"$ref": ref}} for ref, tag in refs.items()
            ]
        for value in node.values():
            _discriminate(value)
    elif isinstance(node, list):
        for value in node:
            _discriminate(value)
