"""Views: decode only what you read.

A *view* of a type is a ``msgspec.Struct`` of your own that holds some of the
type's fields, under the same JSON names and with the same types (or views of
them). msgspec decodes straight into it and skips the rest of each document
without building it, so a view of a few fields decodes a large body several
times faster than the full type, and keeps a fraction of its memory.
:func:`check_view` checks a view against its full type once; then, for every
document the full type decodes, the view holds the same values in its fields.

The rules, field by field (``V`` the view's type of a field, ``F`` the full
type's):

- ``V`` is ``F`` itself, or ``str`` where ``F`` is an enum (a ``Literal`` of
  strings: the values stay strings either way);
- ``V`` is a struct that is a view of the struct ``F``, or of each member of
  the tagged union ``F`` that has its fields (then it may also hold the
  union's tag field as a ``str``, and its fields that not every member has
  need a default);
- ``list[V]`` of ``list[F]``, ``dict[K, V]`` of ``dict[K, F]``;
- ``V | None | UnsetType`` of ``F | None | UnsetType``: each member of the
  type viewed by one of the view's (a view cannot drop ``None`` where the
  type takes it; it may take more);
- ``msgspec.Raw`` for any field: its JSON text, left undecoded (an empty
  ``Raw`` when absent, with ``default_factory=msgspec.Raw``);
- a field is required in the view only where the type requires it, and an
  optional field keeps the type's default (``UNSET``).

A view may hold a *lenient* variant for runs of lines (``ViewDecoder``'s
``run``): the same fields, where those the view requires are optional. It
decodes an error body (``{"error": ...}``) too, as a value that lacks them,
so that a run holding failed requests decodes in one call; the reader then
takes each line whose status is not 2xx, or whose body lacks a field the view
requires (``UNSET`` in ``ViewDecoder.required(body)``), by its exact path, and every other
line holds what the view would.

A line the view cannot decode although the full type can (a variant of a
union added to the API after your view was written, whose field of the same
name holds something else) is decoded with the full type and projected onto
the view (:func:`project`), so a view never calls a line bad that the full
type reads.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any, Union, get_args, get_origin

import msgspec
from msgspec import UNSET, UnsetType
from msgspec.structs import FieldInfo

from ..core._base import UnknownVariant
from ..core._codec import Buffer, Decoder, Encoder
from ..core._typeinfo import (
    is_union,
    struct_class,
    struct_config,
    struct_fields,
    tag_config,
    union_members,
    unwrap,
)
from ..errors import DecodeError

__all__ = ["ViewDecoder", "check_view", "project"]

_NODEFAULT: Any = msgspec.NODEFAULT


@cache
def check_view(view: type, full: Any) -> None:
    """Raise :class:`TypeError` if ``view`` is not a view of the type ``full``
    (see this module's docstring), naming the first field that is not, and
    why. Checked once per pair; then ``Decoder(view)`` reads documents of
    ``full`` with the same values in ``view``'s fields."""
    if struct_class(view) is None:
        raise TypeError(f"a view is a msgspec.Struct class, not {view!r}")
    problem = _fits(view, full, view.__name__, set())
    if problem is not None:
        raise TypeError(f"{view.__name__} is not a view of {_name(full)}: {problem}")


def _name(tp: Any) -> str:
    """``tp`` as it is written: ``list[Usage] | None``."""
    tp = unwrap(tp)
    if is_union(tp):
        return " | ".join(_name(m) for m in union_members(tp))
    args = get_args(tp)
    if args and get_origin(tp) is not None:
        return f"{_name(get_origin(tp))}[{', '.join(map(_name, args))}]"
    return "None" if tp is type(None) else getattr(tp, "__name__", None) or repr(tp)


def _members(tp: Any) -> tuple[list[type], list[Any]]:
    """The struct members of ``tp`` (unknown variants left out) and the others."""
    structs: list[type] = []
    others: list[Any] = []
    tp = unwrap(tp)
    for member in union_members(tp) if is_union(tp) else (tp,):
        cls = struct_class(member)
        if cls is None:
            others.append(member)
        elif not issubclass(cls, UnknownVariant):
            structs.append(member)
    return structs, others


def _fits(view: Any, full: Any, path: str, seen: set[tuple[Any, Any]]) -> str | None:
    """Why ``view`` is not a view of ``full`` at ``path``, or None if it is."""
    view, full = unwrap(view), unwrap(full)
    if view is msgspec.Raw or view == full or (view, full) in seen:
        return None
    seen.add((view, full))
    if view is str and _is_str(full):
        return None
    if is_union(view) or is_union(full):
        return _fits_union(view, full, path, seen)
    origin = get_origin(view)
    if origin in (list, dict) and origin is get_origin(full):
        (*keys, item), (*full_keys, full_item) = get_args(view), get_args(full)
        if keys != full_keys:
            return f"{path}: keys {keys} where the type has {full_keys}"
        return _fits(item, full_item, f"{path}[]", seen)
    if struct_class(view) is not None and struct_class(full) is not None:
        return _fits_struct(view, [full], path, seen)
    return f"{path}: {_name(view)} where the type has {_name(full)}"


def _fits_union(view: Any, full: Any, path: str, seen: set[tuple[Any, Any]]) -> str | None:
    """A union, or a view of one: one view struct for the type's structs (a
    tagged union's members), and each other member of the type viewed by one
    of the view's (which may take more: a view reads what the type reads,
    and may read more)."""
    v_structs, v_others = _members(view)
    f_structs, f_others = _members(full)
    if len(v_structs) > 1 or bool(v_structs) != bool(f_structs):
        return f"{path}: {_name(view)} where the type has {_name(full)}"
    for member in f_others:
        problems = [_fits(v, member, path, set(seen)) for v in v_others]
        if None not in problems:
            origin = get_origin(member)
            alike = [p for v, p in zip(v_others, problems) if origin and get_origin(v) is origin]
            if len(alike) == 1 and alike[0] is not None:
                return alike[0]  # the one that should have viewed it, and why not
            return f"{path}: the type takes {_name(member)}, {_name(view)} does not"
    if v_structs:
        return _fits_struct(v_structs[0], f_structs, path, seen)
    return None


def _is_str(tp: Any) -> bool:
    tp = unwrap(tp)
    if tp is str:
        return True
    members = union_members(tp)
    return len(members) > 0 and all(unwrap(m) is str for m in members)


def _fits_struct(
    view: type, members: list[type], path: str, seen: set[tuple[Any, Any]]
) -> str | None:
    config = struct_config(view)
    if config is not None and config.forbid_unknown_fields:
        return f"{path}: a view must not forbid unknown fields"
    tag_field = tag_config(members[0])[0] if members else None
    by_member = [{f.encode_name: f for f in struct_fields(m)} for m in members]
    for field in struct_fields(view):
        where = f"{path}.{field.encode_name}"
        if tag_field is not None and field.encode_name == tag_field:
            if unwrap(field.type) not in (str, msgspec.Raw) or not field.required:
                return f"{where}: the tag field of a union is a required str"
            continue
        found = [fields[field.encode_name] for fields in by_member if field.encode_name in fields]
        if not found:
            return f"{where}: not a field of {' or '.join(_name(m) for m in members)}"
        if unwrap(field.type) is msgspec.Raw:
            continue
        for other in found:
            # a field that some member lacks is UNSET there: its type may add UnsetType
            kind = field.type if len(found) == len(members) else _or_unset(field.type, other.type)
            problem = _fits(kind, other.type, where, seen)
            if problem is not None:
                return problem
            problem = _same_default(field, other, len(found) < len(members), where)
            if problem is not None:
                return problem
    return None


def _or_unset(tp: Any, full: Any) -> Any:
    """``tp`` without its ``UnsetType`` member, where ``full`` has none."""
    if UnsetType in union_members(full) or not is_union(tp):
        return tp
    members = tuple(m for m in union_members(tp) if m is not UnsetType)
    return members[0] if len(members) == 1 else Union[members]  # noqa: UP007 (a runtime type)


def _same_default(field: FieldInfo, other: FieldInfo, some_lack_it: bool, where: str) -> str | None:
    if field.required:
        if not other.required or some_lack_it:
            return f"{where}: required in the view, optional in the type"
        return None
    if other.required:
        return None  # always present where the type decodes: the default is never used
    if field.default is not other.default and field.default != other.default:
        return f"{where}: the default {field.default!r} where the type's is {other.default!r}"
    return None


# --------------------------------------------------------------------------
# Projection: a value of the full type, as its view


@cache
def _fields_by_json_name(cls: type) -> dict[str, str]:
    return {f.encode_name: f.name for f in struct_fields(cls)}


def project(value: Any, view: Any) -> Any:
    """``value``, decoded with a full type, as the view type ``view`` holds it:
    the same values in the view's fields, a ``Raw`` field holding the value's
    JSON (unknown variants as they came), and a union member's tag in the
    view's tag field."""
    view = unwrap(view)
    if view is msgspec.Raw:
        return msgspec.Raw(_encode(value))
    if value is None or value is UNSET:
        return value
    if isinstance(value, (list, dict)):
        kind: type = list if isinstance(value, list) else dict
        shaped = [m for m in _members(view)[1] if get_origin(m) is kind]
        item = get_args(shaped[0])[-1] if shaped else Any
        if isinstance(value, list):
            return [project(x, item) for x in value]  # pyright: ignore[reportUnknownVariableType]
        return {k: project(x, item) for k, x in value.items()}  # pyright: ignore[reportUnknownVariableType]
    structs, _ = _members(view)
    if not structs or not isinstance(value, msgspec.Struct):
        return value
    cls = struct_class(structs[0])
    assert cls is not None
    names = _fields_by_json_name(type(value))
    tag_field = value.tag_field if isinstance(value, UnknownVariant) else tag_config(type(value))[0]
    values: dict[str, Any] = {}
    for field in struct_fields(cls):
        if field.encode_name == tag_field:
            values[field.name] = (
                value.tag if isinstance(value, UnknownVariant) else tag_config(type(value))[1]
            )
        elif field.encode_name in names:
            values[field.name] = project(getattr(value, names[field.encode_name]), field.type)
        elif unwrap(field.type) is msgspec.Raw:
            values[field.name] = msgspec.Raw()
    return cls(**values)


_encode = Encoder().encode


def _none_required(body: Any) -> tuple[Any, ...]:
    return ()


class ViewDecoder:
    """A decoder of output lines whose successful bodies decode into the view
    ``view`` of ``full``, that never refuses a line the full type reads: one
    the view does not decode is decoded with ``full``, and its body
    projected onto the view (see the module's docstring)."""

    def __init__(self, line: Any, view: Any, full: Any, run: Any = None) -> None:
        check_view(view, full)
        self._view = Decoder(line[view])
        self._full = Decoder(line[full])
        self._type = view
        #: the lenient view that runs of lines decode into (None: ``view``)
        self.run: Any = run
        self._lines = self._view
        #: the fields the view requires, of a ``run`` value (a tuple)
        self.required: Callable[[Any], tuple[Any, ...]] = _none_required
        if run is not None:
            check_view(run, full)
            self._lines = Decoder(line[run])
            required = [f.name for f in struct_fields(view) if f.required]
            if required:
                self.required = attrgetter(*required, required[0])  # a tuple, even of one

    def decode_lines(self, buf: Buffer) -> list[Any]:
        """The lines of ``buf``, decoded with the view, or the lenient ``run``
        view if there is one (a :class:`DecodeError` where one does not fit:
        the reader then takes it by :meth:`decode`)."""
        return self._lines.decode_lines(buf)

    def decode(self, buf: Buffer) -> Any:
        """One line, with the view, or with the full type and projected."""
        try:
            return self._view.decode(buf)
        except DecodeError:
            value = self._full.decode(buf)  # raises if neither reads it
        response = value.response
        if response is None or response is UNSET or response.body is UNSET:
            return value
        body = project(response.body, self._type)
        return msgspec.structs.replace(value, response=msgspec.structs.replace(response, body=body))
