"""Unknown variants: decoding what the native pass rejects, writing it back.

msgspec decodes a tagged union natively only when it knows the tag. When a
payload carries a tag this version of the spec does not define (a new output
item, a new stream event), or omits a tag the spec lets it omit, the native
decode raises, and :func:`decode_fallback` takes over, in time linear in the
input and with the native pass's nesting limit:

1. The document is decoded once more through a *mirror* of its type: the
   same structs and fields, but every tagged-union position is kept as
   :class:`msgspec.Raw`. Keys the types skip are skipped exactly as in the
   native pass, so the answer never depends on whether an unknown variant is
   present.
2. Each raw union value is decoded natively on its own. If that fails, its
   tag decides: an unknown tag becomes the union's ``Unknown*`` member,
   holding the original bytes (which must read back as JSON); an omitted (or
   null) tag is decoded into the union's untagged class (its members that
   may omit the tag, :mod:`openai_structs.core._views`); a
   known tag means something inside is unknown, and the member is decoded
   by :meth:`_Fallback.holes`: one walk of its bytes finds every union
   member inside that msgspec cannot decode (:mod:`openai_structs.core._spans`),
   each is replaced by a stand-in that msgspec can, and one native decode
   builds the member, however deep its unions nest (a mirror per level would
   read the same bytes again at each).
3. Each mirrored struct is rebuilt as its real class, with the decoded
   union values in place: the mirror decode already checked every other
   field against the real types.

:func:`splice` puts each unknown variant's bytes back when encoding.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from functools import cache
from typing import Any, Union, get_args, get_origin

import msgspec

from ..errors import UnknownVariantError, ValidationError
from . import _typeinfo as ti
from ._base import HOLES, UNKNOWN_TAG, UNSET, UnknownVariant
from ._dispatch import set_fallback
from ._msgspec import key_step, unknown_tag, validation_error
from ._spans import find_holes

__all__ = ["decode_fallback", "splice"]

Hook = Callable[[Any, Any], Any]
Resolver = Callable[[Any, str], Any]


# --------------------------------------------------------------------------
# Encoding


def _prefix(cls: type[UnknownVariant]) -> bytes:
    """What msgspec writes of a ``cls`` stand-in before its ``mark``: the tag
    first, as for any tagged struct."""
    tag_field, tag = ti.tag_config(cls)
    return msgspec.json.encode({tag_field: tag})[:-1] + b","


MARK = b'"mark": '
_TAIL = re.compile(rb"(\d+) ,\"raw\":")
_PREFIXES: tuple[bytes, ...] = tuple({_prefix(cls) for cls in UnknownVariant.__subclasses__()})


def splice(out: bytes) -> bytes:
    """Replace each unknown variant's stand-in object in ``out`` by its bytes.

    msgspec writes an unknown variant as ``{"type":"<tag>","mark": N ,"raw":<N
    bytes>}``. The space after ``"mark":`` is never written by msgspec itself,
    so only a stand-in matches; scanning left to right and skipping each raw
    value whole, marks inside kept bytes are never read as stand-ins.
    """
    hit = out.find(MARK)
    if hit < 0:
        return out
    parts: list[bytes] = []
    pos = 0
    while hit >= 0:
        start = next(
            (
                hit - len(p)
                for p in _PREFIXES
                if hit - len(p) >= pos and out.startswith(p, hit - len(p))
            ),
            -1,
        )
        m = _TAIL.match(out, hit + len(MARK))
        if start < 0 or m is None:
            raise ValueError(f"corrupt unknown-variant stand-in at byte {hit}")
        end = m.end() + int(m.group(1))
        if out[end : end + 1] != b"}":
            raise ValueError(f"corrupt unknown-variant stand-in at byte {hit}")
        parts.append(out[pos:start])
        parts.append(out[m.end() : end])
        pos = end + 1
        hit = out.find(MARK, pos)
    parts.append(out[pos:])
    return b"".join(parts)


# --------------------------------------------------------------------------
# Decoding


class _Fallback:
    """The slow path for one decoding mode (lenient or strict)."""

    def __init__(self, hook: Hook | None, strict: bool) -> None:
        self.hook = hook
        self.strict = strict
        self._decoders: dict[Any, msgspec.json.Decoder[Any]] = {}
        self._mirrors: dict[Any, tuple[Any, Resolver]] = {}

    def decoder(self, tp: Any) -> msgspec.json.Decoder[Any]:
        try:
            return self._decoders[tp]
        except KeyError:
            dec = self._decoders[tp] = msgspec.json.Decoder(tp, dec_hook=self.hook)
            return dec

    # -- the entry point ----------------------------------------------------

    def decode(self, data: Any, tp: Any, path: str = "$") -> Any:
        """Decode ``data`` into ``tp``, unknown and tagless members included."""
        tp = ti.unwrap(tp)
        if _is_tagged_union(tp):
            return self.union(msgspec.Raw(data), tp, path)
        return self.region(data, tp, path)

    def region(self, data: Any, tp: Any, path: str, first: Exception | None = None) -> Any:
        """Decode ``data`` (a whole value) into ``tp``, natively if possible."""
        if first is None:
            try:
                return self.decoder(tp).decode(data)
            except msgspec.ValidationError as exc:
                first = exc
        mirror, resolve = self.mirror(tp)
        if resolve is _same or mirror is msgspec.Raw:  # nothing could hold an unknown
            raise validation_error(first, path) from None  # type: ignore[arg-type]
        try:
            tree = self.decoder(mirror).decode(data)
        except msgspec.ValidationError as exc:
            raise validation_error(exc, path) from None
        return resolve(tree, path)

    def union(
        self,
        raw: msgspec.Raw,
        tp: Any,
        path: str,
        info: ti.UnionInfo | None = None,
        decode: Callable[[Any], Any] | None = None,
    ) -> Any:
        """Decode the raw value of a tagged-union position (``info`` and
        ``decode`` are ``tp``'s, passed in by resolvers that looked them up
        once: a typing.Union hashes all its members on every lookup)."""
        try:
            return (decode or self.decoder(tp).decode)(raw)
        except msgspec.ValidationError as exc:
            first = exc
        info = info or ti.union_info(tp)
        assert info is not None
        try:
            keys = msgspec.json.decode(raw, type=dict[str, msgspec.Raw])
        except msgspec.ValidationError:  # not an object: the error stands
            raise validation_error(first, path) from None
        tag_raw = keys.get(info.tag_field)
        tag = None if tag_raw is None else msgspec.json.decode(tag_raw)
        if isinstance(tag, str) and tag in info.known:  # something inside it is not
            return self.holes(bytes(raw), info.known[tag], path)
        if isinstance(tag, str):
            tag_path = f"{path}.{info.tag_field}"
            if self.strict or info.unknown is None:
                cls = UnknownVariantError if self.strict else ValidationError
                raise unknown_tag(tag, tag_path, info.known, cls)
            _check_kept(raw, path)
            return info.unknown._wrap(raw)  # pyright: ignore[reportPrivateUsage]
        if tag is None and info.untagged is not None:  # absent or null
            return self.region(raw, info.untagged, path)
        raise validation_error(first, path) from None

    def holes(self, buf: bytes, tp: Any, path: str) -> Any:
        """Decode ``buf``, a known member whose native decode failed, into
        ``tp``: in one walk and one native decode, however deep its unions
        nest (a mirror per level would read the bytes again at each).

        1. :func:`~openai_structs.core._spans.find_holes` finds each union member
           inside that msgspec cannot decode: an unknown tag, or an object
           without its tag.
        2. Each is replaced by a stand-in object of its union's ``Unknown*``
           member, marked with a nonce drawn for this decode, and ``buf`` is
           decoded natively once: msgspec builds everything, stand-ins
           included, and :meth:`UnknownVariant.__post_init__` puts each
           one's bytes back.
        3. Each object without its tag is decoded on its own (:meth:`union`)
           and put in its place.
        """
        _syntax(buf)  # the walk reads valid JSON only
        holes = find_holes(buf, tp, self.strict, path)
        native = self.decoder(tp).decode
        if not holes:
            return self.region(buf, tp, path)  # nothing to fill: the error stands
        nonce = b'"' + secrets.token_hex(8).encode() + b":"
        parts: list[bytes] = []
        kept: list[bytes] = []
        pos = 0
        for i, hole in enumerate(holes):
            raw = buf[hole.start : hole.end]
            if hole.unknown:
                _check_kept(raw, hole.path)
            info = ti.union_info(hole.union)
            assert info is not None and info.unknown is not None
            parts += (buf[pos : hole.start], _stand_in(info.unknown.tag_field), nonce)
            parts += (b"%d" % i, b'","raw":0}')
            kept.append(raw)
            pos = hole.end
        parts.append(buf[pos:])
        stack = HOLES.__dict__.setdefault("stack", [])
        stack.append((nonce, kept))
        try:
            value = native(b"".join(parts))
        except msgspec.ValidationError as exc:
            raise validation_error(exc, path) from None
        finally:
            stack.pop()
        for i, hole in enumerate(holes):
            if not hole.unknown:
                resolved = self.union(msgspec.Raw(kept[i]), hole.union, hole.path)
                value = _put(value, hole.steps, resolved)
        return value

    # -- mirrors --------------------------------------------------------------

    def mirror(self, tp: Any) -> tuple[Any, Resolver]:
        """The mirror of ``tp`` and the function that resolves its values.

        The mirror is ``tp`` with every tagged-union position replaced by
        :class:`msgspec.Raw` (and each struct that reaches one by a mutable
        copy), or ``tp`` itself when nothing inside can hold a tagged union.
        The resolver turns a decoded mirror value at a ``$.path`` into a tree
        :func:`msgspec.convert` accepts, decoding each raw union value.
        """
        tp = ti.unwrap(tp)
        try:
            return self._mirrors[tp]
        except KeyError:
            pass
        if not ti.reaches(tp, _is_tagged_union):
            result: tuple[Any, Resolver] = (tp, _same)
        elif _is_tagged_union(tp):
            result = (msgspec.Raw, self._raw_resolver(tp))
        elif ti.is_union(tp):
            result = self._mirror_union(tp)
        elif ti.struct_class(tp) is not None:
            # a cycle back to this struct is decoded as a raw region
            self._mirrors[tp] = (msgspec.Raw, self._raw_resolver(tp))
            result = self._mirror_struct(tp)
        elif get_origin(tp) is list:
            item, resolve_item = self.mirror(get_args(tp)[0])

            def resolve_list(v: list[Any], p: str) -> Any:
                for i, x in enumerate(v):
                    v[i] = resolve_item(x, f"{p}[{i}]")
                return v

            result = (list[item], resolve_list)  # type: ignore[valid-type]
        elif get_origin(tp) is dict:
            key, value = get_args(tp)
            value, resolve_value = self.mirror(value)

            def resolve_dict(v: dict[str, Any], p: str) -> Any:
                for k, x in v.items():
                    v[k] = resolve_value(x, p + key_step(k))
                return v

            result = (dict[key, value], resolve_dict)  # type: ignore[valid-type]
        else:
            result = (tp, _same)
        self._mirrors[tp] = result
        return result

    def _raw_resolver(self, tp: Any) -> Resolver:
        if ti.is_union(tp):
            info, decode = ti.union_info(tp), self.decoder(tp).decode
            return lambda v, p: self.union(v, tp, p, info, decode)
        return lambda v, p: self.region(v, tp, p)

    def _mirror_union(self, tp: Any) -> tuple[Any, Resolver]:
        members: list[Any] = []
        by_type: dict[Any, Resolver] = {}
        for member in ti.union_members(tp):
            mirror, resolve = self.mirror(member)
            members.append(mirror)
            if resolve is not _same:
                by_type.setdefault(get_origin(mirror) or mirror, resolve)

        def resolve_union(v: Any, p: str) -> Any:
            resolve = by_type.get(type(v))
            return v if resolve is None else resolve(v, p)

        return Union[tuple(members)], resolve_union  # noqa: UP007

    def _mirror_struct(self, tp: Any) -> tuple[Any, Resolver]:
        cls = ti.struct_class(tp)
        assert cls is not None
        mirrors: list[Any] = []
        steps: list[tuple[str, str, Resolver | None]] = []
        for f in ti.struct_fields(tp):
            mirror, resolve = self.mirror(f.type)
            steps.append((f.name, f.encode_name, None if resolve is _same else resolve))
            mirrors.append(mirror)
        # the tag kept: a wrong tag is as wrong as in the real type
        mirror_cls = ti.mirror_struct(tp, f"Mirror{cls.__name__}", mirrors)

        make = cls if tp is cls else tp  # a parametrised generic builds its own class

        def resolve_struct(v: Any, p: str) -> Any:
            # The mirror decode checked every field against the real type but
            # the union positions, now decoded: the real class is built as is.
            kwargs = {}
            for name, json_name, resolve in steps:
                value = getattr(v, name)
                if resolve is not None and value is not UNSET:
                    value = resolve(value, f"{p}.{json_name}")
                kwargs[name] = value
            return make(**kwargs)

        return mirror_cls, resolve_struct


def _check_kept(raw: Any, path: str) -> None:
    """Bytes kept as an unknown variant are written back as they came, so
    they must read back: valid UTF-8, and numbers msgspec can decode
    (``1e99999`` is valid syntax no JSON decoder here takes back)."""
    try:
        _read_any(raw)
    except msgspec.ValidationError as exc:
        raise validation_error(exc, path) from None


_read_any = msgspec.json.Decoder().decode


def _same(v: Any, p: str) -> Any:
    return v


def _is_tagged_union(tp: Any) -> bool:
    return ti.is_union(tp) and ti.union_info(tp) is not None


@cache
def _fallback(hook: Hook | None, strict: bool) -> _Fallback:
    return _Fallback(hook, strict)


_syntax = msgspec.json.Decoder(msgspec.Raw).decode


@cache
def _stand_in(tag_field: str) -> bytes:
    """The start of a hole's stand-in object for a union told apart by
    ``tag_field``: the tag of the ``Unknown*`` members, then the mark."""
    return msgspec.json.encode({tag_field: UNKNOWN_TAG})[:-1] + b',"mark":'


def decode_fallback(data: Any, tp: Any, hook: Hook | None, strict: bool) -> Any:
    """Decode ``data`` into ``tp`` when the native decode failed (see above).

    Raises :class:`~openai_structs.ValidationError` with the ``$.path``
    when the input does not fit, whatever the unknown variants around it.
    """
    return _fallback(hook, strict).decode(data, tp)


def _put(value: Any, steps: tuple[Any, ...], new: Any) -> Any:
    """``value`` with ``new`` in place of what ``steps`` lead to."""
    if not steps:
        return new
    obj = value
    for step in steps[:-1]:
        obj = getattr(obj, step) if isinstance(step, str) else obj[_index(step)]
    last = steps[-1]
    if isinstance(last, str):
        msgspec.structs.force_setattr(obj, last, new)
    else:
        obj[_index(last)] = new
    return value


def _index(step: int | tuple[str]) -> Any:
    return step[0] if isinstance(step, tuple) else step


# The unions decoded in Python hand the member that fits best to this slow
# path when it holds unknown variants of its own (see _dispatch).
set_fallback(decode_fallback)
