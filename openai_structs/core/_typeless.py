"""Members sent without their tag, on a native path.

The spec lets some union members omit their tag: an ``EasyInputMessage``
(``{"role": "user", "content": "Hi"}``) is the commonest request item there
is. msgspec has no default tag, so a document holding one fails the native
decode. :class:`Typeless` decodes it in a few more native calls rather than
member by member:

1. The document is decoded through a *mirror* of its type in which each list
   of a union that has an untagged class (``list[InputItem]``) is kept as a
   list of :class:`msgspec.Raw`; everything else is decoded as usual.
2. Each such list is made one JSON array again (its items' bytes joined),
   and one call reads every item's tag. The items that have it are decoded by
   one call as a list of the union (with ``null`` in place of the others),
   those without by one call as a list of its untagged class
   (``InputItemWithoutType``, whose ``isinstance`` views say which of the
   spec's classes each is: :mod:`openai_structs.core._views`).
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

    __slots__ = ("seen", "tagged", "tags", "untagged")

    def __init__(self, union: Any, info: ti.UnionInfo, hook: Hook, seen: list[bool]) -> None:
        self.seen = seen  # set when a list held an item without its tag
        # the tag of each item: a struct of that one field, the rest skipped
        probe = msgspec.defstruct(
            "TagProbe",
            [("tag", Any, None)],
            rename={"tag": info.tag_field},
            kw_only=True,
            gc=False,
        )
        probes: Any = list[probe]  # type: ignore[valid-type]
        # the items with their tag, those without standing in as null
        tagged: Any = list[Union[union, None]]  # type: ignore[valid-type]  # noqa: UP007
        untagged: Any = list[info.untagged]  # type: ignore[name-defined]
        self.tags: Callable[[bytes], list[Any]] = msgspec.json.Decoder(probes).decode
        self.tagged: Callable[[bytes], list[Any]] = msgspec.json.Decoder(
            tagged, dec_hook=hook
        ).decode
        self.untagged: Callable[[bytes], list[Any]] = msgspec.json.Decoder(
            untagged, dec_hook=hook
        ).decode

    def __call__(self, raws: list[Any]) -> list[Any]:
        joined = _array(raws)
        lacking = [i for i, p in enumerate(self.tags(joined)) if p.tag is None]
        if not lacking:
            return self.tagged(joined)
        self.seen[0] = True
        if len(lacking) == len(raws):
            return self.untagged(joined)
        without = [raws[i] for i in lacking]
        for i in lacking:
            raws[i] = _NULL  # the list is the mirror's own: it is not read again
        items = self.tagged(_array(raws))
        for i, item in zip(lacking, self.untagged(_array(without))):
            items[i] = item
        return items


_NULL = b"null"
_BRACKETS = (b"[", b"]")


def _array(items: list[Any]) -> bytes:
    """The JSON array of ``items`` (raw JSON values)."""
    return b",".join(items).join(_BRACKETS)


class Typeless:
    """The native path of one type for documents whose members omit a tag.

    ``first`` is True while the documents come with such members: the last
    one had some. A decoder then takes this path first, rather than fail the
    plain native decode on each of them (requests from one client tend to
    come alike)."""

    __slots__ = ("_decode", "_hook", "_resolve", "_seen", "_type", "first")

    def __init__(self, tp: Any, hook: Hook) -> None:
        self._type = tp
        self._hook = hook
        self._seen = [False]
        self.first = False
        self._decode: Callable[[Any], Any] | None = None  # built on first use
        self._resolve: Resolve = _same

    def decode(self, buf: Any) -> Any:
        """Decode ``buf``; raises :class:`msgspec.ValidationError` for what
        this path does not read (an unknown variant, a wrong value)."""
        decode = self._decode
        if decode is None:
            mirror, self._resolve = self._mirror(ti.unwrap(self._type), {})
            decode = self._decode = msgspec.json.Decoder(mirror, dec_hook=self._hook).decode
        seen = self._seen
        seen[0] = False
        value = self._resolve(decode(buf))
        self.first = seen[0]
        return value

    def _mirror(self, tp: Any, seen: dict[Any, tuple[Any, Resolve]]) -> tuple[Any, Resolve]:
        tp = ti.unwrap(tp)
        if tp in seen:
            return seen[tp]
        if not ti.reaches(tp, _has_untagged):
            return tp, _same
        info = ti.union_info(tp) if ti.is_union(tp) else None
        if info is not None and info.untagged is not None:  # one member, not a list
            items = _Items(tp, info, self._hook, self._seen)
            return msgspec.Raw, lambda v: items([v])[0]
        origin = get_origin(tp)
        if origin is list:
            item = ti.unwrap(get_args(tp)[0])
            info = ti.union_info(item) if ti.is_union(item) else None
            if info is not None and info.untagged is not None:
                return list[msgspec.Raw], _Items(item, info, self._hook, self._seen)
            mirror, resolve = self._mirror(item, seen)
            if resolve is _same:
                return tp, _same
            return list[mirror], lambda v: [resolve(x) for x in v]  # type: ignore[valid-type]
        if ti.is_union(tp):  # its members keep their tags: a tagged union mirrors them
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
        if ti.struct_class(tp) is not None:
            seen[tp] = (tp, _same)  # a cycle back here is decoded as it is
            result = self._mirror_struct(tp, seen)
            seen[tp] = result
            return result
        return tp, _same

    def _mirror_struct(self, tp: Any, seen: dict[Any, tuple[Any, Resolve]]) -> tuple[Any, Resolve]:
        cls = ti.struct_class(tp)
        assert cls is not None
        mirrors: list[Any] = []
        steps: list[tuple[str, Resolve | None]] = []
        for f in ti.struct_fields(tp):
            mirror, resolve = self._mirror(f.type, seen)
            steps.append((f.name, None if resolve is _same else resolve))
            mirrors.append(mirror)
        mirror_cls = ti.mirror_struct(tp, f"Typeless{cls.__name__}", mirrors)
        make = cls if tp is cls else tp
        names = [name for name, _ in steps]
        resolvers = [(name, resolve) for name, resolve in steps if resolve is not None]
        astuple = msgspec.structs.astuple

        def resolve_struct(v: Any) -> Any:
            # what was set (the rest keeps its default, UNSET)
            kwargs = {n: x for n, x in zip(names, astuple(v)) if x is not UNSET}
            for name, resolve in resolvers:
                if name in kwargs:
                    kwargs[name] = resolve(kwargs[name])
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
