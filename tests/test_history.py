"""The history stage (:mod:`openai_structs.codegen.history`) on tiny specs, and
the examples of every older snapshot of the spec decoded with today's types.

Golden tests: a small "today" spec and a small snapshot, normalised like the
real ones, and the exact changes the stage makes and logs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_examples import SHARED, operation_examples, schema_examples

from openai_structs.codegen.history import (
    EnumAdded,
    Loosened,
    apply_history,
    load_snapshots,
    snapshot_paths,
)
from openai_structs.codegen.ir import EnumT, ObjectDef, Prim, Spec, UnionT
from openai_structs.codegen.normalise import normalise
from openai_structs.codegen.report import history_lines


def _spec(schemas: dict[str, Any]) -> Spec:
    return normalise({"components": {"schemas": schemas}})


def _obj(spec: Spec, name: str) -> ObjectDef:
    d = spec.defs[name]
    assert isinstance(d, ObjectDef)
    return d


def _required(spec: Spec, name: str) -> dict[str, bool]:
    return {f.json_name: f.required for f in _obj(spec, name).fields}


TODAY = {
    "Event": {
        "type": "object",
        "required": ["type", "sequence_number", "name", "usage"],
        "properties": {
            "type": {"type": "string", "enum": ["event.done"]},
            "sequence_number": {"type": "integer"},
            "name": {"type": "string"},
            "usage": {
                "type": "object",
                "required": ["cached", "written"],
                "properties": {"cached": {"type": "integer"}, "written": {"type": "integer"}},
            },
            "status": {"type": "string", "enum": ["queued", "done"]},
        },
    },
    "Voice": {"type": "string", "enum": ["alloy", "echo"]},
    "New": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
}
OLD = {
    "Event": {
        "type": "object",
        "required": ["type", "usage"],
        "properties": {
            "type": {"type": "string", "enum": ["event.finished"]},
            "name": {"type": "string"},
            "usage": {
                "type": "object",
                "required": ["cached"],
                "properties": {"cached": {"type": "integer"}},
            },
            "status": {"type": "string", "enum": ["queued", "running", "done"]},
        },
    },
    "Voice": {"type": "string", "enum": ["alloy", "fable"]},
}


def test_fields_missing_or_optional_in_a_snapshot_become_optional() -> None:
    today = _spec(TODAY)
    log = apply_history(today, [("old", _spec(OLD))])
    assert _required(today, "Event") == {
        "type": True,  # required in both
        "sequence_number": False,  # absent from the snapshot
        "name": False,  # there, but not required
        "usage": True,
        "status": False,  # optional today already
    }
    # The inline usage object is matched through Event.usage.
    assert _required(today, "EventUsage") == {"cached": True, "written": False}
    assert _required(today, "New") == {"id": True}  # no counterpart in the snapshot
    assert log.snapshots == ["old"]
    assert log.loosened == [
        Loosened("Event", "sequence_number", "old", "absent"),
        Loosened("Event", "name", "old", "optional"),
        Loosened("EventUsage", "written", "old", "absent"),
    ]


def test_dropped_enum_values_come_back_but_constants_stay() -> None:
    today = _spec(TODAY)
    log = apply_history(today, [("old", _spec(OLD))])
    event = _obj(today, "Event")
    status, tag = event.field("status"), event.field("type")
    assert status is not None and tag is not None
    assert status.type == EnumT(("queued", "done", "running"))
    assert tag.type == EnumT(("event.done",))  # a renamed tag is not merged
    assert today.defs["Voice"].type == EnumT(("alloy", "echo", "fable"))  # type: ignore[union-attr]
    assert log.enums == [
        EnumAdded("Event", "status", "old", ("running",)),
        EnumAdded("Voice", "", "old", ("fable",)),
    ]


def test_enum_beside_other_types_and_every_snapshot() -> None:
    today = _spec(
        {"Choice": {"anyOf": [{"type": "string", "enum": ["auto", "none"]}, {"type": "integer"}]}}
    )
    first = _spec({"Choice": {"type": "string", "enum": ["auto", "required"]}})
    second = _spec({"Choice": {"type": "string", "enum": ["auto", "any"]}})
    log = apply_history(today, [("first", first), ("second", second)])
    assert today.defs["Choice"].type == UnionT(  # type: ignore[union-attr]
        (EnumT(("auto", "none", "required", "any")), Prim("int"))
    )
    assert [(e.snapshot, e.values) for e in log.enums] == [
        ("first", ("required",)),
        ("second", ("any",)),
    ]


def test_inline_union_members_are_matched_by_tag() -> None:
    def item(tag: str, required: list[str]) -> dict[str, Any]:
        return {
            "title": tag.title() + "Part",
            "type": "object",
            "required": required,
            "properties": {
                "type": {"type": "string", "enum": [tag]},
                "text": {"type": "string"},
            },
        }

    today = _spec(
        {
            "Msg": {
                "type": "object",
                "properties": {
                    "parts": {
                        "type": "array",
                        "items": {
                            "oneOf": [item("a", ["type", "text"]), item("b", ["type", "text"])]
                        },
                    }
                },
            }
        }
    )
    old = {
        "Msg": {
            "type": "object",
            "properties": {
                "parts": {
                    "type": "array",
                    "items": {"oneOf": [item("b", ["type"]), item("a", ["type", "text"])]},
                }
            },
        }
    }
    log = apply_history(today, [("old", _spec(old))])
    assert [(x.definition, x.field) for x in log.loosened] == [("MsgPartsItemB", "text")]


def test_report_groups_by_definition() -> None:
    today = _spec(TODAY)
    log = apply_history(today, [("old", _spec(OLD))])
    assert history_lines(log) == [
        "History (snapshots: old): 3 fields made optional in 2 definitions:",
        "  Event: sequence_number (absent in old), name (optional in old)",
        "  EventUsage: written (absent in old)",
        "History: 2 enum values added in 2 enums:",
        "  Event.status: running (from old)",
        "  Voice: fable (from old)",
    ]


def test_snapshots_are_read_from_a_folder(tmp_path: Path) -> None:
    assert snapshot_paths(tmp_path / "missing") == []
    (tmp_path / "openapi-2024-01-01.json").write_text(
        json.dumps({"components": {"schemas": OLD}}), encoding="utf-8"
    )
    (tmp_path / "notes.md").write_text("not a snapshot", encoding="utf-8")
    [(name, spec)] = load_snapshots(tmp_path)
    assert name == "openapi-2024-01-01" and "Event" in spec.defs


# ---------------------------------------------------------------------------
# The stage in the generator

SPEC_PATH = SHARED / "spec" / "openapi.json"
SEED_PATH = SHARED / "seed" / "names.json"
needs_spec = pytest.mark.skipif(not SPEC_PATH.exists(), reason=f"no spec at {SPEC_PATH}")


@needs_spec
def test_generate_reads_the_history_beside_the_spec(tmp_path: Path) -> None:
    from openai_structs.codegen import generate
    from openai_structs.codegen.__main__ import main

    result = generate(SPEC_PATH, SEED_PATH)
    assert result.history.snapshots == [p.stem for p in snapshot_paths(SHARED / "spec" / "history")]
    loosened = {(x.definition, x.field) for x in result.history.loosened}
    if result.history.snapshots:
        assert ("ResponseUsageInputTokensDetails", "cache_write_tokens") in loosened
        assert ("ResponseFunctionCallArgumentsDoneEvent", "name") in loosened
        assert ("ResponseTextDeltaEvent", "sequence_number") in loosened
    # No snapshots: nothing relaxed, and the committed types are then stale.
    assert generate(SPEC_PATH, SEED_PATH, history=tmp_path).history.loosened == []
    out = Path(__file__).resolve().parents[1] / "openai_structs" / "types"
    args = ["--spec", str(SPEC_PATH), "--out", str(out), "--check"]
    assert main([*args, "--history", str(tmp_path)]) == (1 if result.history.loosened else 0)


def test_a_loosened_field_stays_absent() -> None:
    from openai_structs import UNSET, ResponseStreamEvent, decode, encode

    if not SNAPSHOTS:
        pytest.skip("no snapshots")
    old = '{"type":"response.output_text.delta","item_id":"m","output_index":0,"content_index":0,"delta":"Hi"}'
    event = decode(old, ResponseStreamEvent)
    assert event.sequence_number is UNSET  # type: ignore[union-attr]
    assert json.loads(encode(event)) == json.loads(old)


# ---------------------------------------------------------------------------
# The examples of every snapshot, decoded with today's types

HISTORY = SHARED / "spec" / "history"
SNAPSHOTS = snapshot_paths(HISTORY)


def _snapshot_cases() -> dict[str, tuple[str, str]]:
    """Case id (``snapshot/Schema`` or ``snapshot/op:id``) -> (example, today's type name)."""
    import openai_structs
    from openai_structs.types import OPERATIONS

    cases = {}
    for path in SNAPSHOTS:
        spec = json.loads(path.read_text(encoding="utf-8"))
        for name, text in schema_examples(spec).items():
            if hasattr(openai_structs, name):
                cases[f"{path.stem}/{name}"] = (text, name)
        for case, (op_id, text, _) in operation_examples(spec).items():
            response = OPERATIONS.get(op_id, (None, None))[1]
            if response is not None:
                cases[f"{path.stem}/{case}"] = (text, response)
    return cases


CASES = _snapshot_cases() if SNAPSHOTS else {}

#: Examples that contradict their own snapshot: case id -> why. They must still fail.
WRONG_SNAPSHOT_EXAMPLES: dict[str, str] = {
    "openapi-2025-04-29/CreateEvalCompletionsRunDataSource": (
        "a whole create-run request wrapping the data source (as in today's spec)"
    ),
    "openapi-2025-04-29/CreateEvalResponsesRunDataSource": (
        "a whole create-run request wrapping the data source (as in today's spec)"
    ),
    "openapi-2025-04-29/RealtimeClientEventConversationItemCreate": (
        "previous_item_id is null; the snapshot says string, not nullable"
    ),
    "openapi-2025-04-29/RealtimeServerEventConversationItemRetrieved": (
        "type is 'conversation.item.created'; the snapshot's constant is 'conversation.item.retrieved'"
    ),
    "openapi-2025-04-29/ResponseCodeInterpreterCallInProgressEvent": (
        "type is '...call.in.progress'; the snapshot's constant is '...call.in_progress'"
    ),
    "openapi-2025-04-29/op:createChatCompletion#4": (
        "logprobs lack `refusal`, which the snapshot requires too"
    ),
    "openapi-2025-04-29/op:createModeration#0": (
        "categories lack `illicit`, which the snapshot requires too"
    ),
    "openapi-2025-04-29/op:searchVectorStore": (
        "search_query is a string; the snapshot has an array of strings"
    ),
}

#: Examples of the pre-GA Realtime protocol whose schema name today belongs to
#: the GA event: case id -> the type that carries the old shape today, and why.
SNAPSHOT_HOMES: dict[str, tuple[str, str]] = {
    "openapi-2025-04-29/RealtimeClientEventSessionUpdate": (
        "RealtimeBetaClientEventSessionUpdate",
        "the beta session has no `type`; the GA session union is told apart by it",
    ),
    "openapi-2025-04-29/RealtimeServerEventSessionCreated": (
        "RealtimeBetaServerEventSessionCreated",
        "as RealtimeClientEventSessionUpdate",
    ),
    "openapi-2025-04-29/RealtimeServerEventSessionUpdated": (
        "RealtimeBetaServerEventSessionUpdated",
        "as RealtimeClientEventSessionUpdate",
    ),
}


def _tag_of(schema: Any) -> str | None:
    """The constant ``type`` of a component schema, if it has one."""
    prop = ((schema or {}).get("properties") or {}).get("type") or {}
    values = prop.get("enum") or ([prop["const"]] if "const" in prop else [])
    return values[0] if len(values) == 1 else None


def _union_holding(name: str) -> str | None:
    """The first component of today's spec that lists ``name`` in a oneOf/anyOf."""
    ref = f"#/components/schemas/{name}"
    for union, schema in TODAY_SCHEMAS.items():
        for key in ("oneOf", "anyOf"):
            if any(part.get("$ref") == ref for part in (schema or {}).get(key) or ()):
                return union
    return None


TODAY_SCHEMAS: dict[str, Any] = (
    json.loads((SHARED / "spec" / "openapi.json").read_text(encoding="utf-8"))["components"][
        "schemas"
    ]
    if SNAPSHOTS
    else {}
)
OLD_SCHEMAS: dict[str, dict[str, Any]] = {
    path.stem: json.loads(path.read_text(encoding="utf-8"))["components"]["schemas"]
    for path in SNAPSHOTS
}


def target_type(case: str) -> str:
    """The type a snapshot example decodes into today: its schema's namesake,
    the union that holds it when its tag was renamed since, or its listed home."""
    if case in SNAPSHOT_HOMES:
        return SNAPSHOT_HOMES[case][0]
    snapshot, name = case.split("/", 1)
    type_name = CASES[case][1]
    if not name.startswith("op:"):
        old_tag = _tag_of(OLD_SCHEMAS[snapshot].get(name))
        new_tag = _tag_of(TODAY_SCHEMAS.get(name))
        if old_tag is not None and new_tag is not None and old_tag != new_tag:
            return _union_holding(name) or type_name
    return type_name


def _decodes(text: str, type_name: str) -> str | None:
    """Why ``text`` does not decode into today's ``type_name`` (default mode), or None."""
    import openai_structs
    from openai_structs import decode

    try:
        decode(text, getattr(openai_structs, type_name))
    except ValueError as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


@pytest.mark.skipif(not SNAPSHOTS, reason=f"no snapshots in {HISTORY}")
@pytest.mark.parametrize("case", sorted(CASES))
def test_snapshot_example_decodes(case: str) -> None:
    text, _ = CASES[case]
    type_name = target_type(case)
    found = _decodes(text, type_name)
    if case in WRONG_SNAPSHOT_EXAMPLES:
        assert found is not None, f"{case} is listed as wrong but decodes: remove it"
    else:
        assert found is None, f"{case} -> {type_name}: {found}"


def test_snapshot_lists_are_current() -> None:
    assert sorted((set(WRONG_SNAPSHOT_EXAMPLES) | set(SNAPSHOT_HOMES)) - set(CASES)) == []
    assert all(reason.strip() for reason in WRONG_SNAPSHOT_EXAMPLES.values())
    for case, (_, why) in SNAPSHOT_HOMES.items():
        # a listed home is needed: the namesake rejects the example
        assert why.strip() and _decodes(CASES[case][0], CASES[case][1]) is not None, case
