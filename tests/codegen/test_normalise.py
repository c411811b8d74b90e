"""Golden tests of the normalise stage: a tiny spec in, the definitions out.

Here the names of inline definitions matter most: union members named by the
constant that tells them apart, ``null`` dropped before any numbering, and a
nullable component keeping its own name for its object.
"""

from __future__ import annotations

from typing import Any

from openai_structs.codegen.ir import (
    NULL,
    STR,
    AliasDef,
    Array,
    EnumT,
    Map,
    ObjectDef,
    Prim,
    Ref,
    UnionT,
)
from openai_structs.codegen.normalise import normalise


def _spec(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": paths or {}, "components": {"schemas": schemas}}


def _event(value: str, **props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["event"],
        "properties": {"event": {"type": "string", "enum": [value]}, **props},
    }


def test_members_are_named_by_their_event_constant() -> None:
    spec = normalise(
        _spec({"StreamEvent": {"oneOf": [_event("thread.run.created"), _event("done")]}})
    )
    alias = spec.defs["StreamEvent"]
    assert isinstance(alias, AliasDef)
    assert alias.type == UnionT((Ref("StreamEventThreadRunCreated"), Ref("StreamEventDone")))
    created = spec.defs["StreamEventThreadRunCreated"]
    assert isinstance(created, ObjectDef) and created.parent == "StreamEvent"


def test_the_tag_constant_comes_before_the_title() -> None:
    member = {**_event("server_vad"), "title": "Server VAD"}
    spec = normalise(_spec({"Detection": {"oneOf": [member, {**_event("x"), "title": "X"}]}}))
    assert "DetectionServerVad" in spec.defs
    assert "DetectionServerVAD" not in spec.defs


def test_a_taken_name_falls_back_to_the_title() -> None:
    spec = normalise(
        _spec({
            "FormatsPcm": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Formats": {"anyOf": [
                {**_event("pcm"), "title": "PCM format"},
                _event("other"),
            ]},
        })
    )  # fmt: skip
    assert "FormatsPCMFormat" in spec.defs
    assert "FormatsPcm2" not in spec.defs


def test_null_takes_no_number() -> None:
    spec = normalise(
        _spec({
            "Response": {"type": "object", "properties": {
                "incomplete_details": {"anyOf": [
                    {"type": "object", "properties": {"reason": {"type": "string"}}},
                    {"type": "null"},
                ]},
            }},
        })
    )  # fmt: skip
    response = spec.defs["Response"]
    assert isinstance(response, ObjectDef)
    assert response.fields[0].type == UnionT((Ref("ResponseIncompleteDetails"), NULL))
    details = spec.defs["ResponseIncompleteDetails"]
    assert isinstance(details, ObjectDef)
    assert (details.parent, details.site) == ("Response", "incomplete_details")
    assert not any(name.endswith("0") for name in spec.defs)


def test_a_nullable_component_keeps_its_name_for_the_object() -> None:
    usage = {
        "anyOf": [
            {"type": "object", "properties": {"total": {"type": "integer"}}, "required": ["total"]},
            {"type": "null"},
        ]
    }
    holder = {"type": "object", "properties": {"usage": {"$ref": "#/components/schemas/Usage"}}}
    spec = normalise(_spec({"Holder": holder, "Usage": usage}))
    assert isinstance(spec.defs["Usage"], ObjectDef)
    holder_def = spec.defs["Holder"]
    assert isinstance(holder_def, ObjectDef)
    # every reference may be null, as the component said
    assert holder_def.fields[0].type == UnionT((Ref("Usage"), NULL))


def test_a_lone_inline_member_is_named_by_its_kind() -> None:
    voice = {
        "anyOf": [
            {"type": "string", "enum": ["alloy", "ash"]},
            {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]},
        ]
    }
    spec = normalise(_spec({"Voice": voice}))
    alias = spec.defs["Voice"]
    assert isinstance(alias, AliasDef)
    assert alias.type == UnionT((EnumT(("alloy", "ash")), Ref("VoiceObject")))


def test_site_of_nested_inline_objects() -> None:
    spec = normalise(
        _spec({
            "Completion": {"type": "object", "properties": {"choices": {
                "type": "array",
                "items": {"type": "object", "properties": {"logprobs": {
                    "type": "object", "properties": {"content": {"type": "string"}},
                }}},
            }}},
        })
    )  # fmt: skip
    item = spec.defs["CompletionChoicesItem"]
    logprobs = spec.defs["CompletionChoicesItemLogprobs"]
    assert isinstance(item, ObjectDef) and isinstance(logprobs, ObjectDef)
    assert (item.parent, item.site) == ("Completion", "choices[]")
    assert (logprobs.parent, logprobs.site) == ("Completion", "choices[].logprobs")
    completion = spec.defs["Completion"]
    assert isinstance(completion, ObjectDef)
    assert completion.fields[0].type == Array(Ref("CompletionChoicesItem"))


def test_operations_record_request_and_stream() -> None:
    paths = {
        "/things": {
            "post": {
                "operationId": "createThing",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/New"}}
                    }
                },
                "responses": {
                    "200": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/T"}},
                            "text/event-stream": {"schema": {"$ref": "#/components/schemas/E"}},
                        }
                    }
                },
            }
        }
    }
    obj = {"type": "object", "properties": {"a": {"type": "string"}}}
    spec = normalise(_spec({"New": obj, "T": obj, "E": obj}, paths))
    (op,) = spec.operations
    assert (op.request, op.response, op.stream) == ("New", Ref("T"), "E")
    assert (op.method, op.path) == ("post", "/things")


def test_strings_stay_plain() -> None:
    spec = normalise(_spec({"S": {"type": "object", "properties": {"s": {"type": "string"}}}}))
    s = spec.defs["S"]
    assert isinstance(s, ObjectDef) and s.fields[0].type == STR


def _obj(props: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(required)}


def _fields(d: Any) -> dict[str, tuple[Any, bool]]:
    assert isinstance(d, ObjectDef)
    return {f.json_name: (f.type, f.required) for f in d.fields}


def test_all_of_merges_properties_and_required() -> None:
    spec = normalise(
        _spec({
            "Base": _obj({"id": {"type": "string"}, "n": {"type": "integer"}}, ("id",)),
            "Child": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                _obj({"extra": {"type": "boolean"}}, ("extra", "n")),
            ]},
            "Same": {"allOf": [{"$ref": "#/components/schemas/Base"}]},
        })
    )  # fmt: skip
    assert _fields(spec.defs["Child"]) == {
        "id": (STR, True),
        "n": (Prim("int"), True),
        "extra": (Prim("bool"), True),
    }
    assert _fields(spec.defs["Base"])["n"] == (Prim("int"), False)
    # allOf of one $ref is that reference
    same = spec.defs["Same"]
    assert not isinstance(same, ObjectDef) and same.type == Ref("Base")


def test_nullable_forms() -> None:
    spec = normalise(
        _spec({
            "N": _obj({
                "a": {"type": "string", "nullable": True},
                "b": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
                "c": {"type": ["number", "null"]},
                "d": {"type": "string", "enum": ["x", "y", None]},
                "e": {"anyOf": [{"$ref": "#/components/schemas/M"}, {"type": "null"}]},
                "f": {"type": "string"},
            }),
            "M": _obj({"z": {"type": "string"}}),
        })
    )  # fmt: skip
    f = _fields(spec.defs["N"])
    assert f["a"][0] == UnionT((STR, NULL))
    assert f["b"][0] == UnionT((Prim("int"), NULL))
    assert f["c"][0] == UnionT((Prim("float"), NULL))
    assert f["d"][0] == UnionT((EnumT(("x", "y")), NULL))
    assert f["e"][0] == UnionT((Ref("M"), NULL))
    assert f["f"][0] == STR


def test_inline_objects_are_named_after_parent_and_field() -> None:
    spec = normalise(
        _spec({
            "Outer": _obj({
                "choice_list": {"type": "array", "items": _obj({"index": {"type": "integer"}})},
                "usage": _obj({"total_tokens": {"type": "integer"}}, ("total_tokens",)),
                "meta": {"type": "object", "additionalProperties": {"type": "string"}},
                "free": {"type": "object"},
            }),
        })
    )  # fmt: skip
    f = _fields(spec.defs["Outer"])
    assert f["usage"][0] == Ref("OuterUsage")
    assert f["choice_list"][0] == Array(Ref("OuterChoiceListItem"))
    assert f["meta"][0] == Map(STR)
    assert isinstance(f["free"][0], Map)
    usage = spec.defs["OuterUsage"]
    assert isinstance(usage, ObjectDef)
    assert (usage.origin, usage.parent) == ("inline", "Outer")
    assert _fields(usage) == {"total_tokens": (Prim("int"), True)}


def test_inline_name_does_not_take_a_component_name() -> None:
    spec = normalise(
        _spec({
            "A": _obj({"b": _obj({"x": {"type": "string"}})}),
            "AB": _obj({"y": {"type": "integer"}}),
        })
    )  # fmt: skip
    assert _fields(spec.defs["A"])["b"][0] == Ref("AB2")
    assert _fields(spec.defs["AB"]) == {"y": (Prim("int"), False)}
    assert _fields(spec.defs["AB2"]) == {"x": (STR, False)}


def test_recursive_ref_points_at_the_component() -> None:
    spec = normalise(
        _spec({
            "Tree": _obj({
                "children": {"type": "array", "items": {"$recursiveRef": "#"}},
                "value": {"type": "string"},
            }),
        })
    )  # fmt: skip
    assert _fields(spec.defs["Tree"])["children"][0] == Array(Ref("Tree"))


def test_dashed_component_names() -> None:
    spec = normalise(_spec({"Error-2": _obj({"message": {"type": "string"}}, ("message",))}))
    assert "Error2" in spec.defs and "Error-2" not in spec.defs
    assert spec.spec_names == {"Error2": "Error-2"}


def test_operations_get_params_and_response() -> None:
    paths = {
        "/things/{thing_id}": {
            "get": {
                "operationId": "getThing",
                "tags": ["Models"],
                "parameters": [
                    {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "OpenAI-Beta", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"}}}}},
            }
        }
    }  # fmt: skip
    spec = normalise(_spec({"Thing": _obj({"id": {"type": "string"}})}, paths))
    (op,) = spec.operations
    assert (op.operation_id, op.params, op.response) == ("getThing", "GetThingParams", Ref("Thing"))
    assert _fields(spec.defs["GetThingParams"]) == {
        "thing_id": (STR, True),
        "limit": (Prim("int"), False),
    }


def _hook(ref: str) -> dict[str, Any]:
    body = {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}}
    return {"post": {"requestBody": body, "responses": {"200": {}}}}


def test_webhook_payloads_make_one_union() -> None:
    schemas = {name: _event(name.lower()) for name in ("HookB", "HookA")}
    spec = {
        **_spec(schemas),
        "webhooks": {"b": _hook("HookB"), "a": _hook("HookA"), "again": _hook("HookB")},
    }
    union = normalise(spec).defs["WebhookEvent"]
    assert isinstance(union, AliasDef) and union.origin == "webhooks"
    # the spec's order, each payload once
    assert union.type == UnionT((Ref("HookB"), Ref("HookA")))


def test_no_webhooks_no_union() -> None:
    assert "WebhookEvent" not in normalise(_spec({"HookA": _event("a")})).defs
