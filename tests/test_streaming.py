"""Typed streams: the recorded streams decode completely, fixture streams of
every other streaming API decode strictly, and streams end and fail as
documented (``[DONE]``, API errors, decode errors naming the event)."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator, Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import openai_structs as o
from openai_structs import (
    APIStreamError,
    DecodeError,
    StreamDecodeError,
    UnknownEvent,
    UnknownType,
    UnknownVariant,
)
from openai_structs.streams import (
    EventStreamDecoder,
    aiter_assistant_events,
    aiter_chat_completion_chunks,
    aiter_completion_chunks,
    aiter_events,
    aiter_image_edit_events,
    aiter_image_generation_events,
    aiter_realtime_events,
    aiter_response_events,
    aiter_speech_events,
    aiter_transcription_events,
    iter_assistant_events,
    iter_chat_completion_chunks,
    iter_completion_chunks,
    iter_events,
    iter_image_edit_events,
    iter_image_generation_events,
    iter_realtime_events,
    iter_response_events,
    iter_speech_events,
    iter_sse,
    iter_transcription_events,
)

ROOT = Path(__file__).resolve().parent.parent
CAPTURES = ROOT.parent / "shared" / "captures"
STREAMS = ROOT / "data" / "streams"

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def captures(kind: str) -> list[Path]:
    folder = CAPTURES / kind
    return sorted(folder.glob("*.sse")) if folder.is_dir() else []


def capture_params(kind: str) -> Any:
    files = captures(kind)
    if not files:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CAPTURES / kind} not found"))]
    return [pytest.param(f, id=f.stem) for f in files]


def pieces(raw: bytes, size: int) -> list[bytes]:
    return [raw[i : i + size] for i in range(0, len(raw), size)]


async def _agen(chunks: Iterable[Any]) -> AsyncIterator[Any]:
    for chunk in chunks:
        yield chunk


def collect_async(stream: AsyncIterator[Any]) -> list[Any]:
    async def main() -> list[Any]:
        return [e async for e in stream]

    return asyncio.run(main())


def unknowns(value: Any) -> list[UnknownVariant]:
    """Every unknown variant anywhere inside ``value``."""
    found: list[UnknownVariant] = []
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, UnknownVariant):
            found.append(v)
        elif isinstance(v, msgspec.Struct):
            stack.extend(getattr(v, f) for f in v.__struct_fields__)
        elif isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
    return found


def strict_agrees(fn: Any, raw: bytes, events: list[Any], **kw: Any) -> None:
    """Strict mode gives the same events, or names a value the spec does not
    list that the API sent (its job: Azure's ``"object": ""``, an error
    ``code`` outside the spec's enum)."""
    try:
        strict = list(fn([raw], strict=True, **kw))
    except StreamDecodeError as exc:
        assert isinstance(exc.__cause__, (o.UnknownEnumValueError, o.UnknownVariantError))
    else:
        assert list(map(comparable, strict)) == list(map(comparable, events))


def comparable(value: Any) -> Any:
    """An APIStreamError (equal only to itself) as its index and bytes."""
    return (value.index, value.data) if isinstance(value, APIStreamError) else value


def one_by_one(raw: bytes, tp: Any) -> list[Any]:
    """The reference: frame with iter_sse, decode each data with decode()."""
    out = []
    for event in iter_sse([raw]):
        if event.data == b"[DONE]":
            break
        out.append(o.decode(event.data, tp))
    return out


# --------------------------------------------------------------------------
# Recorded streams


@pytest.mark.parametrize("path", capture_params("chat-sse"))
def test_chat_captures(path: Path) -> None:
    raw = path.read_bytes()
    events = list(iter_chat_completion_chunks([raw]))
    assert events == one_by_one(raw, o.CreateChatCompletionStreamResponse)
    assert len(events) == raw.count(b"\ndata: ") + raw.startswith(b"data: ") - raw.count(
        b"data: [DONE]"
    )
    assert all(type(e) is o.CreateChatCompletionStreamResponse for e in events)
    assert unknowns(events) == []
    strict_agrees(iter_chat_completion_chunks, raw, events)
    assert list(iter_chat_completion_chunks(pieces(raw, 8192))) == events
    assert list(iter_chat_completion_chunks(pieces(raw, 7))) == events
    assert collect_async(aiter_chat_completion_chunks(_agen(pieces(raw, 100)))) == events


#: Whether ResponseErrorEvent holds the nested shape the servers send
#: (``{"type": "error", "error": {...}}``); the generator adds it.
NESTED_ERROR_TYPED = "error" in o.ResponseErrorEvent.__struct_fields__


@pytest.mark.parametrize("path", capture_params("responses-sse"))
def test_responses_captures(path: Path) -> None:
    raw = path.read_bytes()
    # errors yielded: a stream with an error event goes on to response.failed
    events = list(iter_response_events([raw], api_errors="yield"))
    assert len(events) == raw.count(b"\ndata: ") + raw.startswith(b"data: ")
    for e, data in zip(events, sse_data(raw)):
        if isinstance(e, APIStreamError):  # an error event the type cannot hold yet
            assert not NESTED_ERROR_TYPED and json.loads(data)["type"] == "error"
        else:
            assert e == o.decode(data, o.ResponseStreamEvent)
            assert e.type == msgspec.json.decode(o.encode(e))["type"]
    # every event typed, and nothing unknown inside them either
    assert not any(isinstance(e, UnknownType) for e in events)
    assert unknowns(events) == []
    strict_agrees(iter_response_events, raw, events, api_errors="yield")
    assert type(events[-1]) in (
        o.ResponseCompletedEvent,
        o.ResponseIncompleteEvent,
        o.ResponseFailedEvent,
    )
    again = [
        list(iter_response_events(pieces(raw, 8192), api_errors="yield")),
        list(iter_response_events(pieces(raw, 13), api_errors="yield")),
        collect_async(aiter_response_events(_agen(pieces(raw, 1000)), api_errors="yield")),
    ]
    assert all(list(map(comparable, e)) == list(map(comparable, events)) for e in again)
    # errors raised (the default): the stream ends at the first error event
    first_error = next(
        (i for i, data in enumerate(sse_data(raw)) if json.loads(data)["type"] == "error"), None
    )
    if first_error is None:
        assert list(iter_response_events([raw])) == events
    else:
        with pytest.raises(APIStreamError) as info:
            list(iter_response_events(pieces(raw, 100)))
        assert info.value.index == first_error and info.value.event == "error"
        assert info.value.code == "insufficient_quota"
        assert info.value.message.startswith("You exceeded your current quota")


def sse_data(raw: bytes) -> list[bytes]:
    return [e.data for e in iter_sse([raw]) if e.data != b"[DONE]"]


def test_background_and_resumed_streams() -> None:
    queued = CAPTURES / "responses-sse" / "pai-background-queued.sse"
    resumed = CAPTURES / "responses-sse" / "pai-background-resume-starting-after.sse"
    if not (queued.is_file() and resumed.is_file()):
        pytest.skip("background captures not found")
    first = list(iter_response_events([queued.read_bytes()]))
    assert [type(e) for e in first[:3]] == [
        o.ResponseCreatedEvent,
        o.ResponseQueuedEvent,
        o.ResponseInProgressEvent,
    ]
    later = list(iter_response_events([resumed.read_bytes()]))
    assert type(later[0]) is o.ResponseQueuedEvent and later[0].sequence_number == 1
    assert not any(type(e) is o.ResponseCreatedEvent for e in later)
    assert [e.sequence_number for e in later] == list(range(1, len(later) + 1))
    # the resumed stream is the same events as the first one from sequence 1 on,
    # up to the ids and timestamps of a second run
    assert [type(e) for e in later] == [type(e) for e in first[1:]]


ASSISTANT_TYPES = {
    "thread.created": "ThreadObject",
    "thread.run.": "RunObject",
    "thread.run.step.": "RunStepObject",
    "thread.run.step.delta": "RunStepDeltaObject",
    "thread.message.": "MessageObject",
    "thread.message.delta": "MessageDeltaObject",
}


def expected_data_type(name: str) -> Any:
    best = max(
        (k for k in ASSISTANT_TYPES if name == k or (k.endswith(".") and name.startswith(k))),
        key=len,
    )
    return getattr(o, ASSISTANT_TYPES[best])


@pytest.mark.parametrize("path", capture_params("assistants-sse"))
def test_assistants_captures(path: Path) -> None:
    raw = path.read_bytes()
    names = [e.event for e in iter_sse([raw])]
    assert names[-1] == "done"
    events = list(iter_assistant_events([raw]))
    assert [e.event for e in events] == names[:-1]  # done ends the stream
    for event in events:
        assert type(event.data) is expected_data_type(event.event)
    assert unknowns(events) == []
    assert list(iter_assistant_events([raw], strict=True)) == events
    assert list(iter_assistant_events(pieces(raw, 9))) == events
    assert collect_async(aiter_assistant_events(_agen(pieces(raw, 500)))) == events
    # encoding an event gives its {"event", "data"} form back
    assert msgspec.json.decode(o.encode(events[0]))["event"] == names[0]


@pytest.mark.parametrize("path", capture_params("responses-sse") + capture_params("chat-sse"))
@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_crlf_line_ends_give_the_same_events(path: Path, strict: bool) -> None:
    """The same stream with CRLF line ends takes the exact path, not the
    batched one: both must agree, events and errors."""
    raw = path.read_bytes()
    fn = iter_chat_completion_chunks if "chat" in path.parent.name else iter_response_events
    crlf = raw.replace(b"\n", b"\r\n")
    assert outcome(fn([crlf], strict=strict)) == outcome(fn([raw], strict=strict))


def outcome(stream: Iterable[Any]) -> tuple[list[Any], Any]:
    """The events of ``stream`` and how it ended: ``(events, None)``, or the
    events before an error and the error's class, index and path."""
    events: list[Any] = []
    try:
        for e in stream:
            events.append(e)  # noqa: PERF402 - what arrived before the error
    except (StreamDecodeError, APIStreamError) as exc:
        return events, (type(exc), exc.index, getattr(exc, "path", None))
    return events, None


CHAT = sorted(CAPTURES.glob("chat-sse/*.sse"))
RESP = sorted(CAPTURES.glob("responses-sse/*.sse"))


@pytest.mark.skipif(not (CHAT and RESP), reason="captures not found")
@FUZZ
@given(st.data())
def test_any_split_of_a_capture(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(CHAT[:2] + RESP[:3]))
    raw = path.read_bytes()
    fn = iter_chat_completion_chunks if "chat" in path.parent.name else iter_response_events
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(raw)), max_size=40))))
    bounds = [0, *cuts, len(raw)]
    assert list(fn(raw[a:b] for a, b in pairwise(bounds))) == list(fn([raw]))


# --------------------------------------------------------------------------
# Fixture streams of the other APIs (data/streams)

FIXTURES = [
    (
        "speech.sse",
        iter_speech_events,
        aiter_speech_events,
        {"SpeechAudioDeltaEvent", "SpeechAudioDoneEvent"},
    ),
    (
        "transcription.sse",
        iter_transcription_events,
        aiter_transcription_events,
        {"TranscriptTextDeltaEvent", "TranscriptTextSegmentEvent", "TranscriptTextDoneEvent"},
    ),
    (
        "image_generation.sse",
        iter_image_generation_events,
        aiter_image_generation_events,
        {"ImageGenPartialImageEvent", "ImageGenCompletedEvent"},
    ),
    (
        "image_edit.sse",
        iter_image_edit_events,
        aiter_image_edit_events,
        {"ImageEditPartialImageEvent", "ImageEditCompletedEvent"},
    ),
]


@pytest.mark.parametrize(("name", "fn", "afn", "kinds"), FIXTURES, ids=[f[0] for f in FIXTURES])
def test_fixture_streams(name: str, fn: Any, afn: Any, kinds: set[str]) -> None:
    raw = (STREAMS / name).read_bytes()
    events = list(fn([raw], strict=True))
    assert {type(e).__name__ for e in events} == kinds
    assert len(events) == raw.count(b"data: ")
    assert [msgspec.json.decode(o.encode(e)) for e in events] == [
        msgspec.json.decode(e.data) for e in iter_sse([raw])
    ]
    assert list(fn(pieces(raw, 5))) == events
    assert collect_async(afn(_agen(pieces(raw, 64)))) == events


def test_transcription_text_adds_up() -> None:
    events = list(iter_transcription_events([(STREAMS / "transcription.sse").read_bytes()]))
    deltas = "".join(e.delta for e in events if type(e) is o.TranscriptTextDeltaEvent)
    assert deltas == events[-1].text


def test_completion_chunks() -> None:
    raw = (STREAMS / "completions.sse").read_bytes()
    chunks = list(iter_completion_chunks([raw], strict=True))
    assert all(isinstance(c, o.CreateCompletionResponse) for c in chunks)
    text = "".join(c.choices[0].text for c in chunks if c.choices)
    assert text == "\n\nThis is indeed a test"
    assert [c.choices[0].finish_reason for c in chunks[:-1]][-2:] == [None, "length"]
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == 12
    assert collect_async(aiter_completion_chunks(_agen(pieces(raw, 3)))) == chunks
    assert msgspec.json.decode(o.encode(chunks[0])) == msgspec.json.decode(
        raw.split(b"\n\n")[0][6:]
    )


def test_realtime_messages() -> None:
    lines = (STREAMS / "realtime.jsonl").read_bytes().splitlines()
    events = list(iter_realtime_events(lines, strict=True))
    assert len(events) == len(lines) == len({type(e) for e in events})
    assert list(iter_realtime_events([line.decode() for line in lines])) == events  # text frames
    assert collect_async(aiter_realtime_events(_agen(lines))) == events
    errors = [e for e in events if type(e) is o.RealtimeServerEventError]
    assert len(errors) == 1  # yielded, not raised: a session goes on after one
    with pytest.raises(StreamDecodeError) as info:
        list(iter_realtime_events([lines[0], lines[1], b'{"type": "session.created"}']))
    assert info.value.index == 2 and info.value.path == "$"


# --------------------------------------------------------------------------
# How streams end and fail

CHUNK = (
    b'{"id":"c1","object":"chat.completion.chunk","created":1,"model":"m",'
    b'"choices":[{"index":0,"delta":{"content":"%s"},"finish_reason":null}]}'
)


def chat_event(text: str) -> bytes:
    return b"data: " + CHUNK % text.encode() + b"\n\n"


def test_done_ends_the_stream_and_stops_reading() -> None:
    def source() -> Iterator[bytes]:
        yield chat_event("a") + b"data: [DONE]\n\n"
        raise AssertionError("read past [DONE]")

    events = list(iter_chat_completion_chunks(source()))
    assert [e.choices[0].delta.content for e in events] == ["a"]

    async def asource() -> AsyncIterator[bytes]:
        yield chat_event("a") + b"data: [DONE]\n\n" + chat_event("b")
        raise AssertionError("read past [DONE]")

    assert collect_async(aiter_chat_completion_chunks(asource())) == events


def test_push_decoder_after_done() -> None:
    dec = EventStreamDecoder(o.CreateChatCompletionStreamResponse)
    assert dec.feed(chat_event("a")[:20]) == []
    assert len(dec.feed(chat_event("a")[20:] + b"data: [DONE]\n\n" + chat_event("b"))) == 1
    assert dec.done
    assert dec.feed(chat_event("c")) == []
    assert dec.close() == []


ERROR = b'{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}'


@pytest.mark.parametrize("size", [1, 10_000])
def test_chat_error_payload(size: int) -> None:
    raw = chat_event("a") + chat_event("b") + b"data: " + ERROR + b"\n\n" + chat_event("c")
    seen = []
    with pytest.raises(APIStreamError) as info:
        for e in iter_chat_completion_chunks(pieces(raw, size)):
            seen.append(e)  # noqa: PERF402 - what arrived before the error
    err = info.value
    assert len(seen) == 2  # the events before the error arrive first
    assert not isinstance(err, ValueError)  # not a decode error
    assert type(err.error) is o.Error and err.message == "The server had an error"
    assert err.code is None and err.index == 2 and err.event is None and err.data == ERROR
    assert "event 2" in str(err)


def test_error_event() -> None:
    raw = chat_event("a") + b"event: error\ndata: " + ERROR + b"\n\n"
    with pytest.raises(APIStreamError) as info:
        list(iter_chat_completion_chunks([raw]))
    assert info.value.event == "error" and info.value.index == 1
    assert info.value.error.type == "server_error"
    # an error event whose payload does not fit Error keeps its JSON value, or its text
    with pytest.raises(APIStreamError) as info:
        list(iter_events([b'event: error\ndata: {"detail": 1}\n\n'], o.ImageGenStreamEvent))
    assert info.value.error == {"detail": 1}
    with pytest.raises(APIStreamError) as info:
        list(iter_events([b"event: error\ndata: overloaded\n\n"], o.ImageGenStreamEvent))
    assert info.value.error == "overloaded" and info.value.message == "overloaded"


RESP_DELTA = (
    b'{"type":"response.output_text.delta","sequence_number":%d,"item_id":"m",'
    b'"output_index":0,"content_index":0,"delta":"x","logprobs":[]}'
)
RESP_ERROR = b'{"type":"error","code":"rate_limit_exceeded","message":"slow down","param":null,"sequence_number":2}'


@pytest.mark.parametrize("named", [True, False])
def test_responses_error_event(named: bool) -> None:
    def event(name: bytes, data: bytes) -> bytes:
        return (b"event: " + name + b"\n" if named else b"") + b"data: " + data + b"\n\n"

    raw = event(b"response.output_text.delta", RESP_DELTA % 0)
    raw += event(b"response.output_text.delta", RESP_DELTA % 1) + event(b"error", RESP_ERROR)
    seen = []
    with pytest.raises(APIStreamError) as info:
        for e in iter_response_events([raw]):
            seen.append(e)  # noqa: PERF402 - what arrived before the error
    assert len(seen) == 2
    assert type(info.value.error) is o.ResponseErrorEvent
    assert info.value.code == "rate_limit_exceeded" and info.value.index == 2


def test_malformed_json_names_the_event() -> None:
    raw = chat_event("a") + chat_event("b") + b'data: {"id": \n\n'
    with pytest.raises(StreamDecodeError) as info:
        list(iter_chat_completion_chunks([raw]))
    err = info.value
    assert isinstance(err, DecodeError) and isinstance(err, ValueError)
    assert err.index == 2 and err.pos is not None
    assert isinstance(err.__cause__, o.MalformedJSONError)
    assert str(err).startswith("event 2: ")


def test_wrong_shape_names_the_event_and_path() -> None:
    bad = CHUNK.replace(b'"index":0', b'"index":"zero"') % b"x"
    raw = chat_event("a") + b"event: delta\ndata: " + bad + b"\n\n"
    with pytest.raises(StreamDecodeError) as info:
        list(iter_chat_completion_chunks(pieces(raw, 50)))
    err = info.value
    assert (err.index, err.event, err.path) == (1, "delta", "$.choices[0].index")
    assert isinstance(err.__cause__, o.ValidationError)
    assert "event 1 (delta)" in str(err)


@pytest.mark.parametrize("data", [b"", b"  ", b"[DONE] ", b"\xff"])
def test_payloads_that_are_not_json(data: bytes) -> None:
    raw = chat_event("a") + b"data: " + data + b"\n\n"
    with pytest.raises(StreamDecodeError) as info:
        list(iter_chat_completion_chunks([raw]))
    assert info.value.index == 1


def test_unknown_event_types() -> None:
    new = b'{"type":"response.teleport.delta","sequence_number":1,"delta":"x"}'
    raw = b"data: " + RESP_DELTA % 0 + b"\n\ndata: " + new + b"\n\n"
    events = list(iter_response_events([raw]))
    assert type(events[1]) is UnknownType and events[1].tag == "response.teleport.delta"
    assert o.encode(events[1]) == new
    with pytest.raises(StreamDecodeError) as info:
        list(iter_response_events([raw], strict=True))
    assert info.value.index == 1 and isinstance(info.value.__cause__, o.UnknownVariantError)


def test_unknown_assistant_event_name() -> None:
    raw = (
        b'event: thread.run.teleported\ndata: {"id": "run_1"}\n\nevent: thread.hint\ndata: soon\n\n'
    )
    raw += b"event: done\ndata: [DONE]\n\n"
    events = list(iter_assistant_events([raw]))
    assert [type(e) for e in events] == [UnknownEvent, UnknownEvent]
    assert events[0].tag == "thread.run.teleported" and events[0].data == {
        "event": "thread.run.teleported",
        "data": {"id": "run_1"},
    }
    assert events[1].data == {"event": "thread.hint", "data": "soon"}
    with pytest.raises(StreamDecodeError) as strict:
        list(iter_assistant_events([raw], strict=True))
    assert strict.value.index == 0 and isinstance(strict.value.__cause__, o.UnknownVariantError)
    # JSON with invalid UTF-8 inside a string cannot be kept as an unknown event
    with pytest.raises(StreamDecodeError) as info:
        list(iter_assistant_events([b'event: thread.x\ndata: {"a": "\xff"}\n\n']))
    assert info.value.index == 0 and info.value.event == "thread.x"


def test_assistant_error_and_bad_data() -> None:
    raw = b"event: error\ndata: " + ERROR[9:-1] + b"\n\n"
    with pytest.raises(APIStreamError) as info:
        list(iter_assistant_events([raw]))
    assert type(info.value.error) is o.Error and info.value.index == 0
    with pytest.raises(StreamDecodeError) as info2:
        list(iter_assistant_events([b'event: thread.run.created\ndata: {"id": 1}\n\n']))
    assert info2.value.index == 0 and info2.value.event == "thread.run.created"


def test_generic_core_serves_any_type() -> None:
    raw = b'data: {"a": 1}\n\ndata: [1, 2]\n\n'
    assert list(iter_events([raw], Any)) == [{"a": 1}, [1, 2]]
    assert collect_async(aiter_events(_agen([raw]), Any)) == [{"a": 1}, [1, 2]]
    with pytest.raises(StreamDecodeError):
        list(iter_events([raw], dict[str, int]))


FRAGMENTS = st.sampled_from(
    [
        b"data: ",
        b"event: ",
        b"error",
        b"thread.run.created",
        b"done",
        b"\n",
        b"\r\n",
        b"\n\n",
        b"[DONE]",
        b'{"error": {"message": "x"}}',
        b'{"type": "error", "message": "m", "code": null, "param": null}',
        b'{"type": "response.output_text.delta"',
        b'{"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m", "choices": []}',
        b"[[[[[[[[[[",
        b"\xff",
        b": c",
    ]
)


@FUZZ
@given(st.lists(st.one_of(FRAGMENTS, st.binary(max_size=8)), max_size=30), st.integers(1, 9))
def test_hostile_streams_fail_cleanly(parts: list[bytes], size: int) -> None:
    """Whatever the bytes, a stream yields events or raises a ValueError
    subclass naming where, or APIStreamError; nothing else."""
    raw = b"".join(parts)
    for fn in (iter_chat_completion_chunks, iter_response_events, iter_assistant_events):
        try:
            for _ in fn(pieces(raw, size)):
                pass
        except StreamDecodeError as exc:
            assert exc.index >= 0
        except APIStreamError as exc:
            assert exc.index >= 0
