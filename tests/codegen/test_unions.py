"""Golden tests of the union planning stage: a tiny spec in, the plans and
the classes the planner adds (variant subclasses, proxies) out."""

from __future__ import annotations

from typing import Any

from openai_structs.codegen.ir import AliasDef, ObjectDef, Ref, UnionT
from openai_structs.codegen.normalise import normalise
from openai_structs.codegen.unions import plan_unions


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


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
