"""Members sent without their tag, on a native path.

The spec lets some union members omit their tag: an ``EasyInputMessage``
(``{"role": "user", "content": "Hi"}``) is the commonest request item there
is. msgspec has no default tag, so a document holding one fails the native
decode. :class:`Typeless` decodes it in a few more native calls rather than
member by member:

1. The document is decoded through a *mirror* of its type in which each list
   of a union that has an untagged class (``list[InputItem]``) is kept as a
   list of :class:`msgspec.Raw`; everything else is decoded as usual.
2. Each such list is made one JSON array again (its items' bytes joined), and
   one call reads every item's tag. The items that have it are decoded by one
   call as a list of the union, those without by one call as a list of its
   untagged class (``InputItemWithoutType``, whose ``isinstance`` views say
   which of the spec's classes each is: :mod:`openai_structs.core._views`).
3. The mirrored structs around them are built as their real classes.

Anything else that fails on the way (an unknown variant, a wrong value)
raises :class:`msgspec.ValidationError`, and the decoder takes its general
slow path (:mod:`openai_structs.core._unknown`), which reads both.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Union, get_args, get_origin

import msgspec

from . import _typeinfo as ti
from ._base import UNSET

__all__ = ["Typeless", "typeless"]

Resolve = Callable[[Any], Any]
Hook = Callable[[Any, Any], Any] | None


def _same(v: Any) -> Any:
    return v


class _Items:
    """Decodes the raw items of one list of a union with an untagged class."""

    __slots__ = ("tagged", "tags", "untagged")

    def __init__(self, union: Any, info: ti.UnionInfo, hook: Hook) -> None:
        # the tag of each item: a struct of that one field, the rest skipped
        probe = msgspec.defstruct(
            "TagProbe", [("tag", Any, UNSET)], rename={"tag": info.tag_field}, kw_only=True
        )
        probes: Any = list[probe]  # type: ignore[valid-type]
        tagged: Any = list[union]  # type: ignore[valid-type]
        untagged: Any = list[info.untagged]  # type: ignore[name-defined]
        self.tags: Callable[[bytes], list[Any]] = msgspec.json.Decoder(probes).decode
        self.tagged: Callable[[bytes], list[Any]] = msgspec.json.Decoder(
            tagged, dec_hook=hook
        ).decode
        self.untagged: Callable[[bytes], list[Any]] = msgspec.json.Decoder(
            untagged, dec_hook=hook
        ).decode

    def __call__(self, raws: list[msgspec.Raw]) -> list[Any]:
        joined = b"[" + b",".join(raws) + b"]"
        tags = [p.tag for p in self.tags(joined)]
        without = [i for i, tag in enumerate(tags) if tag is UNSET or tag is None]
        if not without:
            return self.tagged(joined)
        if len(without) == len(raws):
            return self.untagged(joined)
        lacking = set(without)
        tagged = iter(self.tagged(b"[" + b",".join(_pick(raws, lacking, False)) + b"]"))
        untagged = iter(self.untagged(b"[" + b",".join(_pick(raws, lacking, True)) + b"]"))
        return [next(untagged) if i in lacking else next(tagged) for i in range(len(raws))]


def _pick(raws: list[msgspec.Raw], lacking: set[int], want: bool) -> list[msgspec.Raw]:
    return [r for i, r in enumerate(raws) if (i in lacking) is want]


class Typeless:
    """The native path of one type for documents whose members omit a tag."""

    __slots__ = ("_decode", "_hook", "_resolve")

    def __init__(self, tp: Any, hook: Hook) -> None:
        self._hook = hook
        mirror, resolve = self._mirror(ti.unwrap(tp), {})
        self._decode = msgspec.json.Decoder(mirror, dec_hook=hook).decode
        self._resolve = resolve

    def decode(self, buf: Any) -> Any:
        """Decode ``buf``; raises :class:`msgspec.ValidationError` for what
        this path does not read (an unknown variant, a wrong value)."""
        return self._resolve(self._decode(buf))

    def _mirror(self, tp: Any, seen: dict[Any, tuple[Any, Resolve]]) -> tuple[Any, Resolve]:
        tp = ti.unwrap(tp)
        if tp in seen:
            return seen[tp]
        if not ti.reaches(tp, _has_untagged):
            return tp, _same
        info = ti.union_info(tp) if ti.is_union(tp) else None
        if info is not None and info.untagged is not None:  # one member, not a list
            items = _Items(tp, info, self._hook)
            return msgspec.Raw, lambda v: items([v])[0]
        origin = get_origin(tp)
        if origin is list:
            item = ti.unwrap(get_args(tp)[0])
            info = ti.union_info(item) if ti.is_union(item) else None
            if info is not None and info.untagged is not None:
                return list[msgspec.Raw], _Items(item, info, self._hook)
            mirror, resolve = self._mirror(item, seen)
            if resolve is _same:
                return tp, _same
            return list[mirror], lambda v: [resolve(x) for x in v]  # type: ignore[valid-type]
        if ti.is_union(tp) and ti.union_info(tp) is None:
            members: list[Any] = []
            by_type: dict[Any, Resolve] = {}
            for member in ti.union_members(tp):
                mirror, resolve = self._mirror(member, seen)
                members.append(mirror)
                if resolve is not _same:
                    by_type[get_origin(mirror) or mirror] = resolve

            def resolve_union(v: Any) -> Any:
                resolve = by_type.get(type(v))
                return v if resolve is None else resolve(v)

            return Union[tuple(members)], resolve_union  # noqa: UP007
        if ti.struct_class(tp) is not None and not ti.is_union(tp):
            seen[tp] = (tp, _same)  # a cycle back here is decoded as it is
            result = self._mirror_struct(tp, seen)
            seen[tp] = result
            return result
        return tp, _same  # a tagged union: its members' own unions are not mirrored

    def _mirror_struct(self, tp: Any, seen: dict[Any, tuple[Any, Resolve]]) -> tuple[Any, Resolve]:
        cls = ti.struct_class(tp)
        assert cls is not None
        fields: list[Any] = []
        rename: dict[str, str] = {}
        steps: list[tuple[str, Resolve | None]] = []
        for f in ti.struct_fields(tp):
            mirror, resolve = self._mirror(f.type, seen)
            steps.append((f.name, None if resolve is _same else resolve))
            if f.default_factory is not msgspec.NODEFAULT:
                fields.append((f.name, mirror, msgspec.field(default_factory=f.default_factory)))
            elif f.default is not msgspec.NODEFAULT:
                fields.append((f.name, mirror, f.default))
            else:
                fields.append((f.name, mirror))
            rename[f.name] = f.encode_name
        tag_field, tag = ti.tag_config(tp)
        mirror_cls = msgspec.defstruct(
            f"Typeless{cls.__name__}",
            fields,
            kw_only=True,
            rename=rename,
            tag_field=tag_field,
            tag=tag if tag_field else None,
        )
        make = cls if tp is cls else tp

        def resolve_struct(v: Any) -> Any:
            # only what was set: the rest keeps its default (UNSET)
            kwargs = {}
            for name, resolve in steps:
                value = getattr(v, name)
                if value is not UNSET:
                    kwargs[name] = value if resolve is None else resolve(value)
            return make(**kwargs)

        return mirror_cls, resolve_struct


def _has_untagged(tp: Any) -> bool:
    if not ti.is_union(tp):
        return False
    info = ti.union_info(tp)
    return info is not None and info.untagged is not None


def typeless(tp: Any, hook: Hook) -> Typeless | None:
    """The typeless path of ``tp``, or None if no member inside it may omit
    its tag (then a missing tag is an error like any other)."""
    if not ti.reaches(ti.unwrap(tp), _has_untagged):
        return None
    return Typeless(tp, hook)
