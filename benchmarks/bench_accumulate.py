"""Accumulators on long streams: cost per delta, and against the official SDK.

Two streams of N text deltas (N = 2,000 and 20,000), decoded into typed
objects once, outside the timing:

- chat: ``CreateChatCompletionStreamResponse`` chunks of one choice, each
  with a few characters of content;
- Responses: ``response.created``, one message item and content part, then N
  ``response.output_text.delta`` events.

Peers, each timed from the first chunk to the final object:

- ``ours``: :class:`~openai_structs.ChatCompletionAccumulator` /
  :class:`~openai_structs.ResponseAccumulator`, ``add`` each then ``result()``;
- ``ours+snapshot``: the same, with a ``snapshot()`` after every 100 deltas;
- ``SDK``: the official SDK's ``ChatCompletionStreamState`` /
  ``ResponseStreamState`` on its own models of the same chunks (2,000 only:
  its per-chunk cost grows with the text, so 20,000 takes minutes).

Linear cost shows as the same time per delta at 2,000 and 20,000 deltas.
``python benchmarks/bench_accumulate.py`` prints those figures without pytest.
Every body checks the text it built, so ``--benchmark-disable`` runs test it.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openai_structs
from openai_structs import (
    ChatCompletionAccumulator,
    CreateChatCompletionStreamResponse,
    ResponseAccumulator,
    ResponseStreamEvent,
)

SIZES = [2000, 20000]


def piece(i: int) -> str:
    return f"w{i % 97} "


def expected_text(n: int) -> str:
    return "".join(piece(i) for i in range(n))


@functools.cache
def chat_payloads(n: int) -> list[bytes]:
    head = {"id": "chatcmpl-b", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    out = [{**head, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                  "finish_reason": None}]}]  # fmt: skip
    for i in range(n):
        out.append({**head, "choices": [{"index": 0, "delta": {"content": piece(i)},
                                         "finish_reason": None}]})  # fmt: skip
    out.append({**head, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return [json.dumps(doc).encode() for doc in out]


@functools.cache
def response_payloads(n: int) -> list[bytes]:
    response = {
        "id": "resp_b", "object": "response", "created_at": 1, "status": "in_progress",
        "model": "m", "output": [], "metadata": {}, "temperature": None, "top_p": None,
        "tools": [], "tool_choice": "auto", "error": None, "incomplete_details": None,
        "instructions": None, "parallel_tool_calls": True,
    }  # fmt: skip
    item = {"type": "message", "id": "msg_b", "role": "assistant", "status": "in_progress",
            "content": []}  # fmt: skip
    where = {"item_id": "msg_b", "output_index": 0}
    out: list[dict[str, Any]] = [
        {"type": "response.created", "sequence_number": 0, "response": response},
        {"type": "response.output_item.added", "sequence_number": 1, "output_index": 0,
         "item": item},
        {"type": "response.content_part.added", "sequence_number": 2, **where, "content_index": 0,
         "part": {"type": "output_text", "text": "", "annotations": []}},
    ]  # fmt: skip
    for i in range(n):
        out.append({"type": "response.output_text.delta", "sequence_number": 3 + i, **where,
                    "content_index": 0, "delta": piece(i), "logprobs": []})  # fmt: skip
    return [json.dumps(doc).encode() for doc in out]


@functools.cache
def typed(kind: str, n: int, impl: str) -> list[Any]:
    """The stream's objects as ``impl`` takes them (ours or the SDK's models)."""
    if kind == "chat":
        payloads = chat_payloads(n)
        if impl == "SDK":
            from openai.types.chat import ChatCompletionChunk

            return [ChatCompletionChunk.model_validate_json(p) for p in payloads]
        return [openai_structs.decode(p, CreateChatCompletionStreamResponse) for p in payloads]
    payloads = response_payloads(n)
    if impl == "SDK":
        from openai._models import construct_type
        from openai.types.responses import ResponseStreamEvent as SDKEvent

        return [construct_type(type_=SDKEvent, value=json.loads(p)) for p in payloads]
    return [openai_structs.decode(p, ResponseStreamEvent) for p in payloads]


def run_chat(impl: str, items: list[Any]) -> str | None:
    if impl == "SDK":
        from openai.lib.streaming.chat import ChatCompletionStreamState

        state: Any = ChatCompletionStreamState()
        for chunk in items:
            state.handle_chunk(chunk)
        return state.get_final_completion().choices[0].message.content
    acc = ChatCompletionAccumulator()
    every = 100 if impl == "ours+snapshot" else 0
    for i, chunk in enumerate(items):
        acc.add(chunk)
        if every and i % every == 0:
            acc.snapshot()
    return acc.result().choices[0].message.content


def run_responses(impl: str, items: list[Any]) -> str:
    if impl == "SDK":
        from openai import omit
        from openai.lib.streaming.responses import ResponseStreamState

        state: Any = ResponseStreamState(input_tools=omit, text_format=omit)
        for event in items:
            state.handle_event(event)
        snapshot: Any = state._ResponseStreamState__current_snapshot  # type: ignore[attr-defined]
        return snapshot.output[0].content[0].text
    acc = ResponseAccumulator()
    every = 100 if impl == "ours+snapshot" else 0
    for i, event in enumerate(items):
        acc.add(event)
        if every and i % every == 0:
            acc.snapshot()
    return acc.result().output[0].content[0].text  # type: ignore[union-attr]


RUNNERS: dict[str, Callable[[str, list[Any]], Any]] = {"chat": run_chat, "responses": run_responses}
CASES = [
    (kind, n, impl)
    for kind in RUNNERS
    for n in SIZES
    for impl in ("ours", "ours+snapshot", "SDK")
    if not (impl == "SDK" and n > 2000)
]


@pytest.mark.parametrize(("kind", "n", "impl"), CASES, ids=[f"{k}-{n}-{i}" for k, n, i in CASES])
def test_accumulate(benchmark: Any, kind: str, n: int, impl: str) -> None:
    if impl == "SDK":
        pytest.importorskip("openai")
    benchmark.group = f"accumulate {kind}: {n} deltas"
    items = typed(kind, n, impl)
    text = benchmark(RUNNERS[kind], impl, items)
    assert text == expected_text(n)


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    print("per delta, best of 7 (us); linear = same cost per delta at 2k and 20k")
    for kind, runner in RUNNERS.items():
        per: dict[tuple[int, str], float] = {}
        for n, impl in [(2000, "ours"), (20000, "ours"), (2000, "ours+snapshot"),
                        (20000, "ours+snapshot"), (2000, "SDK")]:  # fmt: skip
            items = typed(kind, n, impl)
            assert runner(impl, items) == expected_text(n)
            per[n, impl] = best(functools.partial(runner, impl, items), 7) / n * 1e6
        print(
            f"{kind:9s} ours {per[2000, 'ours']:.2f} -> {per[20000, 'ours']:.2f} us"
            f" (20k/2k {per[20000, 'ours'] / per[2000, 'ours']:.2f});"
            f" +snapshot/100 {per[2000, 'ours+snapshot']:.2f} -> {per[20000, 'ours+snapshot']:.2f}"
            f" (20k/2k {per[20000, 'ours+snapshot'] / per[2000, 'ours+snapshot']:.2f});"
            f" SDK at 2k {per[2000, 'SDK']:.1f} us = {per[2000, 'SDK'] / per[2000, 'ours']:.0f}x"
        )


if __name__ == "__main__":
    main()
