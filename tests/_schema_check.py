"""A small JSON Schema validator for the subset ``strict_json_schema`` writes.

No JSON Schema validator is among the dev dependencies, so the schema tests
check instances with this one. It knows exactly the keywords strict mode
supports and refuses any other, so a schema that strays from the subset fails
the tests instead of being half checked.
"""

from __future__ import annotations

import datetime
import math
import re
import uuid
from typing import Any

from openai_structs.structured._schema import KEYWORDS

KNOWN = KEYWORDS
_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def _date_time(v: str) -> bool:
    if not re.fullmatch(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)", v):
        return False
    datetime.datetime.fromisoformat(v.replace("Z", "+00:00").replace("z", "+00:00"))
    return True


def _uuid(v: str) -> bool:
    try:
        return str(uuid.UUID(v)) == v.lower()
    except ValueError:
        return False


FORMATS = {
    "date-time": _date_time,
    "date": lambda v: bool(re.fullmatch(r"\d{4}-\d\d-\d\d", v)),
    "time": lambda v: bool(re.fullmatch(r"\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)?", v)),
    "uuid": _uuid,
}


def validate(instance: Any, schema: dict[str, Any]) -> None:
    """Raise ``AssertionError`` naming the ``$.path`` where ``instance`` breaks ``schema``."""
    _check(instance, schema, schema, "$")


def _check(v: Any, s: dict[str, Any], root: dict[str, Any], path: str) -> None:
    unknown = set(s) - KNOWN
    assert not unknown, f"{path}: keywords outside strict mode's subset: {unknown}"
    if "$ref" in s:
        assert set(s) == {"$ref"}, f"{path}: $ref with sibling keywords {set(s)}"
        ref = s["$ref"]
        target = root if ref == "#" else root["$defs"][ref.removeprefix("#/$defs/")]
        _check(v, target, root, path)
        return
    if "anyOf" in s:
        errors = []
        for option in s["anyOf"]:
            try:
                _check(v, option, root, path)
                break
            except AssertionError as exc:
                errors.append(str(exc))
        else:
            raise AssertionError(f"{path}: matches no anyOf member: {errors}")
    if "type" in s:
        assert _TYPES[s["type"]](v), f"{path}: {v!r} is not {s['type']}"
    if "enum" in s:
        assert v in s["enum"] and type(v) in {type(e) for e in s["enum"]}, f"{path}: {v!r}"
    if "const" in s:
        assert v == s["const"], f"{path}: {v!r} is not {s['const']!r}"
    if "minimum" in s:
        assert v >= s["minimum"], f"{path}: {v} < {s['minimum']}"
    if "maximum" in s:
        assert v <= s["maximum"], f"{path}: {v} > {s['maximum']}"
    if "exclusiveMinimum" in s:
        assert v > s["exclusiveMinimum"], f"{path}: {v} <= {s['exclusiveMinimum']}"
    if "exclusiveMaximum" in s:
        assert v < s["exclusiveMaximum"], f"{path}: {v} >= {s['exclusiveMaximum']}"
    if "multipleOf" in s:
        q = v / s["multipleOf"]
        assert math.isclose(q, round(q), abs_tol=1e-9), f"{path}: {v} % {s['multipleOf']}"
    if "pattern" in s:
        assert re.search(s["pattern"], v), f"{path}: {v!r} !~ {s['pattern']}"
    if "format" in s:
        assert FORMATS[s["format"]](v), f"{path}: {v!r} is not a {s['format']}"
    if "items" in s:
        for i, item in enumerate(v):
            _check(item, s["items"], root, f"{path}[{i}]")
    if "minItems" in s:
        assert len(v) >= s["minItems"], f"{path}: fewer than {s['minItems']} items"
    if "maxItems" in s:
        assert len(v) <= s["maxItems"], f"{path}: more than {s['maxItems']} items"
    if "properties" in s:
        props = s["properties"]
        assert s.get("additionalProperties") is False, f"{path}: object left open"
        assert s.get("required") == list(props), f"{path}: not every property required"
        assert set(v) == set(props), f"{path}: keys {sorted(v)} != {sorted(props)}"
        for key, sub in props.items():
            _check(v[key], sub, root, f"{path}.{key}")
