"""The SSE framer: each WHATWG event-stream rule, sync and async; any split of
a stream into chunks gives the events of the whole; memory stays bounded;
``format_sse`` writes what the framer reads back."""

from __future__ import annotations

import asyncio
import itertools
import os
import re
from collections.abc import AsyncIterator, Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from openai_structs import EventTooLargeError, SSEError
from openai_structs.streams import (
    DEFAULT_MAX_EVENT_SIZE,
    ServerSentEvent,
    SSEDecoder,
    aiter_sse,
    format_sse,
    iter_sse,
)

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")),
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Ev = ServerSentEvent


async def _agen(chunks: Iterable[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def read_async(chunks: Iterable[bytes], **kw: int) -> list[Ev]:
    async def main() -> list[Ev]:
        return [e async for e in aiter_sse(_agen(chunks), **kw)]

    return asyncio.run(main())


def read_sync(chunks: Iterable[bytes], **kw: int) -> list[Ev]:
    return list(iter_sse(chunks, **kw))


READERS = [read_sync, read_async]


def bytewise(raw: bytes) -> list[bytes]:
    return [raw[i : i + 1] for i in range(len(raw))]


# --------------------------------------------------------------------------
# An independent reading of the standard, on the whole stream at once


def oracle(raw: bytes) -> list[Ev]:
    return read_oracle(raw)[0]


def read_oracle(raw: bytes, limit: int | None = None) -> tuple[list[Ev], tuple[int, int] | None]:
    """The events of ``raw``, and with a size ``limit`` the (index, start
    offset) of the first event it refuses (the events before it come first)."""
    offset = 0
    if raw.startswith(b"\xef\xbb\xbf"):
        offset = 3
    out: list[Ev] = []
    data: list[bytes] = []
    size = 0  # of the data lines so far, one byte more each
    event = b""
    last_id: str | None = None
    retry: int | None = None
    start = offset  # where the event being read begins
    pos = offset
    pieces = re.split(rb"(\r\n|\r|\n)", raw[offset:])
    for line, end in itertools.zip_longest(pieces[0::2], pieces[1::2]):
        if limit is not None and size + len(line) > limit:
            return out, (len(out), start)
        if end is None:
            break  # the last piece has no line end: dropped
        pos += len(line) + len(end)
        if not line:
            if data:
                out.append(
                    Ev(b"\n".join(data), event.decode("utf-8", "replace") or None, last_id, retry)
                )
            data, size, event, retry = [], 0, b"", None
            start = pos
            continue
        if line[:1] == b":":
            continue
        name, _, value = line.partition(b":")
        if value[:1] == b" ":
            value = value[1:]
        if name == b"data":
            data.append(value)
            size += len(value) + 1
        elif name == b"event":
            event = value
        elif name == b"id" and b"\x00" not in value:
            last_id = value.decode("utf-8", "replace")
        elif name == b"retry" and re.fullmatch(rb"[0-9]+", value):
            digits = value.lstrip(b"0")
            retry = retry if len(digits) > 18 else int(digits or b"0")  # larger: no delay
    return out, None


# --------------------------------------------------------------------------
# The rules, case by case

CASES: dict[str, tuple[bytes, list[Ev]]] = {
    "lf": (b"data: a\n\n", [Ev(b"a")]),
    "cr": (b"data: a\r\r", [Ev(b"a")]),
    "crlf": (b"data: a\r\n\r\n", [Ev(b"a")]),
    "mixed line ends": (b"data: a\rdata: b\r\ndata: c\n\r\n", [Ev(b"a\nb\nc")]),
    "u2028 and u2029 are data": (
        "data: a\u2028b\u2029c\n\n".encode(),
        [Ev("a\u2028b\u2029c".encode())],
    ),
    "bom dropped": (b"\xef\xbb\xbfdata: a\n\n", [Ev(b"a")]),
    "second bom is a field name": (b"\xef\xbb\xbf\xef\xbb\xbfdata: a\n\ndata: b\n\n", [Ev(b"b")]),
    "comment": (b": keep-alive\ndata: a\n:\n\n", [Ev(b"a")]),
    "field without colon": (b"data\n\n", [Ev(b"")]),
    "event without colon": (b"event\ndata: a\n\n", [Ev(b"a")]),
    "one space stripped": (b"data:  a\n\ndata:b\n\n", [Ev(b" a"), Ev(b"b")]),
    "tab not stripped": (b"data:\ta\n\n", [Ev(b"\ta")]),
    "data lines joined": (b"data: a\ndata:\ndata: b\n\n", [Ev(b"a\n\nb")]),
    "empty data line dispatches": (b"data:\n\n", [Ev(b"")]),
    "event name": (b"event: delta\ndata: a\n\n", [Ev(b"a", "delta")]),
    "event name reset": (b"event: x\ndata: a\n\ndata: b\n\n", [Ev(b"a", "x"), Ev(b"b")]),
    "no data no event": (b"event: x\nid: 1\n\ndata: a\n\n", [Ev(b"a", None, "1")]),
    "id persists": (b"id: 7\ndata: a\n\ndata: b\n\n", [Ev(b"a", None, "7"), Ev(b"b", None, "7")]),
    "id reset to empty": (
        b"id: 7\ndata: a\n\nid\ndata: b\n\n",
        [Ev(b"a", None, "7"), Ev(b"b", None, "")],
    ),
    "id with nul ignored": (b"id: 7\n\nid: 8\x009\ndata: a\n\n", [Ev(b"a", None, "7")]),
    "retry": (b"retry: 3000\ndata: a\n\ndata: b\n\n", [Ev(b"a", None, None, 3000), Ev(b"b")]),
    "retry not digits": (b"retry: 30a\ndata: a\n\nretry: -1\ndata: b\n\n", [Ev(b"a"), Ev(b"b")]),
    "retry of 18 digits": (b"retry: 999999999999999999\ndata: a\n\n", [Ev(b"a", retry=10**18 - 1)]),
    "retry too large ignored": (
        b"retry: 5\nretry: " + b"9" * 5000 + b"\ndata: a\n\n",
        [Ev(b"a", retry=5)],
    ),
    "retry leading zeros": (b"retry: " + b"0" * 5000 + b"12\ndata: a\n\n", [Ev(b"a", retry=12)]),
    "unknown field": (b"foo: bar\ndata: a\n\n", [Ev(b"a")]),
    "field names are case sensitive": (b"Data: a\nDATA: b\ndata: c\n\n", [Ev(b"c")]),
    "unfinished event dropped": (b"data: a\n\ndata: b\n", [Ev(b"a")]),
    "unfinished line dropped": (b"data: a\n\ndata: b", [Ev(b"a")]),
    "leading blank lines": (b"\n\n\ndata: a\n\n", [Ev(b"a")]),
    "colon in value": (b"data: a: b\n\n", [Ev(b"a: b")]),
    "invalid utf-8 in name replaced": (b"event: \xff\ndata: \xff\n\n", [Ev(b"\xff", "\ufffd")]),
    "empty stream": (b"", []),
    # runs that look like the two fast shapes but are not
    "data line in the name column": (
        b"event: a\ndata: x\n\ndata: q\ndata: y\n\n",
        [Ev(b"x", "a"), Ev(b"q\ny")],
    ),
    "comment in the name column": (
        b"event: a\ndata: x\n\n: c\ndata: y\n\n",
        [Ev(b"x", "a"), Ev(b"y")],
    ),
    "field in the blank column": (
        b"event: a\ndata: x\nid: 5\nevent: b\ndata: y\n\n",
        [Ev(b"x\ny", "b", "5")],
    ),
    "name in the data column": (b"event: a\ndata: x\n\nevent: b\nevent: y\n\n", [Ev(b"x", "a")]),
    "comment in the data column": (b"event: a\ndata: x\n\nevent: b\n: y\n\n", [Ev(b"x", "a")]),
    "extra line in a data run": (b"data: x\n\ndata: y\nid: 2\n\n", [Ev(b"x"), Ev(b"y", None, "2")]),
    "no space in a data run": (b"data: x\n\ndata:y\n\n", [Ev(b"x"), Ev(b"y")]),
    "only a bom": (b"\xef\xbb\xbf", []),
}


@pytest.mark.parametrize("reader", READERS, ids=["sync", "async"])
@pytest.mark.parametrize("name", list(CASES))
def test_rule(name: str, reader: object) -> None:
    raw, expected = CASES[name]
    assert oracle(raw) == expected  # the test's own reading agrees
    assert reader([raw]) == expected  # type: ignore[operator]
    assert reader(bytewise(raw)) == expected  # type: ignore[operator]


@pytest.mark.parametrize("reader", READERS, ids=["sync", "async"])
def test_crlf_split_between_chunks(reader: object) -> None:
    # Read as CR then LF, the LF would be a blank line of its own and dispatch
    # "a" early: it must not, the CRLF is one line end.
    chunks = [b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"]
    assert reader(chunks) == [Ev(b"a\nb")]  # type: ignore[operator]


@pytest.mark.parametrize("reader", READERS, ids=["sync", "async"])
def test_utf8_split_inside_a_character(reader: object) -> None:
    raw = "event: é\ndata: 東京 🙂\n\n".encode()
    chunks = [raw[:8], raw[8:16], raw[16:19], raw[19:]]
    assert reader(chunks) == [Ev("東京 🙂".encode(), "é")]  # type: ignore[operator]


@pytest.mark.parametrize("reader", READERS, ids=["sync", "async"])
def test_bom_split_between_chunks(reader: object) -> None:
    assert reader([b"\xef", b"\xbb", b"\xbfdata: a\n\n"]) == [Ev(b"a")]  # type: ignore[operator]
    # not a BOM after all: the bytes are kept (and name a field nobody knows)
    assert reader([b"\xef", b"\xbbdata: a\n\ndata: b\n\n"]) == [Ev(b"b")]  # type: ignore[operator]


def test_push_decoder() -> None:
    dec = SSEDecoder()
    assert dec.feed(b'data: {"a"') == []
    assert dec.feed(b": 1}\n") == []
    assert dec.feed(b"\nid: 4\ndata: x\n") == [Ev(b'{"a": 1}')]
    assert dec.last_event_id is None  # an id takes effect at the blank line
    assert dec.feed(b"\n") == [Ev(b"x", None, "4")]
    assert dec.last_event_id == "4"
    assert dec.feed(b"id: 5\n\ndata: y\n") == []
    assert dec.last_event_id == "5"
    assert dec.close() == []  # the unfinished "y" is dropped
    assert dec.last_event_id is None  # and the decoder starts afresh
    assert dec.feed(b"data: y\n\n") == [Ev(b"y")]


def test_accepts_bytearray_and_memoryview() -> None:
    raw = b"data: a\n\nevent: e\ndata: b\n\n"
    expected = [Ev(b"a"), Ev(b"b", "e")]
    assert read_sync([bytearray(raw)]) == expected
    assert read_sync([memoryview(raw)]) == expected
    assert all(type(e.data) is bytes for e in read_sync([memoryview(raw)]))


def test_text() -> None:
    assert Ev("é".encode()).text() == "é"
    assert Ev(b"\xff").text() == "\ufffd"


# --------------------------------------------------------------------------
# Bounded memory


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n"])
def test_event_too_large_in_data_lines(line_end: bytes) -> None:
    line = b"data: " + b"x" * 100 + line_end
    with pytest.raises(EventTooLargeError, match="max_event_size=1000") as info:
        for _ in iter_sse([line] * 20, max_event_size=1000):
            pass
    assert isinstance(info.value, SSEError) and isinstance(info.value, ValueError)
    assert (info.value.index, info.value.pos) == (0, 0)


@pytest.mark.parametrize("size", [1, 7, 4096])
def test_event_too_large_one_long_line(size: int) -> None:
    """A line that never ends, fed in small pieces: an error, in linear time."""
    chunks = iter([b"data: "] + [b"y" * size] * (200_000 // size))
    with pytest.raises(EventTooLargeError):
        list(iter_sse(chunks, max_event_size=50_000))


BIG = b"data: a\n\n" + b"data: " + b"x" * (2 << 20) + b"\n\n" + b"data: b\n\n"


@pytest.mark.parametrize("piece", [len(BIG), len(BIG) // 2 + 1, 1 << 16, 1000])
@pytest.mark.parametrize("line_end", [b"\n", b"\r\n"])
def test_the_bound_holds_however_the_bytes_arrive(piece: int, line_end: bytes) -> None:
    """A 2 MiB event under a 1 MiB bound: refused whole, in two pieces and in
    64 KiB pieces alike, after the event before it, naming it the same way."""
    raw = BIG.replace(b"\n", line_end)
    seen = []
    with pytest.raises(EventTooLargeError) as info:
        for event in iter_sse(
            split(raw, list(range(piece, len(raw), piece))), max_event_size=1 << 20
        ):
            seen.append(event.data)
    assert seen == [b"a"]
    assert (info.value.index, info.value.pos) == (1, 7 + 2 * len(line_end))


@pytest.mark.parametrize(
    "raw",
    [
        b"event: " + b"n" * 200 + b"\ndata: x\n\n",  # a long name
        b": " + b"c" * 200 + b"\ndata: x\n\n",  # a long comment
        b"data: " + b"d" * 120 + b"\ndata: " + b"d" * 120 + b"\n\n",  # the data lines together
        b"id: " + b"i" * 200 + b"\n\n",  # an event with no data
    ],
)
def test_every_line_counts(raw: bytes) -> None:
    for chunks in ([raw], bytewise(raw), [raw[:50], raw[50:]]):
        with pytest.raises(EventTooLargeError) as info:
            read_sync([b"data: ok\n\n", *chunks], max_event_size=150)
        assert (info.value.index, info.value.pos) == (1, 10)


def test_push_decoder_hands_out_events_before_the_refused_one() -> None:
    dec = SSEDecoder(max_event_size=100)
    assert dec.feed(b"data: a\n\ndata: " + b"x" * 200) == [Ev(b"a")]
    with pytest.raises(EventTooLargeError) as first:
        dec.feed(b"\n\n")
    with pytest.raises(EventTooLargeError) as again:  # it stays failed
        dec.feed(b"data: b\n\n")
    assert again.value is first.value
    assert dec.close() == []  # raised already; the decoder starts afresh
    assert dec.feed(b"data: b\n\n") == [Ev(b"b")]
    dec.feed(b"data: c\n\ndata: " + b"x" * 200)
    with pytest.raises(EventTooLargeError):  # held back, then raised by close
        dec.close()


def test_many_small_events_are_not_one_large_one() -> None:
    raw = b"data: " + b"z" * 90 + b"\n\n"
    events = read_sync([raw * 1000], max_event_size=200)
    assert len(events) == 1000
    assert read_sync([b": " + b"c" * 90 + b"\n"] * 100 + [b"data: a\n\n"], max_event_size=200) == [
        Ev(b"a")
    ]


def test_default_limit_and_bad_limit() -> None:
    assert DEFAULT_MAX_EVENT_SIZE == 16 * 1024 * 1024
    with pytest.raises(ValueError):
        SSEDecoder(max_event_size=0)


# --------------------------------------------------------------------------
# Writing


def test_format_sse() -> None:
    assert format_sse(b'{"a":1}') == b'data: {"a":1}\n\n'
    assert (
        format_sse("a\nb", event="e", id="1", retry=5)
        == b"event: e\nid: 1\nretry: 5\ndata: a\ndata: b\n\n"
    )
    assert format_sse(comment="ping") == b":ping\n\n"
    assert format_sse("a\r\nb\rc") == b"data: a\ndata: b\ndata: c\n\n"
    for bad in ({"event": "a\nb"}, {"id": "a\rb"}, {"id": "a\x00b"}, {"retry": -1}):
        with pytest.raises(ValueError):
            format_sse("x", **bad)  # type: ignore[arg-type]


def test_format_sse_relays_what_it_reads() -> None:
    events = [
        Ev(b'{"a":1}', "delta", "1", 10),
        Ev(b" lead\n\nblank lines\n", None, "1", None),
        Ev(b"", "e", "2"),
    ]
    raw = b"".join(format_sse(e.data, event=e.event, id=e.id, retry=e.retry) for e in events)
    assert read_sync([raw]) == events


# --------------------------------------------------------------------------
# Any split of any stream gives the events of the whole

NAMES = [b"data", b"event", b"id", b"retry", b"dat", b"Data", b"", b"x"]
VALUES = st.one_of(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
        max_size=12,
    ).map(str.encode),
    st.sampled_from(
        [b'{"a": [1, "\\u00e9"]}', b"[DONE]", b"12", b"\xff\xfe", b"\x00", b" ", b"error"]
    ),
    st.binary(max_size=6).map(lambda b: b.replace(b"\r", b"").replace(b"\n", b"")),
)
LINE_ENDS = st.sampled_from([b"\n", b"\n", b"\n", b"\r", b"\r\n"])


@st.composite
def free_lines(draw: st.DrawFn) -> bytes:
    """Any mix of fields, comments and blank lines, with any line ends."""
    out = []
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.integers(0, 5))
        if kind == 0:
            line = b""
        elif kind == 1:
            line = b":" + draw(VALUES)
        else:
            sep = draw(st.sampled_from([b": ", b":", b":  ", b""]))
            line = draw(st.sampled_from(NAMES)) + sep + (draw(VALUES) if sep else b"")
        out.append(line + draw(LINE_ENDS))
    return b"".join(out)


@st.composite
def simple_events(draw: st.DrawFn) -> bytes:
    """Runs of the two shapes the fast path takes, sometimes broken."""
    named = draw(st.booleans())
    # mostly the right prefixes; now and then another field in their place,
    # sorting before or after them
    event = st.sampled_from(
        [b"event: "] * 6 + [b"event:", b"data: ", b"id: ", b": ", b"foo: ", b"a: "]
    )
    data = st.sampled_from([b"data: "] * 6 + [b"data:", b"dat: ", b"id: ", b"zz: ", b"a: "])
    end = st.sampled_from([b"\n\n"] * 6 + [b"\n", b"\nid: 5\n", b"\n: c\n", b"\nevent: z\n"])
    out = []
    for _ in range(draw(st.integers(1, 8))):
        if named:
            name = draw(st.sampled_from([b"a", b"error", b"", b"b c"]))
            out.append(draw(event) + name + b"\n")
        out.append(draw(data) + draw(VALUES) + draw(end))
    return b"".join(out) + b"\n"


STREAMS = st.builds(
    lambda bom, parts, tail: bom + b"".join(parts) + tail,
    st.sampled_from([b"", b"", b"\xef\xbb\xbf"]),
    st.lists(st.one_of(free_lines(), simple_events()), max_size=6),
    st.sampled_from([b"", b"data: unfinished", b"data: x\n"]),
)


def split(raw: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(raw) + 1) for c in cuts})
    bounds = [0, *points, len(raw)]
    return [raw[a:b] for a, b in itertools.pairwise(bounds)]


@FUZZ
@given(STREAMS, st.lists(st.integers(0, 10_000), max_size=12))
def test_any_split_gives_the_same_events(raw: bytes, cuts: list[int]) -> None:
    expected = oracle(raw)
    assert read_sync([raw]) == expected
    assert read_sync(split(raw, cuts)) == expected


@FUZZ
@given(STREAMS, st.lists(st.integers(0, 10_000), max_size=12), st.integers(1, 40))
def test_the_bound_is_the_same_for_any_split(raw: bytes, cuts: list[int], limit: int) -> None:
    """With a small ``max_event_size``: the same events, then the same error
    (event index and offset) or none, whole, split anywhere, sync or async."""
    expected = read_oracle(raw, limit)
    for chunks in ([raw], split(raw, cuts), bytewise(raw)):
        assert read_bounded(chunks, limit) == expected
    assert read_bounded(split(raw, cuts), limit, reader=read_async_events) == expected


def read_async_events(chunks: list[bytes], limit: int, out: list[Ev]) -> None:
    async def main() -> None:
        async for event in aiter_sse(_agen(chunks), max_event_size=limit):
            out.append(event)

    asyncio.run(main())


def read_sync_events(chunks: list[bytes], limit: int, out: list[Ev]) -> None:
    out.extend(iter_sse(chunks, max_event_size=limit))


def read_bounded(
    chunks: list[bytes], limit: int, reader: Any = read_sync_events
) -> tuple[list[Ev], tuple[int, int] | None]:
    out: list[Ev] = []
    try:
        reader(chunks, limit, out)
    except EventTooLargeError as exc:
        assert exc.pos is not None
        return out, (exc.index, exc.pos)
    return out, None


@FUZZ
@given(STREAMS)
def test_one_byte_chunks_give_the_same_events(raw: bytes) -> None:
    assert read_sync(bytewise(raw)) == oracle(raw)


@settings(FUZZ, max_examples=50)
@given(STREAMS, st.lists(st.integers(0, 10_000), max_size=6))
def test_async_split_gives_the_same_events(raw: bytes, cuts: list[int]) -> None:
    assert read_async(split(raw, cuts)) == oracle(raw)


@FUZZ
@given(
    st.lists(
        st.tuples(st.one_of(st.none(), st.sampled_from(["a", "b c", "é"])), VALUES), max_size=8
    )
)
def test_format_then_read(events: list[tuple[str | None, bytes]]) -> None:
    raw = b"".join(format_sse(data, event=name) for name, data in events)
    assert [(e.event, e.data) for e in read_sync([raw])] == [(n or None, d) for n, d in events]
