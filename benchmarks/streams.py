"""Seeded SSE streams for the stream benchmarks, shaped like the recorded ones.

``chat_stream(n)`` is a chat completion stream of ``n`` chunks plus ``[DONE]``
in the shape of ``../shared/captures/chat-sse`` (gpt-4o chunks: a role chunk,
content deltas, some with logprobs, a tool call streamed in argument
fragments, a finish chunk and a usage chunk, ``obfuscation`` on each).
``responses_stream(n)`` is a Responses stream of about ``n`` events in the
shape of ``../shared/captures/responses-sse`` (``event:`` + ``data:`` lines;
created, in_progress, a reasoning item with summary deltas, a message with
text deltas, a function call with argument deltas, completed). Both return
``(body, payloads)``: the stream's bytes and each event's data, in order.
"""

from __future__ import annotations

import json
import random
from typing import Any

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "it",
    "for",
    "on",
    "with",
    "as",
    "was",
    "by",
    "at",
    "be",
    "this",
    "from",
    "or",
    "an",
    "are",
    "not",
    "stream",
    "token",
    "model",
    "délai",
    "東京",
    "naïve",
    "émoji",
    "🙂",
    "a",
    "é",
    "z",
    "reply",
    "answer",
]


def _text(rng: random.Random) -> str:
    return "".join(" " + rng.choice(WORDS) for _ in range(rng.randint(1, 3)))


def _obf(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijKLMNOP0123") for _ in range(rng.randint(2, 12)))


def _dump(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def chat_stream(n: int = 600, *, seed: int = 7) -> tuple[bytes, list[bytes]]:
    rng = random.Random(seed)
    head = {
        "id": "chatcmpl-ASYMaNc7XmbGRUNREnmvhyyISBHsv",
        "object": "chat.completion.chunk",
        "created": 1731368640,
        "model": "gpt-4o-mini-2024-07-18",
        "service_tier": "default",
        "system_fingerprint": "fp_0ba0d124f1",
    }
    payloads: list[bytes] = []

    def chunk(delta: dict[str, Any], finish: str | None = None, logprobs: Any = None) -> None:
        choice = {"index": 0, "delta": delta, "logprobs": logprobs, "finish_reason": finish}
        body = {**head, "choices": [choice], "usage": None, "obfuscation": _obf(rng)}
        payloads.append(_dump(body))

    chunk({"role": "assistant", "content": "", "refusal": None})
    tool_at = n * 2 // 3
    for i in range(1, n - 2):
        if i < tool_at:
            text = _text(rng)
            logprobs = None
            if rng.random() < 0.2:
                top = [
                    {"token": _text(rng), "logprob": -rng.random() * 5, "bytes": None}
                    for _ in range(2)
                ]
                logprobs = {
                    "content": [
                        {
                            "token": text,
                            "logprob": -rng.random(),
                            "bytes": None,
                            "top_logprobs": top,
                        }
                    ],
                    "refusal": None,
                }
            chunk({"content": text}, logprobs=logprobs)
        elif i == tool_at:
            call = {
                "index": 0,
                "id": "call_4SJ0bYe3T2E7QpyVb3Cj2OZL",
                "type": "function",
                "function": {"name": "get_weather", "arguments": ""},
            }
            chunk({"tool_calls": [call]})
        else:
            frag = json.dumps(_text(rng))[1:-1]
            chunk({"tool_calls": [{"index": 0, "function": {"arguments": frag}}]})
    chunk({}, finish="tool_calls")
    usage = {
        "prompt_tokens": 25,
        "completion_tokens": n,
        "total_tokens": n + 25,
        "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
        "completion_tokens_details": {
            "reasoning_tokens": 0,
            "audio_tokens": 0,
            "accepted_prediction_tokens": 0,
            "rejected_prediction_tokens": 0,
        },
    }
    payloads.append(_dump({**head, "choices": [], "usage": usage, "obfuscation": _obf(rng)}))
    body = b"".join(b"data: " + p + b"\n\n" for p in payloads) + b"data: [DONE]\n\n"
    return body, payloads


def _response(status: str, output: list[Any]) -> dict[str, Any]:
    return {
        "id": "resp_006dcb10dc68b990006931d756c6fc819ba28a90e19a504ee0",
        "object": "response",
        "created_at": 1764874070,
        "status": status,
        "background": False,
        "error": None,
        "incomplete_details": None,
        "instructions": "You are a helpful assistant.",
        "max_output_tokens": None,
        "max_tool_calls": None,
        "model": "gpt-5-2025-08-07",
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "prompt_cache_key": None,
        "reasoning": {"effort": "medium", "summary": "detailed"},
        "safety_identifier": None,
        "service_tier": "default",
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [
            {
                "type": "function",
                "name": "get_weather",
                "description": "Weather for a city.",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string"}},
                    "required": ["city"],
                    "additionalProperties": False,
                },
                "strict": True,
            }
        ],
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": None,
        "user": None,
        "metadata": {},
    }


def responses_stream(n: int = 600, *, seed: int = 11) -> tuple[bytes, list[bytes]]:
    rng = random.Random(seed)
    events: list[dict[str, Any]] = []

    def ev(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "sequence_number": len(events), **fields})

    ev("response.created", response=_response("in_progress", []))
    ev("response.in_progress", response=_response("in_progress", []))
    n_reason, n_text = n // 4, n // 2
    n_args = n - n_reason - n_text - 16
    rs = {"id": "rs_01", "type": "reasoning", "summary": []}
    ev("response.output_item.added", output_index=0, item=rs)
    part = {"type": "summary_text", "text": ""}
    ev(
        "response.reasoning_summary_part.added",
        item_id="rs_01",
        output_index=0,
        summary_index=0,
        part=part,
    )
    summary = []
    for _ in range(n_reason):
        d = _text(rng)
        summary.append(d)
        ev(
            "response.reasoning_summary_text.delta",
            item_id="rs_01",
            output_index=0,
            summary_index=0,
            delta=d,
            obfuscation=_obf(rng),
        )
    s = "".join(summary)
    ev(
        "response.reasoning_summary_text.done",
        item_id="rs_01",
        output_index=0,
        summary_index=0,
        text=s,
    )
    part = {"type": "summary_text", "text": s}
    ev(
        "response.reasoning_summary_part.done",
        item_id="rs_01",
        output_index=0,
        summary_index=0,
        part=part,
    )
    rs_done = {**rs, "summary": [part]}
    ev("response.output_item.done", output_index=0, item=rs_done)
    msg = {
        "id": "msg_01",
        "type": "message",
        "status": "in_progress",
        "content": [],
        "role": "assistant",
    }
    ev("response.output_item.added", output_index=1, item=msg)
    empty = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
    ev("response.content_part.added", item_id="msg_01", output_index=1, content_index=0, part=empty)
    text = []
    for _ in range(n_text):
        d = _text(rng)
        text.append(d)
        ev(
            "response.output_text.delta",
            item_id="msg_01",
            output_index=1,
            content_index=0,
            delta=d,
            logprobs=[],
            obfuscation=_obf(rng),
        )
    t = "".join(text)
    ev(
        "response.output_text.done",
        item_id="msg_01",
        output_index=1,
        content_index=0,
        text=t,
        logprobs=[],
    )
    full = {**empty, "text": t}
    ev("response.content_part.done", item_id="msg_01", output_index=1, content_index=0, part=full)
    msg_done = {**msg, "status": "completed", "content": [full]}
    ev("response.output_item.done", output_index=1, item=msg_done)
    fc = {
        "id": "fc_01",
        "type": "function_call",
        "status": "in_progress",
        "arguments": "",
        "call_id": "call_01",
        "name": "get_weather",
    }
    ev("response.output_item.added", output_index=2, item=fc)
    args = []
    for _ in range(n_args):
        d = json.dumps(_text(rng))[1:-1]
        args.append(d)
        ev(
            "response.function_call_arguments.delta",
            item_id="fc_01",
            output_index=2,
            delta=d,
            obfuscation=_obf(rng),
        )
    a = "".join(args)
    ev("response.function_call_arguments.done", item_id="fc_01", output_index=2, arguments=a)
    fc_done = {**fc, "status": "completed", "arguments": a}
    ev("response.output_item.done", output_index=2, item=fc_done)
    final = _response("completed", [rs_done, msg_done, fc_done])
    final["usage"] = {
        "input_tokens": 40,
        "input_tokens_details": {"cached_tokens": 0},
        "output_tokens": n,
        "output_tokens_details": {"reasoning_tokens": n_reason},
        "total_tokens": n + 40,
    }
    ev("response.completed", response=final)
    payloads = [_dump(e) for e in events]
    body = b"".join(
        b"event: " + e["type"].encode() + b"\ndata: " + p + b"\n\n"
        for e, p in zip(events, payloads)
    )
    return body, payloads


def chunked(body: bytes, size: int = 8192) -> list[bytes]:
    """``body`` cut in pieces of ``size`` bytes, as a socket read would give."""
    return [body[i : i + size] for i in range(0, len(body), size)]
