"""Decode and encode OpenAI payloads.

:class:`Decoder` wraps one :class:`msgspec.json.Decoder` for one type and
adds what the API's payloads need:

- **Unknown variants.** A payload made only of known variants takes msgspec's
  native path and nothing else. When msgspec rejects a tag this spec does not
  know (a new output item, content part or stream event), or a member omits a
  tag the spec lets it omit, the decoder takes the slow path of
  :mod:`openai_structs.core._unknown`, which keeps each unknown object as an
  :class:`~openai_structs.UnknownVariant`. :func:`encode` writes those back
  exactly as they came.
- **Members that share a tag** decode natively into one class per tag value,
  read as the spec's classes by ``isinstance`` (:mod:`openai_structs.core._views`);
  members sent without their tag take one more native step
  (:mod:`openai_structs.core._typeless`).
- **Errors that say where.** Every error is a :class:`ValueError` subclass:
  :class:`~openai_structs.MalformedJSONError` with the byte for input that is
  not JSON, :class:`~openai_structs.ValidationError` with the ``$.path`` for
  JSON of the wrong shape, and the line for newline-delimited input.
- **Strict mode** (``strict=True``), for contract tests: unknown tags, enum
  values the spec does not list, object keys the types do not define and
  invalid UTF-8 anywhere are errors (:mod:`openai_structs.core._strict`).
- **Limits that do not move.** A document may nest as deep as
  :func:`~openai_structs.core._depth.depth_limit` says, whatever the mode and the
  caller's own stack; ``decode_lines`` takes exactly one document a line.

:func:`decode` and :func:`encode` are the one-shot forms; they keep one
decoder per type, so calling them in a loop costs little more than holding a
:class:`Decoder`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

import msgspec

from ..errors import DecodeError, MalformedJSONError, UnknownVariantError, ValidationError
from ._base import UNKNOWN_BY_FIELD, UNKNOWN_MADE
from ._depth import deepest, depth_limit, room, too_deep
from ._dispatch import dec_hook, strict_hook
from ._msgspec import (
    as_bytes,
    is_bad_utf8,
    is_rejected_tag,
    malformed,
    rejected_utf8,
    split_message,
    validation_error,
)
from ._strict import check, check_utf8
from ._typeless import typeless
from ._unknown import MARK, decode_fallback, splice
from ._views import explain

__all__ = ["Decoder", "Encoder", "decode", "encode"]

T = TypeVar("T")
R = TypeVar("R")

Buffer = bytes | bytearray | memoryview | str
_MALFORMED = (msgspec.DecodeError, UnicodeError, RecursionError)
# What sends the one-shot decode() from its inlined native step to the whole
# Decoder.decode: every error, and a buffer msgspec cannot read in place.
_RETRY = (*_MALFORMED, BufferError)
TAG_FIELDS = frozenset(UNKNOWN_BY_FIELD)
_PIECE = 1 << 16
_NEWLINE = re.compile(rb"\n")


class Decoder(Generic[T]):
    """A reusable decoder of JSON into ``type`` (a generated struct, a union,
    ``list[...]``...). Build one per type and keep it: building costs far more
    than a decode.

    >>> dec = Decoder(CreateChatCompletionResponse)
    >>> completion = dec.decode(body)
    >>> chunks = Decoder(CreateChatCompletionStreamResponse).decode_lines(jsonl)

    ``decode(buf)`` decodes one JSON document (bytes, bytearray, memoryview
    or str). It is a function made for this decoder rather than a method:
    each attribute it would look up on ``self`` on every call is bound once,
    which keeps its cost over a bare :class:`msgspec.json.Decoder` to one
    Python call.
    """

    __slots__ = (
        "_first",
        "_hook",
        "_native",
        "_native_list",
        "_typeless",
        "decode",
        "strict",
        "type",
    )

    decode: Callable[[Buffer], T]

    @overload
    def __init__(self, type: type[T], *, strict: bool = False) -> None: ...
    @overload
    def __init__(self, type: Any, *, strict: bool = False) -> None: ...
    def __init__(self, type: Any, *, strict: bool = False) -> None:
        self.type = type
        self.strict = strict
        self._hook = strict_hook if strict else dec_hook
        native = msgspec.json.Decoder(type, dec_hook=self._hook)
        items: Any = list[type]  # type: ignore[valid-type]
        self._native_list = msgspec.json.Decoder(items, dec_hook=self._hook).decode
        self._typeless = typeless(type, self._hook)
        # The hot path has no branch on the mode: strict mode swaps in a
        # first step that checks UTF-8 first, and checks the decoded value
        # beside its JSON (see _strict).
        if strict:
            native_decode = native.decode

            def native_strict(buf: Buffer) -> Any:
                check_utf8(buf)
                return native_decode(buf)

            self._first: Callable[[Buffer], Any] = native_strict
            whole = self._make_decode()

            def decode(buf: Buffer) -> T:
                try:
                    value = whole(buf)
                    try:
                        check(value, buf)
                    except RecursionError:  # the JSON read again, from a deep stack
                        _in_room(check, value, buf)
                except DecodeError as exc:
                    raise exc.with_traceback(None) from None  # the traceback ends here
                return value

            self.decode = decode
            # the fast step for callers that decode many payloads themselves
            # (msgspec alone): in strict mode, decode
            self._native: Callable[[Buffer], Any] = decode
        else:
            self._first = self._native = native.decode
            self.decode = self._make_decode()

    def _make_decode(self) -> Callable[[Buffer], T]:
        # The good path is the ``try`` body: one call. Anything that leaves
        # it (a member without its tag, an unknown variant, bad input) is
        # worked out by ``recover``, and a DecodeError it gives back is
        # raised here, so that its traceback ends at the caller's call
        # rather than deep inside the slow path.
        native, recover, typeless = self._first, self._recover, self._typeless
        if typeless is None or self.strict:

            def decode(buf: Buffer) -> T:
                try:
                    return native(buf)
                except Exception as exc:  # noqa: BLE001 - off the native path, free until taken
                    value = recover(exc, buf)
                if isinstance(value, DecodeError):
                    raise value.with_traceback(None) from None
                return value

        else:
            # While documents come with members that omit their tag, their
            # path goes first (see _typeless.Typeless.first). Named decode
            # too: the one frame of ours a traceback shows is "decode".
            def decode(buf: Buffer) -> T:
                if typeless.first:
                    try:
                        return typeless.decode(buf)
                    except Exception:  # noqa: BLE001 - from the start, as any other
                        typeless.first = False
                try:
                    return native(buf)
                except Exception as exc:  # noqa: BLE001 - off the native path, free until taken
                    value = recover(exc, buf)
                if isinstance(value, DecodeError):
                    raise value.with_traceback(None) from None
                return value

        return decode

    def __repr__(self) -> str:
        return f"Decoder({self.type!r}, strict={self.strict})"

    def decode_lines(self, buf: Buffer) -> list[T]:
        """Decode newline-delimited JSON (one document per line) in one call.

        Each line holds exactly one JSON document, in every mode: two on one
        line, or one spread over two, is an error. Lines holding only
        whitespace are skipped. An error names the 1-based ``line``; ``pos``
        is the byte offset in ``buf``.
        """
        if not self.strict:
            try:
                return self._array_pieces(buf)
            except (*_RETRY, TypeError):
                pass
        try:
            return self._lines_one_by_one(buf)
        except DecodeError as exc:
            raise exc.with_traceback(None) from None

    def _array_pieces(self, buf: Buffer) -> list[T]:
        """The lines of ``buf`` in one native call per piece of about 64 KiB
        of whole lines, each made a JSON array: a newline becomes a comma,
        which is valid only between two whole documents, so this succeeds
        exactly when every line holds one (blank lines fail it too, and take
        the line by line path). Pieces, not the whole buffer: two copies of
        a large buffer alive at once cost the allocator more than the decode
        (a 1 MB buffer decoded 1.5x slower than msgspec's own decode_lines;
        in pieces, 1.06x)."""
        if isinstance(buf, str):
            return self._native_list(_as_array(buf))
        view = memoryview(buf)
        size = len(view)
        if size <= _PIECE:
            return self._native_list(_as_array(view))
        out: list[T] = []
        start = 0
        while start < size:
            m = _NEWLINE.search(view, min(start + _PIECE, size))
            end = size if m is None else m.end()
            out += self._native_list(_as_array(view[start:end]))
            start = end
        return out

    # -- slow paths -----------------------------------------------------------

    def _recover(self, exc: Exception, buf: Buffer) -> Any:
        """The value of ``buf`` once the native step failed with ``exc``, or
        the :class:`DecodeError` that says why there is none (returned, for
        the caller to raise). Anything that is not a decoding failure (a
        wrong argument) is raised as it came."""
        try:
            if isinstance(exc, DecodeError):  # bad UTF-8 in strict mode
                return exc
            if isinstance(exc, msgspec.ValidationError):  # unknown variants, omitted tags
                try:
                    return self._slow(buf)
                except RecursionError as deep:
                    exc = deep
            if isinstance(exc, (RecursionError, BufferError)):
                return self._rare(exc, buf)
            if isinstance(exc, _MALFORMED):
                return malformed(exc, buf, self._locate_utf8)
        except DecodeError as error:
            return error
        raise exc

    def _slow(self, buf: Buffer) -> Any:
        if self._typeless is not None:  # members without their tag, natively
            try:
                return self._typeless.decode(buf)
            except (*_RETRY, ValueError):
                pass  # something else: the general slow path says what
        try:
            return decode_fallback(buf, self.type, self._hook, self.strict)
        except msgspec.ValidationError as exc:
            _check_syntax(buf)  # input that is not JSON is reported as such
            if self.strict and is_rejected_tag(exc, TAG_FIELDS):
                raise validation_error(exc, cls=UnknownVariantError) from None
            raise self._explained(exc, buf) from None
        except DecodeError:
            raise
        except (RecursionError, BufferError) as exc:
            return self._rare(exc, buf)
        except _MALFORMED as exc:
            raise malformed(exc, buf, self._locate_utf8) from None

    def _explained(self, exc: msgspec.ValidationError, buf: Buffer) -> DecodeError:
        """Our error for ``exc``; for a member that shares a tag and lacks a
        field its classes require, naming the class it was read as
        (:func:`~openai_structs.core._views.explain`)."""
        if isinstance(exc, DecodeError) and not isinstance(exc, ValidationError):
            return exc
        error = exc if isinstance(exc, ValidationError) else validation_error(exc)
        if type(error) is not ValidationError:  # an unknown key, variant or enum value
            return error
        path = error.path or "$"
        text = split_message(str(error))[0]
        try:
            doc = _untyped(as_bytes(buf))
        except (*_MALFORMED, ValueError):
            return error
        better = explain(text, path, self.type, doc)
        return error if better == text else ValidationError(f"{better} - at `{path}`", path=path)

    def _rare(self, exc: BaseException, buf: Buffer) -> Any:
        """Input that is good JSON msgspec could not take as it came: a
        memoryview that is not contiguous (decoded from one copy), or nesting
        deeper than the caller's stack left room for. A document nested up
        to :func:`~openai_structs.core._depth.depth_limit` levels decodes however
        deep the caller's stack and in either mode; one nested deeper is a
        :class:`MalformedJSONError` naming the byte where it passes."""
        if isinstance(exc, BufferError):
            return self.decode(bytes(buf))  # type: ignore[arg-type]
        raw = as_bytes(buf)
        if room.held or deepest(raw, depth_limit()) >= 0:
            raise too_deep(raw) from None
        with room:
            return self.decode(buf)

    def _locate_utf8(self, raw: bytes) -> int:
        """The invalid UTF-8 byte this decoder trips on in ``raw`` (msgspec
        0.23 does not say; earlier releases counted within the string)."""
        return rejected_utf8(raw, self._rejects_utf8)

    def _rejects_utf8(self, data: bytes) -> bool:
        """Whether decoding ``data`` fails for invalid UTF-8 (errors unconverted)."""
        try:
            try:
                self._first(data)
            except msgspec.ValidationError:
                decode_fallback(data, self.type, self._hook, self.strict)
        except (ValueError, RecursionError) as exc:
            return is_bad_utf8(exc) or (
                isinstance(exc, MalformedJSONError) and str(exc).startswith("Invalid UTF-8")
            )
        return False

    def _lines_one_by_one(self, buf: Buffer) -> list[T]:
        data = as_bytes(buf)
        values: list[T] = []
        start = 0
        for number, line in enumerate(data.split(b"\n"), 1):
            if line.strip(b" \t\r"):
                try:
                    values.append(self.decode(line))
                except DecodeError as exc:
                    raise exc.at_line(number, start) from None
            start += len(line) + 1
        return values


def _as_array(buf: Buffer) -> bytes | bytearray | str:
    """``buf``'s lines as the items of one JSON array: ``[`` + the lines with
    each newline made a comma + ``]`` (one copy of ``buf``)."""
    if isinstance(buf, str):
        text = "[" + buf.replace("\n", ",")
        return text[:-1] + "]" if text.endswith(",") else text + "]"
    out = bytearray(b"[")
    out += buf
    out = out.replace(b"\n", b",")
    if out[-1] == 0x2C:  # the last line's newline
        out[-1] = 0x5D
    else:
        out.append(0x5D)
    return out


def _check_syntax(buf: Buffer) -> None:
    """Raise :class:`MalformedJSONError` if ``buf`` is not one JSON value."""
    try:
        _skip(buf)
    except _MALFORMED as exc:
        raise malformed(exc, buf) from None


_skip = msgspec.json.Decoder(msgspec.Raw).decode
_untyped = msgspec.json.Decoder().decode


class Encoder:
    """A reusable encoder of generated values to compact JSON bytes.

    Fields left ``UNSET`` are not written; unknown variants are written back
    as the exact bytes they were decoded from.
    """

    __slots__ = ("_encode", "_encode_lines")

    def __init__(self) -> None:
        enc = msgspec.json.Encoder()
        self._encode = enc.encode
        self._encode_lines = enc.encode_lines

    def encode(self, obj: Any) -> bytes:
        """Encode ``obj`` as one JSON document."""
        try:
            out = self._encode(obj)
        except RecursionError:  # as deep as decode allows, from a deep stack
            out = _in_room(self._encode, obj)
        # Looking for stand-ins costs about a third of the encode itself on
        # large text, so it is skipped until the process has made one.
        return splice(out) if UNKNOWN_MADE[0] and MARK in out else out

    def encode_lines(self, items: Any) -> bytes:
        """Encode an iterable as newline-delimited JSON, one item a line."""
        try:
            out = self._encode_lines(items)
        except RecursionError:
            if not isinstance(items, (list, tuple)):  # an iterator is spent
                raise
            out = _in_room(self._encode_lines, items)
        return splice(out) if UNKNOWN_MADE[0] and MARK in out else out


def _in_room(fn: Callable[..., R], *args: Any) -> R:
    """``fn(*args)`` with room on the stack for a value nested as deep as a
    decode may give (see :mod:`openai_structs.core._depth`)."""
    if room.held:
        raise RecursionError("value nested too deep")
    with room:
        return fn(*args)


# --------------------------------------------------------------------------
# One-shot forms

_by_type: dict[tuple[Any, bool], Decoder[Any]] = {}
# The same decoders by id() of the type object: hashing a typing.Union hashes
# all its members (1.4 us for the 47 Realtime server events), an id costs
# nothing. ``_alive`` keeps each type here alive, so its id is never reused;
# the size is capped so that types built afresh on every call (``list[X]``)
# fall back to ``_by_type`` instead of growing these.
_lenient_ids: dict[int, Decoder[Any]] = {}
_strict_ids: dict[int, Decoder[Any]] = {}
_alive: list[Any] = []
_IDS_MAX = 1024
_encoder = Encoder()


@overload
def decode(data: Buffer, type: type[T], *, strict: bool = False) -> T: ...
@overload
def decode(data: Buffer, type: Any, *, strict: bool = False) -> Any: ...
def decode(data: Buffer, type: Any, *, strict: bool = False) -> Any:
    """Decode JSON ``data`` into ``type``; see :class:`Decoder`."""
    try:
        dec = (_strict_ids if strict else _lenient_ids)[id(type)]
    except KeyError:
        dec = _decoder_for(type, strict)
    # the decoder's own native step, read here to save a frame on the hot path
    if not strict and dec._typeless is None:  # pyright: ignore[reportPrivateUsage]
        try:  # Decoder.decode inlined: one Python frame less on the hot path
            return dec._native(data)  # pyright: ignore[reportPrivateUsage]
        except _RETRY:
            pass  # errors and unknown variants: from the start
    try:
        return dec.decode(data)
    except DecodeError as exc:
        raise exc.with_traceback(None) from None  # the traceback ends at this call


def _decoder_for(type: Any, strict: bool) -> Decoder[Any]:
    try:
        dec = _by_type[type, strict]
    except KeyError:
        dec = _by_type[type, strict] = Decoder(type, strict=strict)
    if len(_alive) < _IDS_MAX:
        _alive.append(type)
        (_strict_ids if strict else _lenient_ids)[id(type)] = dec
    return dec


def encode(obj: Any) -> bytes:
    """Encode ``obj`` as compact JSON bytes; see :class:`Encoder`."""
    return _encoder.encode(obj)
