"""Seeded Responses API event streams and batch bodies (helpers in ``datagen.py`` and
``datagen_responses.py``), shaped after ``../shared/captures/responses-sse/`` and
``../shared/captures/bodies/*batch-output-responses*``."""

from __future__ import annotations

import random
from typing import Any

from datagen import WORDS, _alnum, _args, _call_id, _hex_id, _schema, _text, sse
from datagen_responses import _output_message, _usage

# --------------------------------------------------------------------------
# Responses event stream and batch bodies


def _plain_response(rng: random.Random, output: list[Any], status: str) -> dict[str, Any]:
    """A Response with the keys and nulls of ``captures/responses-sse/*`` (``response.created``
    and ``response.completed`` carry one each)."""
    created = 1758057212 + rng.randint(0, 10**6)
    done = status == "completed"
    return {
        "id": _hex_id(rng, "resp"),
        "object": "response",
        "created_at": created,
        "status": status,
        "background": False,
        "completed_at": created + 9 if done else None,
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
        "reasoning": {"effort": "medium", "summary": "auto"},
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
                "description": "Current weather for a city.",
                "parameters": _schema(rng, 2),
                "strict": True,
            }
        ],
        "top_logprobs": 0,
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": _usage(rng) if done else None,
        "user": None,
        "metadata": {},
    }


def batch_response_body(rng: random.Random) -> dict[str, Any]:
    """The ``response.body`` of a ``/v1/responses`` batch line: one assistant message."""
    return _plain_response(rng, [_output_message(rng)], "completed")


def response_events(rng: random.Random, n_text: int = 300) -> list[dict[str, Any]]:
    """One streamed Response, event by event, as the ``responses-sse`` captures run: created,
    in_progress, a reasoning item with a summary streamed in deltas, a message streamed in
    ``n_text`` text deltas, a function call whose arguments arrive in pieces, completed."""
    seq = iter(range(10**6))
    events: list[dict[str, Any]] = []

    def emit(kind: str, **fields: Any) -> None:
        events.append({"type": kind, "sequence_number": next(seq), **fields})

    def obfuscation() -> str:
        return _alnum(rng, rng.randint(1, 15))

    start = _plain_response(rng, [], "in_progress")
    emit("response.created", response=start)
    emit("response.in_progress", response=start)

    summary = _text(rng, 30, 60)
    rs = {"id": _hex_id(rng, "rs"), "type": "reasoning", "summary": []}
    emit("response.output_item.added", output_index=0, item=rs)
    ids = {"item_id": rs["id"], "output_index": 0, "summary_index": 0}
    emit("response.reasoning_summary_part.added", **ids, part={"type": "summary_text", "text": ""})
    words = summary.split(" ")
    for i, w in enumerate(words):
        emit(
            "response.reasoning_summary_text.delta",
            **ids,
            delta=w if i == 0 else " " + w,
            obfuscation=obfuscation(),
        )
    emit("response.reasoning_summary_text.done", **ids, text=summary)
    part = {"type": "summary_text", "text": summary}
    emit("response.reasoning_summary_part.done", **ids, part=part)
    rs_done = rs | {"summary": [part]}
    emit("response.output_item.done", output_index=0, item=rs_done)

    msg_id = _hex_id(rng, "msg")
    msg = {
        "id": msg_id,
        "type": "message",
        "status": "in_progress",
        "content": [],
        "role": "assistant",
    }
    emit("response.output_item.added", output_index=1, item=msg)
    ids = {"item_id": msg_id, "output_index": 1, "content_index": 0}
    empty = {"type": "output_text", "annotations": [], "logprobs": [], "text": ""}
    emit("response.content_part.added", **ids, part=empty)
    toks = [rng.choice(WORDS) for _ in range(n_text)]
    deltas = [t if i == 0 else " " + t for i, t in enumerate(toks)]
    for d in deltas:
        emit("response.output_text.delta", **ids, delta=d, logprobs=[], obfuscation=obfuscation())
    text = "".join(deltas)
    emit("response.output_text.done", **ids, text=text, logprobs=[])
    full = empty | {"text": text}
    emit("response.content_part.done", **ids, part=full)
    msg_done = msg | {"status": "completed", "content": [full]}
    emit("response.output_item.done", output_index=1, item=msg_done)

    call = {
        "id": _hex_id(rng, "fc"),
        "type": "function_call",
        "status": "in_progress",
        "arguments": "",
        "call_id": _call_id(rng),
        "name": "get_weather",
    }
    emit("response.output_item.added", output_index=2, item=call)
    args = _args(rng)
    for i in range(0, len(args), 5):
        emit(
            "response.function_call_arguments.delta",
            item_id=call["id"],
            output_index=2,
            delta=args[i : i + 5],
            obfuscation=obfuscation(),
        )
    emit(
        "response.function_call_arguments.done", item_id=call["id"], output_index=2, arguments=args
    )
    call_done = call | {"status": "completed", "arguments": args}
    emit("response.output_item.done", output_index=2, item=call_done)

    end = start | {"status": "completed", "completed_at": start["created_at"] + 9}
    end |= {"output": [rs_done, msg_done, call_done], "usage": _usage(rng)}
    emit("response.completed", response=end)
    return events


def responses_stream(rng: random.Random, n_text: int = 300) -> bytes:
    """:func:`response_events` framed as the API streams them (``event:`` then ``data:``)."""
    return sse([(e["type"], e) for e in response_events(rng, n_text)])
