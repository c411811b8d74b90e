"""Golden tests of the union planning stage: a tiny spec in, the plans and
the classes the planner adds (variant subclasses, proxies) out."""

from __future__ import annotations

from typing import Any

from openai_structs.codegen.ir import AliasDef, EnumT, ObjectDef, Ref, UnionT
from openai_structs.codegen.normalise import normalise
from openai_structs.codegen.unions import plan_unions


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _spec(schemas: dict[str, Any], paths: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"openapi": "3.1.0", "paths": paths or {}, "components": {"schemas": schemas}}


def _obj(props: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": props, "required": list(required)}


def _fields(d: Any) -> dict[str, tuple[Any, bool]]:
    assert isinstance(d, ObjectDef)
    return {f.json_name: (f.type, f.required) for f in d.fields}


def _tagged(prop: str, values: list[str], required: bool = True, **props: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": [prop] if required else [],
        "properties": {prop: {"type": "string", "enum": values}, **props},
    }


TINY: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {},
    "components": {
        "schemas": {
            "Created": _tagged("event", ["thing.created"]),
            "Deleted": _tagged("event", ["thing.deleted"]),
            "Event": {"oneOf": [_ref("Created"), _ref("Deleted")]},
            "Filter": _tagged("op", ["eq", "ne"]),
            "Tool": _tagged("type", ["search", "search_2025"]),
            "Msg": _tagged("type", ["message"], text={"type": "string"}),
            "EasyMsg": _tagged("type", ["message"], required=False, content={"type": "string"}),
            "Call": _tagged("type", ["call"]),
            "Item": {"oneOf": [_ref("Msg"), _ref("EasyMsg"), _ref("Call"), _ref("Tool")]},
        }
    },
}


def test_plans_variants_and_proxies() -> None:
    spec = normalise(TINY)
    planner = plan_unions(spec)
    event = spec.defs["Event"]
    item = spec.defs["Item"]
    assert isinstance(event, AliasDef) and isinstance(item, AliasDef)
    assert isinstance(event.type, UnionT) and isinstance(item.type, UnionT)

    event_plan = planner.plan(event.type)
    assert (event_plan.kind, event_plan.tag_field) == ("tagged", "event")

    item_plan = planner.plan(item.type)
    assert (item_plan.kind, item_plan.tag_field) == ("tagged", "type")
    # two members carry "message" (one may omit it): one proxy, named by the naming stage
    assert item_plan.groups == {"message": ["Msg", "EasyMsg"]}
    assert item_plan.proxies == {"message": "ItemMessage"}
    proxy = spec.defs["ItemMessage"]
    assert isinstance(proxy, ObjectDef)
    assert proxy.origin == "proxy" and proxy.targets == ["Msg", "EasyMsg"]
    assert [f.json_name for f in proxy.fields] == ["type", "text", "content"]
    assert [f.required for f in proxy.fields] == [True, False, False]
    # EasyMsg may omit the tag: the members sent without it have a class of
    # their own, holding the proxy's fields and the tag as an optional field
    assert proxy.untagged == item_plan.untagged_class == "ItemWithoutType"
    untagged = spec.defs["ItemWithoutType"]
    assert isinstance(untagged, ObjectDef) and untagged.origin == "untagged"
    assert untagged.tag_field is None
    assert untagged.groups == [("ItemMessage", ["EasyMsg"])]
    assert [(f.json_name, f.required) for f in untagged.fields] == [
        ("text", False),
        ("content", False),
        ("type", False),
    ]

    # a struct with two tag values gets a subclass for the second
    assert planner.variants["Tool"] == {"search": "Tool", "search_2025": "Tool2025"}
    sub = spec.defs["Tool2025"]
    assert isinstance(sub, ObjectDef) and sub.variant_of == "Tool"
    assert planner.runtime_structs(item_plan) == ["ItemMessage", "Call", "Tool", "Tool2025"]
    assert planner.public_structs(item_plan) == ["Msg", "EasyMsg", "Call", "Tool", "Tool2025"]

    # the planner records each union it named with the definition it belongs to
    assert {u: name for u, name in planner.names.items()} == {item.type: ("Item", "Item")}
    assert isinstance(spec.defs["Created"], ObjectDef)
    assert spec.defs["Created"].tag_field == "event"  # type: ignore[union-attr]
    assert Ref("Filter") not in event.type.members


def _member(tag: str | list[str], required: bool = True, **extra: Any) -> dict[str, Any]:
    values = tag if isinstance(tag, list) else [tag]
    props = {"type": {"type": "string", "enum": values}, **extra}
    return _obj(props, ("type",) if required else ())


def _plan(schemas: dict[str, Any], union: str = "U") -> Any:
    spec = normalise(_spec(schemas))
    planner = plan_unions(spec)
    u = spec.defs[union]
    assert not isinstance(u, ObjectDef)
    assert isinstance(u.type, UnionT)
    return spec, planner.plan(u.type)


def _refs(*names: str) -> list[dict[str, str]]:
    return [{"$ref": f"#/components/schemas/{n}"} for n in names]


def test_union_tagged_on_type() -> None:
    spec, plan = _plan({
        "A": _member("a", x={"type": "string"}),
        "B": _member("b", y={"type": "integer"}),
        "U": {"oneOf": _refs("A", "B"), "discriminator": {"propertyName": "type"}},
    })  # fmt: skip
    assert plan.kind == "tagged"
    assert plan.tag_field == "type"
    assert plan.members == [Ref("A"), Ref("B")]
    assert not plan.nullable
    assert spec.defs["A"].tag_field == "type"


def test_union_tagged_without_discriminator_and_nullable() -> None:
    _, plan = _plan({
        "A": _member("a"),
        "B": _member("b"),
        "U": {"anyOf": [*_refs("A", "B"), {"type": "null"}]},
    })  # fmt: skip
    assert (plan.kind, plan.tag_field, plan.nullable) == ("tagged", "type", True)


def test_union_with_one_struct_is_plain() -> None:
    _, plan = _plan({"A": _member("a"), "U": {"anyOf": [{"type": "string"}, *_refs("A")]}})
    assert plan.kind == "plain"


def test_union_with_a_shared_tag_value_gets_a_proxy() -> None:
    _, plan = _plan({
        "User": _member("message", role={"type": "string", "enum": ["user"]}),
        "Asst": _member("message", role={"type": "string", "enum": ["assistant"]}),
        "Call": _member("function_call"),
        "U": {"oneOf": _refs("User", "Asst", "Call")},
    })  # fmt: skip
    assert (plan.kind, plan.tag_field) == ("tagged", "type")
    assert plan.groups == {"message": ["User", "Asst"]}
    assert plan.proxies == {"message": "UMessage"}


def test_union_with_an_optional_tag_gets_a_proxy() -> None:
    _, plan = _plan({
        "Easy": _member("message", required=False, content={"type": "string"}),
        "Call": _member("function_call"),
        "U": {"oneOf": _refs("Easy", "Call")},
    })  # fmt: skip
    assert plan.kind == "tagged"
    assert plan.groups == {"message": ["Easy"]}
    assert plan.proxies == {"message": "UMessage"}


def test_union_member_with_several_tag_values_is_split() -> None:
    spec, plan = _plan({
        "Cmp": _member(["eq", "ne"]),
        "And": _member("and"),
        "U": {"oneOf": _refs("Cmp", "And")},
    })  # fmt: skip
    assert plan.kind == "tagged"
    assert plan.groups == {}
    sub = spec.defs["CmpNe"]
    assert isinstance(sub, ObjectDef)
    assert (sub.variant_of, sub.tag_field) == ("Cmp", "type")
    assert _fields(sub)["type"] == (EnumT(("ne",)), True)
    assert spec.defs["Cmp"].tag_field == "type"


def test_union_of_struct_and_map_dispatches() -> None:
    _, plan = _plan({
        "A": _member("a"),
        "U": {"anyOf": [*_refs("A"), {"type": "object", "additionalProperties": {"type": "string"}}]},
    })  # fmt: skip
    assert plan.kind == "dispatch"
    assert plan.reason == "a struct beside a free-form object"
