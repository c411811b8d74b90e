"""Hypothesis strategies for instances of msgspec types, read off ``msgspec.inspect``.

``instances(T)`` draws values of ``T`` that respect its ``Meta`` constraints
(bounds, multiples, patterns, list lengths), its tags and its recursion, so
that an encoded instance is what a model following the schema could answer.
Datetimes and times carry a UTC offset, as the ``date-time`` format requires.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

import msgspec.inspect as mi
from hypothesis import strategies as st

__all__ = ["instances"]


def instances(tp: Any) -> st.SearchStrategy[Any]:
    return _Strategies().of(mi.type_info(tp))


class _Strategies:
    def __init__(self) -> None:
        self.classes: dict[Any, st.SearchStrategy[Any]] = {}

    def of(self, node: mi.Type) -> st.SearchStrategy[Any]:
        if isinstance(node, mi.Metadata):
            return self.of(node.type)
        if isinstance(node, (mi.StructType, mi.DataclassType, mi.TypedDictType)):
            return self.object(node)
        if isinstance(node, mi.UnionType):
            return st.one_of([self.of(t) for t in node.types])
        if isinstance(node, mi.LiteralType):
            return st.sampled_from(node.values)
        if isinstance(node, mi.EnumType):
            return st.sampled_from(list(node.cls))
        if isinstance(node, (mi.ListType, mi.VarTupleType)):
            lo = node.min_length or 0
            hi = node.max_length if node.max_length is not None else lo + 3
            items = st.lists(self.of(node.item_type), min_size=lo, max_size=hi)
            return items.map(tuple) if isinstance(node, mi.VarTupleType) else items
        if isinstance(node, mi.StrType):
            if node.pattern is not None:
                return st.from_regex(node.pattern)
            return st.text(max_size=20)
        if isinstance(node, mi.IntType):
            return _numbers(node, integer=True)
        if isinstance(node, mi.FloatType):
            return _numbers(node, integer=False)
        if isinstance(node, mi.BoolType):
            return st.booleans()
        if isinstance(node, mi.NoneType):
            return st.none()
        if isinstance(node, mi.DateTimeType):
            return st.datetimes(timezones=st.just(datetime.timezone.utc))
        if isinstance(node, mi.TimeType):
            return st.times(timezones=st.just(datetime.timezone.utc))
        if isinstance(node, mi.DateType):
            return st.dates()
        if isinstance(node, mi.UUIDType):
            return st.uuids()
        raise TypeError(f"no strategy for {node!r}")

    def object(self, node: Any) -> st.SearchStrategy[Any]:
        key = node.cls
        if key not in self.classes:
            # deferred: a recursive class refers to its own strategy
            self.classes[key] = st.deferred(lambda: self._build(node))
        return self.classes[key]

    def _build(self, node: Any) -> st.SearchStrategy[Any]:
        fields = {f.name: self.of(f.type) for f in node.fields}
        if isinstance(node, mi.TypedDictType):
            return st.fixed_dictionaries(fields)
        cls = getattr(node.cls, "__origin__", node.cls)
        return st.builds(cls, **fields)


def _numbers(node: mi.IntType | mi.FloatType, integer: bool) -> st.SearchStrategy[Any]:
    lo = node.ge if node.ge is not None else node.gt
    hi = node.le if node.le is not None else node.lt
    if node.multiple_of is not None:
        m = node.multiple_of
        klo = khi = None
        if lo is not None:
            klo = math.ceil(lo / m)
            klo += node.gt is not None and klo * m <= lo
        if hi is not None:
            khi = math.floor(hi / m)
            khi -= node.lt is not None and khi * m >= hi
        return st.integers(min_value=klo, max_value=khi).map(lambda k: k * m)
    if integer:
        return st.integers(
            min_value=None if lo is None else lo + (node.gt is not None),
            max_value=None if hi is None else hi - (node.lt is not None),
        )
    return st.floats(
        min_value=lo,
        max_value=hi,
        exclude_min=node.gt is not None,
        exclude_max=node.lt is not None,
        allow_nan=False,
        allow_infinity=False,
    )
