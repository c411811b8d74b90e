"""Stage 2: turn JSON Schema into the intermediate form of :mod:`.ir`.

What it settles:

- ``$ref`` becomes :class:`~.ir.Ref`; ``$recursiveRef: "#"`` refers to the
  component being read.
- ``allOf`` is merged into one object (properties and ``required`` of every
  part); ``allOf`` of a single ``$ref`` is that reference.
- Nullable forms (``nullable: true``, ``anyOf [X, {type: null}]``,
  ``type: [X, "null"]``, ``null`` in an enum) become a union with ``null``.
- ``oneOf``/``anyOf`` become flat unions (nested unions are spliced in).
- Inline object schemas become their own definitions. Their names come from
  the naming stage's rules (:mod:`.naming`: parent + field, ``Item`` for array
  items, a union member's title or the constant that tells it apart); this
  stage only applies them as it walks, and records where each inline
  definition stands (``parent``, ``site``).
- Objects without properties are maps (``additionalProperties``) or free JSON.
- The spec's ``webhooks`` section lists the payloads the API posts to a
  webhook endpoint, one per event; they become the members of one union,
  ``WebhookEvent`` (the spec names no such union itself).
"""

from __future__ import annotations

from typing import Any

from .ir import (
    ANY,
    NULL,
    STR,
    AliasDef,
    Array,
    EnumT,
    Field,
    Map,
    ObjectDef,
    Operation,
    Prim,
    Ref,
    Spec,
    Type,
    UnionT,
)
from .naming import (
    field_hint,
    fresh,
    is_null,
    item_hint,
    member_hints,
    member_name,
    params_name,
    py_name,
    ref_name,
    response_name,
    value_hint,
)

_SCALARS = {
    "string": STR,
    "integer": Prim("int"),
    "number": Prim("float"),
    "boolean": Prim("bool"),
    "null": NULL,
}
_METHODS = ("get", "post", "put", "patch", "delete")
#: The union of every payload of the spec's ``webhooks`` section.
WEBHOOK_EVENT = "WebhookEvent"


class Normaliser:
    """Reads component schemas and operations into a :class:`~.ir.Spec`."""

    def __init__(self, components: dict[str, Any]) -> None:
        self.components = components
        self.spec = Spec()
        self._current = ""
        #: Components that are ``anyOf [object, null]``: the object takes the
        #: component's name, and every reference to it may be null.
        self.nullable: set[str] = set()

    # -- entry points -------------------------------------------------------

    def component(self, name: str, schema: dict[str, Any], origin: str = "component") -> None:
        """Define the named schema ``name``."""
        self._current = name
        inner = _nullable_object(schema)
        if inner is not None:
            t = self.type_of(inner, name, top=True, origin=origin)
            if t == Ref(name) and isinstance(self.spec.defs.get(name), ObjectDef):
                self.nullable.add(name)
                self.spec.defs[name].example = _example(schema)  # type: ignore[union-attr]
                return
        t = self.type_of(schema, name, top=True, origin=origin)
        if t != Ref(name) or name not in self.spec.defs:
            self.spec.defs[name] = AliasDef(name, t, origin=origin, example=_example(schema))
        elif isinstance(self.spec.defs[name], ObjectDef):
            self.spec.defs[name].example = _example(schema)  # type: ignore[union-attr]

    def operations(self, paths: dict[str, Any]) -> None:
        """Parameter structs and 200 response types of every operation."""
        for path, item in paths.items():
            shared = item.get("parameters", [])
            for method in _METHODS:
                op = item.get(method)
                if not isinstance(op, dict) or "operationId" not in op:
                    continue
                op_id = op["operationId"]
                params = self._params(op_id, shared + op.get("parameters", []))
                response, example = self._response(op)
                tag = (op.get("tags") or [""])[0]
                self.spec.operations.append(
                    Operation(
                        op_id,
                        tag,
                        path,
                        method,
                        params,
                        response,
                        example,
                        _request(op),
                        _stream(op),
                    )
                )

    def webhooks(self, hooks: dict[str, Any]) -> None:
        """Record the payload of every webhook (``Spec.webhooks``, in the
        spec's order; a webhook is an operation the API calls on you) and
        define ``WebhookEvent``, their union."""
        names = _webhooks(hooks)
        self.spec.webhooks = names
        if names:
            union = _union_of(tuple(Ref(name) for name in names))
            self.spec.defs[WEBHOOK_EVENT] = AliasDef(WEBHOOK_EVENT, union, origin="webhooks")

    # -- schemas --------------------------------------------------------------

    def type_of(
        self, schema: Any, hint: str, top: bool = False, origin: str = "inline", site: str = ""
    ) -> Type:
        """The type a schema describes; inline objects are defined on the way.

        ``hint`` is the name an inline object here would take (the naming
        stage's rules, :mod:`.naming`); ``site`` is where it stands inside the
        definition being read (``choices[].logprobs``), kept for its docstring."""
        if not isinstance(schema, dict) or not schema:
            return ANY
        if "$ref" in schema:
            return self._nullable(schema, Ref(ref_name(schema["$ref"])))
        if "$recursiveRef" in schema:
            return Ref(self._current)
        if "allOf" in schema:
            merged = self._merge_all_of(schema)
            if not isinstance(merged, dict):
                return self._nullable(schema, merged)
            return self.type_of(merged, hint, top, origin, site)
        if "oneOf" in schema or "anyOf" in schema:
            return self._nullable(schema, self._union(schema, hint, site))
        if "const" in schema:
            return self._nullable(schema, _enum_or_scalar([schema["const"]]))
        kind = schema.get("type")
        if isinstance(kind, list):
            members = tuple(
                self.type_of({**schema, "type": k}, hint, top, origin, site) for k in kind
            )
            return _union_of(members)
        if "enum" in schema:
            return self._nullable(schema, _enum_or_scalar(schema["enum"]))
        if kind == "array":
            item = self.type_of(schema.get("items"), item_hint(hint), site=site + "[]")
            return self._nullable(schema, Array(item))
        if kind in _SCALARS:
            return self._nullable(schema, _SCALARS[kind])
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            return self._nullable(schema, self._object(schema, hint, top, origin, site))
        return self._nullable(schema, ANY)

    def _object(self, schema: dict[str, Any], hint: str, top: bool, origin: str, site: str) -> Type:
        props = schema.get("properties") or {}
        if not props:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return Map(self.type_of(extra, value_hint(hint), site=site + "{}"))
            return Map(ANY)
        name = hint if top else self._fresh(hint)
        obj = ObjectDef(
            name,
            [],
            origin=origin if top else "inline",
            parent=None if top else self._current,
            site="" if top else site,
        )
        self.spec.defs[name] = obj  # before the fields: they may refer back
        required = set(schema.get("required") or ())
        for prop, sub in props.items():
            t = self.type_of(sub, field_hint(name, prop), site=_join(site, prop))
            obj.fields.append(Field(prop, t, prop in required))
        return Ref(name)

    def _union(self, schema: dict[str, Any], hint: str, site: str) -> Type:
        parts = schema.get("oneOf") or schema.get("anyOf") or []
        # null takes no name and no number: ``anyOf [X, null]`` names X by the hint alone
        shaped = [p for p in parts if not is_null(p)]
        members: list[Type] = []
        for part in parts:
            if is_null(part):
                members.append(NULL)
                continue
            i = len(members) - members.count(NULL)
            # a nullable X is named by the hint alone; otherwise by what tells it apart
            if len(shaped) == 1 and len(shaped) < len(parts):
                name = hint
            else:
                names = [member_name(hint, h) for h in member_hints(part, i, shaped)]
                name = next((n for n in names if not self._taken(n)), names[-1])
            members.append(self.type_of(part, name, site=site))
        disc = (schema.get("discriminator") or {}).get("propertyName")
        return _union_of(tuple(members), disc)

    def _merge_all_of(self, schema: dict[str, Any]) -> dict[str, Any] | Type:
        # Parts that only say `nullable`, a description or a default change no shape.
        parts = [p for p in schema["allOf"] if _has_shape(p)]
        own_props = schema.get("properties")
        if len(parts) == 1 and "$ref" in parts[0] and not own_props:
            ref: Type = Ref(ref_name(parts[0]["$ref"]))
            if any(p.get("nullable") is True for p in schema["allOf"]):
                return _union_of((ref, NULL))  # type: ignore[return-value]
            return ref  # type: ignore[return-value]
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in [*parts, {k: v for k, v in schema.items() if k != "allOf"}]:
            part = self._resolve(part)
            merged["properties"].update(part.get("properties") or {})
            merged["required"] += [
                r for r in part.get("required") or () if r not in merged["required"]
            ]
            if "additionalProperties" in part:
                merged["additionalProperties"] = part["additionalProperties"]
        return merged

    def _resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        """Follow ``$ref`` and flatten ``allOf`` for merging; a nullable
        ``anyOf [X, null]`` part merges as X."""
        while "$ref" in schema:
            schema = self.components[ref_name(schema["$ref"])]
        if "allOf" in schema:
            merged = self._merge_all_of(schema)
            if isinstance(merged, dict):
                return merged
            ref = next(
                m
                for m in (merged.members if isinstance(merged, UnionT) else (merged,))
                if isinstance(m, Ref)
            )
            return self._resolve({"$ref": "#/" + ref.name})
        for key in ("anyOf", "oneOf"):
            options = [s for s in schema.get(key, ()) if s.get("type") != "null"]
            if len(options) == 1:
                return self._resolve(options[0])
        return schema

    def _nullable(self, schema: dict[str, Any], t: Type) -> Type:
        if schema.get("nullable") is True:
            return _union_of((t, NULL))
        return t

    def _taken(self, name: str) -> bool:
        return name in self.spec.defs or name in self.components or name in self.spec.spec_names

    def _fresh(self, hint: str) -> str:
        return fresh(hint, self._taken)

    # -- operations -----------------------------------------------------------

    def _params(self, op_id: str, params: list[Any]) -> str | None:
        fields = []
        for p in params:
            if "$ref" in p:
                p = self._lookup_parameter(p["$ref"])
            if p.get("in") not in ("query", "path"):
                continue
            name = params_name(op_id)
            self._current = name
            t = self.type_of(p.get("schema"), field_hint(name, p["name"]), site=p["name"])
            fields.append(Field(p["name"], t, bool(p.get("required"))))
        if not fields:
            return None
        name = params_name(op_id)
        self.spec.defs[name] = ObjectDef(name, fields, origin="params")
        return name

    def _lookup_parameter(self, ref: str) -> dict[str, Any]:
        raise KeyError(f"parameter references are not supported: {ref}")

    def _response(self, op: dict[str, Any]) -> tuple[Type | None, str | None]:
        ok = (op.get("responses") or {}).get("200") or {}
        content = (ok.get("content") or {}).get("application/json")
        example = (op.get("x-oaiMeta") or {}).get("examples") or {}
        example_text = example.get("response") if isinstance(example, dict) else None
        if not content or "schema" not in content:
            return None, example_text
        name = self._current = response_name(op["operationId"])
        t = self.type_of(content["schema"], name, top=True, origin="response")
        if not isinstance(t, Ref):  # name inline unions and lists too
            if name in self.spec.defs or name in self.components:
                name = self._fresh(name)
            self.spec.defs[name] = AliasDef(name, t, origin="response")
            t = Ref(name)
        return t, example_text


def _join(site: str, prop: str) -> str:
    return f"{site}.{prop}" if site else prop


def _request(op: dict[str, Any]) -> str | None:
    """The named schema of an operation's request body (JSON or multipart), if any."""
    content = (op.get("requestBody") or {}).get("content") or {}
    for media in ("application/json", "multipart/form-data"):
        schema = (content.get(media) or {}).get("schema") or {}
        if "$ref" in schema:
            return ref_name(schema["$ref"])
    return None


def _stream(op: dict[str, Any]) -> str | None:
    """The named schema of the events an operation streams (``text/event-stream``)."""
    ok = (op.get("responses") or {}).get("200") or {}
    schema = ((ok.get("content") or {}).get("text/event-stream") or {}).get("schema") or {}
    return ref_name(schema["$ref"]) if "$ref" in schema else None


def _webhooks(hooks: dict[str, Any]) -> list[str]:
    """The named payload schemas of the spec's webhooks, in the spec's order."""
    out = []
    for item in hooks.values():
        for op in item.values() if isinstance(item, dict) else ():
            name = _request(op) if isinstance(op, dict) else None
            if name and name not in out:
                out.append(name)
    return out


def _has_shape(part: Any) -> bool:
    return isinstance(part, dict) and bool(set(part) & _SHAPE_KEYS)


_SHAPE_KEYS = {
    "$ref",
    "type",
    "properties",
    "items",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "allOf",
    "additionalProperties",
    "required",
}


def _enum_or_scalar(values: list[Any]) -> Type:
    strings = tuple(v for v in values if isinstance(v, str))
    rest: list[Type] = []
    if any(v is None for v in values):
        rest.append(NULL)
    if any(isinstance(v, bool) for v in values):
        rest.append(Prim("bool"))
    if any(isinstance(v, int) and not isinstance(v, bool) for v in values):
        rest.append(Prim("int"))
    if any(isinstance(v, float) for v in values):
        rest.append(Prim("float"))
    base: list[Type] = [EnumT(tuple(dict.fromkeys(strings)))] if strings else []
    return _union_of(tuple(base + rest))


def _union_of(members: tuple[Type, ...], discriminator: str | None = None) -> Type:
    """A flat, duplicate-free union; one member is just that member."""
    flat: list[Type] = []
    for m in members:
        for sub in m.members if isinstance(m, UnionT) else (m,):
            if sub not in flat:
                flat.append(sub)
    if not flat:
        return ANY
    if len(flat) == 1:
        return flat[0]
    return UnionT(tuple(flat), discriminator)


def _example(schema: dict[str, Any]) -> str | None:
    meta = schema.get("x-oaiMeta") or {}
    example = meta.get("example") if isinstance(meta, dict) else None
    return example if isinstance(example, str) else None


def normalise(
    spec: dict[str, Any],
    batch: dict[str, Any] | None = None,
    supplement: dict[str, Any] | None = None,
) -> Spec:
    """Every component schema, the batch line and supplement schemas, and the operations."""
    components = spec.get("components", {}).get("schemas", {})
    norm = Normaliser(components)
    for name, schema in components.items():
        if py_name(name) != name:
            norm.spec.spec_names[py_name(name)] = name
        norm.component(py_name(name), schema)
    for origin, extra in (("batch", batch), ("supplement", supplement)):
        for name, schema in (extra or {}).items():
            if name not in components:
                norm.component(name, schema, origin=origin)
    norm.operations(spec.get("paths", {}))
    norm.webhooks(spec.get("webhooks", {}))
    if norm.nullable:
        _add_null(norm.spec, norm.nullable)
    return norm.spec


def _nullable_object(schema: Any) -> dict[str, Any] | None:
    """The object schema ``X`` of a schema that is ``anyOf [X, null]`` (or
    ``oneOf``), where ``X`` is an inline object with properties."""
    if not isinstance(schema, dict) or "discriminator" in schema:
        return None
    parts = schema.get("anyOf") or schema.get("oneOf")
    if not isinstance(parts, list):
        return None
    shaped = [p for p in parts if not is_null(p)]
    if len(shaped) != 1 or len(shaped) == len(parts):
        return None
    inner = shaped[0]
    if not isinstance(inner, dict) or not inner.get("properties") or "$ref" in inner:
        return None
    return inner


def _add_null(spec: Spec, names: set[str]) -> None:
    """Read every reference to one of ``names`` as ``Union[X, None]``."""

    def sub(t: Type) -> Type:
        if isinstance(t, Ref):
            return _union_of((t, NULL)) if t.name in names else t
        if isinstance(t, Array):
            return Array(sub(t.item))
        if isinstance(t, Map):
            return Map(sub(t.value))
        if isinstance(t, UnionT):
            return _union_of(tuple(sub(m) for m in t.members), t.discriminator)
        return t

    for d in spec.defs.values():
        if isinstance(d, ObjectDef):
            for f in d.fields:
                f.type = sub(f.type)
        else:
            d.type = sub(d.type)
    for op in spec.operations:
        if op.response is not None:
            op.response = sub(op.response)
