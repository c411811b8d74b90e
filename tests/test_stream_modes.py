"""The typed streams' modes and answers: ``with_raw`` hands out each event's
bytes, ``api_errors="yield"`` lets a stream go on past an API error, both
shapes of the Responses error event are read, and the answer is the same
whatever the framing (LF or CRLF), the chunking, or sync and async."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

import msgspec
import pytest

import openai_structs as o
from openai_structs import APIStreamError, ErrorResponse, StreamDecodeError, UnknownEvent
from openai_structs.streams import (
    EventStreamDecoder,
    RawEvent,
    aiter_chat_completion_chunks,
    aiter_events,
    iter_assistant_events,
    iter_chat_completion_chunks,
    iter_events,
    iter_image_generation_events,
    iter_response_events,
    iter_sse,
)

CAPTURES = Path(__file__).resolve().parents[1].parent / "shared" / "captures"

CHUNK = (
    b'{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{"content":"%s"},"finish_reason":null}]}'
)
ERROR = b'{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}'
DELTA = (
    b'{"type":"response.output_text.delta","sequence_number":%d,"item_id":"m",'
    b'"output_index":0,"content_index":0,"delta":"x","logprobs":[]}'
)
SPEC_ERROR = b'{"type":"error","code":"rate_limit_exceeded","message":"slow down","param":null,"sequence_number":2}'
NESTED_ERROR = (
    b'{"type":"error","sequence_number":2,"error":{"type":"insufficient_quota",'
    b'"code":"insufficient_quota","message":"You exceeded your current quota","param":null}}'
)


def chat_event(text: str) -> bytes:
    return b"data: " + CHUNK % text.encode() + b"\n\n"


def named(name: bytes, data: bytes) -> bytes:
    return b"event: " + name + b"\ndata: " + data + b"\n\n"


async def _agen(chunks: Iterable[Any]) -> AsyncIterator[Any]:
    for chunk in chunks:
        yield chunk


def collect_async(stream: AsyncIterator[Any]) -> list[Any]:
    async def main() -> list[Any]:
        return [e async for e in stream]

    return asyncio.run(main())


def splits(raw: bytes) -> list[list[bytes]]:
    """The stream whole, in two at every byte, and byte by byte."""
    out = [[raw], [raw[i : i + 1] for i in range(len(raw))]]
    out += [[raw[:i], raw[i:]] for i in range(1, len(raw))]
    return out


def outcome(stream: Iterable[Any]) -> tuple[list[Any], Any]:
    events: list[Any] = []
    try:
        for e in stream:
            events.append(key(e))
    except (StreamDecodeError, APIStreamError) as exc:
        return events, key(exc)
    return events, None


def key(value: Any) -> Any:
    """``value`` made comparable (exceptions compare by identity)."""
    if isinstance(value, RawEvent):
        return ("raw", key(value.value), value.data, value.event)
    if isinstance(value, APIStreamError):
        return ("api", value.index, value.event, value.data, value.code, value.message)
    if isinstance(value, StreamDecodeError):
        return ("decode", value.index, value.event, value.path, type(value.__cause__))
    return (type(value), o.encode(value))


# --------------------------------------------------------------------------
# with_raw: the bytes of each event, with its value


def test_with_raw_pairs_each_value_with_its_bytes() -> None:
    extra = b'{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"x":{"y":[{"z":1}]}}'
    raw = chat_event("a") + b"data: " + extra + b"\n\n" + chat_event("b") + b"data: [DONE]\n\n"
    plain = list(iter_chat_completion_chunks([raw]))
    for chunks in ([raw], [raw[:30], raw[30:]], [raw.replace(b"\n", b"\r\n")]):
        items = list(iter_chat_completion_chunks(chunks, with_raw=True))
        assert all(type(item) is RawEvent for item in items)
        assert [item.value for item in items] == plain
        assert [item.data for item in items] == [e.data for e in iter_sse([raw])][:-1]
        assert [item.event for item in items] == [None, None, None]
    # the bytes keep what the type drops
    assert json.loads(items[1].data)["x"] == {"y": [{"z": 1}]}
    assert "x" not in json.loads(o.encode(items[1].value))


def test_with_raw_names_and_every_path() -> None:
    raw = named(b"response.output_text.delta", DELTA % 0) + named(b"", DELTA % 1)
    raw += b"event: response.output_text.delta\r\ndata: " + DELTA % 2 + b"\r\n\r\n"
    items = list(iter_response_events([raw], with_raw=True))
    assert [(i.event, i.value.sequence_number) for i in items] == [
        ("response.output_text.delta", 0),
        (None, 1),  # "event: " with no name is no name
        ("response.output_text.delta", 2),
    ]
    assert [i.data for i in items] == [DELTA % n for n in range(3)]
    # Assistants (dispatched by name), the generic core, async, the push decoder
    assistant = b'event: thread.hint\ndata: {"a": 1}\n\nevent: done\ndata: [DONE]\n\n'
    (item,) = iter_assistant_events([assistant], with_raw=True)
    assert type(item.value) is UnknownEvent and (item.event, item.data) == (
        "thread.hint",
        b'{"a": 1}',
    )
    assert [i.value for i in iter_events([b"data: [1]\n\n"], Any, with_raw=True)] == [[1]]
    pairs = collect_async(aiter_chat_completion_chunks(_agen([chat_event("a")]), with_raw=True))
    assert pairs[0].data == CHUNK % b"a"
    dec = EventStreamDecoder(o.CreateChatCompletionStreamResponse, with_raw=True)
    assert dec.feed(chat_event("a"))[0].data == CHUNK % b"a"


def test_with_raw_data_is_the_framers_bytes_not_a_copy() -> None:
    """Each RawEvent holds the very bytes object the framer cut out."""
    from openai_structs.streams import SSEDecoder

    class Spy:
        def __init__(self) -> None:
            self.sse = SSEDecoder()
            self.cut: list[bytes] = []

        def feed_runs(self, chunk: bytes) -> list[Any]:
            items = self.sse.feed_runs(chunk)
            for item in items:
                self.cut += getattr(item, "datas", None) or [item.data]
            return items

        def close(self) -> list[Any]:
            return self.sse.close()

    raw = chat_event("a") + chat_event("b") + b": note\r\ndata: " + CHUNK % b"c" + b"\r\n\r\n"
    dec = EventStreamDecoder(o.CreateChatCompletionStreamResponse, with_raw=True)
    spy = Spy()
    dec._sse = spy  # type: ignore[assignment]  # pyright: ignore[reportAttributeAccessIssue]
    items = dec.feed(raw[:40]) + dec.feed(raw[40:])
    assert len(items) == 3 and [i.data for i in items] == spy.cut
    assert all(item.data is cut for item, cut in zip(items, spy.cut))


# --------------------------------------------------------------------------
# API errors: raised by default, yielded on request


def test_yield_mode_goes_on_past_a_chat_error() -> None:
    raw = chat_event("a") + b"data: " + ERROR + b"\n\n" + chat_event("b") + b"data: [DONE]\n\n"
    with pytest.raises(APIStreamError):
        list(iter_chat_completion_chunks([raw]))
    events = list(iter_chat_completion_chunks([raw], api_errors="yield"))
    assert [type(e) for e in events] == [
        o.CreateChatCompletionStreamResponse,
        APIStreamError,
        o.CreateChatCompletionStreamResponse,
    ]
    error = events[1]
    assert isinstance(error, APIStreamError)
    assert type(error.error) is o.Error and error.message == "The server had an error"
    assert (error.index, error.event, error.data) == (1, None, ERROR)
    # the payload is the spec's ErrorResponse, whole
    assert msgspec.json.decode(error.data, type=ErrorResponse).error == error.error
    # an `event: error` of a stream with no error member: the same
    raw = named(b"error", b"overloaded") + b'data: {"type":"image_generation.completed"'
    raw += (
        b',"b64_json":"","created_at":1,"size":"1024x1024","quality":"low","background":"opaque",'
    )
    raw += b'"output_format":"png","usage":{"input_tokens":1,"output_tokens":1,"total_tokens":2,'
    raw += b'"input_tokens_details":{"text_tokens":1,"image_tokens":0}}}\n\n'
    events = list(iter_image_generation_events([raw], api_errors="yield"))
    assert isinstance(events[0], APIStreamError) and events[0].message == "overloaded"
    assert type(events[1]) is o.ImageGenCompletedEvent


@pytest.mark.parametrize("name", [b"error", b"response.output_text.delta", None])
def test_yield_mode_gives_the_responses_error_event(name: bytes | None) -> None:
    error = b"data: " + SPEC_ERROR + b"\n\n" if name is None else named(name, SPEC_ERROR)
    raw = named(b"response.output_text.delta", DELTA % 0) + error
    raw += named(b"response.output_text.delta", DELTA % 3)
    events = list(iter_response_events([raw], api_errors="yield"))
    assert [type(e) for e in events] == [
        o.ResponseTextDeltaEvent,
        o.ResponseErrorEvent,
        o.ResponseTextDeltaEvent,
    ]
    with pytest.raises(APIStreamError) as info:
        list(iter_response_events([raw]))
    assert type(info.value.error) is o.ResponseErrorEvent and info.value.index == 1
    assert info.value.code == "rate_limit_exceeded" and info.value.message == "slow down"


def test_an_error_member_under_another_name_raises_on_every_path() -> None:
    """A ``type: error`` event sent under another event name raised on the
    exact path and was yielded on the fast one."""
    raw = named(b"response.output_text.delta", DELTA % 0)
    raw += named(b"response.output_text.delta", SPEC_ERROR)
    for chunks in ([raw], [raw.replace(b"\n", b"\r\n")], [raw[:50], raw[50:]]):
        events, error = outcome(iter_response_events(chunks))
        assert len(events) == 1 and error[:2] == ("api", 1)


def test_assistants_error_event_yielded_typed() -> None:
    raw = (
        named(b"error", ERROR[9:-1])
        + named(b"thread.hint", b"{}")
        + b"event: done\ndata: [DONE]\n\n"
    )
    events = list(iter_assistant_events([raw], api_errors="yield"))
    assert type(events[0]) is o.ErrorEvent and events[0].data.message == "The server had an error"
    assert type(events[1]) is UnknownEvent
    # a payload that does not fit Error: the APIStreamError
    (event,) = iter_assistant_events([named(b"error", b"boom")], api_errors="yield")
    assert isinstance(event, APIStreamError) and event.message == "boom"


def test_assistants_error_without_an_event_name() -> None:
    """``data: {"error": ...}`` with no ``event:`` line, as chat sends it:
    an API error, not an UnknownEvent with the tag ``""``."""
    raw = named(b"thread.hint", b"{}") + b"data: " + ERROR + b"\n\n"
    with pytest.raises(APIStreamError) as info:
        list(iter_assistant_events([raw]))
    assert info.value.index == 1 and info.value.message == "The server had an error"
    events = list(iter_assistant_events([raw], api_errors="yield"))
    assert isinstance(events[1], APIStreamError)
    # other data with no name is still an unknown event
    (event,) = iter_assistant_events([b'data: {"a": 1}\n\n'])
    assert type(event) is UnknownEvent and event.tag == ""


def test_api_errors_is_checked() -> None:
    with pytest.raises(ValueError, match="api_errors"):
        EventStreamDecoder(Any, api_errors="ignore")  # type: ignore[call-overload]


# --------------------------------------------------------------------------
# Both shapes of the Responses error event


class _Inner(msgspec.Struct, frozen=True):
    type: str
    code: str | None
    message: str
    param: str | None


class _BothShapes(msgspec.Struct, frozen=True, tag="error", tag_field="type"):
    """A stand-in for ResponseErrorEvent holding either shape (the spec's,
    and the servers' nested one), as the generator makes it."""

    sequence_number: int
    code: str | None | msgspec.UnsetType = msgspec.UNSET
    message: str | msgspec.UnsetType = msgspec.UNSET
    param: str | None | msgspec.UnsetType = msgspec.UNSET
    error: _Inner | msgspec.UnsetType = msgspec.UNSET


class _Delta(msgspec.Struct, frozen=True, tag="response.output_text.delta", tag_field="type"):
    sequence_number: int
    delta: str


@pytest.mark.parametrize("payload", [SPEC_ERROR, NESTED_ERROR], ids=["spec", "nested"])
@pytest.mark.parametrize("stream_type", [_Delta | _BothShapes, Any], ids=["typed", "dict"])
def test_code_and_message_of_either_shape(payload: bytes, stream_type: Any) -> None:
    raw = b'data: {"type":"response.output_text.delta","sequence_number":0,"delta":"x"}\n\n'
    raw += named(b"error", payload)
    with pytest.raises(APIStreamError) as info:
        list(iter_events([raw], stream_type))
    err = info.value
    expected = json.loads(payload)
    inner = expected.get("error", expected)
    assert (err.code, err.message) == (inner["code"], inner["message"])
    assert isinstance(err.error, _BothShapes if stream_type is not Any else o.Error | dict)
    events = list(iter_events([raw], stream_type, api_errors="yield"))
    if stream_type is not Any:
        assert type(events[1]) is _BothShapes  # yielded typed, either shape
    else:
        assert isinstance(events[1], APIStreamError) and events[1].code == inner["code"]


def test_code_and_message_of_dicts_and_text() -> None:
    from openai_structs.streams._api_errors import api_error

    def error(payload: Any) -> APIStreamError:
        return api_error(payload, b"raw text", 0, "error")

    assert (error({"error": {"code": "c", "message": "m"}}).code, error({"code": "k"}).code) == (
        "c",
        "k",
    )
    assert error({"error": {"message": "nested"}}).message == "nested"
    assert error("overloaded").message == "raw text" and error("overloaded").code is None


NESTED_CAPTURE = CAPTURES / "responses-sse" / "vercelai-error-insufficient-quota-REFRAMED.sse"


@pytest.mark.skipif(not NESTED_CAPTURE.is_file(), reason="../shared/captures not found")
def test_the_recorded_nested_error() -> None:
    raw = NESTED_CAPTURE.read_bytes()
    with pytest.raises(APIStreamError) as info:
        list(iter_response_events([raw]))
    assert info.value.code == "insufficient_quota" and info.value.index == 2
    acc = o.ResponseAccumulator()
    for event in iter_response_events([raw], api_errors="yield"):
        acc.add(event)
    assert len(acc.errors) == 1 and acc.result().status == "failed"
    error = acc.errors[0]
    if isinstance(error, APIStreamError):  # until ResponseErrorEvent holds the nested shape
        code = error.code
    else:
        assert type(error) is o.ResponseErrorEvent
        code = error.error.code  # the nested shape, typed
    assert code == "insufficient_quota"
    assert acc.unknown_events == []


@pytest.mark.skipif(
    "error" not in o.ResponseErrorEvent.__struct_fields__,
    reason="waits for the generator's ResponseErrorEvent with the nested error field",
)
@pytest.mark.skipif(not NESTED_CAPTURE.is_file(), reason="../shared/captures not found")
def test_the_recorded_nested_error_is_typed() -> None:
    events = list(iter_response_events([NESTED_CAPTURE.read_bytes()], api_errors="yield"))
    assert type(events[2]) is o.ResponseErrorEvent


# --------------------------------------------------------------------------
# One answer whatever the framing, the chunking, sync or async


BOGUS_FINISH = CHUNK.replace(b'"finish_reason":null', b'"finish_reason":"bogus"') % b"x"
BOGUS_STATUS = json.dumps(
    {
        "type": "response.output_item.done",
        "sequence_number": 1,
        "output_index": 0,
        "item": {
            "type": "function_call",
            "id": "fc_1",
            "call_id": "call_1",
            "name": "f",
            "arguments": "{}",
            "status": "bogus",
        },
    }
).encode()


def created_with_instructions() -> bytes:
    """A response.created whose instructions hold a message that fits no
    class (user role, output_text content): msgspec decodes it into the
    shared ``message`` class, and strict mode finds it fits none."""
    response = {
        "id": "resp_1",
        "object": "response",
        "created_at": 1,
        "status": "in_progress",
        "error": None,
        "incomplete_details": None,
        "instructions": [
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "output_text", "text": "x", "annotations": []}],
            }
        ],
        "model": "m",
        "output": [],
        "parallel_tool_calls": True,
        "temperature": 1,
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1,
        "metadata": {},
    }
    return json.dumps(
        {"type": "response.created", "sequence_number": 0, "response": response}
    ).encode()


FINDINGS = [
    pytest.param(
        iter_chat_completion_chunks, b"data: " + BOGUS_FINISH + b"\n\n", True, id="chat-strict-enum"
    ),
    pytest.param(
        iter_response_events,
        named(b"response.output_item.done", BOGUS_STATUS),
        True,
        id="responses-strict-enum",
    ),
    pytest.param(
        iter_response_events,
        named(b"response.created", created_with_instructions()),
        True,
        id="responses-strict-unfit",
    ),
]


@pytest.mark.parametrize(("fn", "event", "strict"), FINDINGS)
def test_one_answer_whatever_the_framing(fn: Any, event: bytes, strict: bool) -> None:
    """Each failed differently under LF framing (the fast path) than under
    CRLF: a bare error with no index, or no error at all."""
    first = (
        chat_event("a")
        if fn is iter_chat_completion_chunks
        else named(b"response.output_text.delta", DELTA % 0)
    )
    raw = first + event
    answers = set()
    for stream in (raw, raw.replace(b"\n", b"\r\n")):
        for chunks in splits(stream)[:40]:
            events, error = outcome(fn(chunks, strict=strict))
            assert len(events) == 1
            answers.add(error)
    (answer,) = answers
    assert answer is not None and answer[:2] == ("decode", 1)
    # the same error as Decoder.decode gives, wrapped, with the index
    with pytest.raises(StreamDecodeError) as info:
        list(fn([raw], strict=strict))
    data = event.split(b"data: ", 1)[1][:-2]
    event_type = (
        o.CreateChatCompletionStreamResponse
        if fn is iter_chat_completion_chunks
        else o.ResponseStreamEvent
    )
    with pytest.raises(o.DecodeError) as direct:
        o.Decoder(event_type, strict=strict).decode(data)
    assert type(info.value.__cause__) is type(direct.value)
    assert info.value.path == direct.value.path


def test_push_decoder_gives_the_same_events_however_split() -> None:
    """After an error the stream is over: feeding ``a + b`` and feeding
    ``a`` then ``b`` give the same events and the same error."""
    raw = chat_event("a") + b"data: " + ERROR + b"\n\n" + chat_event("b")
    for mode in ("raise", "yield"):
        answers = set()
        for chunks in splits(raw):
            dec: EventStreamDecoder[Any] = (
                EventStreamDecoder(o.CreateChatCompletionStreamResponse)
                if mode == "raise"
                else EventStreamDecoder(o.CreateChatCompletionStreamResponse, api_errors="yield")
            )
            events: list[Any] = []
            error = None
            for chunk in [*chunks, None]:
                try:
                    events += dec.feed(chunk) if chunk is not None else dec.close()
                except APIStreamError as exc:
                    error = key(exc)
            answers.add((tuple(key(e) for e in events), error))
        (answer,) = answers
        if mode == "raise":
            assert len(answer[0]) == 1 and answer[1][:2] == ("api", 1)
        else:
            assert len(answer[0]) == 3 and answer[1] is None


def test_decode_errors_end_the_push_decoder() -> None:
    dec = EventStreamDecoder(o.CreateChatCompletionStreamResponse)
    with pytest.raises(StreamDecodeError):
        dec.feed(b"data: {oops\n\n")
    assert dec.done
    assert dec.feed(chat_event("b")) == [] and dec.close() == []


def test_the_size_bound_ends_the_typed_stream_the_same_way() -> None:
    raw = chat_event("a") + b"data: " + b"x" * 5000 + b"\n\n" + chat_event("b")
    answers = set()
    for chunks in (
        [raw],
        [raw[:100], raw[100:]],
        [raw[i : i + 64] for i in range(0, len(raw), 64)],
    ):
        events = []
        with pytest.raises(o.EventTooLargeError) as info:
            for e in iter_chat_completion_chunks(chunks, max_event_size=1000):
                events.append(e)  # noqa: PERF402 - what arrived before the error
        answers.add((len(events), info.value.index, info.value.pos))
    assert answers == {(1, 1, len(chat_event("a")))}
    # after [DONE], what follows is not read, however large
    done = chat_event("a") + b"data: [DONE]\n\n" + b"data: " + b"x" * 5000
    for chunks in ([done], [done[:-10], done[-10:]], [done[:30], done[30:]]):
        assert len(list(iter_chat_completion_chunks(chunks, max_event_size=1000))) == 1


def test_sync_and_async_agree_on_errors() -> None:
    raw = chat_event("a") + chat_event("b") + b"data: {oops\n\n"
    for cuts in ([], [5], [len(chat_event("a"))], list(range(0, len(raw), 7))):
        bounds = [0, *cuts, len(raw)]
        chunks = [raw[a:b] for a, b in pairwise(bounds) if b > a]
        sync = outcome(iter_chat_completion_chunks(chunks))

        async def run(chunks: list[bytes] = chunks) -> tuple[list[Any], Any]:
            events: list[Any] = []
            try:
                async for e in aiter_events(_agen(chunks), o.CreateChatCompletionStreamResponse):
                    events.append(key(e))
            except StreamDecodeError as exc:
                return events, key(exc)
            return events, None

        assert asyncio.run(run()) == sync and sync[1][:2] == ("decode", 2)
