"""Refinement: turning each :class:`~openai_structs.core._base.VariantProxy` into
the public class it stands for.

Some unions have members msgspec cannot tell apart by their tag alone
(``InputMessage`` and ``OutputMessage`` are both ``type: "message"``; see
``openai_structs/codegen/unions.py``). The native pass decodes such a member
into a proxy that holds the fields of all of them; :func:`refiner` returns a
function that finds every proxy in a decoded value and replaces it, in
place, by the best-fitting target:

- targets whose closed enums reject one of the proxy's values (a ``role`` the
  target does not have) come last;
- then those that do not define a field the payload set (and so would drop it);
- the first target, in that order, that converts without error wins.

The walk visits only the positions where a proxy can be, computed once per
type, so types that cannot hold one cost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, cast, get_args, get_origin

import msgspec

from ..errors import ValidationError
from . import _typeinfo as ti
from ._base import UNSET, VariantProxy
from ._dispatch import dec_hook
from ._msgspec import key_step, validation_error

__all__ = ["refiner"]

Refine = Callable[[Any], Any]


class _Failed(Exception):
    """A proxy fitted no target; carries the steps from the failing value up."""

    def __init__(self, exc: Exception) -> None:
        self.exc = exc
        self.steps: list[str] = []

    def error(self) -> ValidationError:
        return validation_error(self.exc, "$" + "".join(reversed(self.steps)))  # type: ignore[arg-type]


def _is_proxy(tp: Any) -> bool:
    cls = ti.struct_class(tp)
    return cls is not None and issubclass(cls, VariantProxy)


_building: dict[Any, list[Refine | None]] = {}


@cache
def _refiner(tp: Any) -> Refine | None:
    if not ti.reaches(tp, _is_proxy):
        return None
    if tp in _building:  # a cycle: call through the slot filled below
        slot = _building[tp]
        return lambda v: slot[0](v) if slot[0] is not None else v
    slot: list[Refine | None] = [None]
    _building[tp] = slot
    try:
        slot[0] = fn = _make(tp)
    finally:
        del _building[tp]
    return fn


def refiner(tp: Any) -> Refine | None:
    """A function that refines every proxy inside a decoded ``tp`` in place
    and returns the value; None when ``tp`` cannot hold a proxy.

    It raises :class:`~openai_structs.ValidationError` with the ``$.path``
    when a proxy fits none of its targets."""
    fn = _refiner(ti.unwrap(tp))
    if fn is None:
        return None

    def refine(value: Any) -> Any:
        try:
            return fn(value)
        except _Failed as failed:
            raise failed.error() from None

    return refine


def _make(tp: Any) -> Refine:
    if ti.is_union(tp) or ti.is_dispatch(tp):
        by_type: dict[type, Refine] = {}
        for member in ti.children(tp):
            member = ti.unwrap(member)
            cls = ti.struct_class(member)
            if cls is not None and issubclass(cls, VariantProxy):
                fn: Refine | None = _proxy_refiner(cls)
            else:
                fn = _refiner(member)
            if fn is not None:
                by_type[cls or get_origin(member) or member] = fn

        def refine_union(v: Any) -> Any:
            fn = by_type.get(v.__class__)
            return v if fn is None else fn(v)

        return refine_union
    origin = get_origin(tp)
    if origin is list:
        return _refine_items(enumerate, _index_step, get_args(tp)[0])
    if origin is dict:
        items = cast("Callable[[Any], Any]", dict.items)  # pyright: ignore[reportUnknownMemberType]
        return _refine_items(items, key_step, get_args(tp)[1])
    fields: list[tuple[str, str, Refine]] = []
    for f in ti.struct_fields(tp):
        fn = _refiner(ti.unwrap(f.type))
        if fn is not None:
            fields.append((f.name, f.encode_name, fn))
    setattr_ = msgspec.structs.force_setattr

    def refine_struct(v: Any) -> Any:
        for name, json_name, fn in fields:
            old = getattr(v, name)
            try:
                new = fn(old)
            except _Failed as failed:
                failed.steps.append(f".{json_name}")
                raise
            if new is not old:
                setattr_(v, name, new)
        return v

    return refine_struct


def _refine_items(
    items: Callable[[Any], Any], step: Callable[[Any], str], item_type: Any
) -> Refine:
    """Refine each item of a list (``enumerate``) or dict (``dict.items``) in place."""
    item = _refiner(ti.unwrap(item_type))
    assert item is not None

    def refine_items(v: Any) -> Any:
        for k, x in items(v):
            try:
                new = item(x)
            except _Failed as failed:
                failed.steps.append(step(k))
                raise
            if new is not x:
                v[k] = new
        return v

    return refine_items


def _index_step(i: int) -> str:
    return f"[{i}]"


def _proxy_refiner(proxy: type[VariantProxy]) -> Refine:
    """Refine one proxy object: pick its target, convert, refine inside."""
    return _refiner_for(proxy, proxy._targets(), True)  # pyright: ignore[reportPrivateUsage]


def refine_tagless(value: VariantProxy, targets: tuple[type, ...]) -> Any:
    """Refine a proxy decoded from an object that omitted its tag into one of
    ``targets`` (those whose tag is optional), leaving the tag out.

    Raises :class:`msgspec.ValidationError` if it fits none of them."""
    try:
        return _refiner_for(type(value), targets, False)(value)
    except _Failed as failed:
        raise failed.exc from None


class _Plan:
    """How to build one target from one proxy, worked out once: ``extra``
    are the proxy's fields the target lacks (they must be unset), ``enums``
    the target's closed enums among the proxy's fields."""

    __slots__ = ("enums", "extra", "hook", "target")

    def __init__(self, proxy: type, target: type) -> None:
        mine = {f.encode_name: f for f in ti.struct_fields(proxy)}
        theirs = {f.encode_name for f in ti.struct_fields(target)}
        if any(f.name != name for name, f in mine.items()):  # pragma: no cover
            raise TypeError(f"{proxy.__name__} renames a field; the refiner reads JSON names")
        self.target: type[Any] = target
        # msgspec.convert is twice as slow with a dec_hook: pass one only
        # where a union decoded in Python can be reached
        self.hook = dec_hook if ti.reaches(target, ti.is_dispatch) else None
        self.extra = frozenset(name for name in mine if name not in theirs)
        self.enums = tuple(
            (name, values) for _, name, values in ti.enum_fields(target) if name in mine
        )


@cache
def _refiner_for(proxy: type[VariantProxy], targets: tuple[type, ...], tagged: bool) -> Refine:
    tag_field, tag = ti.tag_config(proxy)
    plans = [_Plan(proxy, target) for target in targets]
    # A proxy whose fields hold proxies (a Realtime message's content parts)
    # hands them to msgspec as plain objects: which class each becomes
    # depends on the target chosen for the outer one.
    nested = ti.reaches(proxy, lambda t: _is_proxy(t) and t is not proxy)
    after = {target: _refiner(target) for target in targets}
    key_attr, by_key = _discriminator(plans)
    asdict = msgspec.structs.asdict
    enum_attrs = tuple(sorted({attr for plan in plans for attr, _ in plan.enums}))
    known = frozenset(value for plan in plans for _, values in plan.enums for value in values)
    orders: dict[Any, list[_Plan]] = {}  # rank by the fields set and enum values seen

    def build(fields: dict[str, Any], plan: _Plan) -> Any:
        if plan.extra and not plan.extra.isdisjoint(fields):
            raise msgspec.ValidationError(f"{plan.target.__name__} would drop a field")
        value = msgspec.convert(fields, plan.target, dec_hook=plan.hook)
        refine = after[plan.target]
        return value if refine is None else refine(value)

    def refine_proxy(v: Any) -> Any:
        # What was set, as a dict (msgspec.convert takes no UNSET as input);
        # converting it into the target checks what the merged types let through.
        if nested:
            fields = {k: _plain(x) for k, x in asdict(v).items() if x is not UNSET}
        else:
            fields = {k: x for k, x in asdict(v).items() if x is not UNSET}
        if tagged and tag_field:  # the tag came: targets that keep it as a field get it
            fields[tag_field] = tag
        if key_attr:  # one field's value names the target (a message's role)
            plan = by_key.get(fields.get(key_attr))
            if plan is not None:
                try:
                    return build(fields, plan)
                except msgspec.ValidationError:
                    pass  # rank them all, as below
        values = tuple(map(fields.get, enum_attrs))
        key = (values, tuple(fields))  # keys come in field order: a canonical shape
        ranked = orders.get(key)
        if ranked is None:
            ranked = _ranked(fields, plans)
            if len(orders) < 1024 and all(x is None or x in known for x in values):
                orders[key] = ranked  # bounded: input picks no new keys
        first: Exception | None = None
        for plan in ranked:
            try:
                return build(fields, plan)
            except msgspec.ValidationError as exc:
                first = first or exc
        assert first is not None
        raise _Failed(first)

    return refine_proxy


def _ranked(fields: dict[str, Any], plans: list[_Plan]) -> list[_Plan]:
    """``plans`` best fit first for a proxy that set ``fields``: fewest values
    outside the target's closed enums, then fewest set fields the target
    does not define, then the generator's order."""
    if len(plans) == 1:
        return plans
    scored: list[tuple[int, int, int]] = []
    for i, plan in enumerate(plans):
        bad = 0
        for attr, values in plan.enums:
            x = fields.get(attr)
            if isinstance(x, str) and x not in values:
                bad += 1
        scored.append((bad, len(plan.extra & fields.keys()), i))
    scored.sort()
    return [plans[i] for _, _, i in scored]


def _discriminator(plans: list[_Plan]) -> tuple[str, dict[Any, _Plan]]:
    """A field whose closed enums split the targets apart (``role``), as
    (proxy attribute, value -> plan); ``("", {})`` if none does."""
    if len(plans) < 2:
        return "", {}
    candidates = None
    for plan in plans:
        attrs = {attr for attr, _ in plan.enums}
        candidates = attrs if candidates is None else candidates & attrs
    for attr in sorted(candidates or ()):
        by_value: dict[Any, _Plan] = {}
        disjoint = True
        for plan in plans:
            for value in dict(plan.enums)[attr]:
                disjoint = disjoint and value not in by_value
                by_value[value] = plan
        if disjoint:
            return attr, by_value
    return "", {}


def _plain(x: Any) -> Any:
    """``x`` with every proxy inside turned back into its JSON object."""
    if isinstance(x, VariantProxy):
        tag_field, tag = ti.tag_config(type(x))
        out: dict[str, Any] = {tag_field: tag} if tag_field else {}
        for f in ti.struct_fields(type(x)):
            value = getattr(x, f.name)
            if value is not UNSET:
                out[f.encode_name] = _plain(value)
        return out
    if isinstance(x, list):
        return [_plain(item) for item in cast("list[Any]", x)]
    return x
