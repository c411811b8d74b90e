"""Peer factories for the benchmark registry (``cases.py``): how each peer decodes, encodes,
reads a stream or a batch file, built so that one call of the runner does the whole job once.

A factory raises :class:`Unavailable` (or ``ImportError``) when the peer cannot run here: the
report then says "not measured" with the reason, never a number. The peer names and what each
means are listed in ``cases.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import msgspec

import openai_structs

OURS = "openai_structs"
LIMIT = "msgspec limit"
VALIDATE = "model_validate_json"
DUMP = "model_dump_json"
SDK = "SDK default"
ADAPTER = "TypeAdapter"
ORJSON = "orjson"
JSON = "json"
UNTYPED = "msgspec untyped"
DECODE_ONLY = "decode-only limit"
PEERS = (OURS, LIMIT, DECODE_ONLY, VALIDATE, DUMP, SDK, ADAPTER, ORJSON, JSON, UNTYPED)

Runner = Callable[[], Any]


class Unavailable(Exception):
    """A peer that cannot run here; the message says why."""


@dataclass(frozen=True)
class Peer:
    name: str
    make: Callable[[], Runner]


# --------------------------------------------------------------------------
# Peer factories


def sdk_type(module: str, name: str) -> Any:
    import importlib

    return getattr(importlib.import_module(module), name)


def many(fn: Callable[[bytes], Any], docs: tuple[bytes, ...]) -> Runner:
    if len(docs) == 1:
        doc = docs[0]
        return lambda: fn(doc)
    return lambda: [fn(d) for d in docs]


def decode_peers(
    tp: Any,
    docs: tuple[bytes, ...],
    sdk: tuple[str, str] | None,
    *,
    model: bool,
    sdk_path: bool,
    limit_docs: tuple[bytes, ...] | None = None,
) -> tuple[Peer, ...]:
    """The peers of a decode case. ``sdk`` names the SDK's type; ``model``: it is a pydantic
    model (else a union or TypedDict, validated with a TypeAdapter); ``sdk_path``: the client
    parses this payload with ``construct_type`` (requests it never parses); ``limit_docs``:
    what the bare msgspec decoder reads instead of ``docs``, when it cannot read them as they
    are (members without their tag: the same documents with the tag added)."""

    def ours() -> Runner:
        return many(openai_structs.Decoder(tp).decode, docs)

    def limit() -> Runner:
        return many(msgspec.json.Decoder(tp).decode, limit_docs or docs)

    peers = [Peer(OURS, ours), Peer(LIMIT, limit)]
    if sdk is not None:
        if model:
            peers.append(Peer(VALIDATE, lambda: many(sdk_type(*sdk).model_validate_json, docs)))
        else:

            def adapter() -> Runner:
                from pydantic import TypeAdapter, ValidationError

                validate = TypeAdapter(sdk_type(*sdk)).validate_json
                rejected = []
                for doc in docs:
                    try:
                        validate(doc)
                    except ValidationError:
                        rejected.append(str(json.loads(doc).get("type", "?")))
                if rejected:
                    raise Unavailable(
                        f"the SDK's {sdk[1]} rejects {len(rejected)} of {len(docs)} documents "
                        f"({', '.join(rejected)})"
                    )
                return many(validate, docs)

            peers.append(Peer(ADAPTER, adapter))
        if sdk_path:

            def default() -> Runner:
                from openai._models import construct_type

                t, loads = sdk_type(*sdk), json.loads
                return many(lambda d: construct_type(type_=t, value=loads(d)), docs)

            peers.append(Peer(SDK, default))
    peers += untyped_peers(lambda f: many(f, docs))
    return tuple(peers)


def untyped_peers(wrap: Callable[[Callable[[bytes], Any]], Runner]) -> list[Peer]:
    def orjson_() -> Runner:
        import orjson

        return wrap(orjson.loads)

    return [
        Peer(ORJSON, orjson_),
        Peer(JSON, lambda: wrap(json.loads)),
        Peer(UNTYPED, lambda: wrap(msgspec.json.decode)),
    ]


def encode_peers(tp: Any, data: bytes, sdk: tuple[str, str], *, model: bool) -> tuple[Peer, ...]:
    """Encoding one decoded object back to JSON bytes: ours, the bare msgspec encoder, the
    SDK (``model_dump_json(exclude_unset=True)`` as its ``to_json`` does, or a TypeAdapter's
    ``dump_json`` for a request ``TypedDict``), and the untyped dumps of the plain dict."""
    obj = openai_structs.decode(data, tp)
    plain = json.loads(data)

    def ours() -> Runner:
        enc = openai_structs.Encoder().encode
        return lambda: enc(obj)

    def limit() -> Runner:
        enc = msgspec.json.Encoder(enc_hook=getattr(openai_structs, "enc_hook", None)).encode
        return lambda: enc(obj)

    def pydantic() -> Runner:
        if model:
            m = sdk_type(*sdk).model_validate_json(data)
            return lambda: m.model_dump_json(exclude_unset=True)
        from pydantic import TypeAdapter

        ta = TypeAdapter(sdk_type(*sdk))  # a request TypedDict: the dict is what gets written
        return lambda: ta.dump_json(plain, warnings=False)

    def orjson_() -> Runner:
        import orjson

        return lambda: orjson.dumps(plain)

    dumps = json.dumps
    return (
        Peer(OURS, ours),
        Peer(LIMIT, limit),
        Peer(DUMP if model else ADAPTER, pydantic),
        Peer(ORJSON, orjson_),
        Peer(JSON, lambda: lambda: dumps(plain).encode()),
    )


# --------------------------------------------------------------------------
# Streams: bytes in 8 KB pieces


def sse_data(pieces: tuple[bytes, ...]) -> Iterator[bytes]:
    """The ``data:`` payloads of a stream, framed as simply as possible (the pieces joined,
    split on blank lines): what the limit and the untyped ceilings decode."""
    for event in b"".join(pieces).split(b"\n\n"):
        for line in event.split(b"\n"):
            if line.startswith(b"data: ") and line != b"data: [DONE]":
                yield line[6:]


def stream_peers(
    tp: Any, pieces: tuple[bytes, ...], ours_name: str, sdk: tuple[str, str], *, model: bool
) -> tuple[Peer, ...]:
    def ours() -> Runner:
        from openai_structs import streams

        fn = getattr(streams, ours_name)
        return lambda: list(fn(iter(pieces)))

    def framed(fn: Callable[[bytes], Any]) -> Runner:
        return lambda: [fn(d) for d in sse_data(pieces)]

    def limit() -> Runner:
        return framed(msgspec.json.Decoder(tp).decode)

    def decode_only() -> Runner:
        # the payloads already cut out of the stream: no framing at all, one bare
        # msgspec call per event (bench_streams.py's limit)
        decode, payloads = msgspec.json.Decoder(tp).decode, list(sse_data(pieces))
        return lambda: [decode(p) for p in payloads]

    def sdk_events() -> Iterator[Any]:
        from openai._streaming import SSEDecoder

        for sse in SSEDecoder().iter_bytes(iter(pieces)):
            if not sse.data.startswith("[DONE]"):
                yield sse

    def validate() -> Runner:
        if model:
            fn = sdk_type(*sdk).model_validate_json
        else:
            from pydantic import TypeAdapter

            fn = TypeAdapter(sdk_type(*sdk)).validate_json
        return lambda: [fn(sse.data) for sse in sdk_events()]

    def default() -> Runner:
        from openai._models import construct_type

        t = sdk_type(*sdk)
        return lambda: [construct_type(type_=t, value=sse.json()) for sse in sdk_events()]

    return (
        Peer(OURS, ours),
        Peer(LIMIT, limit),
        Peer(DECODE_ONLY, decode_only),
        Peer(VALIDATE if model else ADAPTER, validate),
        Peer(SDK, default),
        *untyped_peers(framed),
    )


# --------------------------------------------------------------------------
# Batch output files


ENDPOINT_TYPES = {
    "/v1/chat/completions": (
        "CreateChatCompletionResponse",
        ("openai.types.chat", "ChatCompletion"),
    ),
    "/v1/responses": ("Response", ("openai.types.responses", "Response")),
}


def batch_line_type(body: Any) -> Any:
    """A batch output line whose ``response.body`` is ``body``: what the limit decodes into."""
    resp = msgspec.defstruct(
        "BatchResponse", [("status_code", int), ("request_id", str), ("body", body)], frozen=True
    )
    fields = [("id", str), ("custom_id", str), ("response", resp | None), ("error", Any, None)]
    return msgspec.defstruct("BatchLine", fields, frozen=True)


def batch_peers(data: bytes, endpoint: str) -> tuple[Peer, ...]:
    """Reading a whole batch output file: ours through ``iter_batch_output``, the limit a bare
    ``decode_lines`` into a line type whose body is our type, the SDK's models on each body
    (the SDK has no reader: it hands back the file's bytes, so a user ``json.loads`` each line
    and builds the body as the client would)."""
    ours_type, sdk = ENDPOINT_TYPES[endpoint]
    lines = data.splitlines()

    def ours() -> Runner:
        import io

        from openai_structs.batch import iter_batch_output

        return lambda: list(iter_batch_output(io.BytesIO(data), endpoint=endpoint))

    def limit() -> Runner:
        body = getattr(openai_structs, ours_type)
        dec = msgspec.json.Decoder(list[batch_line_type(body)])
        whole = b"[" + b",".join(lines) + b"]"  # msgspec has no JSON-lines reader: one array
        return lambda: dec.decode(whole)

    def per_line(build: Callable[[Any], Any]) -> Runner:
        loads = json.loads

        def run() -> list[Any]:
            out = []
            for line in lines:
                d = loads(line)
                if d["response"] is not None:
                    d["response"]["body"] = build(d["response"]["body"])
                out.append(d)
            return out

        return run

    def validate() -> Runner:
        return per_line(sdk_type(*sdk).model_validate)

    def default() -> Runner:
        from openai._models import construct_type

        t = sdk_type(*sdk)
        return per_line(lambda b: construct_type(type_=t, value=b))

    return (
        Peer(OURS, ours),
        Peer(LIMIT, limit),
        Peer(VALIDATE, validate),
        Peer(SDK, default),
        *untyped_peers(lambda f: lambda: [f(line) for line in lines]),
    )


# --------------------------------------------------------------------------
# The cases


def base64_embedding_peers(data: bytes) -> tuple[Peer, ...]:
    """Base64 embeddings: the SDK's default (it asks for base64 unless told otherwise) builds
    the model, then decodes each vector into floats (``parse_embedding_response``)."""
    tp = openai_structs.CreateEmbeddingResponse
    peers = list(decode_peers(tp, (data,), None, model=True, sdk_path=False))

    def ours() -> Runner:
        try:
            openai_structs.decode(data, tp)
        except openai_structs.ValidationError as exc:
            raise Unavailable(
                f"the spec types `Embedding.embedding` as a float array ({exc})"
            ) from None
        return many(openai_structs.Decoder(tp).decode, (data,))

    def limit() -> Runner:
        dec = msgspec.json.Decoder(tp)
        try:
            dec.decode(data)
        except msgspec.ValidationError as exc:
            raise Unavailable(f"same types as ours ({exc})") from None
        return many(dec.decode, (data,))

    def default() -> Runner:
        from openai._models import construct_type
        from openai._types import omit
        from openai.lib._parsing._embeddings import parse_embedding_response

        t = sdk_type("openai.types", "CreateEmbeddingResponse")

        def run() -> Any:
            obj = construct_type(type_=t, value=json.loads(data))
            return parse_embedding_response(obj, encoding_format=omit)

        return run

    def validate() -> Runner:
        return many(
            sdk_type("openai.types", "CreateEmbeddingResponse").model_validate_json, (data,)
        )

    peers[0], peers[1] = Peer(OURS, ours), Peer(LIMIT, limit)
    return (*peers[:2], Peer(VALIDATE, validate), Peer(SDK, default), *peers[2:])
