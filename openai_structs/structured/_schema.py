"""The JSON Schema of a msgspec type, in the form the API accepts with ``strict: true``.

Structured outputs and strict function tools constrain the model to a schema,
but only to a subset of JSON Schema, and only in one shape: every object closed
(``"additionalProperties": false``) with every property listed in
``required``. ``msgspec.json.schema`` writes what msgspec itself accepts, which
is more than that (a root ``$ref``, optional fields, ``default``,
``discriminator``, open objects). :func:`strict_json_schema` writes the strict
shape instead, from the same type that will decode the model's answer:

- the root is the object itself (a ``Struct``, dataclass or ``TypedDict``);
  every other class goes to ``$defs``, and a reference back to the root is
  ``{"$ref": "#"}``;
- a field with a default is still required (the model always writes it); one
  that may be ``None`` is ``anyOf [T, {"type": "null"}]``; no ``default``;
- a tagged union is an ``anyOf`` whose members each require their tag as a
  ``const`` (strict mode has no ``discriminator``);
- constraints become the keywords strict mode knows (:data:`CONSTRAINTS`).

What strict mode cannot say is an error, never dropped in silence:
:class:`SchemaError` names the ``$.path`` of the value and why. That covers
free-form values (``dict[str, T]``, ``Any``), sets and fixed-length tuples,
untagged unions of objects, fields that may be absent (``UNSET`` defaults,
``NotRequired``, ``omit_defaults``), string lengths and other constraints
strict mode ignores, and the API's size limits (:mod:`._limits`).
"""

from __future__ import annotations

import inspect
from typing import Any

import msgspec
import msgspec.inspect as mi

from ..core._msgspec import key_step
from ..errors import SchemaError
from ._limits import check_limits

__all__ = ["ANNOTATIONS", "CONSTRAINTS", "FORMATS", "KEYWORDS", "SchemaError", "strict_json_schema"]

#: The string formats strict mode supports.
FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
)

#: The constraints strict mode supports, by the JSON type they apply to.
CONSTRAINTS: dict[str, frozenset[str]] = {
    "string": frozenset({"pattern", "format"}),
    "number": frozenset(
        {"multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"}
    ),
    "integer": frozenset(
        {"multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum"}
    ),
    "array": frozenset({"minItems", "maxItems"}),
}
#: What ``Meta(title=..., description=...)`` may add anywhere.
ANNOTATIONS = frozenset({"title", "description"})
#: Every keyword strict mode supports: the structure, annotations and constraints.
KEYWORDS = frozenset(
    {"type", "enum", "const", "anyOf", "$ref", "$defs", "items"}
    | {"properties", "required", "additionalProperties"}
    | ANNOTATIONS
    | frozenset[str]().union(*CONSTRAINTS.values())
)


_OBJECTS = (mi.StructType, mi.DataclassType, mi.TypedDictType)

_NOT_EXPRESSIBLE: dict[type, str] = {
    mi.AnyType: "`Any` has no schema: strict mode needs a type for every value",
    mi.DictType: (
        "a dict has free keys, and strict mode closes every object"
        " (additionalProperties: false): use a list of key/value Structs"
    ),
    mi.SetType: "strict mode cannot require unique items: use a list",
    mi.FrozenSetType: "strict mode cannot require unique items: use a list",
    mi.TupleType: "a fixed-length tuple needs prefixItems, which strict mode lacks: use a Struct",
    mi.NamedTupleType: "a named tuple is an array of mixed items: use a Struct",
    mi.TimeDeltaType: (
        "strict mode's duration format allows years, months and weeks, which a timedelta"
        " cannot hold: use a number of seconds"
    ),
    mi.BytesType: "bytes are base64 text strict mode cannot check: use str",
    mi.ByteArrayType: "bytes are base64 text strict mode cannot check: use str",
    mi.MemoryViewType: "bytes are base64 text strict mode cannot check: use str",
    mi.DecimalType: "a Decimal is written as a string strict mode cannot check: use float",
    mi.RawType: "msgspec.Raw holds any JSON: strict mode needs a type for every value",
    mi.ExtType: "msgpack extensions have no JSON form",
    mi.CustomType: "a custom type has no schema msgspec knows",
}


def strict_json_schema(tp: Any) -> dict[str, Any]:
    """The JSON Schema of ``tp`` that the API accepts with ``strict: true``.

    ``tp`` is a ``msgspec.Struct``, a dataclass or a ``TypedDict`` (the root
    must be an object), possibly wrapped in ``Annotated[..., msgspec.Meta(...)]``.
    Raises :class:`SchemaError` for anything strict mode cannot express or the
    API would refuse for its size. A new dict is returned on every call.

    >>> class Step(msgspec.Struct):
    ...     explanation: str
    ...     output: str
    >>> class Answer(msgspec.Struct):
    ...     steps: list[Step]
    ...     final: str | None
    >>> strict_json_schema(Answer)["required"]
    ['steps', 'final']
    """
    try:
        info = mi.type_info(tp)
    except (TypeError, ValueError) as exc:
        path, reason = _locate(tp, "$", exc)
        raise SchemaError(path, f"msgspec cannot use this type: {reason}") from None
    return _Builder(info).build()


def _locate(tp: Any, path: str, exc: Exception) -> tuple[str, Exception]:
    """Where in ``tp`` the type msgspec refused sits (msgspec does not say):
    the deepest field or item whose own type it refuses, and its error."""
    for sub, where in _parts(tp, path):
        try:
            mi.type_info(sub)
        except (TypeError, ValueError) as inner:
            return _locate(sub, where, inner)
    return path, exc


def _parts(tp: Any, path: str) -> list[tuple[Any, str]]:
    """The types ``tp`` is made of, each with its path: fields, items, members."""
    import typing

    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return [(typing.get_args(tp)[0], path)]
    if origin in (list, tuple, set, frozenset):
        return [(arg, path + "[*]") for arg in typing.get_args(tp) if arg is not Ellipsis]
    if origin is not None:
        return []
    try:
        hints = typing.get_type_hints(tp, include_extras=True)
    except (TypeError, NameError):
        return []
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        names = {f.name: f.encode_name for f in msgspec.structs.fields(tp)}
        return [(hints[n], _join(path, e)) for n, e in names.items() if n in hints]
    return [(hint, _join(path, name)) for name, hint in hints.items()]


class _Builder:
    """One schema being written: the root, then each class in ``$defs``."""

    def __init__(self, info: mi.Type) -> None:
        self.info = info
        self.defs: dict[str, dict[str, Any]] = {}
        self.names: dict[Any, str] = {}  # class -> its name in $defs
        self.root: Any = None

    def build(self) -> dict[str, Any]:
        node, notes = _unwrap(self.info)
        if not isinstance(node, _OBJECTS):
            raise SchemaError(
                "$",
                f"the root must be an object (a Struct, dataclass or TypedDict), not {_kind(node)}"
                " (wrap it in a Struct with one field)",
            )
        self.root = node.cls
        schema = self.object(node, "$")
        _annotate(schema, notes, "$")
        if self.defs:
            schema["$defs"] = self.defs
        check_limits(schema)
        return schema

    # -- values ---------------------------------------------------------------

    def value(self, node: mi.Type, path: str) -> dict[str, Any]:
        """The schema of one value at ``path``."""
        if isinstance(node, mi.Metadata):
            inner, notes = _unwrap(node)
            schema = self.value(inner, path)
            if notes and "$ref" in schema:
                # a $ref takes no sibling keywords in strict mode: inline the class
                schema = self.inline(schema["$ref"], path)
            _annotate(schema, notes, path)
            return schema
        if isinstance(node, _OBJECTS):
            return self.reference(node, path)
        if isinstance(node, mi.UnionType):
            return self.union(node.types, path)
        if isinstance(node, mi.LiteralType):
            return _literal(node.values)
        if isinstance(node, mi.EnumType):
            return _enum(node.cls, path)
        if isinstance(node, (mi.ListType, mi.VarTupleType)):
            items = self.value(node.item_type, path + "[*]")
            schema: dict[str, Any] = {"type": "array", "items": items}
            if node.min_length is not None:
                schema["minItems"] = node.min_length
            if node.max_length is not None:
                schema["maxItems"] = node.max_length
            return schema
        if isinstance(node, mi.StrType):
            return _string(node, path)
        if isinstance(node, (mi.IntType, mi.FloatType)):
            return _number(node)
        if isinstance(node, mi.BoolType):
            return {"type": "boolean"}
        if isinstance(node, mi.NoneType):
            return {"type": "null"}
        if isinstance(node, (mi.DateTimeType, mi.TimeType)):
            if node.tz is False:
                raise SchemaError(
                    path, "a naive-only time cannot be required: the format carries an offset"
                )
            return {
                "type": "string",
                "format": "date-time" if isinstance(node, mi.DateTimeType) else "time",
            }
        if isinstance(node, mi.DateType):
            return {"type": "string", "format": "date"}
        if isinstance(node, mi.UUIDType):
            return {"type": "string", "format": "uuid"}
        reason = _NOT_EXPRESSIBLE.get(type(node))
        raise SchemaError(path, reason or f"{_kind(node)} cannot be expressed in strict mode")

    def union(self, members: tuple[mi.Type, ...], path: str) -> dict[str, Any]:
        # (msgspec itself refuses a union of several objects unless all are
        # tagged Structs, so each member here is told apart by its type or tag)
        options: list[dict[str, Any]] = []
        for member in members:
            schema = self.value(member, path)
            for option in schema["anyOf"] if set(schema) == {"anyOf"} else [schema]:
                if option not in options:
                    options.append(option)
        # null goes last: ``anyOf [T, {"type": "null"}]``
        options.sort(key=lambda s: s == {"type": "null"})
        return options[0] if len(options) == 1 else {"anyOf": options}

    # -- objects --------------------------------------------------------------

    def reference(self, node: Any, path: str) -> dict[str, Any]:
        if node.cls == self.root:
            return {"$ref": "#"}
        name = self.names.get(node.cls)
        if name is None:
            name = self.names[node.cls] = self._free_name(_name(node.cls))
            self.defs[name] = {}  # taken before the fields: they may refer back
            self.defs[name] = self.object(node, path)
        return {"$ref": f"#/$defs/{name}"}

    def inline(self, ref: str, path: str) -> dict[str, Any]:
        """A copy of the class ``ref`` points at, for a place that annotates it."""
        if ref == "#" or not self.defs[ref.rsplit("/", 1)[1]]:
            raise SchemaError(
                path,
                "a description on a reference to a class being defined (a recursive type):"
                " strict mode takes no keywords beside $ref; describe the class in its docstring",
            )
        return dict(self.defs[ref.rsplit("/", 1)[1]])

    def object(self, node: Any, path: str) -> dict[str, Any]:
        properties: dict[str, Any] = {}
        if isinstance(node, mi.StructType):
            config = _origin(node.cls).__struct_config__
            if node.array_like:
                raise SchemaError(path, f"{_name(node.cls)} is array_like: its JSON is an array")
            if config.omit_defaults:
                raise SchemaError(
                    path,
                    f"{_name(node.cls)} has omit_defaults=True: its JSON may leave fields out,"
                    " and strict mode requires every property",
                )
            if node.tag_field is not None:
                tag = node.tag
                properties[node.tag_field] = {
                    "type": "string" if isinstance(tag, str) else "integer",
                    "const": tag,
                }
        for field in node.fields:
            where = _join(path, field.encode_name)
            if not field.required and (
                isinstance(node, mi.TypedDictType)
                or field.default is msgspec.UNSET
                # (msgspec.inspect reports an UNSET default as no default at all)
                or (
                    field.default is msgspec.NODEFAULT
                    and field.default_factory is msgspec.NODEFAULT
                )
            ):
                raise SchemaError(
                    where,
                    "this field may be left out of the JSON (UNSET, NotRequired), and strict"
                    " mode requires every property: use `T | None`",
                )
            properties[field.encode_name] = self.value(field.type, where)
        schema: dict[str, Any] = {"type": "object"}
        doc = class_doc(_origin(node.cls))
        if doc:
            schema["description"] = doc
        schema["properties"] = properties
        schema["required"] = list(properties)
        schema["additionalProperties"] = False
        return schema

    def _free_name(self, name: str) -> str:
        taken = set(self.defs)
        if name not in taken:
            return name
        n = 2
        while f"{name}{n}" in taken:
            n += 1
        return f"{name}{n}"


# -- leaves --------------------------------------------------------------------


def _string(node: mi.StrType, path: str) -> dict[str, Any]:
    if node.min_length is not None or node.max_length is not None:
        raise SchemaError(
            path,
            "minLength and maxLength are not keywords strict mode supports"
            " (a pattern such as ^.{1,80}$ can bound the length)",
        )
    schema: dict[str, Any] = {"type": "string"}
    if node.pattern is not None:
        schema["pattern"] = node.pattern
    return schema


def _number(node: mi.IntType | mi.FloatType) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer" if isinstance(node, mi.IntType) else "number"}
    for attr, keyword in (
        ("ge", "minimum"),
        ("gt", "exclusiveMinimum"),
        ("le", "maximum"),
        ("lt", "exclusiveMaximum"),
        ("multiple_of", "multipleOf"),
    ):
        bound = getattr(node, attr)
        if bound is not None:
            schema[keyword] = bound
    return schema


def _literal(values: tuple[Any, ...]) -> dict[str, Any]:
    """``Literal[...]``: an enum per JSON type, ``null`` last."""
    groups: dict[str, list[Any]] = {}
    for v in values:
        kind = (
            "null"
            if v is None
            else "boolean"
            if isinstance(v, bool)
            else "integer"
            if isinstance(v, int)
            else "string"
        )
        groups.setdefault(kind, []).append(v)
    options = [
        {"type": "null"} if kind == "null" else {"type": kind, "enum": vs}
        for kind, vs in sorted(groups.items(), key=lambda kv: kv[0] == "null")
    ]
    return options[0] if len(options) == 1 else {"anyOf": options}


def _enum(cls: Any, path: str) -> dict[str, Any]:
    values = [member.value for member in cls]
    if all(isinstance(v, str) for v in values):
        return {"type": "string", "enum": values}
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return {"type": "integer", "enum": values}
    raise SchemaError(
        path, f"{cls.__name__} mixes value types: an enum's values must be all str or all int"
    )


def _annotate(schema: dict[str, Any], notes: dict[str, Any], path: str) -> None:
    """Add ``Meta(title=..., description=..., extra_json_schema=...)`` to ``schema``:
    annotations anywhere, and the constraints strict mode supports for its type;
    anything else (structure, ``examples``, ``default``...) is refused."""
    allowed = ANNOTATIONS | CONSTRAINTS.get(schema.get("type", ""), frozenset())
    for key, value in notes.items():
        if key not in allowed:
            raise SchemaError(path, f"`{key}` is not a keyword strict mode supports here")
        if key == "format" and value not in FORMATS:
            raise SchemaError(path, f"format {value!r} is not one strict mode supports")
        schema[key] = value


def _unwrap(node: mi.Type) -> tuple[mi.Type, dict[str, Any]]:
    """``node`` without its ``Annotated`` metadata, and the schema keywords it adds."""
    notes: dict[str, Any] = {}
    while isinstance(node, mi.Metadata):
        extra: dict[str, Any] | None = node.extra_json_schema  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        notes.update(extra or {})
        node = node.type
    return node, notes


def class_doc(cls: Any) -> str:
    """A class's own docstring, cleaned ("" if none; not the signature a
    dataclass without a docstring gets)."""
    doc = getattr(cls, "__doc__", None)
    if not doc:
        return ""
    text = inspect.cleandoc(doc)
    return "" if text.startswith(f"{_name(cls)}(") else text


def _origin(cls: Any) -> Any:
    """The class of a generic alias (``Page[int]`` -> ``Page``), or ``cls``."""
    return getattr(cls, "__origin__", cls)


def _name(cls: Any) -> str:
    """``Page[int]`` -> ``Page_int``: a $defs name."""
    origin = getattr(cls, "__origin__", None)
    if origin is None:
        return cls.__name__
    args = "_".join(getattr(a, "__name__", str(a)) for a in getattr(cls, "__args__", ()))
    return f"{origin.__name__}_{args}"


def _kind(node: Any) -> str:
    """What ``node`` is, for a message: ``a union``, ``Color``, ``dict``."""
    if isinstance(node, mi.UnionType):
        return "a union"
    cls = getattr(node, "cls", None)
    if cls is not None:
        return f"`{_name(cls)}`"
    return type(node).__name__.removesuffix("Type").lower()


def _join(path: str, key: str) -> str:
    return path + key_step(key)
