"""The naming stage: every Python name the generator writes, and where it lives.

One module decides names; the other stages ask it (normalise for inline
definitions, the union planner for variant subclasses, proxies and the unions
it must name) or receive its result (:class:`Naming`, read by emit and the
index). The rules:

- **Schemas** keep their spec name, less what is not an identifier
  (``Error-2`` -> ``Error2``; the spec spelling stays importable).
- **Inline objects** are named after where they stand: parent + field
  (``ResponseIncompleteDetails``), ``Item`` for array items, ``Value`` for
  map values. A union member adds what tells it apart from its siblings: its
  title, else the constant of its ``type``, ``event``, ``object`` or ``role``
  (``RunStreamEventThreadRunCreated``); a bare position only when nothing
  else does. ``null`` is dropped first, so ``anyOf [X, null]`` names X by the
  hint alone.
- **Collisions** take the next free number (:func:`fresh`): the only way a
  generated name gets a bare number at its end.
- **Operation structs**: ``<OperationId>Params`` for query and path
  parameters, ``<OperationId>Response`` for an unnamed 200 body.
- **Variant subclasses** of a struct with several tag values are named after
  the struct and the value, less a leading copy of the first value
  (``ComparisonFilterNe``); **proxies** after their union and the tag value
  (``InputItemMessage``); **unions** that need a class of their own after
  their alias, else their owner and field (``CompoundFilterFilters``).
- **Field attributes** (:func:`identifier`): ``self-harm`` -> ``self_harm``,
  ``from`` -> ``from_``; the JSON name is kept with ``msgspec.field(name=...)``.
- **Seed names** (the Rust crate's) that the spec spells differently become
  aliases (``SEED_ALIASES``, ``SEED_INLINE``, and case-insensitive matching:
  ``McpTool`` -> ``MCPTool``).
- **Modules**: :mod:`.placement`.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .ir import NULL, AliasDef, Array, ObjectDef, Spec, Type, UnionT
from .placement import assign_modules

#: Properties whose constant tells union members apart, in order of preference.
TAG_FIELDS = ("type", "event", "object", "role")


# -- names of definitions ----------------------------------------------------


def pascal(text: str) -> str:
    """``"file_search.results"`` -> ``"FileSearchResults"``."""
    words = re.split(r"[^0-9A-Za-z]+", text)
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def py_name(spec_name: str) -> str:
    """A schema name made an identifier (``Error-2`` -> ``Error2``)."""
    return re.sub(r"[^0-9A-Za-z_]", "", spec_name)


def ref_name(ref: str) -> str:
    """The definition name a ``$ref`` points at."""
    return py_name(ref.rsplit("/", 1)[-1])


def field_hint(owner: str, json_name: str) -> str:
    """The name of an inline type held by ``owner.json_name``."""
    return owner + pascal(json_name)


def item_hint(hint: str) -> str:
    """The name of an inline type in an array named ``hint``."""
    return hint + "Item"


def value_hint(hint: str) -> str:
    """The name of an inline type among the values of a map named ``hint``."""
    return hint + "Value"


def params_name(operation_id: str) -> str:
    return pascal(operation_id) + "Params"


def response_name(operation_id: str) -> str:
    return pascal(operation_id) + "Response"


def is_null(part: Any) -> bool:
    """Whether a union member schema is ``{"type": "null"}`` (or a bare null enum)."""
    if not isinstance(part, dict):
        return False
    return part.get("type") == "null" or part.get("enum") == [None]


def member_hints(part: Any, index: int, siblings: list[Any] | None = None) -> list[str]:
    """What a union member may add to its union's name, best first: the
    constant of its first tag property, its title, its JSON kind (``Object``,
    ``List``) if no other inline member of ``siblings`` has that kind, and
    last its position among the members that are not ``null``. The caller
    takes the first that makes a free name."""
    if not isinstance(part, dict):
        return [str(index)]
    out: list[str] = []
    props = part.get("properties") or {}
    for prop in TAG_FIELDS:
        value = _constant_schema(props.get(prop))
        if value:
            out.append(pascal(value))
            break
    if part.get("title"):
        out.append(pascal(part["title"]))
    kind = _inline_kind(part)
    if kind and [_inline_kind(s) for s in siblings or [part]].count(kind) == 1:
        out.append(kind)
    return [*out, str(index)]


def _inline_kind(part: Any) -> str:
    """``Object`` or ``List`` for an inline object or array schema, else ``""``."""
    if not isinstance(part, dict) or "$ref" in part:
        return ""
    if part.get("type") == "array":
        return "List"
    if part.get("type") == "object" or "properties" in part:
        return "Object"
    return ""


def member_name(hint: str, suffix: str) -> str:
    """``hint`` + ``suffix``, less the words they share where the one ends and
    the other starts: field ``input_messages`` of ``DataSource`` holding a
    member titled ``InputMessagesTemplate`` gives ``DataSourceInputMessagesTemplate``."""
    words = _WORD.findall(suffix)
    for k in range(len(words) - 1, 0, -1):
        head = "".join(words[:k])
        if hint.endswith(head):
            return hint + suffix[len(head) :]
    return hint + suffix


_WORD = re.compile(r"[A-Z]+[a-z0-9]*|[a-z0-9]+")


def _constant_schema(schema: Any) -> str | None:
    if not isinstance(schema, dict):
        return None
    if isinstance(schema.get("const"), str):
        return schema["const"]
    enum = schema.get("enum")
    if isinstance(enum, list) and len(enum) == 1 and isinstance(enum[0], str):
        return enum[0]
    return None


def fresh(base: str, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base2``, ``base3``... : the first that is not ``taken``."""
    name, n = base, 2
    while taken(name):
        name, n = f"{base}{n}", n + 1
    return name


def variant_name(struct: str, first: str, value: str, taken: Callable[[str], bool]) -> str:
    """The subclass of ``struct`` that carries tag ``value`` (``first`` is the
    value the struct itself keeps): ``WebSearchTool`` + ``web_search_2025_08_26``
    -> ``WebSearchTool20250826``."""
    suffix = value[len(first) + 1 :] if value.startswith(first + "_") else value
    return fresh(struct + pascal(suffix), taken)


def proxy_name(union: str, value: str, taken: Callable[[str], bool]) -> str:
    """The proxy of ``union``'s members tagged ``value`` (``InputItemMessage``;
    ``...Proxy`` where a member already has that name)."""
    base = union + pascal(value)
    return base if not taken(base) else fresh(base + "Proxy", taken)


def untagged_name(union: str, tag_field: str, taken: Callable[[str], bool]) -> str:
    """The class of ``union``'s members sent without their tag
    (``InputItemWithoutType``)."""
    return fresh(f"{union}Without{pascal(tag_field)}", taken)


def union_name(owner: str, json_name: str, taken: Callable[[str], bool]) -> str:
    """A union that needs a name and has no alias: after the first field it
    appears in (``CompoundFilterFilters``)."""
    return fresh(field_hint(owner, json_name), taken)


# -- field attributes ----------------------------------------------------------


def identifier(json_name: str, taken: set[str]) -> str:
    """A Python attribute name for a JSON property, unique within ``taken``."""
    name = re.sub(r"[^0-9A-Za-z_]", "_", json_name)
    if not name or name[0].isdigit():
        name = "f_" + name
    name = name.lstrip("_") or "field"
    if keyword.iskeyword(name) or name in _RESERVED:
        name += "_"
    base, n = name, 2
    while name in taken:
        name = f"{base}_{n}"
        n += 1
    taken.add(name)
    return name


#: Names a field may not take in a generated class body.
_RESERVED = {"Struct", "Enum", "UNSET", "UnsetType", "Union", "Any", "ClassVar", "Generic", "BodyT"}


def attributes(obj: ObjectDef) -> dict[str, str]:
    """JSON name -> attribute name, for every field of ``obj``."""
    taken: set[str] = set()
    return {f.json_name: identifier(f.json_name, taken) for f in obj.fields}


# -- seed names ----------------------------------------------------------------

#: Seed names (the Rust crate's) for types the spec names otherwise.
SEED_ALIASES = {
    "Click": "ClickParam",
    "DoubleClick": "DoubleClickAction",
    "Drag": "DragParam",
    "KeyPress": "KeyPressAction",
    "Move": "MoveParam",
    "Screenshot": "ScreenshotParam",
    "Scroll": "ScrollParam",
    "Type": "TypeParam",
    "Wait": "WaitParam",
    "Coordinate": "CoordParam",
    "MetadataParam": "Metadata",
    "CodeInterpreterToolAuto": "AutoCodeInterpreterToolParam",
    "ComputerToolCallSafetyCheck": "ComputerCallSafetyCheckParam",
    "Conversation2": "ConversationParam2",
    "CreateConversationRequest": "CreateConversationBody",
    "CreateRunRequestWithoutStream": "CreateRunRequest",
    "CreateThreadAndRunRequestWithoutStream": "CreateThreadAndRunRequest",
    "SubmitToolOutputsRunRequestWithoutStream": "SubmitToolOutputsRunRequest",
    "ModerationImageUrlInput": "CreateModerationRequestInput2ItemImageUrl",
    "ModerationTextInput": "CreateModerationRequestInput2ItemText",
    "ChatModel": "ModelIdsShared",
    "ImageInputFidelity": "InputFidelity",
    "Includable": "IncludeEnum",
}

#: Seed names for types the spec writes inline: ``Definition.field``, with
#: ``[]`` for the items of an array field. Each becomes a named alias.
SEED_INLINE = {
    "AssistantTool": "AssistantObject.tools[]",
    "ChunkingStrategyResponse": "VectorStoreFileObject.chunking_strategy",
    "FilePurpose": "CreateFileRequest.purpose",
    "MessageContent": "MessageObject.content[]",
    "MessageContentDelta": "MessageDeltaObjectDelta.content[]",
    "RealtimeConversationItemContent": "RealtimeConversationItemWithReference.content[]",
    "RunStatus": "RunObject.status",
    "RunStepDeltaStepDetailsToolCall": "RunStepDeltaStepDetailsToolCallsObject.tool_calls[]",
    "RunStepDetailsToolCall": "RunStepDetailsToolCallsObject.tool_calls[]",
    "TextAnnotation": "MessageContentTextObjectText.annotations[]",
    "TextAnnotationDelta": "MessageDeltaContentTextObjectText.annotations[]",
}


def seed_inline_types(spec: Spec) -> dict[str, AliasDef]:
    """The aliases of ``SEED_INLINE``, to be added to the definitions (a
    missing path is an error)."""
    out: dict[str, AliasDef] = {}
    for seed_name, path in SEED_INLINE.items():
        def_name, field_name = path.split(".", 1)
        items = field_name.endswith("[]")
        obj = spec.defs.get(def_name)
        f = obj.field(field_name.rstrip("[]")) if isinstance(obj, ObjectDef) else None
        if f is None:
            raise ValueError(f"seed name {seed_name}: no field {path}")
        t: Type = f.type
        if isinstance(t, UnionT):  # drop null: the alias names the value's type
            t = next(m for m in t.members if m != NULL)
        if items:
            if not isinstance(t, Array):
                raise ValueError(f"seed name {seed_name}: {path} is not an array")
            t = t.item
        out[seed_name] = AliasDef(seed_name, t, origin="seed", parent=def_name, site=field_name)
    return out


def seed_aliases(defs: dict[str, Any], seed: dict[str, list[str]]) -> dict[str, str]:
    """Seed name -> definition name, for seed names the spec lacks."""
    by_lower = {n.lower(): n for n in defs}
    out: dict[str, str] = {}
    for group in ("s", "e", "a"):
        for name in seed.get(group, []):
            if name in defs:
                continue
            target = SEED_ALIASES.get(name) or by_lower.get(name.lower())
            if target is None and name[-1:].isdigit():
                target = by_lower.get(name.rstrip("0123456789").lower())
            if target is None:
                target = by_lower.get((name + "Param").lower()) or by_lower.get(
                    (name + "Action").lower()
                )
            if target is not None and target in defs:
                out[name] = target
    return out


# -- the stage's result ----------------------------------------------------------


@dataclass(frozen=True)
class Naming:
    """What the naming stage decided, for emit and the index."""

    #: Every name a module defines (definitions and named unions) -> its area.
    modules: dict[str, str]
    #: Seed name -> the generated name it stands for.
    aliases: dict[str, str]
    #: Struct name -> {JSON name: attribute name}.
    attrs: dict[str, dict[str, str]]


def assign_names(spec: Spec, named_unions: dict[str, str], seed: dict[str, list[str]]) -> Naming:
    """Place every definition and named union (``name -> owner definition``)
    in a module, name every field, and map the seed names."""
    modules = assign_modules(spec, named_unions)
    attrs = {n: attributes(d) for n, d in spec.defs.items() if isinstance(d, ObjectDef)}
    return Naming(modules, seed_aliases(spec.defs, seed), attrs)
