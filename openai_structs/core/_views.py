"""Members that share a tag: one decoded class, the spec's classes as its views.

msgspec picks a union member's class by its tag alone. Some unions have
several members with one tag value (``InputItem``'s ``OutputMessage``,
``EasyInputMessage`` and ``InputMessage`` are all ``type: "message"``, told
apart by ``role`` and the fields they set), or members that may omit the tag
(an ``EasyInputMessage`` without ``type``). For each such tag value the
generator emits one :class:`SharedTag` class holding the fields of all of
those members (``InputItemMessage``), and for a union whose members may omit
the tag, one untagged class for them (``InputItemWithoutType``). msgspec
decodes into these natively; nothing is rebuilt afterwards.

The spec's classes are *views* of those objects. A decoded ``x``'s
``__class__`` is the one class its fields select (:func:`view_of`, worked
out on the first question and kept on ``x``), and Python's ``isinstance``
asks ``__class__`` when ``type(x)`` is not the class asked about: so
``isinstance`` and ``match x: case OutputMessage(content=c):`` work on what
was decoded, every other object keeps the native check, and a class built
in Python is an ordinary instance of its class. The choice, for a tagged
member:

1. a field whose closed enums split the classes apart (a Realtime message's
   ``role``) names the class, if the member fits it;
2. else the classes in order of fit: fewest values outside their closed
   enums, then fewest fields set that the class does not have, then the most
   fields, then the generator's order (most required fields first); the
   first the member fits wins.

*Fits* means: no field set that the class lacks, every field it requires
set, every value of the type the class gives it. A member sent without the
tag is tried against each tag value's classes that may omit it, in the
union's order (only by the fields that tag value's class holds), and then
against all of them, ignoring the fields a class lacks. A value nested in a
member (a Realtime message's content part) fits a class when it could be read
as that class, whatever its own view. A member that fits no class is kept as
decoded, written back as it came, and an instance of none of them;
``decode(..., strict=True)`` rejects it, saying which class it was read as and
why (:func:`why_not`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any, Literal, cast, get_args, get_origin

import msgspec

from . import _typeinfo as ti
from ._base import UNSET, VIEW_OF, SharedTag, UnknownVariant

__all__ = ["SharedTag", "explain", "view_of", "why_not"]

Check = Callable[[Any], bool]


def view_of(obj: SharedTag) -> type | None:
    """The class ``obj`` is read as, or None if it fits none of them."""
    return _chooser(type(obj))(obj)


VIEW_OF[:] = [view_of]


def why_not(obj: SharedTag) -> str:
    """Why ``obj`` fits none of its classes: which it was read as (the best
    fit) and what that class refuses."""
    cls = type(obj)
    groups = _groups(cls)
    fits: list[_Fit] = []
    for _, choices, _ in groups:
        fits += choices
    if not fits:
        return f"{cls.__name__} is read as no class"
    best = min(fits, key=lambda f: f.rank(obj))
    names = ", ".join(dict.fromkeys(f.target.__name__ for f in fits))
    return f"fits none of {names}: read as {best.target.__name__}, {best.refusal(obj)}"


_MISSING = re.compile(r"Object missing required field `([^`]+)`\Z")


def explain(text: str, path: str, tp: Any, doc: Any) -> str:
    """msgspec's error ``text`` at ``path`` of the JSON ``doc`` read as
    ``tp``, saying which class a member that shares a tag was read as when
    it lacks a field all of its classes require (msgspec names only the
    field): ``"ItemResourceMessage: fits none of InputMessageResource,
    OutputMessage: read as OutputMessage, which requires the field `id`"``.
    Any other text comes back as it was."""
    missing = _MISSING.match(text)
    if missing is None:
        return text
    cls, value = ti.at_path(tp, doc, path)
    if not (isinstance(cls, type) and issubclass(cls, SharedTag) and isinstance(value, dict)):
        return text
    fits = [f for _, choices, _ in _groups(cls) for f in choices]
    if not fits:
        return text
    obj = cast("dict[str, Any]", value)
    best = min(fits, key=lambda f: (*ti.fit(f.target, obj), f.order))
    names = ", ".join(dict.fromkeys(f.target.__name__ for f in fits))
    field = missing.group(1)
    return (
        f"{cls.__name__}: fits none of {names}: read as {best.target.__name__},"
        f" which requires the field `{field}`"
    )


# --------------------------------------------------------------------------
# Fitting one class


class _Fit:
    """How a member of class ``cls`` fits ``target``, worked out once."""

    __slots__ = ("checks", "enums", "extra", "json_checks", "order", "required", "size", "target")

    def __init__(self, cls: type, target: type, fields: frozenset[str], tagged: bool, order: int):
        mine = {f.encode_name: f for f in ti.struct_fields(cls)}
        theirs = {f.encode_name: f for f in ti.struct_fields(target)}
        tag_field = ti.tag_config(cls)[0] if tagged else None
        self.target = target
        self.order = order
        self.size = len(theirs)
        # fields set that the target lacks (only those of ``fields``: the
        # rest are not the target's to read)
        self.extra = tuple(mine[k].name for k in fields if k in mine and k not in theirs)
        required: list[str] = []
        checks: list[tuple[str, Check]] = []
        json_checks: list[tuple[str, Check]] = []
        self.enums: tuple[tuple[str, frozenset[str]], ...] = tuple(
            (mine[k].name, values) for _, k, values in ti.enum_fields(target) if k in mine
        )
        possible = True
        for k, f in theirs.items():
            if k == tag_field:  # the tag came: it is set, and right
                continue
            if k not in mine:
                possible = possible and not f.required
                continue
            if f.required:
                required.append(mine[k].name)
            if f.type != mine[k].type:
                check = _checker(f.type, False)
                if check is not None:
                    checks.append((mine[k].name, check))
                check = _checker(f.type, True)
                if check is not None:
                    json_checks.append((mine[k].name, check))
        if not possible:  # the target requires a field this class never holds
            required.append("\x00")
        self.required = tuple(required)
        self.checks = tuple(checks)
        self.json_checks = tuple(json_checks)

    def mismatches(self, obj: Any) -> int:
        bad = 0
        for attr, values in self.enums:
            value = getattr(obj, attr)
            if isinstance(value, str) and value not in values:
                bad += 1
        return bad

    def extras(self, obj: Any) -> int:
        return sum(getattr(obj, a) is not UNSET for a in self.extra)

    def rank(self, obj: Any) -> tuple[int, int, int, int]:
        return (self.mismatches(obj), self.extras(obj), -self.size, self.order)

    def fits(self, obj: Any, loose: bool = False) -> bool:
        """Whether ``obj`` can be read as the target. ``loose``: as when the
        target reads the member's JSON: fields it lacks are skipped, and a
        tagged member its union does not know is an unknown variant."""
        if not loose:
            for attr in self.extra:
                if getattr(obj, attr) is not UNSET:
                    return False
        for attr in self.required:
            if getattr(obj, attr, UNSET) is UNSET:
                return False
        for attr, check in self.json_checks if loose else self.checks:
            value = getattr(obj, attr)
            if value is not UNSET and not check(value):
                return False
        return True

    def refusal(self, obj: SharedTag) -> str:
        """What the target refuses in ``obj``, in words."""
        cls = type(obj)  # the decoded class: obj.__class__ would be its view
        json = {f.name: f.encode_name for f in ti.struct_fields(cls)}
        for attr in self.extra:
            if getattr(obj, attr) is not UNSET:
                return f"which has no field `{json[attr]}`"
        for attr in self.required:
            if getattr(obj, attr, UNSET) is UNSET:
                name = json.get(attr, "a field this class never holds")
                return f"which requires the field `{name}`"
        for attr, check in self.checks:
            value = getattr(obj, attr)
            if value is not UNSET and not check(value):
                return f"which does not take this `{json[attr]}`"
        bad = [(a, v) for a, v in self.enums if getattr(obj, a) not in v]
        if bad:
            attr, values = bad[0]
            return f"whose `{json[attr]}` is one of {sorted(values)}"
        return "which it fits"  # pragma: no cover - only asked when it does not


Group = tuple[tuple[str, ...], list[_Fit], "tuple[str, dict[Any, _Fit]]"]


@cache
def _groups(cls: type) -> tuple[Group, ...]:
    """The choices of ``cls``: (attributes that must be set to try them,
    their fits in order, the discriminating attribute and its values)."""
    shared = cast("type[SharedTag]", cls)
    if shared._targets():  # pyright: ignore[reportPrivateUsage]
        targets = shared._targets()  # pyright: ignore[reportPrivateUsage]
        names = frozenset(f.encode_name for f in ti.struct_fields(cls))
        fits = [_Fit(cls, t, names, True, i) for i, t in enumerate(targets)]
        return (((), fits, _discriminator(fits)),)
    out: list[Group] = []
    mine = {f.encode_name: f.name for f in ti.struct_fields(cls)}
    for group, targets in shared._groups():  # pyright: ignore[reportPrivateUsage]
        fields = ti.struct_fields(group)
        names = frozenset(f.encode_name for f in fields)
        needed = tuple(mine.get(f.encode_name, "\x00") for f in fields if f.required)
        fits = [_Fit(cls, t, names, False, i) for i, t in enumerate(targets)]
        out.append((needed, fits, _discriminator(fits)))
    return tuple(out)


def _discriminator(fits: list[_Fit]) -> tuple[str, dict[Any, _Fit]]:
    """An attribute whose closed enums split the targets apart (``role``), as
    (attribute, value -> fit); ``("", {})`` if none does."""
    if len(fits) < 2:
        return "", {}
    common: set[str] | None = None
    for fit in fits:
        attrs = {attr for attr, _ in fit.enums}
        common = attrs if common is None else common & attrs
    for attr in sorted(common or ()):
        by_value: dict[Any, _Fit] = {}
        disjoint = True
        for fit in fits:
            for value in dict(fit.enums)[attr]:
                disjoint = disjoint and value not in by_value
                by_value[value] = fit
        if disjoint:
            return attr, by_value
    return "", {}


def _choose(fits: list[_Fit], key: tuple[str, dict[Any, _Fit]], obj: Any) -> type | None:
    attr, by_value = key
    if attr:
        fit = by_value.get(getattr(obj, attr))
        if fit is not None and fit.fits(obj):
            return fit.target
    ranked = fits if len(fits) == 1 else sorted(fits, key=lambda f: f.rank(obj))
    for fit in ranked:
        if fit.fits(obj):
            return fit.target
    return None


@cache
def _chooser(cls: type) -> Callable[[Any], type | None]:
    groups = _groups(cls)
    if len(groups) == 1 and not groups[0][0]:
        _, fits, key = groups[0]
        return lambda obj: _choose(fits, key, obj)
    everyone = list({f.target: f for _, fits, _ in groups for f in fits}.values())

    def choose_untagged(obj: Any) -> type | None:
        for needed, fits, key in groups:
            if all(getattr(obj, a, UNSET) is not UNSET for a in needed):
                found = _choose(fits, key, obj)
                if found is not None:
                    return found
        # no tag value's class takes it: the best fit that reads it (its
        # other fields are not that class's)
        for fit in sorted(everyone, key=lambda f: (f.mismatches(obj), f.extras(obj), f.order)):
            if fit.fits(obj, loose=True):
                return fit.target
        return None

    return choose_untagged


# --------------------------------------------------------------------------
# Checking a value against a type


@cache
def _loose(cls: type, target: type) -> _Fit:
    """How a nested decoded value of ``cls`` fits ``target`` (read from its
    JSON, so fields ``target`` lacks are let through)."""
    names = frozenset(f.encode_name for f in ti.struct_fields(cls))
    return _Fit(cls, target, names, True, 0)


def _struct_check(target: type, unknown: str | None) -> Check:
    """``target`` in a union; ``unknown``: the tag field of the union's
    ``Unknown*`` member when any tagged member reads as one (from JSON)."""

    def check(value: Any) -> bool:
        if isinstance(value, SharedTag):
            return _loose(type(value), target).fits(value, loose=True)
        return isinstance(value, target)

    if unknown is None:
        return check

    def check_json(value: Any) -> bool:
        return check(value) or (
            isinstance(value, msgspec.Struct) and ti.tag_config(type(value))[0] == unknown
        )

    return check_json


_SCALARS: dict[Any, tuple[type, ...]] = {
    str: (str,),
    int: (int,),
    float: (float, int),
    bool: (bool,),
    type(None): (type(None),),
    None: (type(None),),
    msgspec.UnsetType: (msgspec.UnsetType,),
    bytes: (bytes,),
}


def _exact_types(tp: Any) -> tuple[Any, ...]:
    """The classes whose instances are of type ``tp`` for certain: a scalar's
    kinds, a struct class itself."""
    if tp in _SCALARS:
        return _SCALARS[tp]
    return (tp,) if isinstance(tp, type) and ti.struct_class(tp) is tp else ()


def _checker(tp: Any, from_json: bool, unknown: str | None = None) -> Check | None:
    """A test of whether a decoded value is of type ``tp``; None if any is.
    ``from_json``: whether the value would read as ``tp`` from its JSON
    (where a tagged member a union does not know is an unknown variant)."""
    tp = ti.unwrap(tp)
    if tp is Any:
        return None
    if ti.is_union(tp):
        members = ti.union_members(tp)
        unknown_field = None
        if from_json:
            unknown_field = next(
                (
                    ti.tag_config(m)[0]
                    for m in members
                    if (c := ti.struct_class(m)) is not None and issubclass(c, UnknownVariant)
                ),
                None,
            )
        checks = [_checker(m, from_json, unknown_field) for m in members]
        if any(c is None for c in checks):
            return None
        each = cast("list[Check]", checks)
        # the classes a value of the union may be exactly: one set lookup
        # answers for most values (each member's own check for the rest)
        exact = frozenset(k for m in members for k in _exact_types(m))
        return lambda v: type(v) in exact or any(c(v) for c in each)
    if tp in _SCALARS:
        kinds = _SCALARS[tp]
        return lambda v: type(v) in kinds
    origin = get_origin(tp)
    if origin is Literal:
        values = get_args(tp)
        return lambda v: v in values
    if origin is list:
        item = _checker(get_args(tp)[0], from_json)
        if item is None:
            return lambda v: type(v) is list
        return lambda v: type(v) is list and all(map(item, cast("list[Any]", v)))
    if origin is dict:
        value = _checker(get_args(tp)[1], from_json)
        if value is None:
            return lambda v: type(v) is dict
        return lambda v: type(v) is dict and all(map(value, cast("dict[str, Any]", v).values()))
    cls = ti.struct_class(tp)
    if cls is not None:
        return _struct_check(cls, unknown)
    if isinstance(tp, type):
        return lambda v: isinstance(v, tp)
    return None
