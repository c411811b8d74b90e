"""The few unions still decoded in Python (:class:`~openai_structs.core._base.DispatchUnion`).

msgspec hands such a union's JSON value to a ``dec_hook``; :func:`dec_hook`
(lenient) and :func:`strict_hook` pick the member by its tag and, among
members that share a tag, by fit. None of them is reachable from the hot
types (responses, chat, realtime, batch lines); ``python -m
openai_structs.codegen --report`` lists them with the reason.
"""

from __future__ import annotations

import builtins
from typing import Any

import msgspec

from ._base import UNKNOWN_BY_FIELD, DispatchUnion
from ._msgspec import split_message, unknown_tag

__all__ = ["dec_hook", "strict_hook"]


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
    tag_field = type.tag_field()
    candidates = type.candidates(obj)
    if candidates is None:
        tag = obj.get(tag_field)
        if strict or tag_field not in UNKNOWN_BY_FIELD:
            raise ValueError(str(unknown_tag(tag, "$." + tag_field, type.known_tags())))
        return UNKNOWN_BY_FIELD[tag_field].from_object(obj)
    if not candidates:
        raise ValueError(f"Object missing required field `{tag_field}`")
    from ._unknown import decode_fallback, fit

    ranked = sorted(candidates, key=lambda c: fit(c, obj))
    errors: list[msgspec.ValidationError] = []
    for cls in ranked:
        try:
            return msgspec.convert(obj, cls, dec_hook=strict_hook)
        except msgspec.ValidationError as exc:
            errors.append(exc)
    if not strict:  # the best fit, with unknown variants inside it
        try:
            return decode_fallback(msgspec.json.encode(obj), ranked[0], hook, strict)
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
    kinds = {str: "str", int: "int", float: "float", bool: "bool", list: "array"}
    return "null" if obj is None else kinds.get(builtins.type(obj), "object")
