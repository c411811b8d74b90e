"""Golden tests of the null stage: which definitions the API sends, and which
of their fields come to accept ``null``.

The tiny spec has a response, a request body, a type both share, a webhook, a
server event no operation names, and a schema nothing uses.
"""

from __future__ import annotations

from typing import Any

from openai_structs.codegen import run_stages
from openai_structs.codegen.ir import (
    NULL,
    STR,
    AliasDef,
    Field,
    ObjectDef,
    Prim,
    Ref,
    Spec,
    UnionT,
)
from openai_structs.codegen.normalise import normalise
from openai_structs.codegen.nulls import accepts_null, apply_nulls, sent_definitions, sent_roots


def _obj(**props: Any) -> dict[str, Any]:
    """An object whose properties are all optional but ``id``."""
    return {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, **props}}


def _body(name: str) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}


TINY: dict[str, Any] = {
    "openapi": "3.1.0",
    "paths": {
        "/things": {
            "post": {
                "operationId": "createThing",
                "tags": ["Responses"],
                "requestBody": _body("ThingRequest"),
                "responses": {"200": _body("Thing")},
            }
        }
    },
    "webhooks": {"thing_done": {"post": {"requestBody": _body("WebhookThingDone")}}},
    "components": {"schemas": {
        "Thing": _obj(
            note={"type": "string"},
            format={"$ref": "#/components/schemas/Format"},
            score={"anyOf": [{"type": "number"}, {"type": "null"}]},
            extra={},
            kind={"$ref": "#/components/schemas/Kind"},
        ),
        "ThingRequest": _obj(
            note={"type": "string"}, format={"$ref": "#/components/schemas/Format"}
        ),
        "Format": _obj(description={"type": "string"}),
        "Kind": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "WebhookThingDone": _obj(data={"type": "object", "properties": {"at": {"type": "integer"}}}),
        "RealtimeServerEventPing": _obj(at={"type": "integer"}),
        "Unused": _obj(note={"type": "string"}),
    }},
}  # fmt: skip


def _spec() -> Spec:
    return normalise(TINY)


def _field(spec: Spec, name: str, json_name: str) -> Field:
    d = spec.defs[name]
    assert isinstance(d, ObjectDef)
    f = d.field(json_name)
    assert f is not None
    return f


def test_webhooks_are_read() -> None:
    assert _spec().webhooks == ["WebhookThingDone"]


def test_what_the_api_sends() -> None:
    spec = _spec()
    assert sent_roots(spec) == ["Thing", "WebhookThingDone", "RealtimeServerEventPing"]
    assert sent_definitions(spec) == {
        "Thing",
        "Format",  # both sent (Thing.format) and accepted (ThingRequest.format)
        "Kind",
        "WebhookThingDone",
        "WebhookThingDoneData",
        "RealtimeServerEventPing",
    }


def test_optional_fields_of_sent_types_accept_null() -> None:
    spec = _spec()
    log = apply_nulls(spec)
    assert log.made == [
        ("Thing", "note"),
        ("Thing", "format"),
        ("Thing", "kind"),
        ("Format", "description"),
        ("WebhookThingDone", "data"),
        ("WebhookThingDoneData", "at"),
        ("RealtimeServerEventPing", "at"),
    ]
    assert log.sent == 6
    assert log.already == 2  # Thing.score (nullable in the spec) and Thing.extra (free JSON)
    # the type itself is left as the spec has it; the flag says "and null"
    note = _field(spec, "Thing", "note")
    assert note.nullable and note.type == STR
    assert _field(spec, "Thing", "score").type == UnionT((Prim("float"), NULL))


def test_required_fields_and_request_only_types_keep_the_letter() -> None:
    spec = _spec()
    apply_nulls(spec)
    assert not _field(spec, "Thing", "id").nullable  # required
    assert not _field(spec, "ThingRequest", "note").nullable  # only ever accepted
    assert not _field(spec, "ThingRequest", "format").nullable
    assert not _field(spec, "Unused", "note").nullable  # nothing sends it


def test_accepts_null_follows_aliases() -> None:
    spec = _spec()
    spec.defs["MaybeFormat"] = AliasDef("MaybeFormat", UnionT((Ref("Format"), NULL)))
    assert accepts_null(spec, Ref("MaybeFormat"))
    assert not accepts_null(spec, Ref("Kind"))
    assert not accepts_null(spec, Ref("Format"))


EXPECTED_THING = '''\
class Thing(Struct, frozen=True, kw_only=True):
    """Returned by ``POST /things``."""

    id: str
    note: Union[str, None, UnsetType] = UNSET
    format: Union[Format, None, UnsetType] = UNSET
    score: Union[int, float, None, UnsetType] = UNSET
    extra: Union[Any, UnsetType] = UNSET
    kind: Union[Kind, None, UnsetType] = UNSET
'''

EXPECTED_REQUEST = '''\
class ThingRequest(Struct, frozen=True, kw_only=True):
    """Accepted by ``POST /things``."""

    id: str
    note: Union[str, UnsetType] = UNSET
    format: Union[Format, UnsetType] = UNSET
'''


def test_emitted_fields() -> None:
    """``None`` comes after the type's own members, a union alias keeps its
    name (no new union), and a request-only struct is as the spec says."""
    text = run_stages(normalise(TINY), patches=False).files["responses.py"]
    assert EXPECTED_THING in text
    assert EXPECTED_REQUEST in text
    assert "Kind: TypeAlias = Union[str, int]\n" in text
