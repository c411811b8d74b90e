"""The one registry of benchmark cases: which payload, which peers, how to check each result.

``report.py`` times every case with its own loop; ``bench_suite.py`` runs the same cases under
pytest-benchmark (CI runs them once each, ``--benchmark-disable``, as a correctness smoke test).
Both read :func:`cases`, so the two cannot drift apart.

A :class:`Case` is a payload and a tuple of :class:`Peer`: each peer has a name (one of the
column names below) and a ``make`` function that builds a zero-argument runner doing the whole
job once (decode every document, or read the whole stream, or encode the object). ``make`` raises
:class:`Unavailable` when a peer cannot run here (an API not on this branch, a model the SDK does
not have): the report then prints "not measured: <reason>", never a number.

Peers, as columns:

- ``openai_structs``: our public API (``Decoder``, ``encode``, the stream and batch readers);
- ``msgspec limit``: a bare ``msgspec.json.Decoder`` (or ``Encoder``) on the same types;
- ``model_validate_json``: the SDK's pydantic model validating the bytes (``model_dump_json``
  for encoding);
- ``SDK default``: what the SDK's client does by default: ``json.loads`` then
  ``openai._models.construct_type`` (no validation), with its own SSE decoder for streams;
- ``TypeAdapter``: a pydantic ``TypeAdapter`` on the SDK's union or ``TypedDict``;
- ``orjson``, ``json``, ``msgspec untyped``: untyped dicts, the parsing ceilings.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import datagen
import msgspec
from peers import (
    ADAPTER,
    DUMP,
    JSON,
    LIMIT,
    ORJSON,
    OURS,
    PEERS,
    SDK,
    UNTYPED,
    VALIDATE,
    Peer,
    Runner,
    Unavailable,
    base64_embedding_peers,
    batch_peers,
    decode_peers,
    encode_peers,
    sdk_type,
    sse_data,
    stream_peers,
)

import openai_structs

__all__ = [
    "ADAPTER",
    "DUMP",
    "JSON",
    "LIMIT",
    "ORJSON",
    "OURS",
    "PEERS",
    "SDK",
    "UNTYPED",
    "VALIDATE",
    "Case",
    "Peer",
    "Unavailable",
    "cases",
    "prepare",
]


@dataclass(frozen=True)
class Case:
    """One payload and its peers.

    ``kind`` is ``decode``, ``encode``, ``stream``, ``batch`` or ``structured`` (a structured
    output parsed or read while it streams: in the decoding table, not in the geometric
    means of decoding); ``data`` the bytes read or
    written (for MB/s), ``nobjects`` the documents, events or lines per run (for objects/s).
    ``check(peer, result)`` raises ``AssertionError`` if a runner's result is wrong.
    """

    name: str
    kind: str
    data: bytes
    nobjects: int
    peers: tuple[Peer, ...]
    check: Callable[[str, Any], None]

    def peer(self, name: str) -> Peer | None:
        return next((p for p in self.peers if p.name == name), None)


def prepare(case: Case, peer: Peer) -> Runner:
    """Build ``peer``'s runner, run it once and check its result.

    A third-party peer that fails is :class:`Unavailable` (with its error); ours is only
    unavailable when its API cannot be imported: any other failure of ours is raised.
    """
    try:
        run = peer.make()
    except ImportError as exc:
        raise Unavailable(f"{exc}") from None
    if peer.name == OURS:
        case.check(peer.name, run())
        return run
    try:
        case.check(peer.name, run())
    except Exception as exc:  # noqa: BLE001  a peer that cannot handle the payload is reported
        msg = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise Unavailable(f"{type(exc).__name__}: {msg}") from None
    return run


# --------------------------------------------------------------------------
# Checking results: walk a path through dicts, lists, structs and pydantic models alike


def walk(obj: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        if isinstance(step, int) or isinstance(obj, dict):
            obj = obj[step]
        else:
            obj = getattr(obj, step)
    return obj


def _checker(docs: tuple[bytes, ...], path: tuple[Any, ...]) -> Callable[[str, Any], None]:
    """Results are one value per document; the last one's ``path`` must match the JSON."""
    want = walk(json.loads(docs[-1]), path)

    def check(peer: str, out: Any) -> None:
        got = list(out) if isinstance(out, (list, tuple)) else [out]
        assert len(got) == len(docs), f"{peer}: {len(got)} results for {len(docs)} documents"
        value = walk(got[-1], path)
        assert value == want, f"{peer}: {path} is {value!r}, expected {want!r}"
        if peer in (OURS, LIMIT):
            assert isinstance(got[-1], msgspec.Struct), f"{peer}: got {type(got[-1])}"

    return check


def _encode_checker(data: bytes) -> Callable[[str, Any], None]:
    want = json.loads(data)

    def check(peer: str, out: Any) -> None:
        assert json.loads(out) == want, f"{peer}: encodes a different JSON value"

    return check


def with_message_type(doc: bytes) -> bytes:
    """A ``CreateResponse`` with ``"type": "message"`` added to each input item sent without
    its type (the easy messages), written as compactly as the sample."""
    body = json.loads(doc)
    for item in body["input"]:
        if "type" not in item:
            item["type"] = "message"
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def cases(seed: int = datagen.SEED) -> list[Case]:
    """Every benchmark case, built from the committed samples in ``data/bench/``."""
    import datagen_responses

    o = openai_structs
    load = datagen.load
    out: list[Case] = []

    def decode_case(
        name: str,
        file: str,
        tp: Any,
        sdk: tuple[str, str] | None,
        path: tuple[Any, ...],
        *,
        model: bool = True,
        sdk_path: bool = True,
        limit_docs: tuple[bytes, ...] | None = None,
    ) -> None:
        docs = (load(file),)
        peers = decode_peers(tp, docs, sdk, model=model, sdk_path=sdk_path, limit_docs=limit_docs)
        out.append(Case(name, "decode", docs[0], 1, peers, _checker(docs, path)))

    chat = ("openai.types.chat", "ChatCompletion")
    resp = ("openai.types.responses", "Response")
    ccr = o.CreateChatCompletionResponse
    content = ("choices", -1, "message", "content")
    decode_case("ChatCompletion small", "chat_small.json", ccr, chat, content)
    decode_case("ChatCompletion text-heavy (n=4)", "chat_text.json", ccr, chat, content)
    decode_case(
        "ChatCompletion logprobs (300 tokens, top 3)",
        "chat_logprobs.json",
        ccr,
        chat,
        ("choices", 0, "logprobs", "content", -1, "top_logprobs", -1, "token"),
    )
    decode_case(
        "Response: tools, reasoning, calls", "response_tools.json", o.Response, resp, ("id",)
    )
    decode_case(
        "CreateResponse, 30 input items",
        "create_response.json",
        o.CreateResponse,
        ("openai.types.responses.response_create_params", "ResponseCreateParamsNonStreaming"),
        ("model",),  # the SDK's TypedDicts declare lists as Iterable: pydantic yields iterators
        model=False,
        sdk_path=False,
        # bare msgspec cannot read an easy message without its type: its limit is the same
        # request with "type": "message" added to each of them
        limit_docs=(with_message_type(load("create_response.json")),),
    )
    decode_case(
        "CreateChatCompletionRequest, 40 messages",
        "chat_request.json",
        o.CreateChatCompletionRequest,
        ("openai.types.chat.completion_create_params", "CompletionCreateParamsNonStreaming"),
        ("model",),
        model=False,
        sdk_path=False,
    )
    decode_case(
        "ResponseItemList, 40 items",
        "response_item_list.json",
        o.ResponseItemList,
        ("openai.types.responses", "ResponseItemList"),
        ("last_id",),
    )
    decode_case(
        "ConversationItemList, 40 items",
        "conversation_item_list.json",
        o.ConversationItemList,
        ("openai.types.conversations", "ConversationItemList"),
        ("last_id",),
    )
    decode_case(
        "Embeddings, float lists (8 x 512)",
        "embeddings_float.json",
        o.CreateEmbeddingResponse,
        ("openai.types", "CreateEmbeddingResponse"),
        ("data", -1, "embedding", -1),
    )
    b64 = load("embeddings_base64.json")
    out.append(
        Case(
            "Embeddings, base64 (8 x 512)",
            "decode",
            b64,
            1,
            base64_embedding_peers(b64),
            _checker((b64,), ("model",)),
        )
    )

    if datagen.SPEC.is_file():  # the Realtime events come from the spec's examples
        import random

        rt_events = tuple(
            datagen.dump(e) for e in datagen_responses.realtime_events(random.Random(seed))
        )
        rt = ("openai.types.realtime", "RealtimeServerEvent")
        peers = list(
            decode_peers(o.RealtimeServerEvent, rt_events, rt, model=False, sdk_path=False)
        )

        def realtime_default() -> Runner:  # the SDK's realtime connection parses events so
            from openai._models import construct_type_unchecked

            t, loads = sdk_type(*rt), json.loads
            return lambda: [construct_type_unchecked(value=loads(e), type_=t) for e in rt_events]

        peers.insert(3, Peer(SDK, realtime_default))
        out.append(
            Case(
                f"Realtime server events x{len(rt_events)}",
                "decode",
                b"\n".join(rt_events),
                len(rt_events),
                tuple(peers),
                _checker(rt_events, ("type",)),
            )
        )

    for name, file, tp, fn, sdk, model in (
        (
            "Chat chunk stream, 8 KB pieces",
            "chat_stream.sse",
            o.CreateChatCompletionStreamResponse,
            "iter_chat_completion_chunks",
            ("openai.types.chat", "ChatCompletionChunk"),
            True,
        ),
        (
            "Responses event stream, 8 KB pieces",
            "responses_stream.sse",
            o.ResponseStreamEvent,
            "iter_response_events",
            ("openai.types.responses", "ResponseStreamEvent"),
            False,
        ),
    ):
        raw = load(file)
        events = tuple(sse_data((raw,)))
        out.append(
            Case(
                name,
                "stream",
                raw,
                len(events),
                stream_peers(tp, datagen.pieces(raw), fn, sdk, model=model),
                _checker(events, ("type",) if not model else ("id",)),
            )
        )

    for name, file, endpoint in (
        ("Chat batch output, 40 lines", "batch_chat.jsonl", "/v1/chat/completions"),
        ("Responses batch output, 20 lines", "batch_responses.jsonl", "/v1/responses"),
    ):
        raw = load(file)
        lines = tuple(raw.splitlines())
        out.append(
            Case(
                name,
                "batch",
                raw,
                len(lines),
                batch_peers(raw, endpoint),
                _checker(lines, ("custom_id",)),
            )
        )

    out += structured_cases()

    for name, file, tp, sdk, model in (
        ("encode ChatCompletion text-heavy", "chat_text.json", ccr, chat, True),
        ("encode Response", "response_tools.json", o.Response, resp, True),
        (
            "encode CreateResponse",
            "create_response.json",
            o.CreateResponse,
            ("openai.types.responses.response_create_params", "ResponseCreateParamsNonStreaming"),
            False,
        ),
        (
            "encode CreateChatCompletionRequest",
            "chat_request.json",
            o.CreateChatCompletionRequest,
            ("openai.types.chat.completion_create_params", "CompletionCreateParamsNonStreaming"),
            False,
        ),
    ):
        data = load(file)
        out.append(
            Case(
                name,
                "encode",
                data,
                1,
                encode_peers(tp, data, sdk, model=model),
                _encode_checker(data),
            )
        )
    return out


def structured_cases() -> list[Case]:
    """Structured outputs (``structured.py``): a response and a chat completion parsed into
    the plan they hold, against the SDK's parse path; a chat stream of the plan read with
    ``PartialJSON`` after every delta, against its ``ChatCompletionStreamState``; the same
    stream 4x longer, ours alone (its time over the 2,000-delta case's is the growth)."""
    import structured as so

    plan = so.plan_json(5_000)
    want = json.loads(plan)

    def check(peer: str, out: Any) -> None:
        assert so.parsed_plan(out) == want, f"{peer}: a different plan"
        if peer == OURS:
            assert isinstance(out[1], so.Plan)

    out: list[Case] = []
    for name, body, ours, limit, sdk in (
        ("Response + 5 KB structured output, parsed", so.response_body(plan),
         so.ours_parse_response, so.limit_parse_response, so.sdk_parse_response),
        ("ChatCompletion + 5 KB structured output, parsed", so.chat_body(plan),
         so.ours_parse_chat, so.limit_parse_chat, so.sdk_parse_chat),
    ):  # fmt: skip
        peers = (
            Peer(OURS, lambda b=body, f=ours: f(b)),
            Peer(LIMIT, lambda b=body, f=limit: f(b)),
            Peer(VALIDATE, lambda b=body, f=sdk: f(b, True)),
            Peer(SDK, lambda b=body, f=sdk: f(b, False)),
        )
        out.append(Case(name, "structured", body, 1, peers, check))

    for size, deltas, with_sdk in ((20_000, 2_000, True), (80_000, 8_000, False)):
        text = so.plan_json(size)
        chunks = so.chat_chunks(so.split(text, deltas))
        whole = json.loads(text)

        def check_stream(peer: str, result: Any, whole: Any = whole) -> None:
            assert so.parsed_plan(result) == whole, f"{peer}: a different plan"

        peers = [Peer(OURS, lambda c=chunks: so.ours_partial(c))]
        if with_sdk:
            peers.append(Peer(SDK, lambda c=chunks: so.sdk_partial(c)))
        out.append(
            Case(
                f"Structured chat stream, {deltas:,} deltas ({size // 1000} KB), value each delta",
                "structured",
                b"".join(chunks),
                len(chunks),
                tuple(peers),
                check_stream,
            )
        )
    return out
