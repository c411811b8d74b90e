"""The few unions still decoded in Python (:class:`~openai_structs.core._base.DispatchUnion`).

msgspec hands such a union's JSON value to a ``dec_hook``; :func:`dec_hook`
(lenient) and :func:`strict_hook` pick the member by its tag and, among
members that share a tag, by fit. None of them is reachable from the hot
types (responses, chat, realtime, batch lines); ``python -m
openai_structs.codegen --report`` lists them with the reason.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any, cast

import msgspec

from ._base import UNKNOWN_BY_FIELD, DispatchUnion
from ._msgspec import split_message, unknown_tag
from ._typeinfo import fit

__all__ = ["dec_hook", "set_fallback", "strict_hook"]

Fallback = Callable[[bytes, Any, Any, bool], Any]
_fallback: list[Fallback] = []


def set_fallback(fn: Fallback) -> None:
    """Hand the dispatch the unknown-variant decode
    (:func:`~openai_structs.core._unknown.decode_fallback`, which calls this
    when it is imported, with the rest of the decode core): the member that
    fits a value best may hold unknown variants of its own."""
    _fallback[:] = [fn]


def dec_hook(type: Any, obj: Any) -> Any:
    """msgspec ``dec_hook`` for the generated types (lenient mode).

    Pass it to a hand-built ``msgspec.json.Decoder(T, dec_hook=dec_hook)``.
    """
    return _dispatch(type, obj, strict=False)


def strict_hook(type: Any, obj: Any) -> Any:
    """The same, rejecting unknown tags."""
    return _dispatch(type, obj, strict=True)


def _dispatch(type: Any, obj: Any, strict: bool) -> Any:
    if not (isinstance(type, builtins.type) and issubclass(type, DispatchUnion)):
        raise NotImplementedError(f"no decoder for {type!r}")
    if isinstance(obj, type):  # already decoded (msgspec.convert on a decoded tree)
        return obj
    hook = strict_hook if strict else dec_hook
    if not isinstance(obj, dict):
        other = type.other()
        if other is None:
            raise ValueError(f"Expected `object`, got `{_json_kind(obj)}`")
        return _convert(obj, other, hook)
    return _dispatch_object(type, cast("dict[str, Any]", obj), strict, hook)


def _dispatch_object(
    type: builtins.type[DispatchUnion], obj: dict[str, Any], strict: bool, hook: Any
) -> Any:
    tag_field = type.tag_field()
    candidates = type.candidates(obj)
    if candidates is None:
        tag = obj.get(tag_field)
        if strict or tag_field not in UNKNOWN_BY_FIELD:
            raise ValueError(str(unknown_tag(tag, "$." + tag_field, type.known_tags())))
        return UNKNOWN_BY_FIELD[tag_field].from_object(obj)
    if not candidates:
        raise ValueError(f"Object missing required field `{tag_field}`")
    ranked = sorted(candidates, key=lambda c: fit(c, obj))
    errors: list[msgspec.ValidationError] = []
    for cls in ranked:
        try:
            return msgspec.convert(obj, cast("type[Any]", cls), dec_hook=strict_hook)
        except msgspec.ValidationError as exc:
            errors.append(exc)
    if not strict and _fallback:  # the best fit, with unknown variants inside it
        try:
            return _fallback[0](msgspec.json.encode(obj), ranked[0], hook, strict)
        except msgspec.ValidationError:
            pass
    raise _relative(errors[0])


def _convert(obj: Any, type: Any, hook: Any) -> Any:
    try:
        return msgspec.convert(obj, type, dec_hook=hook)
    except msgspec.ValidationError as exc:
        raise _relative(exc) from None


def _relative(exc: msgspec.ValidationError) -> ValueError:
    """``exc`` as a hook raises it: msgspec adds the hooked value's own path."""
    text, path = split_message(str(exc))
    return ValueError(f"{text} - at `{path}`" if path else text)


def _json_kind(obj: Any) -> str:
    kinds: dict[builtins.type, str] = {
        str: "str",
        int: "int",
        float: "float",
        bool: "bool",
        list: "array",
    }
    return "null" if obj is None else kinds.get(obj.__class__, "object")
