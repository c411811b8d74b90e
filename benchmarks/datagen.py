"""A seeded generator of realistic OpenAI payloads for the benchmarks.

Every payload comes from ``random.Random(seed)``, so each run times the same bytes. Shapes
follow the recordings in ``../shared/captures/`` (key order, id formats, which fields are
null, how a stream is framed) without copying them: ids, texts, numbers and vectors are
drawn here. Only fields the spec declares are used, so each document decodes into the
generated types with ``strict=True`` and encodes back to the same JSON value.

This module holds the shared helpers and the Chat Completions, embeddings, stream and batch
payloads; the Responses API, Realtime and request payloads are in ``datagen_responses.py``,
the Responses event stream in ``datagen_events.py``.

Small samples of each kind are committed under ``data/bench/`` (``python benchmarks/datagen.py
--write-samples`` rewrites them). Large batch files are ``batch_files.py``'s.
"""

from __future__ import annotations

import base64
import json
import random
import struct
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SAMPLES = DATA / "bench"
SPEC = ROOT.parent / "shared" / "spec" / "openapi.json"
SEED = 20261125
PIECE = 8192  # streams are fed in pieces of this many bytes, as a socket read hands them over

_WORDS = (
    "the a of to and in is for on with that by this from as be are at or it an was model "
    "request token stream output input tool call function search file result user assistant "
    "weather Lisbon Porto booking calendar invoice order refund shipping status report "
    "summary quarterly revenue customer account balance image audio transcript note meeting "
    "agenda deadline review draft policy release version update error retry latency cache "
    "region"
)
WORDS = tuple(_WORDS.split())
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


# --------------------------------------------------------------------------
# Helpers


def dump(obj: Any) -> bytes:
    """Compact JSON, as the API sends it."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def _hex_id(rng: random.Random, prefix: str, n: int = 50) -> str:
    return f"{prefix}_{rng.getrandbits(n * 4):0{n}x}"


def _alnum(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALNUM) for _ in range(n))


def _call_id(rng: random.Random) -> str:
    return "call_" + _alnum(rng, 24)


def _text(rng: random.Random, lo: int, hi: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return (" ".join(words).capitalize() + ".") if words else ""


def _schema(rng: random.Random, n: int) -> dict[str, Any]:
    """A JSON schema for function parameters, as tools in the captures send them."""
    props = {}
    for i in range(n):
        kind = rng.choice(["string", "integer", "number", "boolean", "enum"])
        name = f"{rng.choice(WORDS)}_{i}"
        if kind == "enum":
            props[name] = {"type": "string", "enum": ["low", "medium", "high"]}
        else:
            props[name] = {"type": kind, "description": _text(rng, 3, 8)}
    return {
        "type": "object",
        "properties": props,
        "required": sorted(props),
        "additionalProperties": False,
    }


def _args(rng: random.Random) -> str:
    return json.dumps(
        {"location": rng.choice(["Lisbon", "Porto", "Faro"]), "days": rng.randint(1, 7)}
    )


def sse(events: list[tuple[str | None, dict[str, Any]]], *, done: bool = False) -> bytes:
    """Frame events as a server-sent event stream: ``event:`` line if named, ``data:``
    line, blank line; the chat stream ends with ``data: [DONE]``."""
    out = []
    for name, data in events:
        head = f"event: {name}\n".encode() if name else b""
        out.append(head + b"data: " + dump(data) + b"\n\n")
    if done:
        out.append(b"data: [DONE]\n\n")
    return b"".join(out)


def pieces(data: bytes, size: int = PIECE) -> tuple[bytes, ...]:
    """``data`` cut in ``size``-byte pieces, cutting through lines and UTF-8 sequences alike."""
    return tuple(data[i : i + size] for i in range(0, len(data), size))


# --------------------------------------------------------------------------
# Chat Completions


def _tokens(rng: random.Random, n: int) -> list[str]:
    """``n`` word tokens as a tokenizer splits prose: a leading space on all but the first."""
    words = [rng.choice(WORDS) for _ in range(n)]
    return [w if i == 0 else " " + w for i, w in enumerate(words)]


def _logprob(rng: random.Random, token: str, top: int) -> dict[str, Any]:
    def entry(tok: str) -> dict[str, Any]:
        lp = -round(rng.expovariate(3.0), 8)
        return {"token": tok, "logprob": lp, "bytes": list(tok.encode())}

    first = entry(token)
    others = [entry(" " + rng.choice(WORDS)) for _ in range(top - 1)]
    return first | {"top_logprobs": [dict(first), *others]}


def _chat_usage(rng: random.Random, completion: int) -> dict[str, Any]:
    prompt = rng.randint(20, 3000)
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
        "prompt_tokens_details": {"cached_tokens": rng.choice([0, 0, 1024]), "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }


def chat_completion(rng: random.Random, kind: str = "small") -> dict[str, Any]:
    """A chat completion as ``captures/bodies/oll-chat-n2-choices.json`` lays it out.

    ``small``: one short answer; ``text``: four long answers (``n=4``); ``logprobs``: one
    answer of 300 tokens with ``top_logprobs=3``.
    """
    n_choices, lo, hi = {"small": (1, 15, 40), "text": (4, 700, 900), "logprobs": (1, 300, 300)}[
        kind
    ]
    choices = []
    total = 0
    for index in range(n_choices):
        toks = _tokens(rng, rng.randint(lo, hi))
        total += len(toks)
        logprobs = None
        if kind == "logprobs":
            logprobs = {"content": [_logprob(rng, t, 3) for t in toks], "refusal": None}
        choices.append(
            {
                "index": index,
                "message": {
                    "role": "assistant",
                    "content": "".join(toks).capitalize() + ".",
                    "refusal": None,
                    "annotations": [],
                },
                "logprobs": logprobs,
                "finish_reason": "stop",
            }
        )
    return {
        "id": "chatcmpl-" + _alnum(rng, 29),
        "object": "chat.completion",
        "created": 1731368643 + rng.randint(0, 10**7),
        "model": "gpt-4o-2024-08-06",
        "choices": choices,
        "usage": _chat_usage(rng, total),
        "service_tier": "default",
        "system_fingerprint": "fp_" + _alnum(rng, 10).lower(),
    }


def chat_chunks(rng: random.Random, n_text: int = 400) -> list[dict[str, Any]]:
    """One streamed chat completion, as ``captures/chat-sse/otel-two-tool-calls-usage.sse``
    frames it (``stream_options.include_usage``): a role chunk, ``n_text`` text deltas, a
    tool call whose arguments arrive in pieces, the ``finish_reason`` chunk and the final
    usage-only chunk."""
    head = {
        "id": "chatcmpl-" + _alnum(rng, 29),
        "object": "chat.completion.chunk",
        "created": 1731368643 + rng.randint(0, 10**7),
        "model": "gpt-4o-mini-2024-07-18",
        "service_tier": "default",
        "system_fingerprint": "fp_" + _alnum(rng, 10).lower(),
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return head | {"usage": None, "choices": [choice]}

    out = [chunk({"role": "assistant", "content": "", "refusal": None})]
    out += [chunk({"content": t}) for t in _tokens(rng, n_text)]
    call = {"id": _call_id(rng), "type": "function", "function": {"name": "get_weather"}}
    call["function"]["arguments"] = ""
    out.append(chunk({"tool_calls": [{"index": 0} | call]}))
    args = _args(rng)
    for i in range(0, len(args), 4):
        out.append(
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": args[i : i + 4]}}]})
        )
    out.append(chunk({}, "tool_calls"))
    out.append(head | {"choices": [], "usage": _chat_usage(rng, n_text + 12)})
    return out


def chat_stream(rng: random.Random, n_text: int = 400) -> bytes:
    """:func:`chat_chunks` framed as the API streams them, ending in ``data: [DONE]``."""
    return sse([(None, c) for c in chat_chunks(rng, n_text)], done=True)


# --------------------------------------------------------------------------
# Embeddings


def embeddings(rng: random.Random, n: int = 8, dim: int = 512, *, b64: bool = False) -> dict:
    """A ``text-embedding-3-small`` response; ``b64`` sends each vector as base64 of
    little-endian float32, as ``encoding_format="base64"`` (the SDK's default) asks."""
    data = []
    for index in range(n):
        vec = [round(rng.gauss(0.0, 0.05), 9) for _ in range(dim)]
        if b64:
            emb: Any = base64.b64encode(struct.pack(f"<{dim}f", *vec)).decode()
        else:
            emb = vec
        data.append({"object": "embedding", "index": index, "embedding": emb})
    tokens = rng.randint(8 * n, 60 * n)
    return {
        "object": "list",
        "data": data,
        "model": "text-embedding-3-small",
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
    }


# --------------------------------------------------------------------------
# Batch output files


def batch_lines(rng: random.Random, n: int, endpoint: str) -> bytes:
    """A Batch API output file as ``captures/bodies/*batch-output*.jsonl`` lay it out: one
    line per request, ``response.body`` a chat completion or a Response."""
    from datagen_events import batch_response_body

    out = []
    for i in range(n):
        if endpoint == "/v1/chat/completions":
            body = chat_completion(rng, "small")
        else:
            body = batch_response_body(rng)
        line = {
            "id": "batch_req_" + f"{rng.getrandbits(128):032x}",
            "custom_id": f"request-{i}",
            "response": {
                "status_code": 200,
                "request_id": f"{rng.getrandbits(128):032x}",
                "body": body,
            },
            "error": None,
        }
        out.append(json.dumps(line, ensure_ascii=False).encode())  # the captures use ", " and ": "
    return b"\n".join(out) + b"\n"


# --------------------------------------------------------------------------
# Committed samples


def samples(seed: int = SEED) -> dict[str, bytes]:
    """The small samples committed under ``data/bench/``, by file name."""
    import datagen_events as e
    import datagen_responses as r

    rng = random.Random(seed)
    return {
        "chat_small.json": dump(chat_completion(rng, "small")),
        "chat_text.json": dump(chat_completion(rng, "text")),
        "chat_logprobs.json": dump(chat_completion(rng, "logprobs")),
        "response_tools.json": dump(r.response_all_tools(rng)),
        "create_response.json": dump(r.create_response(rng)),
        "chat_request.json": dump(r.chat_request(rng)),
        "response_item_list.json": dump(r.item_list(rng, 40)),
        "conversation_item_list.json": dump(r.item_list(rng, 40)),
        "embeddings_float.json": dump(embeddings(rng)),
        "embeddings_base64.json": dump(embeddings(rng, b64=True)),
        "chat_stream.sse": chat_stream(rng),
        "responses_stream.sse": e.responses_stream(rng),
        "batch_chat.jsonl": batch_lines(rng, 40, "/v1/chat/completions"),
        "batch_responses.jsonl": batch_lines(rng, 20, "/v1/responses"),
    }


def load(name: str) -> bytes:
    """One committed sample; built afresh (same bytes) if the file is missing."""
    path = SAMPLES / name
    return path.read_bytes() if path.is_file() else samples()[name]


def write_samples() -> None:
    SAMPLES.mkdir(parents=True, exist_ok=True)
    for name, data in samples().items():
        (SAMPLES / name).write_bytes(data)
        print(f"{name:30} {len(data):8} bytes")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if "--write-samples" in sys.argv:
        write_samples()
    else:
        print(__doc__)
