"""What msgspec says, read: the one place that depends on its wording.

msgspec reports locations inside its messages (``"Expected `str`, got `int` -
at `$.choices[0].index`"``, ``"JSON is malformed: ... (byte 12)"``). This
module reads them and builds this package's errors (:mod:`openai_structs.errors`)
from them, with the byte offset or the ``$.path`` as attributes. The forms
relied on are listed in :data:`MESSAGE_SHAPES`, and ``tests/test_errors.py``
pins each of them for every supported msgspec release, so a release that
rewords one fails there, by name.

Paths use msgspec's notation: ``$`` the document, ``.name`` a field,
``[2]`` a list index. Where this package walks a value itself (strict
checks, refinement, the audit), a key of a free-form object is written
``.key`` as well, or as a JSON string in brackets (``["a.b"]``) when it is
not a plain name (:func:`key_step`); msgspec's own errors write ``[...]``
there, naming no key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from ..errors import DecodeError, MalformedJSONError, ValidationError
from ._depth import too_deep

# --------------------------------------------------------------------------
# Reading msgspec's messages

#: Every form of msgspec's errors read below, by name: what msgspec raises and
#: the part of its text this module relies on. ``tests/test_errors.py`` makes
#: each happen and checks it against its own table of what every supported
#: msgspec release writes.
MESSAGE_SHAPES: dict[str, str] = {
    "path": "ValidationError: '<text> - at `$<path>`'",
    "root": "ValidationError: '<text>' (no location: the value at `$`)",
    "rejected_tag": "ValidationError: \"Invalid value '<tag>' - at `$<path>.<tag field>`\"",
    "malformed": "DecodeError: 'JSON is malformed: <what> (byte <N>)'",
    "trailing": "DecodeError: 'JSON is malformed: trailing characters (byte <N + 1>)'",
    "truncated": "DecodeError: 'Input data was truncated'",
    "bad_utf8": (
        "UnicodeDecodeError, no offset in the document (msgspec < 0.23); "
        "DecodeError: 'Invalid UTF-8 encoded string' (0.23)"
    ),
    "too_deep": "RecursionError (nesting past the interpreter's recursion limit)",
}

_AT = " - at `"
_BYTE = re.compile(r"\(byte (\d+)\)")
_BAD_UTF8 = "Invalid UTF-8"
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*\Z")


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


def key_step(key: str) -> str:
    """The path step to the value of ``key`` in a free-form object: ``.key``
    for a plain name, else the key as a JSON string in brackets, so that no
    key can pass for a longer path (``.a.b`` is two steps, ``["a.b"]`` one)."""
    if _PLAIN_KEY.match(key):
        return "." + key
    return "[" + msgspec.json.encode(key).decode("utf-8", "backslashreplace") + "]"


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


def unknown_tag(
    tag: object, path: str, known: Iterable[str], cls: type[ValidationError] = ValidationError
) -> ValidationError:
    """The error for a tag value no member of a union has, at the tag's
    ``path``, listing the tags the union knows (as an unknown enum value's
    error lists the enum's values). Worded as msgspec words its own
    rejection, so :func:`is_rejected_tag` reads both alike."""
    return cls(f"Invalid value {tag!r}{known_values(known)} - at `{path}`", path=path)


def known_values(known: Iterable[str]) -> str:
    """`` (known: a, b)``: the values an error lists after the one it refuses."""
    return f" (known: {', '.join(sorted(known))})"


def is_rejected_tag(exc: msgspec.ValidationError, tag_fields: frozenset[str]) -> bool:
    """Whether msgspec rejected a tag value (``Invalid value 'x' - at `$.type```)."""
    text, path = split_message(str(exc))
    return text.startswith("Invalid value") and path.rsplit(".", 1)[-1] in tag_fields


def trailing_at(exc: BaseException) -> int | None:
    """The offset of the first character after one whole JSON value, from
    msgspec's complaint about it (``trailing characters (byte N)``), or None
    if ``exc`` is another error."""
    text = str(exc)
    m = _BYTE.search(text)
    if m is None or "trailing characters" not in text:
        return None
    return int(m.group(1)) - 1  # msgspec counts one past the character


def is_bad_utf8(exc: BaseException) -> bool:
    """Whether msgspec refused input for invalid UTF-8 (either release's form)."""
    if isinstance(exc, UnicodeDecodeError):
        return True
    return (
        isinstance(exc, msgspec.DecodeError)
        and not isinstance(exc, (DecodeError, msgspec.ValidationError))
        and str(exc).startswith(_BAD_UTF8)
    )


def as_bytes(data: Any) -> bytes:
    """The document as UTF-8 bytes (a ``str`` is encoded, lone surrogates kept)."""
    if isinstance(data, str):
        return data.encode("utf-8", "surrogatepass")
    return bytes(data)


def malformed(
    exc: BaseException, data: Any, locate: Callable[[bytes], int] | None = None
) -> MalformedJSONError:
    """Our error for input msgspec could not parse, with its byte offset.

    ``locate(raw)`` names the invalid UTF-8 byte the decoder tripped on (see
    :func:`rejected_utf8`); without it, the first invalid byte is named."""
    if isinstance(exc, MalformedJSONError):
        return exc
    if isinstance(exc, UnicodeEncodeError):  # a lone surrogate in str input
        return MalformedJSONError(
            f"Invalid character {data[exc.start]!r} at character {exc.start}", pos=exc.start
        )
    if is_bad_utf8(exc):
        raw = as_bytes(data)
        pos = locate(raw) if locate is not None else first_invalid_utf8(raw)
        return MalformedJSONError(f"Invalid UTF-8 at byte {pos}", pos=pos)
    if isinstance(exc, RecursionError):
        return too_deep(as_bytes(data))
    text = str(exc)
    m = _BYTE.search(text)
    if m:
        pos = int(m.group(1))
        if "trailing characters" in text:  # msgspec counts one past the character
            pos -= 1
            text = text.replace(m.group(0), f"(byte {pos})")
        return MalformedJSONError(text, pos=pos)
    if "truncated" in text:
        size = len(as_bytes(data))
        return MalformedJSONError(f"{text} (at byte {size}, the end of input)", pos=size)
    return MalformedJSONError(text)


# --------------------------------------------------------------------------
# Finding the byte on the error path


def first_invalid_utf8(raw: Any) -> int:
    """Offset of the first byte that is not valid UTF-8 (or the length)."""
    try:
        str(raw, "utf-8")
    except UnicodeDecodeError as err:
        return err.start
    return len(memoryview(raw))


def rejected_utf8(raw: bytes, rejects: Callable[[bytes], bool]) -> int:
    """Offset of an invalid UTF-8 byte that makes ``rejects`` fail.

    The default mode skips the values of keys the types do not define
    without reading them, so the first invalid byte of a document need not
    be the one the decoder refused. ``rejects(candidate)`` says whether the
    decoder still refuses a copy of ``raw`` whose invalid bytes from some
    offset on are replaced by ``?`` (the same length, so offsets hold). A
    binary search over that offset finds a byte whose replacement makes the
    refusal go away: one the decoder read. Costs one decode when the first
    invalid byte is the one (the usual case), about log2(len(raw)) otherwise.
    """
    first = first_invalid_utf8(raw)
    size = len(raw)
    if first >= size or not rejects(raw):
        return first
    fixed = raw.decode("utf-8", "surrogateescape").encode("utf-8", "replace")
    lo, hi = first + 1, size  # rejects(raw[:lo] + fixed[lo:]) is unknown yet; at hi it holds
    if not rejects(raw[:lo] + fixed[lo:]):
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if rejects(raw[:mid] + fixed[mid:]):
                hi = mid
            else:
                lo = mid
        return hi - 1
    return first
