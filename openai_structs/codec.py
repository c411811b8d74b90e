"""Decode and encode OpenAI payloads.

``decode(data, T)`` runs one cached :class:`msgspec.json.Decoder` per type.
A payload made only of known variants takes that path and nothing else. When
msgspec rejects a tag value it does not know (a new output item, content part
or stream event), :func:`decode` parses the document once more without a type,
wraps each unknown object in an :class:`~openai_structs.UnknownVariant` that
keeps its JSON, and converts the rest into the typed structs. ``encode`` writes
those objects back exactly as they came.

``strict=True`` is for contract tests: unknown tags and enum values the spec
does not list are errors instead.

Every error is a :class:`ValueError` subclass that says where: the byte for
malformed JSON, the ``$.path`` for a value of the wrong shape.
"""

from __future__ import annotations

import builtins
import re
import typing
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, overload

import msgspec

from . import _base
from ._base import UNKNOWN_BY_FIELD, UNKNOWN_TAG, DispatchUnion, EnumValues, UnknownVariant

__all__ = [
    "DecodeError",
    "MalformedJSONError",
    "UnknownEnumValueError",
    "UnknownVariantError",
    "ValidationError",
    "dec_hook",
    "decode",
    "encode",
]

T = TypeVar("T")


class DecodeError(msgspec.DecodeError):
    """Input could not be decoded. A :class:`ValueError`.

    ``path`` is the ``$.path`` of the offending value, or None;
    ``pos`` is the byte offset for malformed input, or None.
    """

    def __init__(self, message: str, *, path: str | None = None, pos: int | None = None):
        super().__init__(message)
        self.path = path
        self.pos = pos


class MalformedJSONError(DecodeError):
    """Not JSON: bad syntax, truncated input, invalid UTF-8, too deep."""


class ValidationError(DecodeError, msgspec.ValidationError):
    """Valid JSON that does not fit the type; ``path`` says where."""


class UnknownVariantError(ValidationError):
    """Strict mode: a tag value the spec does not define."""


class UnknownEnumValueError(ValidationError):
    """Strict mode: a string outside an enum's known values."""


# --------------------------------------------------------------------------
# Public API


@overload
def decode(
    data: bytes | bytearray | memoryview | str, type: type[T], *, strict: bool = False
) -> T: ...
@overload
def decode(
    data: bytes | bytearray | memoryview | str, type: Any, *, strict: bool = False
) -> Any: ...
def decode(data: bytes | bytearray | memoryview | str, type: Any, *, strict: bool = False) -> Any:
    """Decode JSON ``data`` into ``type`` (a generated struct, union, list...).

    Unknown union members become :class:`UnknownVariant` objects unless
    ``strict`` is true, in which case they, and enum values the spec does not
    list, raise :class:`UnknownVariantError` / :class:`UnknownEnumValueError`.
    """
    if strict:
        return _decode_strict(data, type)
    try:
        return _decoders[type].decode(data)
    except KeyError:
        if type in _decoders:  # not a cache miss: let it through
            raise
        _decoders[type] = msgspec.json.Decoder(type, dec_hook=dec_hook)
        return decode(data, type)
    except msgspec.ValidationError as exc:
        return _decode_with_unknowns(data, type, exc)
    except (msgspec.DecodeError, UnicodeError, RecursionError) as exc:
        raise _malformed(exc, data) from None


def _decode_strict(data: Any, type: Any) -> Any:
    if not isinstance(data, str):  # msgspec does not read values it skips: check them all
        raw = bytes(data)
        if not raw.isascii():
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _malformed(exc, data) from None
    try:
        decoder = _strict_decoders[type]
    except KeyError:
        decoder = _strict_decoders[type] = msgspec.json.Decoder(type, dec_hook=_strict_hook)
    try:
        result = decoder.decode(data)
    except msgspec.ValidationError as exc:
        raise _validation_error(exc, strict=True) from None
    except (msgspec.DecodeError, UnicodeError, RecursionError) as exc:
        raise _malformed(exc, data) from None
    check_strict(result)
    return result


# One decoder per type (and mode): building one costs far more than a decode.
_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}
_strict_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}


_encoder = msgspec.json.Encoder()
_SENTINEL = msgspec.json.encode(UNKNOWN_TAG)[1:-1]


def encode(obj: Any) -> bytes:
    """Encode ``obj`` as compact JSON bytes.

    Fields left ``UNSET`` are not written; unknown variants are written back
    as the exact JSON they were decoded from.
    """
    out = _encoder.encode(obj)
    if _base._unknown_seen and _SENTINEL in out:
        return _splice_unknowns(out)
    return out


def dec_hook(type: Any, obj: Any) -> Any:
    """msgspec ``dec_hook`` for the generated types (lenient mode).

    Pass it to a hand-built ``msgspec.json.Decoder(T, dec_hook=dec_hook)``.
    """
    return _dispatch(type, obj, strict=False)


def _strict_hook(type: Any, obj: Any) -> Any:
    return _dispatch(type, obj, strict=True)


# --------------------------------------------------------------------------
# Unknown variants


def _placeholder(obj: dict[str, Any], field: str) -> dict[str, Any]:
    raw = msgspec.json.encode(obj)
    return {field: UNKNOWN_TAG, "n": len(raw), "raw": msgspec.Raw(raw)}


def _decode_with_unknowns(data: Any, type: Any, exc: msgspec.ValidationError) -> Any:
    try:
        tree = msgspec.json.decode(data)
    except (msgspec.DecodeError, UnicodeError, RecursionError) as err:
        raise _malformed(err, data) from None
    return _convert_with_unknowns(tree, type, exc)


def _convert_with_unknowns(tree: Any, type: Any, exc: msgspec.ValidationError) -> Any:
    """Replace, one msgspec error at a time, each object whose tag is unknown
    by a placeholder that decodes as :class:`UnknownVariant`."""
    first = exc
    root = [tree]
    while True:
        text, path = _split_message(str(exc))
        steps = _parse_path(path) if text.startswith("Invalid value") else None
        if not steps or not isinstance(steps[-1], str) or steps[-1] not in UNKNOWN_BY_FIELD:
            raise _validation_error(exc) from None
        container, key = _locate(root, steps[:-1])
        obj = container[key] if container is not None else None
        field = steps[-1]
        if (
            not isinstance(obj, dict)
            or not isinstance(obj.get(field), str)
            or obj[field] == UNKNOWN_TAG
        ):
            raise _validation_error(first) from None
        container[key] = _placeholder(obj, field)  # type: ignore[index]
        try:
            return msgspec.convert(root[0], type, dec_hook=dec_hook)
        except msgspec.ValidationError as err:
            exc = err


def _locate(root: list[Any], steps: list[str | int]) -> tuple[Any, Any]:
    """The container holding the value at ``steps`` and its key in it."""
    container: Any = root
    key: Any = 0
    for step in steps:
        node = container[key]
        if (
            isinstance(step, int)
            and isinstance(node, list)
            and step < len(node)
            or isinstance(step, str)
            and isinstance(node, dict)
            and step in node
        ):
            container, key = node, step
        else:
            return None, None
    return container, key


def _splice_unknowns(out: bytes) -> bytes:
    """Put each unknown variant's original JSON where its placeholder is."""
    parts: list[bytes] = []
    pos = 0
    while True:
        hit = out.find(_SENTINEL, pos)
        if hit < 0:
            break
        start = out.rfind(b"{", pos, hit)
        m = _PLACEHOLDER_TAIL.match(out, hit + len(_SENTINEL))
        if start < 0 or m is None:
            parts.append(out[pos : hit + len(_SENTINEL)])
            pos = hit + len(_SENTINEL)
            continue
        n = int(m.group(1))
        raw_start = m.end()
        raw_end = raw_start + n
        parts.append(out[pos:start])
        parts.append(out[raw_start:raw_end])
        pos = raw_end + 1  # the placeholder's closing brace
    parts.append(out[pos:])
    return b"".join(parts)


_PLACEHOLDER_TAIL = re.compile(rb'","n":(\d+),"raw":')


# --------------------------------------------------------------------------
# Unions decoded in Python


def _dispatch(type: Any, obj: Any, strict: bool) -> Any:
    if not (isinstance(type, builtins.type) and issubclass(type, DispatchUnion)):
        raise NotImplementedError(f"no decoder for {type!r}")
    hook: Callable[[Any, Any], Any] = _strict_hook if strict else dec_hook
    if not isinstance(obj, dict):
        other = type.other()
        if other is None:
            raise ValueError(f"Expected `object`, got `{_json_kind(obj)}`")
        return _convert(obj, other, hook)
    tag_field = type.tag_field()
    if tag_field and obj.get(tag_field) == UNKNOWN_TAG:  # placed by _convert_with_unknowns
        return msgspec.convert(obj, UNKNOWN_BY_FIELD[tag_field])
    candidates = type.candidates(obj)
    if candidates is None:
        tag = obj.get(tag_field)
        if strict or tag_field not in UNKNOWN_BY_FIELD:
            raise ValueError(f"Invalid value {tag!r} - at `$.{tag_field}`")
        return msgspec.convert(_placeholder(obj, tag_field), UNKNOWN_BY_FIELD[tag_field])
    if not candidates:
        raise ValueError(f"Object missing required field `{tag_field}`")
    ranked = sorted(candidates, key=lambda c: _fit(c, obj))
    errors: list[msgspec.ValidationError] = []
    for cls in ranked:
        try:
            return msgspec.convert(obj, cls, dec_hook=_strict_hook)
        except msgspec.ValidationError as exc:
            errors.append(exc)
    # None fits as it is: the best-fitting member, with unknown variants
    # inside it, or its error.
    if not strict:
        try:
            return _convert_with_unknowns(obj, ranked[0], errors[0])
        except ValidationError:
            pass
    text, path = _split_message(str(errors[0]))
    raise ValueError(f"{text} - at `{path}`" if path else text)


def _convert(obj: Any, type: Any, hook: Callable[[Any, Any], Any]) -> Any:
    try:
        return msgspec.convert(obj, type, dec_hook=hook)
    except msgspec.ValidationError as exc:
        text, path = _split_message(str(exc))
        raise ValueError(f"{text} - at `{path}`" if path else text) from None


def _fit(cls: type, obj: dict[str, Any]) -> tuple[int, int]:
    """How badly ``obj`` fits ``cls`` (lower is better), to rank members that
    share a tag: strings outside ``cls``'s enums (a ``role`` it does not
    have), then keys ``cls`` does not define (and would drop)."""
    mismatches = sum(
        1
        for _, name, values in _enum_fields(cls)
        if isinstance(obj.get(name), str) and obj[name] not in values
    )
    return mismatches, len(obj.keys() - _json_names(cls))


@cache
def _json_names(cls: type) -> frozenset[str]:
    names = {name for _, name in _struct_fields(cls)}
    tag_field = cls.__struct_config__.tag_field  # type: ignore[attr-defined]
    if tag_field:
        names.add(tag_field)
    return frozenset(names)


def _json_kind(obj: Any) -> str:
    kinds = {
        str: "str",
        int: "int",
        float: "float",
        bool: "bool",
        list: "array",
        type(None): "null",
    }
    return kinds.get(type(obj), "object")


# --------------------------------------------------------------------------
# Strict mode


def check_strict(obj: Any, path: str = "$") -> None:
    """Raise if ``obj`` holds an unknown variant or an unlisted enum value."""
    if isinstance(obj, UnknownVariant):
        raise UnknownVariantError(
            f"Unknown {obj.tag_field} {obj.tag!r} - at `{path}.{obj.tag_field}`",
            path=f"{path}.{obj.tag_field}",
        )
    if isinstance(obj, msgspec.Struct):
        for attr, name, values in _enum_fields(type(obj)):
            _check_enum(getattr(obj, attr), values, f"{path}.{name}")
        for attr, name in _struct_fields(type(obj)):
            check_strict(getattr(obj, attr), f"{path}.{name}")
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            check_strict(item, f"{path}[{i}]")
    elif isinstance(obj, dict):
        for key, item in obj.items():
            check_strict(item, f"{path}[{key!r}]")


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


@cache
def _struct_fields(cls: type) -> tuple[tuple[str, str], ...]:
    return tuple(
        (f.name, f.encode_name)
        for f in msgspec.structs.fields(cls)  # type: ignore[arg-type]
    )


@cache
def _enum_fields(cls: type) -> tuple[tuple[str, str, frozenset[str]], ...]:
    """(attribute, JSON name, known values) of each closed-enum field."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for attr, name in _struct_fields(cls):
        values, open_str = _enum_values(hints.get(attr))
        if values and not open_str:
            out.append((attr, name, values))
    return tuple(out)


def _enum_values(tp: Any) -> tuple[frozenset[str], bool]:
    """Known values inside an annotation, and whether a plain ``str`` is
    allowed beside them (then nothing is checked)."""
    if tp is str:
        return frozenset(), True
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        for meta in getattr(tp, "__metadata__", ()):
            if isinstance(meta, EnumValues):
                return meta.values, False
        return frozenset(), False
    if origin is typing.Union or origin is list:
        values: frozenset[str] = frozenset()
        open_str = False
        for arg in typing.get_args(tp):
            v, o = _enum_values(arg)
            values |= v
            open_str = open_str or o
        return values, open_str
    return frozenset(), False


# --------------------------------------------------------------------------
# Errors


_PATH_STEP = re.compile(r"\.([^.\[]+)|\[(\d+)\]|(\[\.\.\.\])")


def _split_message(message: str) -> tuple[str, str]:
    """Split msgspec's ``"text - at `$.a` - at `$.b[0]`"`` into the text and
    one joined path (``$.b[0].a``): hooks report paths relative to their value."""
    parts = message.split(" - at `")
    text = parts[0]
    path = "$"
    for part in reversed(parts[1:]):
        path += part.rstrip("`")[1:]
    return text, path if len(parts) > 1 else ""


def _parse_path(path: str) -> list[str | int] | None:
    if not path.startswith("$"):
        return None
    steps: list[str | int] = []
    pos = 1
    while pos < len(path):
        m = _PATH_STEP.match(path, pos)
        if m is None or m.group(3):
            return None
        steps.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    return steps


def _validation_error(exc: msgspec.ValidationError, strict: bool = False) -> ValidationError:
    """Our error for msgspec's, with one joined ``$.path`` (``$`` at the root).

    In strict mode a rejected tag value is an :class:`UnknownVariantError`:
    with enums open at run time, msgspec rejects a string value only at a tag.
    """
    text, path = _split_message(str(exc))
    path = path or "$"
    cls = ValidationError
    if strict and text.startswith("Invalid value") and path.rsplit(".", 1)[-1] in UNKNOWN_BY_FIELD:
        cls = UnknownVariantError
    return cls(f"{text} - at `{path}`", path=path)


def _malformed(exc: BaseException, data: Any) -> MalformedJSONError:
    if isinstance(exc, UnicodeEncodeError):  # a lone surrogate in str input
        return MalformedJSONError(
            f"Invalid character {data[exc.start]!r} at character {exc.start}", pos=exc.start
        )
    raw = data.encode() if isinstance(data, str) else bytes(data)
    if isinstance(exc, UnicodeDecodeError):
        try:
            raw.decode("utf-8")
            pos = exc.start
        except UnicodeDecodeError as err:
            pos = err.start
        return MalformedJSONError(f"Invalid UTF-8 at byte {pos}", pos=pos)
    if isinstance(exc, RecursionError):
        pos = _deepest(raw)
        return MalformedJSONError(f"JSON nested too deeply (past byte {pos})", pos=pos)
    text = str(exc)
    m = re.search(r"\(byte (\d+)\)", text)
    if m:
        pos = int(m.group(1))
        if "trailing characters" in text:  # msgspec counts one past the character
            pos -= 1
            text = text.replace(m.group(0), f"(byte {pos})")
        return MalformedJSONError(text, pos=pos)
    if "truncated" in text:
        return MalformedJSONError(f"{text} (at byte {len(raw)}, the end of input)", pos=len(raw))
    return MalformedJSONError(text)


def _deepest(raw: bytes, limit: int = 1000) -> int:
    """Offset where nesting first passes ``limit`` levels (strings skipped)."""
    depth = 0
    in_str = False
    escaped = False
    for i, byte in enumerate(raw):
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
