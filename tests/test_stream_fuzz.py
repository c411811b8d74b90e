"""One answer per stream, fuzzed: recorded streams, mutated, read whole, in
random chunks, byte by byte, async, and with CRLF line ends (the exact path
instead of the batched one), in the default and strict modes, with errors
raised or yielded, must give the same events and end the same way (the same
error class, event index and ``$.path``). Each value is what
``Decoder.decode`` gives for the bytes the stream hands out with it.

Derandomized: the same examples on every run (``FUZZ_EXAMPLES=N`` draws N
fresh ones instead).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import openai_structs as o
from openai_structs import APIStreamError, EventTooLargeError, StreamDecodeError
from openai_structs.streams import (
    RawEvent,
    aiter_assistant_events,
    aiter_chat_completion_chunks,
    aiter_completion_chunks,
    aiter_image_generation_events,
    aiter_response_events,
    aiter_speech_events,
    aiter_transcription_events,
    iter_assistant_events,
    iter_chat_completion_chunks,
    iter_completion_chunks,
    iter_image_generation_events,
    iter_response_events,
    iter_speech_events,
    iter_sse,
    iter_transcription_events,
)

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT.parent / "shared" / "captures"

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: stream kind -> (sync reader, async reader, the type Decoder.decode checks against)
KINDS: dict[str, tuple[Any, Any, str | None]] = {
    "chat": (
        iter_chat_completion_chunks,
        aiter_chat_completion_chunks,
        "CreateChatCompletionStreamResponse",
    ),
    "responses": (iter_response_events, aiter_response_events, "ResponseStreamEvent"),
    "assistants": (iter_assistant_events, aiter_assistant_events, None),
    "completions": (iter_completion_chunks, aiter_completion_chunks, None),
    "speech": (iter_speech_events, aiter_speech_events, "CreateSpeechResponseStreamEvent"),
    "transcription": (
        iter_transcription_events,
        aiter_transcription_events,
        "CreateTranscriptionResponseStreamEvent",
    ),
    "images": (iter_image_generation_events, aiter_image_generation_events, "ImageGenStreamEvent"),
}


def first_events(raw: bytes, count: int = 40) -> bytes:
    """The stream's first ``count`` events (the large benchmark streams would
    make each example slow)."""
    cut = 0
    for _ in range(count):
        end = raw.find(b"\n\n", cut)
        if end < 0:
            return raw
        cut = end + 2
    return raw[:cut]


def sources() -> list[tuple[str, bytes]]:
    out = []
    for kind, folder in (
        ("chat", "chat-sse"),
        ("responses", "responses-sse"),
        ("assistants", "assistants-sse"),
    ):
        out += [
            (kind, first_events(p.read_bytes())) for p in sorted((CAPTURES / folder).glob("*.sse"))
        ]
    streams = ROOT / "data" / "streams"
    for kind, name in (
        ("speech", "speech.sse"),
        ("transcription", "transcription.sse"),
        ("images", "image_generation.sse"),
        ("completions", "completions.sse"),
    ):
        out.append((kind, (streams / name).read_bytes()))
    bench = ROOT / "data" / "bench"
    out += [
        ("chat", first_events((bench / "chat_stream.sse").read_bytes())),
        ("responses", first_events((bench / "responses_stream.sse").read_bytes())),
    ]
    return out


SOURCES = sources()

# Replacements that reach the checks: enum values outside the spec, keys no
# type defines, tags no type knows, API errors, the end, bad bytes.
SWAPS = [
    (b'"finish_reason":null', b'"finish_reason":"bogus"'),
    (b'"status":"completed"', b'"status":"bogus"'),
    (b'"status":"in_progress"', b'"status":"bogus"'),
    (b'"role":"assistant"', b'"role":"bogus"'),
    (b'"type":"message"', b'"type":"teleport"'),
    (b'"type":"output_text"', b'"type":"hologram"'),
    (b'"type":"response.output_text.delta"', b'"type":"response.teleport.delta"'),
    (b'"type":"response.output_text.delta"', b'"type":"error"'),
    (b'{"id":', b'{"zz_unknown":{"a":[1]},"id":'),
    (b'"delta":{', b'"delta":{"zz":null,'),
    (b'"content":"', b'"content":"\xff'),
    (b'"index":0', b'"index":"0"'),
    (b"event: thread.run.created", b"event: thread.run.teleported"),
    (b"event: response.output_text.delta", b"event: error"),
    (b"\n\n", b"\r\n\r\n"),
]
INSERTS = [
    b'data: {"error": {"message": "overloaded", "type": "server_error", "param": null, "code": null}}\n\n',
    b'event: error\ndata: {"type":"error","code":"c","message":"m","param":null,"sequence_number":5}\n\n',
    b"event: error\ndata: overloaded\n\n",
    b"data: [DONE]\n\n",
    b": keep-alive\n\n",
    b"id: 7\nretry: 99999999999999999999999\n",
    b"data: {oops\n\n",
    b"\xff",
    b"\r",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    kind, raw = draw(st.sampled_from(SOURCES))
    for _ in range(draw(st.integers(0, 3))):
        # mostly swaps, which keep the stream readable up to the checks
        op = (0, 0, 0, 0, 0, 1, 1, 1, 2, 3)[draw(st.integers(0, 9))]
        if op == 0:
            old, new = draw(st.sampled_from(SWAPS))
            count = raw.count(old)
            if count:
                at = -1
                for _ in range(draw(st.integers(1, count))):
                    at = raw.index(old, at + 1)
                raw = raw[:at] + new + raw[at + len(old) :]
        elif op == 1:
            at = draw(st.integers(0, len(raw)))
            raw = raw[:at] + draw(st.sampled_from(INSERTS)) + raw[at:]
        elif op == 2:
            at = draw(st.integers(0, len(raw)))
            raw = raw[:at] + raw[at + draw(st.integers(1, 30)) :]
        else:  # an event's start, moved: events merged, cut, repeated
            start = raw.find(b"data: ", draw(st.integers(0, len(raw))))
            if start >= 0:
                at = draw(st.integers(0, len(raw)))
                raw = raw[:at] + raw[start : start + draw(st.integers(1, 400))] + raw[at:]
    return kind, raw


def cut(raw: bytes, points: list[int]) -> list[bytes]:
    bounds = [0, *sorted({p % (len(raw) + 1) for p in points}), len(raw)]
    return [raw[a:b] for a, b in pairwise(bounds)]


def key(value: Any) -> Any:
    if isinstance(value, RawEvent):
        return ("raw", key(value.value), value.data, value.event)
    if isinstance(value, APIStreamError):
        return ("api", value.index, value.event, value.data)
    if isinstance(value, StreamDecodeError):
        return ("decode", value.index, value.event, value.path, type(value.__cause__))
    if isinstance(value, EventTooLargeError):
        return ("too large", value.index, value.pos)
    return (type(value), o.encode(value))


def outcome(stream: Iterable[Any]) -> tuple[list[Any], Any]:
    events: list[Any] = []
    try:
        for value in stream:
            events.append(value)  # noqa: PERF402 - what arrived before the error
    except (StreamDecodeError, APIStreamError, EventTooLargeError) as exc:
        return events, exc
    return events, None


def async_outcome(stream: AsyncIterator[Any]) -> tuple[list[Any], Any]:
    async def main() -> tuple[list[Any], Any]:
        events: list[Any] = []
        try:
            async for value in stream:
                events.append(value)
        except (StreamDecodeError, APIStreamError, EventTooLargeError) as exc:
            return events, exc
        return events, None

    return asyncio.run(main())


async def _agen(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def keyed(result: tuple[list[Any], Any]) -> tuple[list[Any], Any]:
    events, error = result
    return [key(e) for e in events], None if error is None else key(error)


@FUZZ
@given(
    mutated(),
    st.booleans(),
    st.sampled_from(["raise", "yield"]),
    st.sampled_from([16 << 20, 2000, 300]),
    st.lists(st.integers(0, 1 << 20), max_size=12),
    st.lists(st.integers(0, 1 << 20), max_size=12),
)
def test_one_answer_for_a_mutated_stream(
    source: tuple[str, bytes],
    strict: bool,
    api_errors: str,
    limit: int,
    cuts: list[int],
    async_cuts: list[int],
) -> None:
    kind, raw = source
    sync, asynchronous, type_name = KINDS[kind]
    opts: dict[str, Any] = {"strict": strict, "api_errors": api_errors, "max_event_size": limit}
    whole = outcome(sync([raw], with_raw=True, **opts))
    expected = keyed(whole)
    assert keyed(outcome(sync(cut(raw, cuts), with_raw=True, **opts))) == expected
    assert (
        keyed(async_outcome(asynchronous(_agen(cut(raw, async_cuts)), with_raw=True, **opts)))
        == expected
    )
    if len(raw) < 4000:
        bytewise = [raw[i : i + 1] for i in range(len(raw))]
        assert keyed(outcome(sync(bytewise, with_raw=True, **opts))) == expected
    if b"\r" not in raw:  # the exact path for every event
        crlf = raw.replace(b"\n", b"\r\n")
        events, error = keyed(outcome(sync([crlf], with_raw=True, **opts)))
        assert events == expected[0]
        if error is None or error[0] != "too large":  # its offsets count the CRs
            assert error == expected[1]
    # without with_raw, the same values
    values = outcome(sync(cut(raw, cuts), **opts))
    assert [key(v) for v in values[0]] == [key(e.value) for e in whole[0]]
    # each value is Decoder.decode of its bytes
    if type_name is not None:
        decode = o.Decoder(getattr(o, type_name), strict=strict).decode
        for event in whole[0]:
            if not isinstance(event.value, APIStreamError):
                assert key(event.value) == key(decode(event.data))
    # and the bytes are those the framer cut out, in order
    if whole[1] is None or not isinstance(whole[1], EventTooLargeError):
        framed = [e.data for e in iter_sse([raw])]
        assert [e.data for e in whole[0]] == framed[: len(whole[0])]


def test_the_sources_are_there() -> None:
    kinds = {kind for kind, _ in SOURCES}
    if not (CAPTURES / "chat-sse").is_dir():
        pytest.skip("../shared/captures not found")
    assert kinds == set(KINDS) and len(SOURCES) >= 25


def test_the_mutations_reach_the_checks() -> None:
    """Every swap finds something to swap in the sources."""
    joined = b"".join(raw for _, raw in SOURCES)
    missing = [old for old, _ in SWAPS if old not in joined]
    assert missing == []
    assert msgspec.json.decode(INSERTS[0][6:-2])["error"]["message"] == "overloaded"
