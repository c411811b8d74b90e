"""The errors this package raises, and the one place that reads msgspec's.

Every decoding error is a :class:`ValueError` (through
:class:`msgspec.DecodeError`) that says where the input went wrong:

- ``pos``: the byte offset, for input that is not JSON;
- ``path``: the ``$.path`` of the offending value, for JSON of the wrong shape;
- ``line``: the 1-based line, for newline-delimited input.

msgspec reports locations inside its messages (``"Expected `str`, got `int` -
at `$.choices[0].index`"``, ``"JSON is malformed: ... (byte 12)"``). Reading
them is the only part of this package that depends on msgspec's wording;
``tests/test_errors.py`` pins each form relied on here.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

__all__ = [
    "DecodeError",
    "MalformedJSONError",
    "UnknownEnumValueError",
    "UnknownVariantError",
    "ValidationError",
]


class DecodeError(msgspec.DecodeError, ValueError):
    """Input could not be decoded. A :class:`ValueError`.

    (msgspec's own error is a ``ValueError`` at run time, but its stubs do
    not say so; naming the base here lets type checkers see it too.)

    ``path`` is the ``$.path`` of the offending value, or None; ``pos`` is
    the byte offset for malformed input, or None; ``line`` is the 1-based
    line number when the input was newline-delimited, or None.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        pos: int | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.path = path
        self.pos = pos
        self.line = line

    def at_line(self, line: int, offset: int) -> DecodeError:
        """The same error, located in line ``line`` that starts at byte ``offset``."""
        pos = None if self.pos is None else offset + self.pos
        return type(self)(f"line {line}: {self}", path=self.path, pos=pos, line=line)


class MalformedJSONError(DecodeError):
    """Not JSON: bad syntax, truncated input, invalid UTF-8, nesting too deep."""


class ValidationError(DecodeError, msgspec.ValidationError):
    """Valid JSON that does not fit the type; ``path`` says where."""


class UnknownVariantError(ValidationError):
    """Strict mode: a tag value (``type``, ``role``...) the spec does not define."""


class UnknownEnumValueError(ValidationError):
    """Strict mode: a string outside an enum's known values."""


# --------------------------------------------------------------------------
# Reading msgspec's messages

_AT = " - at `"
_BYTE = re.compile(r"\(byte (\d+)\)")


def split_message(message: str) -> tuple[str, str]:
    """Split ``"text - at `$.a`"`` into the text and the path (``""`` if none).

    A message that passed through a ``dec_hook`` carries one location per
    level, innermost first (``"text - at `$.a` - at `$.b[0]`"``); the path
    returned joins them (``$.b[0].a``).
    """
    parts = message.split(_AT)
    if len(parts) == 1:
        return message, ""
    path = "$"
    for part in reversed(parts[1:]):
        path += part.rstrip("`")[1:]
    return parts[0], path


def join_path(prefix: str, path: str) -> str:
    """``$.a`` + ``$[0].b`` = ``$.a[0].b``."""
    return prefix + path[1:]


def validation_error(
    exc: msgspec.ValidationError | ValueError,
    prefix: str = "$",
    cls: type[ValidationError] | None = None,
) -> ValidationError:
    """Our error for msgspec's ``exc``, raised for the value at ``prefix``."""
    if isinstance(exc, ValidationError):
        path = join_path(prefix, exc.path or "$")
        text = str(exc).split(_AT)[0]
        return (cls or type(exc))(f"{text}{_AT}{path}`", path=path)
    text, rel = split_message(str(exc))
    path = join_path(prefix, rel or "$")
    return (cls or ValidationError)(f"{text}{_AT}{path}`", path=path)


def is_rejected_tag(exc: msgspec.ValidationError, tag_fields: frozenset[str]) -> bool:
    """Whether msgspec rejected a tag value (``Invalid value 'x' - at `$.type```)."""
    text, path = split_message(str(exc))
    return text.startswith("Invalid value") and path.rsplit(".", 1)[-1] in tag_fields


def malformed(exc: BaseException, data: Any) -> MalformedJSONError:
    """Our error for input msgspec could not parse, with its byte offset."""
    if isinstance(exc, MalformedJSONError):
        return exc
    if isinstance(exc, UnicodeEncodeError):  # a lone surrogate in str input
        return MalformedJSONError(
            f"Invalid character {data[exc.start]!r} at character {exc.start}", pos=exc.start
        )
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if isinstance(exc, UnicodeDecodeError):
        pos = first_invalid_utf8(raw)
        return MalformedJSONError(f"Invalid UTF-8 at byte {pos}", pos=pos)
    if isinstance(exc, RecursionError):
        pos = deepest(raw)
        return MalformedJSONError(f"JSON nested too deeply (past byte {pos})", pos=pos)
    text = str(exc)
    m = _BYTE.search(text)
    if m:
        pos = int(m.group(1))
        if "trailing characters" in text:  # msgspec counts one past the character
            pos -= 1
            text = text.replace(m.group(0), f"(byte {pos})")
        return MalformedJSONError(text, pos=pos)
    if "truncated" in text:
        size = len(memoryview(raw))
        return MalformedJSONError(f"{text} (at byte {size}, the end of input)", pos=size)
    return MalformedJSONError(text)


def first_invalid_utf8(raw: Any) -> int:
    """Offset of the first byte that is not valid UTF-8 (or the length)."""
    try:
        str(raw, "utf-8")
    except UnicodeDecodeError as err:
        return err.start
    return len(memoryview(raw))


def deepest(raw: Any, limit: int = 1000) -> int:
    """Offset where nesting first passes ``limit`` levels (strings skipped)."""
    depth = 0
    in_str = False
    escaped = False
    for i, byte in enumerate(bytes(raw)):
        if in_str:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_str = False
        elif byte == 0x22:
            in_str = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return i
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return len(raw)
