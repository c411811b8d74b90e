"""What the default mode lets through on purpose, found: the walk behind
strict mode and the audit.

The generated enums are open strings at run time and unknown tags become
:class:`~openai_structs.UnknownVariant` members, so a value OpenAI adds
tomorrow never breaks a decode; keys the types do not define are skipped
unread. :func:`findings` walks a decoded value beside the JSON it came from
and reports each of these, with its ``$.path``:

- ``unknown_key``: an object key its class does not define (dropped on
  re-encode);
- ``unknown_variant``: a tag no member of its union has (the path names the
  tag field; what is inside is not looked at: it is unknown);
- ``unknown_enum``: a string outside its field's closed list of values;
- ``unfit_member``: a member whose tag several classes share that fits none
  of them (kept as decoded: :mod:`openai_structs.core._views`).

``decode(..., strict=True)`` raises the first of them (:func:`check`), for
contract tests; ``openai-structs audit`` counts them over recorded traffic.
:func:`check_utf8` covers the bytes msgspec skips unread.

The walk keeps its own stack, so nesting as deep as msgspec accepts never
raises :class:`RecursionError`. Pairing the value with the JSON (rather than
reading the JSON beside the type) lets the decode decide every union member
first: the walk sees the class each object became.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, NamedTuple

import msgspec

from ..errors import (
    MalformedJSONError,
    UnknownEnumValueError,
    UnknownKeyError,
    UnknownVariantError,
    ValidationError,
)
from . import _typeinfo as ti
from ._base import SharedTag, UnknownVariant
from ._msgspec import key_step, known_values, validation_error
from ._views import view_of, why_not

__all__ = ["KINDS", "check", "check_utf8", "findings", "read_json"]

#: The kinds of finding, in the order the README lists them.
KINDS = ("unknown_key", "unknown_variant", "unknown_enum", "unfit_member")


class Finding(NamedTuple):
    """One thing the types do not know: ``kind`` (one of :data:`KINDS`), the
    ``$.path``, the ``value`` found there (the key's value, the tag, the
    enum string) and a ``detail``: the key, the tag field, or the enum's
    known values."""

    kind: str
    path: str
    value: Any
    detail: Any


def _number(text: str) -> float | str:
    """A JSON number that is not an integer: a float, or its text when no
    float holds it (``1e400``, under a key the types skip unread)."""
    value = float(text)
    return value if math.isfinite(value) else text


#: The JSON of a document, untyped (see :func:`_number`).
read_json: Callable[[Any], Any] = msgspec.json.Decoder(float_hook=_number).decode


def check_utf8(data: Any) -> None:
    """Raise :class:`MalformedJSONError` unless ``data`` is valid UTF-8."""
    if isinstance(data, str):
        return
    try:
        str(data, "utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJSONError(f"Invalid UTF-8 at byte {exc.start}", pos=exc.start) from None
    except TypeError:
        if not isinstance(data, memoryview):
            raise
        # not contiguous: the decoder takes one copy of it
        raise BufferError("memoryview is not contiguous") from None


def check(value: Any, data: Any) -> None:
    """Raise for the first finding in ``value``, decoded from ``data``: an
    :class:`UnknownKeyError`, :class:`UnknownVariantError` or
    :class:`UnknownEnumValueError` naming its ``$.path``."""
    if isinstance(data, memoryview) and not data.contiguous:
        data = data.tobytes()
    try:
        doc = read_json(data)
    except msgspec.ValidationError as exc:  # a number no decoder takes, unread by the types
        raise validation_error(exc) from None
    for kind, path, found, detail in findings(value, doc):
        if kind == "unknown_key":
            raise UnknownKeyError(f"Unknown key {detail!r} - at `{path}`", path=path)
        if kind == "unknown_variant":
            raise UnknownVariantError(f"Unknown {detail} {found!r} - at `{path}`", path=path)
        if kind == "unfit_member":
            raise ValidationError(f"{found}: {detail} - at `{path}`", path=path)
        raise UnknownEnumValueError(
            f"Unknown enum value {found!r}{known_values(detail)} - at `{path}`", path=path
        )


def findings(value: Any, doc: Any, *, indexes: bool = True) -> Iterator[Finding]:
    """Each unknown key, unknown variant and unknown enum value in ``value``
    (a decoded value) beside ``doc`` (the same JSON, untyped), in document
    order. List indexes are written ``[2]``, or ``[]`` if not ``indexes``."""
    index: Callable[[int], str] = _index if indexes else _any_index
    stack: list[tuple[Any, Any, str]] = [(value, doc, "$")]
    while stack:
        obj, raw, path = stack.pop()
        if isinstance(obj, UnknownVariant):
            yield Finding("unknown_variant", f"{path}.{obj.tag_field}", obj.tag, obj.tag_field)
            continue
        # decoded values and their JSON hold plain lists and dicts: compared
        # by class, their items stay typed Any (isinstance would make them unknown)
        if isinstance(obj, msgspec.Struct):
            cls = type(obj)
            names_of = cls
            if isinstance(obj, SharedTag):  # checked as the class it is read as
                view = view_of(obj)
                if view is None:
                    yield Finding("unfit_member", path, cls.__name__, why_not(obj))
                    continue
                names_of = view
            if raw.__class__ is not dict:
                raw = _NO_KEYS
            else:
                names = ti.json_names(names_of)
                for key, item in raw.items():
                    if key not in names:
                        yield Finding("unknown_key", path + key_step(key), item, key)
            for attr, name, values in _enums(cls, names_of):
                yield from _enum(getattr(obj, attr), values, f"{path}.{name}", index)
            for attr, name in reversed(_walked(cls)):
                item = getattr(obj, attr)
                if isinstance(item, _WALKED):
                    stack.append((item, raw.get(name), f"{path}.{name}"))
        elif obj.__class__ is list:
            if raw.__class__ is not list or len(raw) != len(obj):
                raw = [None] * len(obj)
            for i in range(len(obj) - 1, -1, -1):
                if isinstance(obj[i], _WALKED):
                    stack.append((obj[i], raw[i], path + index(i)))
        elif obj.__class__ is dict:
            if raw.__class__ is not dict:
                raw = _NO_KEYS
            for key, item in reversed(list(obj.items())):
                if isinstance(item, _WALKED):
                    stack.append((item, raw.get(key), path + key_step(key)))


_NO_KEYS: dict[str, Any] = {}  # the JSON beside a value that has none (read only)
_WALKED: tuple[type, ...] = (msgspec.Struct, list, dict)  # what can hold a finding


@cache
def _walked(cls: type) -> tuple[tuple[str, str], ...]:
    """(attribute, JSON name) of the fields of ``cls`` that can hold a struct
    (free-form JSON is not walked: nothing in it can be unknown)."""
    return tuple(
        (f.name, f.encode_name)
        for f in ti.struct_fields(cls)
        if ti.reaches(f.type, lambda t: ti.struct_class(t) is not None or ti.is_dispatch(t))
    )


@cache
def _enums(cls: type, view: type) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """(attribute of ``cls``, JSON name, known values) of each closed-enum
    field of ``view``, the class an object of ``cls`` is read as."""
    if view is cls:
        return ti.enum_fields(cls)
    attrs = {f.encode_name: f.name for f in ti.struct_fields(cls)}
    return tuple(
        (attrs[name], name, values) for _, name, values in ti.enum_fields(view) if name in attrs
    )


def _index(i: int) -> str:
    return f"[{i}]"


def _any_index(i: int) -> str:
    return "[]"


def _enum(
    value: Any, values: frozenset[str], path: str, index: Callable[[int], str]
) -> Iterator[Finding]:
    if isinstance(value, str):
        if value not in values:
            yield Finding("unknown_enum", path, value, values)
    elif value.__class__ is list:
        for i, item in enumerate(value):
            yield from _enum(item, values, path + index(i), index)
