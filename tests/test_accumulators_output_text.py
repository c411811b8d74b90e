"""The accumulators' ``output_text``: the text so far, the same as the result's, and
the text a ``PartialJSON`` fed the same deltas reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _stream_events import captures, chat_chunks, response_events

from openai_structs import (
    ChatCompletionAccumulator,
    PartialJSON,
    ResponseAccumulator,
    output_text,
)

ROOT = Path(__file__).resolve().parents[1]


def test_chat_output_text_follows_the_content() -> None:
    raw = b"".join(
        b"data: " + line + b"\n\n"
        for line in (ROOT / "data" / "chat_completion_chunks.jsonl").read_bytes().splitlines()
    )
    acc = ChatCompletionAccumulator()
    assert acc.output_text() == ""
    texts = []
    for chunk in chat_chunks(raw):
        acc.add(chunk)
        texts.append(acc.output_text())
    final = acc.result().choices[0].message.content or ""
    assert texts[-1] == final
    assert all(final.startswith(t) for t in texts)
    assert acc.output_text(choice=7) == ""


# (the stream that ends in an API error raises before it has output text)
STREAMS = [p for p in captures("responses-sse") if "error" not in p.name]


@pytest.mark.parametrize("path", STREAMS, ids=lambda p: p.name)
def test_response_output_text_follows_the_stream(path: Path) -> None:
    acc = ResponseAccumulator()
    for event in response_events(path.read_bytes()):
        acc.add(event)
        text = acc.output_text()
        assert text == output_text(acc.snapshot())
    assert acc.output_text() == output_text(acc.result())


def test_partial_json_reads_what_the_accumulator_holds() -> None:
    plan = {"title": "Lisbon", "days": [{"day": 1, "sights": ["tram", "castle"]}]}
    text = json.dumps(plan)
    deltas = [text[i : i + 7] for i in range(0, len(text), 7)]
    events = [
        {
            "type": "response.output_text.delta",
            "sequence_number": i,
            "item_id": "msg_1",
            "output_index": 0,
            "content_index": 0,
            "delta": d,
            "logprobs": [],
        }
        for i, d in enumerate(deltas)
    ]
    acc = ResponseAccumulator()
    partial = PartialJSON()
    raw = b"".join(b"data: " + json.dumps(e).encode() + b"\n\n" for e in events)
    for event in response_events(raw):
        acc.add(event)
        partial.feed(event.delta)  # type: ignore[union-attr]
        whole = PartialJSON()  # the same text in one piece reads the same value
        whole.feed(acc.output_text())
        assert partial.value == whole.value
    assert acc.output_text() == text and partial.close() == plan
