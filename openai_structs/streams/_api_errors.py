"""How a typed stream reads the API's error payloads, and names a failed event.

Two errors (:mod:`openai_structs.errors`), which are not related:

- :class:`~openai_structs.APIStreamError`: the API reported an error inside
  the stream. The bytes were fine, the request failed. Not a
  :class:`ValueError`.
- :class:`~openai_structs.StreamDecodeError`: an event's bytes could not be
  decoded. A :class:`~openai_structs.DecodeError` (so a :class:`ValueError`).

The API writes its errors in several shapes, all read here:

- chat and legacy completions: ``data: {"error": {"message", "type", "param",
  "code"}}``, an event of no type of the stream;
- an ``event: error`` event, whose data is such an object, or the bare
  ``{"message", ...}`` inside it, or plain text;
- the Responses API's ``error`` event, a member of ``ResponseStreamEvent``,
  which the spec draws with ``code``, ``message`` and ``param`` at its top
  level, and which the servers send nested: ``{"type": "error",
  "sequence_number": 2, "error": {"type", "code", "message", "param"}}``.

:func:`api_error` reads :attr:`~openai_structs.APIStreamError.code` and
:attr:`~openai_structs.APIStreamError.message` from either shape, typed or not.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ..core._fields import present
from ..errors import APIStreamError, DecodeError, StreamDecodeError

__all__ = ["api_error", "at_event", "error_object", "error_payload"]


def api_error(payload: Any, data: bytes, index: int, event: str | None) -> APIStreamError:
    """The :class:`~openai_structs.APIStreamError` for an error ``payload``
    (typed or not) that came as the event ``data`` at ``index``."""
    code = _error_field(payload, "code")
    message = _error_field(payload, "message")
    return APIStreamError(
        payload,
        data=data,
        index=index,
        event=event,
        code=None if code is None else str(code),
        message=None if message is None else str(message),
    )


def _error_field(payload: Any, name: str) -> Any:
    """``payload``'s field ``name``, or that of the object in its ``error``
    field (the nested shape), or None."""
    value = present(payload, name)
    return value if value is not None else present(present(payload, "error"), name)


def at_event(exc: DecodeError, index: int, name: str | None) -> StreamDecodeError:
    """``exc`` (an event's decode error) named with the event; raise it
    ``from exc``."""
    where = f"event {index}" if name is None else f"event {index} ({name})"
    return StreamDecodeError(f"{where}: {exc}", index=index, event=name, path=exc.path, pos=exc.pos)


_any = msgspec.json.Decoder().decode


def error_object(data: bytes) -> Any:
    """The error of a ``{"error": ...}`` payload, or None if ``data`` is not one."""
    try:
        value = _any(data)
    except (msgspec.DecodeError, UnicodeError, RecursionError):
        return None
    if isinstance(value, dict) and "error" in value:
        return _typed_error(value["error"])  # pyright: ignore[reportUnknownArgumentType]
    return None


def error_payload(data: bytes) -> Any:
    """The payload of an ``event: error`` event: typed when it fits."""
    try:
        value = _any(data)
    except (msgspec.DecodeError, UnicodeError, RecursionError):
        return data.decode("utf-8", "replace")
    if isinstance(value, dict) and isinstance(value.get("error"), dict):  # pyright: ignore[reportUnknownMemberType]
        value = value["error"]  # pyright: ignore[reportUnknownVariableType]
    return _typed_error(value)


def _typed_error(value: Any) -> Any:
    from ..types import Error

    try:
        return msgspec.convert(value, Error)
    except msgspec.ValidationError:
        return value
