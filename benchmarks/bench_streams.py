"""Typed SSE streams against the official SDK's stream path and against "the limit".

Two streams from ``streams.py`` (seeded, in the shape of the recorded ones), each cut in
8 KB chunks as a socket read gives them:

- chat: 600 ``data: {chunk}`` events and ``[DONE]``;
- responses: 600 ``event: name`` + ``data: {event}`` events.

Three peers per stream:

- ``openai_structs``: ``iter_chat_completion_chunks`` / ``iter_response_events`` over the
  chunks: framing, decoding, refining, everything;
- ``limit``: a bare ``msgspec.json.Decoder`` of the same type decoding each event's
  payload, already cut out of the stream (one call per event, no framing at all);
- ``openai SDK``: the SDK's own stream path, its ``SSEDecoder`` over the same chunks and
  ``construct_type`` of its pydantic model for each event (what ``Stream.__iter__`` does).

Each body checks what it produced, so a broken peer fails under ``--benchmark-disable``
too. ``python benchmarks/bench_streams.py`` prints the two ratios per stream without
pytest (best of N runs, interleaved).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # streams.py, and this checkout's package
from streams import chat_stream, chunked, responses_stream

import openai_structs
from openai_structs.streams import iter_chat_completion_chunks, iter_response_events

N_EVENTS = 600
PEERS = ["openai_structs", "limit", "openai SDK"]


class Stream:
    def __init__(self, name: str) -> None:
        build = chat_stream if name == "chat" else responses_stream
        self.name = name
        self.body, self.payloads = build(N_EVENTS)
        self.chunks = chunked(self.body, 8192)
        if name == "chat":
            self.type: Any = openai_structs.CreateChatCompletionStreamResponse
            self.ours: Callable[[Any], Any] = iter_chat_completion_chunks
        else:
            self.type = openai_structs.ResponseStreamEvent
            self.ours = iter_response_events

    def peer(self, impl: str) -> Callable[[], list[Any]]:
        """A function running ``impl`` over the whole stream once."""
        if impl == "openai_structs":
            ours, chunks = self.ours, self.chunks
            return lambda: list(ours(chunks))
        if impl == "limit":
            decode = msgspec.json.Decoder(self.type).decode
            payloads = self.payloads
            return lambda: [decode(p) for p in payloads]
        return self._sdk()

    def _sdk(self) -> Callable[[], list[Any]]:
        try:
            from openai._models import construct_type
            from openai._streaming import SSEDecoder
        except ImportError:  # pragma: no cover - the SDK moved things
            pytest.skip("openai SDK stream internals not found")
        if self.name == "chat":
            from openai.types.chat import ChatCompletionChunk as sdk_type
        else:
            from openai.types.responses import ResponseStreamEvent as sdk_type
        chunks = self.chunks

        def run() -> list[Any]:
            out = []
            for sse in SSEDecoder().iter_bytes(iter(chunks)):
                if sse.data.startswith("[DONE]"):
                    break
                out.append(construct_type(type_=sdk_type, value=sse.json()))
            return out

        return run

    def check(self, impl: str, out: list[Any]) -> None:
        assert len(out) == len(self.payloads) >= 500
        if impl == "openai SDK":
            assert [o.model_dump(mode="json", exclude_unset=True) for o in out[:3]] == [
                msgspec.json.decode(p) for p in self.payloads[:3]
            ]
        else:
            as_json = msgspec.json.Decoder().decode
            assert [as_json(openai_structs.encode(v)) for v in out] == list(
                map(as_json, self.payloads)
            )


STREAMS = {name: Stream(name) for name in ("chat", "responses")}


@pytest.mark.parametrize("impl", PEERS)
@pytest.mark.parametrize("name", list(STREAMS))
def test_stream(benchmark: Any, name: str, impl: str) -> None:
    stream = STREAMS[name]
    benchmark.group = (
        f"stream: {name} ({len(stream.payloads)} events, {len(stream.body)} B, 8 KB chunks)"
    )
    out = benchmark(stream.peer(impl))
    stream.check(impl, out)


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def ratios(repeat: int = 30) -> dict[str, dict[str, float]]:
    """Best-of-``repeat`` seconds per peer and stream, the peers interleaved."""
    out: dict[str, dict[str, float]] = {}
    for name, stream in STREAMS.items():
        fns = {impl: stream.peer(impl) for impl in PEERS}
        for impl, fn in fns.items():
            stream.check(impl, fn())
        times = {impl: float("inf") for impl in PEERS}
        for _ in range(repeat):
            for impl, fn in fns.items():
                n = 1 if impl == "openai SDK" else 5
                times[impl] = min(times[impl], best_of(fn, n))
        out[name] = times
    return out


if __name__ == "__main__":
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    for name, t in ratios(repeat).items():
        ours = t["openai_structs"]
        print(
            f"{name:9s} {len(STREAMS[name].payloads)} events: openai_structs {ours * 1e6:7.0f} us"
            f" | limit {t['limit'] * 1e6:6.0f} us -> {t['limit'] / ours:.2f} of the limit"
            f" | SDK {t['openai SDK'] * 1e3:6.1f} ms -> {t['openai SDK'] / ours:.0f}x faster"
        )
