"""What the run-time passes need to know about a type: the one place that
reads struct and union metadata.

The decoder's slow paths (unknown variants, members without their tag), the
views of members that share a tag, the strict checks, the stream decoders and
the accumulators all ask of a type: which fields a struct has and under which
JSON names, its tag, which members a union has and which of them are told
apart by a tag, which structs a type can reach. This module answers, once per
type and cached where it is asked often.

Fields are read through :func:`msgspec.structs.fields`, which resolves the
generated modules' string annotations and the generic batch line types and
keeps each annotation whole; the tag through the struct's msgspec config.
(:func:`msgspec.inspect.type_info` was tried as the base: it drops the
``Annotated`` metadata the enum checks read, and walks everything a type
reaches on each call, 80-110 ms for ``CreateResponse``.)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from types import UnionType as _PipeUnion  # ``X | Y``
from typing import Annotated, Any, Union, cast, get_args, get_origin

import msgspec

from ._base import DispatchUnion, EnumValues, SharedTag, UnknownVariant


def unwrap(tp: Any) -> Any:
    """``tp`` without ``Annotated[...]`` layers."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    return tp


def is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, _PipeUnion)


def union_members(tp: Any) -> tuple[Any, ...]:
    """Members of a union, nested unions flattened, ``Annotated`` unwrapped."""
    out: list[Any] = []
    for arg in get_args(tp):
        arg = unwrap(arg)
        if is_union(arg):
            out.extend(union_members(arg))
        elif arg not in out:
            out.append(arg)
    return tuple(out)


def struct_class(tp: Any) -> type[msgspec.Struct] | None:
    """The Struct class of ``tp`` (a class or a parametrised generic), or None."""
    cls = get_origin(tp) or tp
    if isinstance(cls, type) and issubclass(cls, msgspec.Struct):
        return cls
    return None


def struct_config(tp: Any) -> Any:
    """The ``StructConfig`` of a struct class (``forbid_unknown_fields``,
    ``tag_field``...), or None for anything else."""
    cls = struct_class(tp)
    return None if cls is None else cls.__struct_config__


def is_dispatch(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, DispatchUnion)


@cache
def struct_fields(tp: Any) -> tuple[msgspec.structs.FieldInfo, ...]:
    """The fields of a struct class (or parametrised generic), annotations resolved."""
    return msgspec.structs.fields(tp)


@cache
def field_names(tp: Any) -> tuple[str, ...]:
    """The attribute names of a struct's fields, in order (``()`` for anything else)."""
    if struct_class(tp) is None:
        return ()
    return tuple(f.name for f in struct_fields(tp))


def field(tp: Any, name: str) -> msgspec.structs.FieldInfo | None:
    """The field of a struct named ``name`` (its attribute name), or None."""
    if struct_class(tp) is None:
        return None
    return next((f for f in struct_fields(tp) if f.name == name), None)


def mirror_struct(tp: Any, name: str, types: list[Any]) -> type[msgspec.Struct]:
    """A new struct class ``name`` with the fields of the struct ``tp`` (their
    JSON names, defaults and the tag) but each typed by ``types``, in field
    order: what the fallback decoders read a document into before building
    the real classes."""
    fields = struct_fields(tp)
    tag_field, tag = tag_config(tp)
    return msgspec.defstruct(
        name,
        [_defstruct_field(f, t) for f, t in zip(fields, types)],
        kw_only=True,
        rename={f.name: f.encode_name for f in fields},
        tag_field=tag_field,
        tag=tag if tag_field else None,
    )


def _defstruct_field(f: msgspec.structs.FieldInfo, tp: Any) -> tuple[Any, ...]:
    if f.default_factory is not msgspec.NODEFAULT:
        return (f.name, tp, msgspec.field(default_factory=f.default_factory))
    if f.default is not msgspec.NODEFAULT:
        return (f.name, tp, f.default)
    return (f.name, tp)


@cache
def json_names(tp: Any) -> frozenset[str]:
    """Every JSON key a struct reads, its tag field included."""
    names = {f.encode_name for f in struct_fields(tp)}
    tag_field = tag_config(tp)[0]
    if tag_field:
        names.add(tag_field)
    return frozenset(names)


def tag_config(tp: Any) -> tuple[str | None, Any]:
    """``(tag_field, tag)`` of a struct; ``(None, None)`` when untagged."""
    cls = struct_class(tp)
    if cls is None:
        return None, None
    config = cls.__struct_config__
    return config.tag_field, config.tag


class UnionInfo:
    """A union whose object members msgspec tells apart by a tag.

    ``known`` maps each tag value to its member; ``unknown`` is the member
    that stands for tags added later (None if the union has none);
    ``untagged`` the class its members sent without the tag decode into
    (a :class:`~openai_structs.core._base.SharedTag`), or None if none may
    omit it.
    """

    __slots__ = ("known", "tag_field", "type", "unknown", "untagged")

    def __init__(self, tp: Any) -> None:
        self.type = tp
        self.tag_field: str = ""
        self.known: dict[Any, Any] = {}
        self.unknown: type[UnknownVariant] | None = None
        self.untagged: type[SharedTag] | None = None
        for member in union_members(tp) if is_union(tp) else (tp,):
            cls = struct_class(member)
            if cls is None:
                continue
            tag_field, tag = tag_config(member)
            if tag_field is None:
                continue
            self.tag_field = tag_field
            if issubclass(cls, UnknownVariant):
                self.unknown = cls
                continue
            self.known[tag] = member
            if issubclass(cls, SharedTag) and self.untagged is None:
                self.untagged = cls._untagged()  # pyright: ignore[reportPrivateUsage]


@cache
def union_info(tp: Any) -> UnionInfo | None:
    """The tag layout of ``tp`` if it is a union of tagged structs (or one
    tagged struct), else None."""
    info = UnionInfo(tp)
    return info if info.tag_field else None


def children(tp: Any) -> Iterator[Any]:
    """The annotations directly inside ``tp``: a struct's fields, a list's
    item, a dict's value, a union's members, a dispatch union's members."""
    tp = unwrap(tp)
    if is_union(tp):
        yield from union_members(tp)
    elif is_dispatch(tp):
        yield from tp.members()
    elif struct_class(tp) is not None:
        for f in struct_fields(tp):
            yield f.type
    elif get_origin(tp) in (list, tuple, dict, frozenset, set):
        yield from get_args(tp)


@cache
def reachable(tp: Any) -> frozenset[Any]:
    """Every annotation reachable from ``tp`` (itself included)."""
    seen: set[Any] = set()
    stack = [unwrap(tp)]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(unwrap(c) for c in children(node))
    return frozenset(seen)


def reaches(tp: Any, test: Callable[[Any], bool]) -> bool:
    """Whether ``test`` holds for ``tp`` or anything reachable from it."""
    return any(test(node) for node in reachable(tp))


_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def at_path(tp: Any, doc: Any, path: str) -> tuple[Any, Any]:
    """The value at ``path`` (``$.input[0]``, as msgspec writes it) of the
    JSON ``doc`` (decoded untyped) and the class (or annotation) it decodes
    into under ``tp``, a union's member chosen by the value's tag as msgspec
    chooses it; ``(None, None)`` where the path leaves what this walk
    follows (a free-form key)."""
    pos = 1
    while True:
        tp = _member_for(unwrap(tp), doc)
        if pos == len(path):
            return tp, doc
        m = _STEP.match(path, pos)
        if m is None or tp is None:
            return None, None
        pos = m.end()
        key, index = m.group(1), m.group(2)
        if key is not None and struct_class(tp) is not None and isinstance(doc, dict):
            found = next((f for f in struct_fields(tp) if f.encode_name == key), None)
            if found is None:
                return None, None
            tp, doc = found.type, cast("dict[str, Any]", doc).get(key)
        elif index is not None and get_origin(tp) in (list, tuple) and isinstance(doc, list):
            items = cast("list[Any]", doc)
            if int(index) >= len(items):
                return None, None
            tp, doc = get_args(tp)[0], items[int(index)]
        else:
            return None, None


def _member_for(tp: Any, doc: Any) -> Any:
    """The member of the union ``tp`` the JSON value ``doc`` decodes as: an
    array its one array member, an object by its tag (the untagged class
    when the tag is left out); ``tp`` itself if it is no union."""
    if not is_union(tp):
        return tp
    if isinstance(doc, list):
        arrays = [m for m in union_members(tp) if get_origin(m) in (list, tuple)]
        return arrays[0] if len(arrays) == 1 else None
    if not isinstance(doc, dict):
        return None
    obj = cast("dict[str, Any]", doc)
    info = union_info(tp)
    if info is not None:
        if info.tag_field in obj:
            return info.known.get(obj[info.tag_field], info.unknown)
        return info.untagged
    structs = [m for m in union_members(tp) if struct_class(m) is not None]
    return unwrap(structs[0]) if len(structs) == 1 else None


@cache
def enum_fields(tp: Any) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """(attribute, JSON name, known values) of each closed-enum field."""
    out: list[tuple[str, str, frozenset[str]]] = []
    for f in struct_fields(tp):
        values, open_str = enum_values(f.type)
        if values and not open_str:
            out.append((f.name, f.encode_name, values))
    return tuple(out)


def enum_values(tp: Any) -> tuple[frozenset[str], bool]:
    """Known values inside an annotation, and whether a plain ``str`` is
    allowed beside them (then nothing is checked)."""
    if tp is str:
        return frozenset(), True
    origin = get_origin(tp)
    if origin is Annotated:
        for meta in getattr(tp, "__metadata__", ()):
            if isinstance(meta, EnumValues):
                return meta.values, False
        return frozenset(), False
    if is_union(tp) or origin is list:
        values: frozenset[str] = frozenset()
        open_str = False
        for arg in get_args(tp):
            v, o = enum_values(arg)
            values |= v
            open_str = open_str or o
        return values, open_str
    return frozenset(), False


def fit(
    cls: type, obj: dict[str, Any], read: Callable[[Any], Any] = lambda v: v
) -> tuple[int, int]:
    """How badly an object fits ``cls`` (lower is better): strings outside
    its closed enums (a ``role`` it does not have), then keys it does not
    read (and would drop). ``read`` turns a value of ``obj`` into Python
    (``msgspec.json.decode`` where ``obj`` holds raw values)."""
    mismatches = 0
    for _, name, values in enum_fields(cls):
        if name in obj:
            value = read(obj[name])
            if isinstance(value, str) and value not in values:
                mismatches += 1
    return mismatches, len(obj.keys() - json_names(cls))
