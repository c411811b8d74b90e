"""ResponseAccumulator against each recorded stream's own terminal response.

Fed every event before ``response.completed`` (``incomplete``, ``failed``),
the result's ``output`` must be the terminal event's ``output``. The one
field no accumulator can rebuild is a reasoning or compaction item's
``encrypted_content``: the server encrypts it again for the terminal event
(same length, fresh ciphertext, found in no earlier event), so it is compared
by length.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from _stream_events import captures, response_events, sse_data

import openai_structs
from openai_structs import (
    APIStreamError,
    Response,
    ResponseAccumulator,
    ResponseErrorEvent,
    ResponseStreamEvent,
    UnknownVariant,
)

RESPONSES = captures("responses-sse")
TERMINAL = {"response.completed", "response.incomplete", "response.failed"}


def as_json(value: Any) -> Any:
    return json.loads(openai_structs.encode(value))


def same_output(mine: list[Any], want: list[Any]) -> None:
    """``mine == want`` as JSON, with ``encrypted_content`` compared by length."""
    assert len(mine) == len(want)
    for got, expected in zip(mine, want):
        got, expected = dict(got), dict(expected)
        if isinstance(expected.get("encrypted_content"), str):
            assert isinstance(got.get("encrypted_content"), str)
            assert len(got.pop("encrypted_content")) == len(expected.pop("encrypted_content"))
        assert got == expected


def split(events: list[Any]) -> tuple[list[Any], Any]:
    """The events before the terminal one, and the terminal one."""
    for i, event in enumerate(events):
        if getattr(event, "type", None) in TERMINAL:
            return events[:i], event
    raise AssertionError("no terminal event")


def load(path: Path) -> list[Any]:
    events = response_events(path.read_bytes())
    assert events
    return events


def test_captures_present() -> None:
    if not RESPONSES:
        pytest.skip("no Responses captures in ../shared/captures/responses-sse")
    assert len(RESPONSES) >= 13


@pytest.mark.parametrize("path", RESPONSES, ids=[p.name for p in RESPONSES])
def test_capture_output_equals_terminal(path: Path) -> None:
    before, terminal = split(load(path))
    acc = ResponseAccumulator()
    for event in before:
        acc.add(event)
    result = acc.result()
    assert type(result) is Response
    same_output(as_json(result)["output"], as_json(terminal.response)["output"])
    assert acc.unknown_events == []
    # the stream's error events (typed, or the APIStreamError of a shape the
    # type does not hold), and nothing else
    assert acc.errors == [e for e in before if isinstance(e, (ResponseErrorEvent, APIStreamError))]
    assert len(acc.errors) == sum(
        json.loads(data)["type"] == "error" for data in sse_data(path.read_bytes())
    )
    # the rest of the response is the last one the stream carried
    assert result.id == terminal.response.id
    # with the terminal event, the result is that event's response
    acc.add(terminal)
    assert acc.result() is terminal.response


def raw_docs(path: Path) -> list[dict[str, Any]]:
    return [json.loads(data) for data in sse_data(path.read_bytes())]


@pytest.mark.parametrize("path", RESPONSES, ids=[p.name for p in RESPONSES])
def test_capture_every_prefix(path: Path) -> None:
    """Cut after any event, the snapshot holds what came so far: each item
    that is done as sent, and each message's text as the deltas so far
    (rebuilt here from the raw JSON, independently of the accumulator)."""
    docs = raw_docs(path)
    events = load(path)
    acc = ResponseAccumulator()
    done: dict[int, Any] = {}
    texts: dict[tuple[int, int], str] = {}
    for doc, event in zip(docs, events):
        if doc["type"] in TERMINAL:
            break
        acc.add(event)
        if doc["type"] == "response.output_item.done":
            done[doc["output_index"]] = as_json(event.item)
        if doc["type"] == "response.output_text.delta":
            key = (doc["output_index"], doc["content_index"])
            texts[key] = texts.get(key, "") + doc["delta"]
        output = as_json(acc.snapshot())["output"]
        by_index = dict(enumerate(output))
        for index, item in done.items():
            assert by_index[index] == item
        for (index, part), text in texts.items():
            if index not in done:
                assert by_index[index]["content"][part]["text"] == text


@pytest.mark.parametrize("path", RESPONSES, ids=[p.name for p in RESPONSES])
def test_resumed_anywhere(path: Path) -> None:
    """A stream resumed after any event (``starting_after``: no
    ``response.created``, maybe no ``output_item.added`` for the item under
    way) does not fail, and every item whose ``done`` event it saw equals
    the terminal one."""
    before, terminal = split(load(path))
    want = as_json(terminal.response)["output"]
    step = max(1, len(before) // 25)
    for start in range(1, len(before), step):
        acc = ResponseAccumulator()
        seen_done: set[int] = set()
        for event in before[start:]:
            acc.add(event)
            if getattr(event, "type", None) == "response.output_item.done":
                seen_done.add(event.output_index)
        output = {item["id"]: item for item in as_json(acc.snapshot())["output"]}
        for index in seen_done:
            same_output([output[want[index]["id"]]], [want[index]])


def events_of(*docs: dict[str, Any]) -> list[Any]:
    return [openai_structs.decode(json.dumps(d), ResponseStreamEvent) for d in docs]


def test_seed_response_for_resumed_stream() -> None:
    path = next((p for p in RESPONSES if "starting-after" in p.name), None)
    if path is None:
        pytest.skip("no resumed capture")
    before, terminal = split(load(path))
    seed = msgspec.structs.replace(terminal.response, output=[], status="in_progress")
    acc = ResponseAccumulator(response=seed)
    assert acc.snapshot().id == seed.id
    for event in before:
        acc.add(event)
    same_output(as_json(acc.result())["output"], as_json(terminal.response)["output"])


def test_no_response_event_gives_placeholder() -> None:
    acc = ResponseAccumulator()
    empty = acc.result()
    assert empty.id == "" and empty.output == []
    acc.add(
        *events_of(
            {
                "type": "response.output_text.delta",
                "item_id": "msg_1",
                "output_index": 0,
                "content_index": 0,
                "delta": "Hi",
                "sequence_number": 9,
            }
        )
    )
    item = acc.snapshot().output[0]
    assert isinstance(item, openai_structs.OutputMessage)
    assert item.id == "msg_1" and item.content[0].text == "Hi"  # type: ignore[union-attr]


SEQ = itertools.count(1)


def delta(tag: str, index: int = 0, **fields: Any) -> dict[str, Any]:
    seq = next(SEQ)
    return {"type": tag, "output_index": index, "item_id": "it_1", "sequence_number": seq, **fields}


def fold(*docs: dict[str, Any]) -> ResponseAccumulator:
    acc = ResponseAccumulator()
    for event in events_of(*docs):
        acc.add(event)
    return acc


def added(item: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return {
        "type": "response.output_item.added",
        "output_index": index,
        "item": item,
        "sequence_number": next(SEQ),
    }


def test_refusal_and_reasoning_text_and_custom_input() -> None:
    acc = fold(
        added({"type": "message", "id": "m", "role": "assistant", "content": [], "status": "in_progress"}),
        {"type": "response.content_part.added", "item_id": "m", "output_index": 0,
         "content_index": 0, "part": {"type": "refusal", "refusal": ""}},
        delta("response.refusal.delta", content_index=0, delta="No"),
        delta("response.refusal.delta", content_index=0, delta="pe"),
        added({"type": "reasoning", "id": "r", "summary": []}, 1),
        delta("response.reasoning_text.delta", 1, content_index=0, delta="think"),
        delta("response.reasoning_text.delta", 1, content_index=0, delta="ing"),
        added({"type": "custom_tool_call", "call_id": "c", "name": "n", "input": ""}, 2),
        delta("response.custom_tool_call_input.delta", 2, delta="ab"),
        delta("response.custom_tool_call_input.delta", 2, delta="c"),
    )  # fmt: skip
    out = as_json(acc.snapshot())["output"]
    assert out[0]["content"] == [{"type": "refusal", "refusal": "Nope"}]
    assert out[1]["content"] == [{"type": "reasoning_text", "text": "thinking"}]
    assert out[2]["input"] == "abc"


def test_hosted_tool_status_and_code() -> None:
    acc = fold(
        added({"type": "web_search_call", "id": "ws", "status": "in_progress"}),
        delta("response.web_search_call.searching"),
        added({"type": "code_interpreter_call", "id": "ci", "status": "in_progress",
               "code": "", "container_id": "cn"}, 1),
        delta("response.code_interpreter_call_code.delta", 1, delta="print("),
        delta("response.code_interpreter_call_code.delta", 1, delta="1)"),
        delta("response.code_interpreter_call.interpreting", 1),
        added({"type": "image_generation_call", "id": "ig", "status": "in_progress",
               "result": None}, 2),
        delta("response.image_generation_call.generating", 2),
    )  # fmt: skip
    out = as_json(acc.snapshot())["output"]
    assert out[0]["status"] == "searching"
    assert (out[1]["code"], out[1]["status"]) == ("print(1)", "interpreting")
    assert out[2]["status"] == "generating"


def test_done_text_replaces_deltas_and_logprobs_convert() -> None:
    lp = {"token": "a", "logprob": -0.1, "top_logprobs": []}
    acc = fold(
        added({"type": "message", "id": "m", "role": "assistant", "content": []}),
        delta("response.output_text.delta", content_index=0, delta="a", logprobs=[lp]),
        delta("response.output_text.delta", content_index=0, delta="b", logprobs=[lp]),
    )
    part = as_json(acc.snapshot())["output"][0]["content"][0]
    assert part["text"] == "ab" and part["annotations"] == []
    assert part["logprobs"] == [dict(lp, bytes=[])] * 2  # LogProb needs bytes
    acc.add(*events_of(delta("response.output_text.done", content_index=0, text="abc")))
    assert acc.snapshot().output[0].content[0].text == "abc"  # type: ignore[union-attr]


def test_annotation_by_index() -> None:
    url = {"type": "url_citation", "url": "u", "title": "t", "start_index": 0, "end_index": 1}
    acc = fold(
        added({"type": "message", "id": "m", "role": "assistant", "content": []}),
        delta("response.output_text.annotation.added", content_index=0, annotation_index=1,
              annotation=dict(url, url="second")),
        delta("response.output_text.annotation.added", content_index=0, annotation_index=0,
              annotation=url),
    )  # fmt: skip
    part = as_json(acc.snapshot())["output"][0]["content"][0]
    assert [a["url"] for a in part["annotations"]] == ["u", "second"]


def test_unknown_events_and_items_are_kept() -> None:
    acc = fold(
        {"type": "response.future_thing.delta", "sequence_number": next(SEQ), "x": [1]},
        added({"type": "hologram_call", "id": "h", "status": "in_progress"}),
        delta("response.output_text.delta", content_index=0, delta="zz"),
        delta("response.output_text.delta", 5, content_index=3, delta="late"),
        {
            "type": "error",
            "code": "boom",
            "message": "m",
            "param": None,
            "sequence_number": next(SEQ),
        },
        {"type": "response.audio.delta", "delta": "AAAA", "sequence_number": next(SEQ)},
    )
    assert len(acc.unknown_events) == 2
    assert isinstance(acc.unknown_events[0], UnknownVariant)
    assert [e.code for e in acc.errors] == ["boom"]
    output = acc.snapshot().output
    assert isinstance(output[0], UnknownVariant)
    assert as_json(output[0]) == {"type": "hologram_call", "id": "h", "status": "in_progress"}
    assert output[1].content[0].text == "late"  # type: ignore[union-attr]  (gaps close)


def test_hostile_indexes() -> None:
    acc = fold(
        delta("response.output_text.delta", 10**15, content_index=10**12, delta="x"),
        delta("response.function_call_arguments.delta", -4, delta="{}"),
    )
    output = acc.snapshot().output
    assert [type(i).__name__ for i in output] == ["FunctionToolCall", "OutputMessage"]
    assert output[1].content[0].text == "x"  # type: ignore[union-attr]


def test_snapshot_reuses_unchanged_items() -> None:
    acc = fold(
        added({"type": "function_call", "call_id": "c", "name": "f", "arguments": ""}),
        delta("response.function_call_arguments.delta", delta="{"),
        added({"type": "message", "id": "m", "role": "assistant", "content": []}, 1),
    )
    first = acc.snapshot()
    acc.add(*events_of(delta("response.output_text.delta", 1, content_index=0, delta="x")))
    second = acc.snapshot()
    assert second.output[0] is first.output[0]
    assert second.output[1] is not first.output[1]


class Spy(str):
    adds = 0

    def __add__(self, other: str) -> str:  # type: ignore[override]
        Spy.adds += 1
        return str.__add__(self, other)

    def __radd__(self, other: str) -> str:
        Spy.adds += 1
        return str.__add__(other, self)


def test_text_is_joined_not_concatenated() -> None:
    acc = fold(added({"type": "message", "id": "m", "role": "assistant", "content": []}))
    (template,) = events_of(delta("response.output_text.delta", content_index=0, delta="."))
    Spy.adds = 0
    for i in range(2000):
        acc.add(msgspec.structs.replace(template, delta=Spy(f"{i},"), sequence_number=next(SEQ)))
        if i % 500 == 0:
            acc.snapshot()
    text = acc.result().output[0].content[0].text  # type: ignore[union-attr]
    assert Spy.adds == 0
    assert text == "".join(f"{i}," for i in range(2000))
    assert acc.result().output[0].content[0].text is text  # type: ignore[union-attr]


def test_resume_with_overlap() -> None:
    """Reconnecting with ``starting_after`` a few events back: the repeated
    events are skipped by their sequence number."""
    path = next((p for p in RESPONSES if "reasoning-summary" in p.name), None)
    if path is None:
        pytest.skip("no reasoning summary capture")
    before, terminal = split(load(path))
    for cut in (5, len(before) // 2, len(before) - 3):
        acc = ResponseAccumulator()
        for event in before[:cut]:
            acc.add(event)
        for event in before[cut - 4 :]:  # the resumed stream repeats 4 events
            acc.add(event)
        assert acc.last_sequence_number == before[-1].sequence_number
        same_output(as_json(acc.result())["output"], as_json(terminal.response)["output"])


def test_repeated_sequence_number_is_skipped() -> None:
    (event,) = events_of(delta("response.function_call_arguments.delta", delta="{"))
    acc = ResponseAccumulator()
    acc.add(event)
    acc.add(event)
    assert acc.snapshot().output[0].arguments == "{"  # type: ignore[union-attr]


PAD = "x" * 88  # makes each delta 100 characters


def test_cost_per_delta_does_not_grow() -> None:
    """The time per delta at 20,000 deltas is at most 5x that at 2,000,
    where joining by ``+=`` grows by 20x at these sizes (100-character
    deltas). Timed as in the chat accumulator's test."""
    from test_chat_accumulator import per_delta_times

    item = {"type": "message", "id": "m", "role": "assistant", "content": []}
    (first,) = events_of({**added(item), "sequence_number": 0})
    (template,) = events_of(delta("response.output_text.delta", content_index=0, delta="."))

    def stream(n: int) -> list[Any]:
        replace = msgspec.structs.replace
        return [
            replace(template, delta=f"word{i:07d} " + PAD, sequence_number=1 + i) for i in range(n)
        ]

    def run(events: list[Any]) -> None:
        acc = ResponseAccumulator()
        acc.add(first)
        for event in events:
            acc.add(event)
        text = acc.result().output[0].content[0].text  # type: ignore[union-attr]
        assert len(text) == 100 * len(events)

    best = per_delta_times(run, {2000: stream(2000), 20000: stream(20000)})
    assert best[20000] < 5 * best[2000]
