"""Strict mode's checks: what the lenient decoder lets through on purpose.

The generated enums are open strings at run time, so a value OpenAI adds
tomorrow never breaks a decode. ``decode(..., strict=True)`` is for contract
tests: after a successful decode, :func:`check` walks the value and rejects
unknown variants and strings outside a closed enum, naming the ``$.path``.
:func:`check_utf8` covers the bytes msgspec skips unread (keys the types do
not define).

The walk keeps its own stack, so nesting as deep as msgspec accepts never
raises :class:`RecursionError`.
"""

from __future__ import annotations

from typing import Any

import msgspec

from . import _typeinfo as ti
from ._base import UnknownVariant
from ._errors import MalformedJSONError, UnknownEnumValueError, UnknownVariantError, key_step

__all__ = ["check", "check_utf8"]


def check_utf8(data: Any) -> None:
    """Raise :class:`MalformedJSONError` unless ``data`` is valid UTF-8."""
    if isinstance(data, str):
        return
    try:
        str(data, "utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedJSONError(f"Invalid UTF-8 at byte {exc.start}", pos=exc.start) from None
    except TypeError:
        if not isinstance(data, memoryview):
            raise
        # not contiguous: the decoder takes one copy of it
        raise BufferError("memoryview is not contiguous") from None


def check(value: Any) -> None:
    """Raise if ``value`` holds an unknown variant or an unlisted enum value."""
    stack: list[tuple[Any, str]] = [(value, "$")]
    while stack:
        obj, path = stack.pop()
        if isinstance(obj, UnknownVariant):
            tag_path = f"{path}.{obj.tag_field}"
            raise UnknownVariantError(
                f"Unknown {obj.tag_field} {obj.tag!r} - at `{tag_path}`", path=tag_path
            )
        if isinstance(obj, msgspec.Struct):
            cls = type(obj)
            for attr, name, values in ti.enum_fields(cls):
                _check_enum(getattr(obj, attr), values, f"{path}.{name}")
            for f in reversed(ti.struct_fields(cls)):
                item = getattr(obj, f.name)
                if isinstance(item, (msgspec.Struct, list, dict)):
                    stack.append((item, f"{path}.{f.encode_name}"))
        elif isinstance(obj, list):
            for i in range(len(obj) - 1, -1, -1):
                if isinstance(obj[i], (msgspec.Struct, list, dict)):
                    stack.append((obj[i], f"{path}[{i}]"))
        elif isinstance(obj, dict):
            for key, item in reversed(list(obj.items())):
                if isinstance(item, (msgspec.Struct, list, dict)):
                    stack.append((item, path + key_step(key)))


def _check_enum(value: Any, values: frozenset[str], path: str) -> None:
    if isinstance(value, str):
        if value not in values:
            raise UnknownEnumValueError(
                f"Unknown enum value {value!r} (known: {', '.join(sorted(values))}) - at `{path}`",
                path=path,
            )
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_enum(item, values, f"{path}[{i}]")
