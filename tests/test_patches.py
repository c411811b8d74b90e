"""Every spec correction in :data:`openai_structs.codegen.patches.PATCHES` is
needed, and does what it says.

For each patch:

- its proof (JSON text, ``example:Schema``, ``op:operationId`` or a recorded
  payload ``capture:folder/file#n``) decodes into the generated type and
  encodes back with the patched field intact;
- in the intermediate form, the unpatched field is what the patch says the
  spec gets wrong (required, not nullable, not the body type, absent);
- the types generated with every patch *but this one* reject the proof (or
  lose part of it on the round trip): no other patch makes it redundant.

A ``drop`` (a field the API never sends) has no payload to decode; its proof
``absent:captures`` is checked over every recorded payload instead, and the
types generated without it still have the field.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_captures import CAPTURES, capture, read_file

import openai_structs
from openai_structs import codegen, decode, encode
from openai_structs.codegen.ir import (
    NULL,
    AliasDef,
    Array,
    EnumT,
    Map,
    ObjectDef,
    Prim,
    Ref,
    TypeVarT,
    UnionT,
)
from openai_structs.codegen.load import load_batch_schemas, load_spec
from openai_structs.codegen.normalise import normalise
from openai_structs.codegen.patches import PATCHES, Patch, apply_patches, parse_type

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SPEC_PATH = SHARED / "spec" / "openapi.json"
SEED_PATH = SHARED / "seed" / "names.json"

pytestmark = pytest.mark.skipif(not SPEC_PATH.exists(), reason=f"spec not found at {SPEC_PATH}")

IDS = [f"{p.target}:{p.change}" for p in PATCHES]
PAYLOAD_PATCHES = [p for p in PATCHES if p.change != "drop"]
PAYLOAD_IDS = [f"{p.target}:{p.change}" for p in PAYLOAD_PATCHES]
DROPS = [p for p in PATCHES if p.change == "drop"]


@dataclass
class Proof:
    text: str
    type_name: str


def _spec() -> dict[str, Any]:
    return json.loads(SPEC_PATH.read_text(encoding="utf-8")) if SPEC_PATH.exists() else {}


SPEC = _spec()


def _operation_example(op_id: str) -> str | None:
    for item in SPEC.get("paths", {}).values():
        for op in item.values():
            if isinstance(op, dict) and op.get("operationId") == op_id:
                examples = (op.get("x-oaiMeta") or {}).get("examples")
                listed = examples if isinstance(examples, list) else [examples]
                for example in listed:
                    text = example.get("response") if isinstance(example, dict) else None
                    if isinstance(text, str):
                        return text
    return None


def proof_of(patch: Patch) -> Proof:
    """The payload a patch cites and the type it decodes into."""
    from openai_structs.types import OPERATIONS

    if patch.proof.startswith("example:"):
        name = patch.proof.split(":", 1)[1]
        schema = SPEC["components"]["schemas"][name]
        text = (schema.get("x-oaiMeta") or {}).get("example")
        assert isinstance(text, str), f"{name} has no example"
        return Proof(text, name)
    if patch.proof.startswith("op:"):
        op_id = patch.proof.split(":", 1)[1]
        text = _operation_example(op_id)
        assert text is not None, f"{op_id} has no response example"
        response = OPERATIONS[op_id][1]
        assert response is not None
        return Proof(text, response)
    if patch.proof.startswith("capture:"):
        if not CAPTURES.is_dir():
            pytest.skip(f"no captures at {CAPTURES}")
        found = capture(patch.proof)
        assert found.body_name is None, "batch lines are not used as proofs"
        return Proof(found.text, found.type_name)
    return Proof(patch.proof, patch.target.split(".", 1)[0])


def outcome(text: str, tp: Any, strict: bool = False) -> tuple[str, Any]:
    """("error", message) or ("ok", the re-encoded JSON value). ``strict``
    also refuses unknown variants and enum values (not keys the type does
    not define: what a patch proves is its own field)."""
    try:
        obj = decode(text, tp)
    except ValueError as exc:
        return "error", str(exc)
    if strict:
        from openai_structs.core._strict import findings, read_json

        found = [f for f in findings(obj, read_json(text)) if f.kind != "unknown_key"]
        if found:
            return "error", f"{found[0].kind} {found[0].value!r} - at `{found[0].path}`"
    return "ok", json.loads(encode(obj))


# ---------------------------------------------------------------------------
# The list itself


def test_patches_are_unique_and_explained() -> None:
    keys = [(p.target, p.change) for p in PATCHES]
    assert len(keys) == len(set(keys)), [k for k in keys if keys.count(k) > 1]
    for p in PATCHES:
        assert p.change in ("optional", "nullable", "body", "enum", "add", "type", "drop"), p
        assert (p.proof == "absent:captures") == (p.change == "drop"), p
        assert bool(p.values) == (p.change == "enum"), p
        assert bool(p.type) == (p.change in ("add", "type")), p
        assert p.why.strip() and p.proof.strip(), p
        assert p.target.count(".") == 1, p


def test_every_target_exists() -> None:
    spec = normalise(load_spec(SPEC_PATH), load_batch_schemas(SPEC_PATH))
    assert [p.target for p in apply_patches(spec)] == []


def test_apply_patches_reports_missing_targets() -> None:
    spec = normalise(load_spec(SPEC_PATH), load_batch_schemas(SPEC_PATH))
    bogus = (
        Patch("NoSuchSchema.x", "optional", "-", "{}"),
        Patch("Response.no_such_field", "nullable", "-", "{}"),
        Patch("Response.id", "add", "-", "{}", type="str"),  # already there: stale
    )
    assert apply_patches(spec, bogus) == list(bogus)


def test_parse_type() -> None:
    assert parse_type("bool") == Prim("bool")
    assert parse_type("int | null") == UnionT((Prim("int"), NULL))
    assert parse_type("list[int]") == Array(Prim("int"))
    assert parse_type("map[list[str] | null]") == Map(UnionT((Array(Prim("str")), NULL)))
    assert parse_type("ReasoningEffort") == Ref("ReasoningEffort")
    with pytest.raises(ValueError):
        parse_type("list of int")


# ---------------------------------------------------------------------------
# Each patch


@pytest.fixture(scope="module")
def unpatched() -> Any:
    return normalise(load_spec(SPEC_PATH), load_batch_schemas(SPEC_PATH))


@pytest.fixture(scope="module")
def patched() -> Any:
    spec = normalise(load_spec(SPEC_PATH), load_batch_schemas(SPEC_PATH))
    assert apply_patches(spec) == []
    return spec


@pytest.mark.parametrize("patch", PAYLOAD_PATCHES, ids=PAYLOAD_IDS)
def test_proof_decodes_into_patched_type(patch: Patch) -> None:
    proof = proof_of(patch)
    json.loads(proof.text)
    strict = patch.change == "enum"  # enums are open unless decoding strictly
    kind, value = outcome(proof.text, getattr(openai_structs, proof.type_name), strict)
    assert kind == "ok", f"{patch.proof} does not decode into {proof.type_name}: {value}"
    if not patch.proof.startswith(("example:", "op:", "capture:")):
        # A literal proof is a document of the patched definition and must survive
        # the round trip whole.
        assert value == json.loads(proof.text), (
            f"round trip of the proof into {proof.type_name} changed it"
        )


@pytest.mark.parametrize("patch", PATCHES, ids=IDS)
def test_unpatched_field_is_what_the_patch_corrects(
    patch: Patch, unpatched: Any, patched: Any
) -> None:
    def_name, field_name = patch.target.split(".", 1)
    before = unpatched.defs.get(def_name)
    after = patched.defs[def_name]
    assert isinstance(after, ObjectDef)
    f_after = after.field(field_name)
    assert isinstance(before, ObjectDef), f"{def_name} is not an object before patching"
    f_before = before.field(field_name)
    if patch.change == "drop":
        assert f_before is not None and f_after is None
        return
    assert f_after is not None
    if patch.change == "add":
        assert f_before is None, f"{patch.target} is in the spec already"
        assert not f_after.required and f_after.type == parse_type(patch.type)
    elif patch.change == "optional":
        assert f_before is not None and f_before.required, (
            f"{patch.target} is already optional in the spec"
        )
        assert not f_after.required
    elif patch.change == "nullable":
        assert f_before is not None
        members = f_before.type.members if isinstance(f_before.type, UnionT) else (f_before.type,)
        assert NULL not in members, f"{patch.target} is already nullable in the spec"
        assert isinstance(f_after.type, UnionT) and NULL in f_after.type.members
    elif patch.change == "enum":
        assert f_before is not None
        assert not set(patch.values) & set(_enum_values(f_before.type, unpatched)), (
            f"{patch.target} already allows {patch.values}"
        )
        assert set(patch.values) <= set(_enum_values(f_after.type, patched))
    elif patch.change == "type":
        assert f_before is not None and f_before.type != parse_type(patch.type), (
            f"{patch.target} already has type {patch.type}"
        )
        assert f_after.type == parse_type(patch.type)
    else:
        assert f_before is None or not isinstance(f_before.type, TypeVarT)
        assert f_after.type == TypeVarT("BodyT")


def _enum_values(t: Any, spec: Any) -> list[str]:
    """The values of the enums in ``t`` (a named enum followed)."""
    if isinstance(t, Ref) and isinstance(spec.defs.get(t.name), AliasDef):
        return _enum_values(spec.defs[t.name].type, spec)
    if isinstance(t, EnumT):
        return list(t.values)
    if isinstance(t, UnionT):
        return [v for m in t.members for v in _enum_values(m, spec)]
    return []


# ---------------------------------------------------------------------------
# Leave one out: the types generated without this patch reject its proof


#: The body type each batch proof's body is a document of.
BODY_TYPES = {
    "BatchRequestInput": openai_structs.CreateChatCompletionRequest,
    "BatchRequestOutputResponse": openai_structs.CreateEmbeddingResponse,
}


def _load_package(files: dict[str, str], folder: Path, name: str) -> Any:
    folder.mkdir(parents=True)
    for file_name, text in files.items():
        (folder / file_name).write_text(text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("index", range(len(PATCHES)), ids=IDS)
def test_patch_is_needed(index: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patch = PATCHES[index]
    others = PATCHES[:index] + PATCHES[index + 1 :]
    monkeypatch.setattr(codegen, "apply_patches", lambda spec: apply_patches(spec, others))
    files = codegen.generate(SPEC_PATH, SEED_PATH).files
    # (the generator's modules import ``.._base``: the package must sit in openai_structs)
    name = f"openai_structs._without_patch_{index}"
    try:
        package = _load_package(files, tmp_path / "types", name)
        if patch.change == "drop":
            def_name, field_name = patch.target.split(".", 1)
            assert field_name in getattr(package, def_name).__struct_fields__
            assert field_name not in getattr(openai_structs, def_name).__struct_fields__
            return
        proof = proof_of(patch)
        if patch.change == "body":
            # The body patch makes the line generic: typed by the parameter.
            patched_cls = getattr(openai_structs, proof.type_name)
            assert getattr(getattr(package, proof.type_name), "__parameters__", ()) == ()
            body_type = BODY_TYPES[proof.type_name]
            typed = decode(proof.text, patched_cls[body_type])
            assert isinstance(typed.body, body_type)
            return
        strict = patch.change == "enum"
        with_patch = outcome(proof.text, getattr(openai_structs, proof.type_name), strict)
        without = outcome(proof.text, getattr(package, proof.type_name), strict)
    finally:
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]
    assert with_patch[0] == "ok", with_patch[1]
    assert without != with_patch, (
        f"{patch.proof} decodes the same without the patch on {patch.target}: "
        "the patch is not needed for it (or another patch covers it)"
    )


# ---------------------------------------------------------------------------
# Fields the API never sends


def _objects(value: Any, kind: str) -> list[dict[str, Any]]:
    """Every JSON object in ``value`` whose ``object`` is ``kind``."""
    found = []
    todo = [value]
    while todo:
        v = todo.pop()
        if isinstance(v, dict):
            if v.get("object") == kind:
                found.append(v)
            todo += v.values()
        elif isinstance(v, list):
            todo += v
    return found


@pytest.mark.skipif(not CAPTURES.is_dir(), reason=f"no captures at {CAPTURES}")
@pytest.mark.parametrize("patch", DROPS, ids=[f"{p.target}:drop" for p in DROPS])
def test_a_dropped_field_is_in_no_recorded_payload(patch: Patch, patched: Any) -> None:
    def_name, field_name = patch.target.split(".", 1)
    obj = patched.defs[def_name]
    tag = obj.field("object")
    assert tag is not None and isinstance(tag.type, EnumT) and len(tag.type.values) == 1
    seen = 0
    for path in sorted(CAPTURES.glob("*/*")):
        if path.suffix not in (".json", ".jsonl", ".sse"):
            continue
        for payload in read_file(f"{path.parent.name}/{path.name}"):
            for doc in _objects(json.loads(payload.text), tag.type.values[0]):
                assert field_name not in doc, f"{payload.id} carries {patch.target}"
                seen += 1
    assert seen >= 20, f"only {seen} recorded {def_name} payloads: too few to show absence"
