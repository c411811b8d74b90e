"""The generator's intermediate form: what a schema means, free of JSON Schema syntax.

A type is one of the small frozen dataclasses below. ``normalise`` builds them
from the spec, ``patches`` corrects them, ``naming`` places them in modules
and ``emit`` writes Python from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Prim:
    """A JSON scalar or a free value: str, int, float, bool, null, any."""

    kind: str


@dataclass(frozen=True)
class Ref:
    """A named definition (component schema or generated inline type)."""

    name: str


@dataclass(frozen=True)
class Array:
    item: Type


@dataclass(frozen=True)
class Map:
    """A JSON object with free keys (``additionalProperties``)."""

    value: Type


@dataclass(frozen=True)
class EnumT:
    """A string restricted to known values; one value is a constant."""

    values: tuple[str, ...]


@dataclass(frozen=True)
class UnionT:
    members: tuple[Type, ...]
    discriminator: str | None = None


@dataclass(frozen=True)
class TypeVarT:
    """The body type parameter of the batch line structs."""

    name: str


Type = Prim | Ref | Array | Map | EnumT | UnionT | TypeVarT


def constant(t: Type) -> str | None:
    """The value of a one-value enum (a tag or a constant field), else None."""
    if isinstance(t, EnumT) and len(t.values) == 1:
        return t.values[0]
    return None


def refs(t: Type) -> list[str]:
    """The definitions ``t`` names directly (through lists, maps and unions)."""
    if isinstance(t, Ref):
        return [t.name]
    if isinstance(t, Array):
        return refs(t.item)
    if isinstance(t, Map):
        return refs(t.value)
    if isinstance(t, UnionT):
        return [n for m in t.members for n in refs(m)]
    return []


STR = Prim("str")
ANY = Prim("any")
NULL = Prim("null")


@dataclass
class Field:
    json_name: str
    type: Type
    required: bool
    doc: str = ""
    #: Set by the null stage (:mod:`.nulls`): the field also takes ``null``,
    #: beside what ``type`` says. Kept apart from ``type`` so that the union
    #: planner sees the spec's unions unchanged (``X | None`` of a union alias
    #: is written as the alias and ``None``, with no new union to name).
    nullable: bool = False


@dataclass
class ObjectDef:
    name: str
    fields: list[Field]
    doc: str = ""
    #: component, inline, params or batch: where the definition came from.
    origin: str = "component"
    #: For inline types: the definition they were found in.
    parent: str | None = None
    #: For inline types: where in ``parent`` (``choices[].logprobs``; ``[]`` items, ``{}`` values).
    site: str = ""
    #: Set by the union planner: the property that is this struct's msgspec tag.
    tag_field: str | None = None
    example: str | None = None
    #: Set by the union planner on a generated subclass that carries one more
    #: value of a multi-valued tag: the class it extends.
    variant_of: str | None = None
    #: Set by the union planner on a shared-tag class (origin ``proxy``): the
    #: public classes it is read as, most specific first.
    targets: list[str] = field(default_factory=list)
    #: On a shared-tag class: the class its union's members decode into when
    #: they come without the tag (origin ``untagged``), or "".
    untagged: str = ""
    #: On an untagged class: (shared-tag class, its targets that may omit the
    #: tag) for each tag value, in the union's order.
    groups: list[tuple[str, list[str]]] = field(default_factory=list)

    def field(self, json_name: str) -> Field | None:
        for f in self.fields:
            if f.json_name == json_name:
                return f
        return None


@dataclass
class AliasDef:
    """A named type that is not an object: union, enum, array, map, scalar."""

    name: str
    type: Type
    doc: str = ""
    origin: str = "component"
    parent: str | None = None
    example: str | None = None
    site: str = ""


Definition = ObjectDef | AliasDef


@dataclass
class Spec:
    """Everything the later stages need, keyed by definition name."""

    defs: dict[str, Definition] = field(default_factory=dict)
    #: Operation id -> (area tag, parameter struct name, 200 schema, example).
    operations: list[Operation] = field(default_factory=list)
    #: Python name -> spec name, where the spec's is not an identifier.
    spec_names: dict[str, str] = field(default_factory=dict)
    #: The payload schemas of the spec's webhooks (what the API posts to you).
    webhooks: list[str] = field(default_factory=list)


@dataclass
class Operation:
    operation_id: str
    tag: str
    path: str
    method: str
    params: str | None
    response: Type | None
    response_example: str | None
    #: The named schema of the request body, if it has one.
    request: str | None = None
    #: The named schema of the events it streams (``text/event-stream``), if any.
    stream: str | None = None
