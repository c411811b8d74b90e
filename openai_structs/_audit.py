"""What your own traffic needs: decode recorded payloads and count what the
types do not know.

>>> report = audit(["captures/run.sse", "batch_output.jsonl"])
>>> report.payloads, report.decoded
(412, 412)
>>> for f in report.findings:
...     print(f.kind, f.path, f.count, f.example)
unknown_key $.choices[].content_filter_results 40 {'hate': ...}

:class:`Audit` decodes each payload in the default mode (as an application
would) and walks the result beside its JSON (:func:`openai_structs.core._strict.findings`),
counting per ``$.path`` (list indexes written ``[]``) each

- ``unknown_key``: a key the types do not define, dropped on re-encode;
- ``unknown_variant``: a tag no member of its union has (kept whole);
- ``unknown_enum``: a string outside the spec's list for its field;
- ``error``: a payload that does not decode (the example is the message),

with the first value seen as an example. A clean report means the types hold
every byte the payloads carry.

What each payload is, unless ``type`` says: an SSE stream's events by their
``event:`` name (the Assistants stream) or their payload; a ``.jsonl`` file's
lines as Batch API input or output lines (the body typed by the endpoint, as
:func:`~openai_structs.iter_batch_output` does), else as payloads; a payload
by its ``object`` (``response``, ``chat.completion.chunk``, any type with a
constant ``object``) or its ``type`` (Responses stream events, Realtime
server events). Where several types share an ``object`` (``list``), the one
that decodes it with the fewest findings is taken.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from .batch._endpoints import BodyProbe
from .core import _typeinfo as ti
from .core._codec import Decoder
from .core._strict import KINDS, findings, read_json
from .errors import DecodeError

if TYPE_CHECKING:
    from . import types
else:
    from .core._lazy import types

__all__ = ["Audit", "AuditFinding", "audit"]

_INDEX = re.compile(r"\[\d+\]")


class AuditFinding(msgspec.Struct, frozen=True):
    """One row of an :class:`Audit`: how many times ``kind`` was found at
    ``path`` (list indexes written ``[]``), and the first value found."""

    kind: str
    path: str
    count: int
    example: Any


class Audit:
    """Counts of what the types do not know, over any number of payloads.

    ``add(data, type)`` decodes one payload; ``add_file(path)`` every payload
    of a file. ``payloads`` and ``decoded`` count them; ``findings`` lists
    the rows, by kind then path; ``ok`` is True when every payload decoded.
    """

    def __init__(self) -> None:
        self.payloads = 0
        self.decoded = 0
        self._rows: dict[tuple[str, str], list[Any]] = {}
        self._by_object: dict[str, Any] = {}  # a shared ``object``: the type last chosen

    @property
    def ok(self) -> bool:
        return self.payloads == self.decoded

    @property
    def findings(self) -> list[AuditFinding]:
        order = {kind: i for i, kind in enumerate((*KINDS, "error"))}
        rows = [AuditFinding(k, p, n, ex) for (k, p), (n, ex) in self._rows.items()]
        return sorted(rows, key=lambda r: (order[r.kind], r.path))

    def to_dict(self) -> dict[str, Any]:
        """``{"payloads", "decoded", "findings": [{"kind", "path", "count",
        "example"}, ...]}``, as ``openai-structs audit --json`` prints it."""
        return {
            "payloads": self.payloads,
            "decoded": self.decoded,
            "findings": [msgspec.structs.asdict(f) for f in self.findings],
        }

    # -- payloads ---------------------------------------------------------------

    def add(
        self, data: bytes | bytearray | memoryview | str, type: Any = None, fallback: Any = None
    ) -> bool:
        """Decode one JSON payload into ``type`` (inferred when None, else
        ``fallback``) and count what it holds; False if it did not decode."""
        self.payloads += 1
        try:
            doc = read_json(data)
        except (msgspec.DecodeError, UnicodeDecodeError) as exc:
            error: BaseException = exc
            try:  # not JSON: the decoder's own error names the byte
                _decoder(Any).decode(data)
            except DecodeError as err:
                error = err
            self._error(error)
            return False
        if type is None:
            type = self._infer(data, doc) or fallback
            if type is None:
                self._count("error", "$", "cannot tell the type of this payload: pass --type")
                return False
        try:
            value = _decoder(type).decode(data)
        except DecodeError as exc:
            self._error(exc)
            return False
        self.decoded += 1
        for kind, path, found, _ in findings(value, doc, indexes=False):
            self._count(kind, path, found)
        return True

    def add_file(self, path: str | os.PathLike[str], type: Any = None) -> None:
        """Every payload of the file at ``path``: the events of a ``.sse``
        stream, the lines of a ``.jsonl`` file, or one JSON body."""
        path = Path(path)
        raw = path.read_bytes()
        if path.suffix == ".sse":
            self._add_sse(raw, type)
        elif path.suffix == ".jsonl":
            for line in raw.splitlines():
                if line.strip():
                    self._add_line(line, type)
        else:
            self.add(raw, type)

    def _add_sse(self, raw: bytes, type: Any) -> None:
        """The events of a stream: an Assistants stream (``thread.*`` event
        names) by their names, any other by their payloads; a payload that
        tells nothing (Azure's first chunk, ``"object": ""``) is taken as the
        type most of the stream's events are."""
        from .errors import SSEError
        from .streams._sse import iter_sse

        try:
            events = [e for e in iter_sse([raw]) if e.data.strip() not in (b"", b"[DONE]")]
        except SSEError as exc:
            self.payloads += 1
            self._count("error", "$", f"not an event stream: {exc}")
            return
        if type is None and any(e.event and e.event.startswith("thread.") for e in events):
            union = types.AssistantStreamEvent
            for e in events:
                name = msgspec.json.encode(e.event or "message")
                self.add(b'{"event":' + name + b',"data":' + e.data + b"}", union)
            return
        fallback = None
        if type is None:
            seen: dict[Any, int] = {}
            for e in events:
                try:
                    tp = self._infer(e.data, read_json(e.data))
                except (msgspec.DecodeError, UnicodeDecodeError):
                    continue
                if tp is not None:
                    seen[tp] = seen.get(tp, 0) + 1
            fallback = max(seen, key=seen.__getitem__) if seen else None
        for e in events:
            self.add(e.data, type, fallback)

    def _add_line(self, line: bytes, type: Any) -> None:
        """A line of a ``.jsonl`` file: a Batch API line when it looks like
        one (``type`` then names its body), else a payload."""
        try:
            keys = msgspec.json.decode(line, type=_LineProbe)
        except (msgspec.DecodeError, UnicodeDecodeError):
            self.add(line, type)
            return
        if keys.custom_id is msgspec.UNSET:
            self.add(line, type)
        elif keys.url is not msgspec.UNSET:
            self.add(line, _batch_input(keys.url, type))
        else:
            self.add(line, _batch_output(keys.response, type))

    # -- counting ---------------------------------------------------------------

    def _count(self, kind: str, path: str, example: Any) -> None:
        row = self._rows.get((kind, path))
        if row is None:
            self._rows[kind, path] = [1, example]
        else:
            row[0] += 1

    def _error(self, exc: BaseException) -> None:
        path = getattr(exc, "path", None) or "$"
        self._count("error", _INDEX.sub("[]", path), str(exc))

    # -- types ------------------------------------------------------------------

    def _infer(self, data: Any, doc: Any) -> Any:
        if doc.__class__ is not dict:  # decoded JSON: a plain dict if an object
            return None
        tag = doc.get("type")
        if isinstance(tag, str):
            for union in _tagged_roots():
                info = ti.union_info(union)
                if info is not None and tag in info.known:
                    return union
            if tag.startswith("response."):  # a new event of a Responses stream
                return types.ResponseStreamEvent
        obj = doc.get("object")
        if not isinstance(obj, str):
            return None
        candidates = _by_object().get(obj, ())
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        last = self._by_object.get(obj)
        if last is not None and _fits(last, data) == 0:
            return last
        best = min(candidates, key=lambda tp: (_fits(tp, data), tp.__name__))
        self._by_object[obj] = best
        return best


def audit(paths: Iterable[str | os.PathLike[str]], *, type: Any = None) -> Audit:
    """An :class:`Audit` of every payload in the files at ``paths`` (see
    :meth:`Audit.add_file`); ``type`` names what each payload is (for Batch
    API lines, what each body is) instead of inferring it."""
    report = Audit()
    for path in paths:
        report.add_file(path, type)
    return report


# --------------------------------------------------------------------------
# Telling types


class _ResponseProbe(msgspec.Struct):
    status_code: Any = msgspec.UNSET
    body: BodyProbe | None | msgspec.UnsetType = msgspec.UNSET


class _LineProbe(msgspec.Struct):
    """The keys that tell a Batch API line (and its body) from a payload."""

    custom_id: Any = msgspec.UNSET
    url: Any = msgspec.UNSET
    response: _ResponseProbe | None | msgspec.UnsetType = msgspec.UNSET


@cache
def _decoder(tp: Any) -> Decoder[Any]:
    return Decoder(tp)


def _fits(tp: Any, data: Any) -> int:
    """How badly ``data`` fits ``tp``: its number of findings, or a large
    number when it does not decode."""
    try:
        value = _decoder(tp).decode(data)
    except DecodeError:
        return 1 << 30
    return sum(1 for _ in findings(value, read_json(data)))


@cache
def _tagged_roots() -> tuple[Any, ...]:
    """The unions a payload is told by its ``type``: Responses stream events,
    Realtime server events."""
    return (types.ResponseStreamEvent, types.RealtimeServerEvent)


@cache
def _by_object() -> dict[str, tuple[Any, ...]]:
    """``object`` value -> the types whose required ``object`` lists it (a
    constant, or a short closed list such as Azure's ``""`` beside the
    chunk's own value)."""
    out: dict[str, list[Any]] = {}
    for name in types.INDEX:
        tp = getattr(types, name)
        if ti.struct_class(tp) is not tp:
            continue
        for f in ti.struct_fields(tp):
            if f.encode_name == "object" and f.required:
                values, open_str = ti.enum_values(f.type)
                if values and not open_str:
                    for value in sorted(values):
                        out.setdefault(value, []).append(tp)
    return {k: tuple(v) for k, v in out.items()}


def _batch_input(url: Any, body: Any) -> Any:
    from .batch._endpoints import ENDPOINTS, request_type

    if body is None:
        body = request_type(url) if url in ENDPOINTS else Any
    return types.BatchRequestInput[body]


def _batch_output(response: Any, body: Any) -> Any:
    """``BatchRequestOutput[<body type>]``: the endpoint's by the body's keys
    (as the batch reader tells it), ErrorResponse for a status outside 2xx."""
    from .batch._endpoints import body_type, endpoint_of_body

    if body is None:
        body = Any
        if isinstance(response, _ResponseProbe):
            status = response.status_code
            if isinstance(status, int) and not 200 <= status < 300:
                body = types.ErrorResponse
            elif isinstance(response.body, BodyProbe):
                endpoint = endpoint_of_body(response.body)
                if endpoint is not None:
                    body = body_type(endpoint)
    return types.BatchRequestOutput[body]
