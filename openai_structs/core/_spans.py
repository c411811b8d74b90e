"""Where a document's union members sit in its bytes: the first pass of the
unknown-variant path (:mod:`openai_structs.core._unknown`).

:func:`find_holes` walks the JSON text beside its type and returns, for every
tagged-union position whose member msgspec cannot decode natively, the byte
span of its object and how to reach it in the decoded value: a *hole*. A hole
is either an unknown tag (kept whole, as an unknown variant) or an object
without a string tag (decoded on its own, as a member that may omit its tag).
The walk enters only what can hold a tagged union: known members, the
structs, lists and dicts around them; every other value is skipped whole.

Cost: linear in the document, and no recursion. Skipping a value is done by
msgspec itself (one native call, which stops at the value's end); a walk
that keeps skipping what it later enters (a chain of nested unions whose
tags come last) would scan the same bytes again at every level, so past a
budget of four times the document the bracket pairs of the whole text are
found once, and each skip costs nothing after.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, NamedTuple, get_args, get_origin

import msgspec

from ..errors import UnknownVariantError
from . import _typeinfo as ti
from ._msgspec import key_step, trailing_at, unknown_tag

__all__ = ["Hole", "find_holes"]

_WS = re.compile(rb"[ \t\r\n]*")
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SCALAR = re.compile(rb"[^,:\]}\s]+")  # a number, true, false, null
_TOKENS = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_skip = msgspec.json.Decoder(msgspec.Raw).decode
_read = msgspec.json.Decoder().decode

Step = Any  # str: an attribute; int: a list index; tuple[str]: a dict key


class Hole(NamedTuple):
    """A union position msgspec cannot decode natively."""

    start: int
    end: int
    union: Any  # the union type at this position
    path: str  # its $.path
    steps: tuple[Step, ...]  # how to reach it in the decoded value
    unknown: bool  # an unknown tag (else: no string tag)


class _Text:
    """A document's bytes and the cursor moves the walk needs."""

    def __init__(self, buf: bytes) -> None:
        self.buf = buf
        self.view = memoryview(buf)
        self.budget = 4 * len(buf) + (64 << 10)
        self.pairs: dict[int, int] | None = None

    def ws(self, pos: int) -> int:
        m = _WS.match(self.buf, pos)
        assert m is not None
        return m.end()

    def end(self, pos: int) -> int:
        """Where the value that starts at ``pos`` ends."""
        c = self.buf[pos]
        if c == 0x22:  # "
            m = _STRING.match(self.buf, pos)
        elif c == 0x7B or c == 0x5B:  # { [
            if self.pairs is not None:
                return self.pairs[pos] + 1
            return self._skip(pos)
        else:
            m = _SCALAR.match(self.buf, pos)
        assert m is not None, pos
        return m.end()

    def _skip(self, pos: int) -> int:
        try:
            _skip(self.view[pos:])
            end = len(self.buf)
        except msgspec.DecodeError as exc:
            after = trailing_at(exc)
            assert after is not None, exc  # the document was checked whole first
            end = pos + after
        while self.buf[end - 1] in b" \t\r\n":
            end -= 1
        self.budget -= end - pos
        if self.budget < 0:
            self.pairs = _pairs(self.buf)
        return end

    def members(self, pos: int) -> list[tuple[str, int, int]]:
        """(key, value start, value end) of the object at ``pos``."""
        buf = self.buf
        out: list[tuple[str, int, int]] = []
        pos = self.ws(pos + 1)
        if buf[pos] == 0x7D:  # }
            return out
        while True:
            m = _STRING.match(buf, pos)
            assert m is not None, pos
            key = _key(m.group())
            pos = self.ws(self.ws(m.end()) + 1)  # past the colon
            end = self.end(pos)
            out.append((key, pos, end))
            pos = self.ws(end)
            if buf[pos] == 0x7D:
                return out
            pos = self.ws(pos + 1)  # past the comma

    def items(self, pos: int) -> list[tuple[int, int]]:
        """(start, end) of each item of the array at ``pos``."""
        buf = self.buf
        out: list[tuple[int, int]] = []
        pos = self.ws(pos + 1)
        if buf[pos] == 0x5D:  # ]
            return out
        while True:
            end = self.end(pos)
            out.append((pos, end))
            pos = self.ws(end)
            if buf[pos] == 0x5D:
                return out
            pos = self.ws(pos + 1)


def _key(raw: bytes) -> str:
    """An object key from its JSON text (one no field has if it is not text)."""
    if b"\\" not in raw:
        return raw[1:-1].decode("utf-8", "surrogateescape")
    try:
        return _read(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return "\udc80"


def _pairs(buf: bytes) -> dict[int, int]:
    """Offset of each ``{`` and ``[`` -> offset of its closing bracket."""
    pairs: dict[int, int] = {}
    opened: list[int] = []
    for m in _TOKENS.finditer(buf):
        start = m.start()
        c = buf[start]
        if c == 0x7B or c == 0x5B:
            opened.append(start)
        elif c != 0x22:
            pairs[opened.pop()] = start
    return pairs


def find_holes(buf: bytes, tp: Any, strict: bool, path: str = "$") -> list[Hole]:
    """The holes of the document ``buf`` (valid JSON) read as ``tp``, in
    document order; ``path`` is where ``buf`` sits in a larger document. In
    strict mode an unknown tag raises :class:`UnknownVariantError` instead."""
    text = _Text(buf)
    holes: list[Hole] = []
    stack: list[tuple[int, Any, str, tuple[Step, ...]]] = [(text.ws(0), tp, path, ())]
    while stack:
        pos, tp, path, steps = stack.pop()
        tp = ti.unwrap(tp)
        c = buf[pos]
        children: list[tuple[int, Any, str, tuple[Step, ...]]] = []
        if ti.is_union(tp) and ti.union_info(tp) is not None and c == 0x7B:
            info = ti.union_info(tp)
            assert info is not None
            members = text.members(pos)
            tag = next(((v, e) for k, v, e in members if k == info.tag_field), None)
            value = None if tag is None else _read(buf[tag[0] : tag[1]])
            member = info.known.get(value) if isinstance(value, str) else None
            if member is not None:
                children = _fields_of(member, members, path, steps)
            elif isinstance(value, str) and info.unknown is not None and not strict:
                holes.append(Hole(pos, text.end(pos), tp, path, steps, True))
            elif isinstance(value, str) and strict:
                tag_path = f"{path}.{info.tag_field}"
                raise unknown_tag(value, tag_path, info.known, UnknownVariantError)
            elif info.unknown is not None and (value is None or not isinstance(value, str)):
                holes.append(Hole(pos, text.end(pos), tp, path, steps, False))
        elif ti.is_union(tp):
            member = _member_for(tp, c)
            if member is not None:
                children = [(pos, member, path, steps)]
        elif ti.struct_class(tp) is not None:
            if c == 0x7B:
                children = _fields_of(tp, text.members(pos), path, steps)
        elif get_origin(tp) is list and c == 0x5B:
            item = get_args(tp)[0]
            children = [
                (start, item, f"{path}[{i}]", (*steps, i))
                for i, (start, _) in enumerate(text.items(pos))
            ]
        elif get_origin(tp) is dict and c == 0x7B:
            value_type = get_args(tp)[1]
            children = [
                (start, value_type, path + key_step(k), (*steps, (k,)))
                for k, start, _ in text.members(pos)
            ]
        stack.extend(reversed([ch for ch in children if _walked(ch[1])]))
    holes.sort()
    return holes


def _fields_of(
    tp: Any, members: list[tuple[str, int, int]], path: str, steps: tuple[Step, ...]
) -> list[tuple[int, Any, str, tuple[Step, ...]]]:
    fields = _fields(tp)
    out: list[tuple[int, Any, str, tuple[Step, ...]]] = []
    for key, start, _ in members:
        field = fields.get(key)
        if field is not None:
            out.append((start, field[1], f"{path}.{key}", (*steps, field[0])))
    return out


@cache
def _fields(tp: Any) -> dict[str, tuple[str, Any]]:
    """JSON name -> (attribute, type) of the fields of ``tp`` that can hold a
    tagged union."""
    return {f.encode_name: (f.name, f.type) for f in ti.struct_fields(tp) if _walked(f.type)}


def _is_tagged_union(tp: Any) -> bool:
    return ti.is_union(tp) and ti.union_info(tp) is not None


@cache
def _walked(tp: Any) -> bool:
    """Whether a value of ``tp`` can hold a tagged union the walk must see
    (a union decoded in Python by a ``dec_hook`` sees to its own)."""
    tp = ti.unwrap(tp)
    return not ti.is_dispatch(tp) and ti.reaches(tp, _is_tagged_union)


@cache
def _member_for(tp: Any, c: int) -> Any:
    """The one member of the untagged union ``tp`` a JSON value that starts
    with ``c`` can be, if it can hold a tagged union; else None (msgspec
    tells such members apart by the kind of value)."""
    if c == 0x7B:
        fits = [
            m
            for m in ti.union_members(tp)
            if ti.struct_class(m) is not None or get_origin(m) is dict or _is_tagged_union(m)
        ]
    elif c == 0x5B:
        fits = [m for m in ti.union_members(tp) if get_origin(m) in (list, tuple)]
    else:
        return None
    return fits[0] if len(fits) == 1 and _walked(fits[0]) else None
