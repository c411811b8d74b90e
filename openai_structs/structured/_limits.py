"""The size limits the API sets on a strict schema, checked before it is sent.

The structured-outputs guide lists them; a schema past one is refused by the
API with a 400 at request time. :func:`check_limits` finds it first and says
where, as a :class:`~openai_structs.SchemaError`:

- at most :data:`MAX_PROPERTIES` object properties in the whole schema (each
  class in ``$defs`` counted once);
- at most :data:`MAX_DEPTH` levels of nested objects, the root being the first
  (a reference back to a class already on the way, a recursive type, adds no
  level: its depth is the model's to choose);
- at most :data:`MAX_STRING_LENGTH` characters in all property names, ``$defs``
  names, enum values and ``const`` values together;
- at most :data:`MAX_ENUM_VALUES` enum values in all enums together, and a
  string enum of more than :data:`LARGE_ENUM` values at most
  :data:`LARGE_ENUM_LENGTH` characters long.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from ..core._msgspec import key_step
from ..errors import SchemaError

__all__ = [
    "LARGE_ENUM",
    "LARGE_ENUM_LENGTH",
    "MAX_DEPTH",
    "MAX_ENUM_VALUES",
    "MAX_PROPERTIES",
    "MAX_STRING_LENGTH",
    "check_limits",
]

MAX_PROPERTIES = 5000
MAX_DEPTH = 10
MAX_STRING_LENGTH = 120_000
MAX_ENUM_VALUES = 1000
LARGE_ENUM = 250
LARGE_ENUM_LENGTH = 15_000


@dataclass
class _Walk:
    defs: dict[str, Any]
    properties: int = 0
    strings: int = 0
    enum_values: int = 0
    #: $defs name -> the shallowest depth it was explored at (it is counted once)
    explored: dict[str, int] = field(default_factory=dict[str, int])


def check_limits(schema: dict[str, Any]) -> None:
    """Raise :class:`~openai_structs.SchemaError` if ``schema`` passes a limit of the API."""
    defs = schema.get("$defs", {})
    walk = _Walk(defs)
    for name in defs:
        _add_strings(walk, len(name), "$")
    _visit(walk, schema, "$", 0, ())


def _visit(walk: _Walk, schema: Any, path: str, depth: int, stack: tuple[str, ...]) -> None:
    """Walk ``schema`` (the value at ``path``, inside ``depth`` objects): a
    plain dict when it is an object, as :func:`strict_json_schema` writes it."""
    if schema.__class__ is not dict:
        return
    ref = schema.get("$ref")
    if isinstance(ref, str):
        name = ref.rsplit("/", 1)[-1]
        if ref == "#" or name in stack:
            return  # recursion: no level of its own
        seen = walk.explored.get(name)
        if seen is not None and seen <= depth:
            return  # explored already from as deep or deeper: nothing new to find
        first = seen is None
        walk.explored[name] = depth
        _visit_counted(walk, walk.defs[name], path, depth, (*stack, name), first)
        return
    _visit_counted(walk, schema, path, depth, stack, True)


def _visit_counted(
    walk: _Walk, schema: dict[str, Any], path: str, depth: int, stack: tuple[str, ...], count: bool
) -> None:
    if count:
        _count_values(walk, schema, path)
    properties: dict[str, Any] | None = schema.get("properties")
    if properties.__class__ is dict:
        depth += 1
        if depth > MAX_DEPTH:
            raise SchemaError(path, f"objects nest more than {MAX_DEPTH} levels deep")
        for key, sub in cast("dict[str, Any]", properties).items():
            where = path + key_step(key)
            if count:
                walk.properties += 1
                if walk.properties > MAX_PROPERTIES:
                    raise SchemaError(
                        where, f"the schema has more than {MAX_PROPERTIES} properties"
                    )
                _add_strings(walk, len(key), where)
            _visit(walk, sub, where, depth, stack)
    items = schema.get("items")
    if items is not None:
        _visit(walk, items, path + "[*]", depth, stack)
    for option in schema.get("anyOf", ()):
        _visit(walk, option, path, depth, stack)


def _count_values(walk: _Walk, schema: dict[str, Any], path: str) -> None:
    if "const" in schema:
        _add_strings(walk, len(str(schema["const"])), path)
    values: list[Any] | None = schema.get("enum")
    if values is None or values.__class__ is not list:
        return
    walk.enum_values += len(values)
    if walk.enum_values > MAX_ENUM_VALUES:
        raise SchemaError(path, f"the schema's enums hold more than {MAX_ENUM_VALUES} values")
    length = sum(len(str(v)) for v in values)
    large = len(values) > LARGE_ENUM and all(isinstance(v, str) for v in values)
    if large and length > LARGE_ENUM_LENGTH:
        raise SchemaError(
            path,
            f"a string enum of more than {LARGE_ENUM} values may be at most"
            f" {LARGE_ENUM_LENGTH:,} characters long in all (this one: {length:,})",
        )
    _add_strings(walk, length, path)


def _add_strings(walk: _Walk, n: int, path: str) -> None:
    walk.strings += n
    if walk.strings > MAX_STRING_LENGTH:
        raise SchemaError(
            path,
            f"property names, $defs names, enum and const values exceed {MAX_STRING_LENGTH:,}"
            " characters in all",
        )
