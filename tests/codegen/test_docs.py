"""Docstrings come from the spec's structure: tag, unions, operations, parent
and field; never from the spec's descriptions."""

from __future__ import annotations

from typing import Any

from openai_structs.codegen.docs import UNUSED, collect, describe, render
from openai_structs.codegen.ir import ObjectDef
from openai_structs.codegen.normalise import normalise
from openai_structs.codegen.unions import plan_unions


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": _ref(name)}}}


SECRET = "This sentence is the spec's own prose and must not appear."

TINY: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": _json("NewThing"),
                "responses": {"200": _json("Thing")},
            }
        }
    },
    "components": {
        "schemas": {
            "NewThing": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Thing": {
                "type": "object",
                "description": SECRET,
                "properties": {
                    "part": _ref("Part"),
                    "box": {"type": "object", "properties": {"b": {"type": "string"}}},
                },
            },
            "Part": {
                "type": "object",
                "description": SECRET,
                "required": ["type"],
                "properties": {"type": {"type": "string", "enum": ["part"]}},
            },
            "Parts": {"oneOf": [_ref("Part"), _ref("Other")]},
            "Other": {
                "type": "object",
                "required": ["type"],
                "properties": {"type": {"type": "string", "enum": ["other"]}},
            },
            "Lonely": {"type": "object", "properties": {"z": {"type": "string"}}},
            "Item": {"type": "object", "properties": {"y": {"type": "string"}}},
            "Items": {"type": "array", "items": _ref("Item")},
        }
    },
}


def _docs() -> dict[str, str]:
    spec = normalise(TINY)
    planner = plan_unions(spec)
    facts = collect(spec, planner)
    return {
        name: " ".join(describe(d, facts))
        for name, d in spec.defs.items()
        if isinstance(d, ObjectDef)
    }


def test_facts_from_structure() -> None:
    docs = _docs()
    assert docs["Thing"] == "Returned by ``POST /things``."
    assert docs["NewThing"] == "Accepted by ``POST /things``."
    assert docs["Part"] == 'Tagged ``type: "part"``. A member of ``Parts``.'
    assert docs["ThingBox"] == "The ``box`` object of ``Thing``."
    assert docs["Lonely"] == UNUSED
    assert docs["Item"] == "Held by ``Items``."  # a list alias holds its items
    assert all(SECRET not in d for d in docs.values())


def test_render_wraps_without_breaking_literals() -> None:
    text = "Returned by " + ", ".join(f"``GET /things/{{id}}/part{i}``" for i in range(6)) + "."
    lines = render([text])
    assert lines[0].startswith('    """Returned by')
    assert lines[-1] == '    """'
    assert all(len(line) <= 100 for line in lines)
    assert all(line.count("``") % 2 == 0 for line in lines)
    assert render(["Short."]) == ['    """Short."""']
