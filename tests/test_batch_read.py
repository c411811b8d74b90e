"""Reading Batch API files: every endpoint, every source, every error mode and
the edge cases of real downloads (blank lines, CRLF, BOM, no final newline,
empty, huge lines, invalid UTF-8, truncated)."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import openai_structs as o
from openai_structs import BatchLineError
from openai_structs.batch import (
    ENDPOINTS,
    BadLine,
    batch_ranges,
    iter_batch_input,
    iter_batch_output,
)

ROOT = Path(__file__).resolve().parents[1]
BATCH = ROOT / "data" / "batch"
CAPTURES = ROOT.parent / "shared" / "captures" / "bodies"

# fixture file -> the endpoint its bodies come from
FIXTURES = {
    "responses.jsonl": "/v1/responses",
    "chat_completions.jsonl": "/v1/chat/completions",
    "embeddings.jsonl": "/v1/embeddings",
    "completions.jsonl": "/v1/completions",
    "moderations.jsonl": "/v1/moderations",
    "images_generations.jsonl": "/v1/images/generations",
    "images_edits.jsonl": "/v1/images/edits",
    "videos.jsonl": "/v1/videos",
}


def _lines(name: str) -> list[bytes]:
    return (BATCH / name).read_bytes().splitlines()


def _docs(data: bytes) -> list[Any]:
    return [json.loads(line) for line in data.splitlines() if line.strip()]


def _same(value: Any, doc: Any) -> bool:
    """A decoded line holds the same JSON value as the document it came from."""
    return json.loads(o.encode(value)) == doc


CHAT = (BATCH / "chat_completions.jsonl").read_bytes()


# -- every endpoint --------------------------------------------------------


def test_every_batch_endpoint_has_a_fixture() -> None:
    assert set(FIXTURES.values()) == set(ENDPOINTS)


@pytest.mark.parametrize("name", sorted(FIXTURES))
@pytest.mark.parametrize("given_endpoint", [False, True])
def test_fixture_bodies_are_typed_by_endpoint(name: str, given_endpoint: bool) -> None:
    endpoint = FIXTURES[name]
    data = (BATCH / name).read_bytes()
    reader = iter_batch_output(BATCH / name, endpoint=endpoint if given_endpoint else None)
    lines = list(reader)
    docs = _docs(data)
    assert len(lines) == len(docs) == reader.good
    want = ENDPOINTS[endpoint].body
    for line, doc in zip(lines, docs):
        assert isinstance(line, o.BatchRequestOutput)
        assert _same(line, doc)
        assert line.response is not None and line.response is not msgspec.UNSET
        if 200 <= doc["response"]["status_code"] < 300:
            assert type(line.response.body) is want
        else:
            assert isinstance(line.response.body, o.ErrorResponse)
            assert line.response.body.error.code == doc["response"]["body"]["error"]["code"]
    if given_endpoint:
        assert reader.endpoint == endpoint
    else:  # edits and generations share a body type: inference names generations
        assert ENDPOINTS[reader.endpoint or ""].body is ENDPOINTS[endpoint].body


def test_error_file_lines() -> None:
    data = (BATCH / "errors.jsonl").read_bytes()
    lines = list(iter_batch_output(data))
    docs = _docs(data)
    assert len(lines) == len(docs) > 0
    for line, doc in zip(lines, docs):
        assert line.response is None
        assert line.error.code == doc["error"]["code"]
        assert _same(line, doc)


@pytest.mark.parametrize(
    ("name", "endpoint"),
    [
        ("timeescaper-batch-output-chat-2024-10.jsonl", "/v1/chat/completions"),
        ("valzaak-batch-output-responses-2025-06.jsonl", "/v1/responses"),
    ],
)
def test_real_files_read_completely(name: str, endpoint: str) -> None:
    path = CAPTURES / name
    if not path.is_file():
        pytest.skip(f"capture {path} not present")
    reader = iter_batch_output(path)
    lines = list(reader)
    docs = _docs(path.read_bytes())
    assert reader.endpoint == endpoint
    assert reader.good == len(docs) == len(lines) and reader.bad == 0
    want = ENDPOINTS[endpoint].body
    assert all(type(line.response.body) is want for line in lines)
    assert [line.custom_id for line in lines] == [d["custom_id"] for d in docs]


def test_input_file() -> None:
    data = (BATCH / "chat_completions_input.jsonl").read_bytes()
    reader = iter_batch_input(data)
    lines = list(reader)
    docs = _docs(data)
    assert reader.endpoint == "/v1/chat/completions" and len(lines) == len(docs)
    for line, doc in zip(lines, docs):
        assert isinstance(line, o.BatchRequestInput)
        assert isinstance(line.body, o.CreateChatCompletionRequest)
        assert _same(line, doc)


def test_input_line_without_a_custom_id_is_bad() -> None:
    """The Batch API rejects a request with no ``custom_id``, and nothing
    could pair it with its result: the reader calls it a bad line, in the
    fast path (a block) and in the exact path (the first line) alike."""
    lines = [json.loads(x) for x in _lines("chat_completions_input.jsonl")]
    no_id = {k: v for k, v in lines[1].items() if k != "custom_id"}
    null_id = {**lines[1], "custom_id": None}
    for bad in (no_id, null_id):
        for where in (0, 1, 2):
            docs = [*lines]
            docs[where] = bad
            data = b"".join(json.dumps(d).encode() + b"\n" for d in docs)
            reader = iter_batch_input(data, errors="collect")
            items = list(reader)
            assert [x.line for x in items if isinstance(x, BadLine)] == [where + 1]
            assert reader.good == 2 and reader.bad == 1
            with pytest.raises(BatchLineError, match="custom_id") as info:
                list(iter_batch_input(data))
            assert info.value.line == where + 1


def test_input_lines_typed_by_their_own_url() -> None:
    chat = _lines("chat_completions_input.jsonl")[0]
    emb = json.dumps(
        {
            "custom_id": "e1",
            "method": "POST",
            "url": "/v1/embeddings",
            "body": {"model": "text-embedding-3-small", "input": ["a", "b"]},
        }
    ).encode()
    lines = list(iter_batch_input(chat + b"\n" + emb + b"\n" + chat + b"\n"))
    assert [type(x.body) for x in lines] == [
        o.CreateChatCompletionRequest,
        o.CreateEmbeddingRequest,
        o.CreateChatCompletionRequest,
    ]
    bad = emb.replace(b"/v1/embeddings", b"/v1/nowhere")
    with pytest.raises(BatchLineError) as info:
        list(iter_batch_input(chat + b"\n" + bad + b"\n"))
    assert info.value.line == 2 and info.value.path == "$.url"


# -- mixed files and unknowns ------------------------------------------------


def test_mixed_file_inferred_line_by_line() -> None:
    chat = _lines("chat_completions.jsonl")
    resp = _lines("responses.jsonl")
    data = b"\n".join([chat[0], resp[0], chat[2], resp[2]]) + b"\n"
    reader = iter_batch_output(data)
    bodies = [type(x.response.body) for x in reader]
    assert bodies == [
        o.CreateChatCompletionResponse,
        o.Response,
        o.CreateChatCompletionResponse,
        o.Response,
    ]
    assert reader.endpoint == "/v1/chat/completions"  # the first success sets it
    # with a given endpoint, the lines of another endpoint are bad
    reader = iter_batch_output(data, endpoint="/v1/chat/completions", errors="collect")
    items = list(reader)
    assert [x.line for x in items if isinstance(x, BadLine)] == [2, 4]
    assert reader.good == 2 and reader.bad == 2


def test_body_with_no_known_shape_needs_an_endpoint() -> None:
    line = b'{"custom_id":"x","response":{"status_code":200,"body":{"hello":1}},"error":null}'
    with pytest.raises(BatchLineError) as info:
        list(iter_batch_output(line))
    assert info.value.path == "$.response.body" and info.value.line == 1


@pytest.mark.parametrize(
    ("line", "path"),
    [
        (b'{"response": {"status_code": 200, "body": [1, 2]}}', "$.response.body"),
        (b'{"response": {"status_code": 200, "body": {"object": 5}}}', "$.response.body"),
        (b'{"response": {"status_code": 1e400, "body": {}}}', "$.response.status_code"),
        (b'"just a string"', "$"),
        (b"[" * 100_000, None),
    ],
)
def test_hostile_lines_are_bad_lines(line: bytes, path: str | None) -> None:
    for data in (line + b"\n" + CHAT, CHAT + line + b"\n"):
        reader = iter_batch_output(data, errors="collect")
        bad = [x for x in reader if isinstance(x, BadLine)]
        assert reader.good == 3 and reader.bad == 1
        got = bad[0].error.path
        assert got == path if path is None else (got or "").startswith(path)
        assert bad[0].raw.rstrip(b"\n") == line


def test_unknown_output_item_in_fast_path() -> None:
    doc = json.loads(_lines("responses.jsonl")[0])
    doc["response"]["body"]["output"].append({"type": "brand_new_item", "id": "x1", "n": 1})
    data = (json.dumps(doc) + "\n").encode() * 3
    lines = list(iter_batch_output(data))
    assert len(lines) == 3
    for line in lines:
        item = line.response.body.output[-1]
        assert isinstance(item, o.UnknownType) and item.tag == "brand_new_item"
        assert _same(line, doc)


def test_status_code_inside_a_body_only_costs_time() -> None:
    # a 200 line whose body also holds a "status_code": 500 key (ignored by the
    # type) is found by the scan, and still typed by its real status
    doc = json.loads(_lines("chat_completions.jsonl")[0])
    doc["response"]["body"]["status_code"] = 500
    line = json.dumps(doc).encode()
    lines = list(iter_batch_output(line + b"\n" + _lines("chat_completions.jsonl")[1]))
    assert type(lines[0].response.body) is o.CreateChatCompletionResponse
    assert isinstance(lines[1].response.body, o.ErrorResponse)


# -- sources ---------------------------------------------------------------


def _sources(tmp_path: Path, data: bytes) -> list[Any]:
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    return [
        path,
        str(path),
        data,
        bytearray(data),
        memoryview(data),
        memoryview(data)[0:],
        open(path, "rb"),
        io.BytesIO(data),
        io.BufferedReader(io.BytesIO(data), buffer_size=7),
    ]


def test_every_kind_of_source_reads_the_same(tmp_path: Path) -> None:
    want = [o.encode(x) for x in iter_batch_output(CHAT)]
    for source in _sources(tmp_path, CHAT):
        try:
            got = [o.encode(x) for x in iter_batch_output(source, block_size=300)]
        finally:
            if hasattr(source, "close"):
                source.close()
        assert got == want, type(source)


def test_not_a_source() -> None:
    with pytest.raises(TypeError):
        list(iter_batch_output(42))  # type: ignore[arg-type]


@pytest.mark.parametrize("block_size", [1, 50, 700, 1 << 20])
def test_block_size_does_not_change_the_result(block_size: int) -> None:
    data = b"".join((BATCH / n).read_bytes() for n in ["chat_completions.jsonl"] * 5)
    data += b"not json\n" + CHAT
    reader = iter_batch_output(data, errors="collect", block_size=block_size)
    items = list(reader)
    bad = [x for x in items if isinstance(x, BadLine)]
    assert [b.line for b in bad] == [16] and reader.good == 18 and reader.bad == 1
    assert bad[0].offset == len(CHAT) * 5 and bad[0].raw == b"not json\n"


# -- errors ----------------------------------------------------------------


def _broken() -> tuple[bytes, list[int]]:
    """Chat lines with line 2 not JSON and line 4 of the wrong shape."""
    lines = _lines("chat_completions.jsonl")
    wrong = lines[0].replace(b'"created":', b'"created":"soon","x":')
    data = b"\n".join([lines[0], b'{"id": "batch_req_1", oops', lines[1], wrong, lines[2]])
    return data + b"\n", [2, 4]


def test_errors_raise_names_line_offset_and_path() -> None:
    data, _ = _broken()
    got: list[Any] = []
    with pytest.raises(BatchLineError):
        got.extend(iter_batch_output(data, block_size=1 << 20))
    assert len(got) == 1  # the good line before the bad one, from the same block
    with pytest.raises(BatchLineError) as info:
        list(iter_batch_output(data))
    err = info.value
    assert isinstance(err, ValueError)
    assert err.line == 2 and err.offset == data.index(b'{"id": "batch_req_1"')
    assert isinstance(err.reason, o.MalformedJSONError)
    assert err.pos is not None and err.pos > err.offset
    data = data.replace(b'{"id": "batch_req_1", oops\n', b"")
    with pytest.raises(BatchLineError) as info:
        list(iter_batch_output(data))
    assert info.value.line == 3
    assert info.value.path == "$.response.body.created"
    assert isinstance(info.value.reason, o.ValidationError)
    assert "line 3" in str(info.value) and "$.response.body.created" in str(info.value)


def test_errors_skip_counts() -> None:
    data, bad = _broken()
    reader = iter_batch_output(data, errors="skip")
    lines = list(reader)
    assert all(isinstance(x, o.BatchRequestOutput) for x in lines)
    assert reader.good == len(lines) == 3 and reader.bad == len(bad)
    assert reader.lines == reader.good + reader.bad == len(data.splitlines())


def test_errors_collect_returns_bad_lines_in_place() -> None:
    data, bad = _broken()
    reader = iter_batch_output(data, errors="collect")
    items = list(reader)
    assert len(items) == len(data.splitlines())
    assert [x.line for x in items if isinstance(x, BadLine)] == bad
    for item, raw in zip(items, data.splitlines(keepends=True)):
        if isinstance(item, BadLine):
            assert item.raw == raw and item.error.line == item.line and item.reason


def test_bad_errors_argument() -> None:
    with pytest.raises(ValueError):
        iter_batch_output(CHAT, errors="ignore")  # type: ignore[arg-type]


def test_line_error_pickles() -> None:
    import pickle

    data, _ = _broken()
    items = list(iter_batch_output(data, errors="collect"))
    bad = next(x for x in items if isinstance(x, BadLine))
    again = pickle.loads(pickle.dumps(bad.error))
    assert (again.line, again.offset, str(again)) == (bad.line, bad.offset, str(bad.error))


# -- edge cases of real files ------------------------------------------------


def _expect(reader: Any, n: int) -> list[Any]:
    lines = list(reader)
    assert len(lines) == n == reader.good and reader.bad == 0
    return lines


def test_blank_lines() -> None:
    lines = CHAT.splitlines()
    data = b"\n\n" + lines[0] + b"\n   \n\t\n" + lines[1] + b"\n\n\n" + lines[2] + b"\n \n"
    _expect(iter_batch_output(data), 3)
    # a bad line after blank lines keeps its physical line number
    with pytest.raises(BatchLineError) as info:
        list(iter_batch_output(data + b"\n{\n"))
    assert info.value.line == len((data + b"\n{\n").splitlines())


def test_crlf_line_ends() -> None:
    data = CHAT.replace(b"\n", b"\r\n")
    got = _expect(iter_batch_output(data, block_size=100), 3)
    assert [o.encode(x) for x in got] == [o.encode(x) for x in iter_batch_output(CHAT)]
    with pytest.raises(BatchLineError) as info:
        list(iter_batch_output(data + b"{oops\r\n"))
    assert info.value.line == 4


def test_byte_order_mark(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + CHAT
    _expect(iter_batch_output(data), 3)
    path = tmp_path / "bom.jsonl"
    path.write_bytes(data)
    _expect(iter_batch_output(path), 3)
    with open(path, "rb") as f:
        _expect(iter_batch_output(io.BufferedReader(io.BytesIO(f.read()))), 3)


def test_last_line_without_newline() -> None:
    _expect(iter_batch_output(CHAT.rstrip(b"\n")), 3)
    _expect(iter_batch_output(CHAT.rstrip(b"\n"), block_size=1), 3)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    for source in (path, b"", io.BytesIO(b""), b"\n\n", b"\xef\xbb\xbf"):
        reader = iter_batch_output(source)
        assert list(reader) == [] and reader.good == reader.bad == 0


def test_invalid_utf8() -> None:
    lines = CHAT.splitlines()
    broken = lines[0].replace(b"Paris", b"Pa\xff\xferis")
    data = b"\n".join([lines[1], broken, lines[2]]) + b"\n"
    with pytest.raises(BatchLineError) as info:
        list(iter_batch_output(data))
    assert info.value.line == 2 and isinstance(info.value.reason, o.MalformedJSONError)
    assert info.value.pos == data.index(b"\xff")
    reader = iter_batch_output(data, errors="skip")
    assert len(list(reader)) == 2 and reader.bad == 1


def test_truncated_download(tmp_path: Path) -> None:
    cut = CHAT[: len(CHAT) - 40]  # the last line is cut short, no newline
    path = tmp_path / "cut.jsonl"
    path.write_bytes(cut)
    with pytest.raises(BatchLineError) as info:
        list(iter_batch_output(path))
    err = info.value
    assert err.line == 3 and err.offset == cut.rindex(b"\n") + 1
    assert isinstance(err.reason, o.MalformedJSONError) and "truncated" in str(err)
    reader = iter_batch_output(path, errors="collect")
    items = list(reader)
    assert reader.good == 2 and reader.bad == 1 and items[-1].raw == cut[err.offset :]


def test_one_100mb_line(tmp_path: Path) -> None:
    doc = json.loads(CHAT.splitlines()[0])
    text = "x" * (100 << 20)
    doc["response"]["body"]["choices"][0]["message"]["content"] = text
    path = tmp_path / "huge.jsonl"
    with open(path, "wb") as f:
        f.write(CHAT)
        f.write(json.dumps(doc).encode())
        f.write(b"\n")
        f.write(CHAT)
    reader = iter_batch_output(path)
    bodies = [x.response.body for x in reader]
    assert reader.good == 7 and reader.bad == 0
    assert len(bodies[3].choices[0].message.content) == len(text)


def test_long_line_from_a_stream() -> None:
    doc = json.loads(CHAT.splitlines()[0])
    doc["response"]["body"]["choices"][0]["message"]["content"] = "y" * (8 << 20)
    data = CHAT + json.dumps(doc).encode() + b"\n" + CHAT
    stream = io.BufferedReader(io.BytesIO(data))
    reader = iter_batch_output(stream, block_size=1024)  # 8,000 reads for the long line
    bodies = [x.response.body for x in reader]
    assert reader.good == 7 and len(bodies[3].choices[0].message.content) == 8 << 20


# -- byte ranges and progress ------------------------------------------------


def test_byte_ranges_cover_the_file(tmp_path: Path) -> None:
    data = CHAT * 20
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    whole = [o.encode(x) for x in iter_batch_output(path)]
    for parts in (1, 2, 3, 7, 100):
        ranges = batch_ranges(path, parts)
        assert ranges[0][0] == 0 and ranges[-1][1] == len(data)
        assert all(a < b for a, b in ranges)
        assert all(b == c for (_, b), (c, _) in itertools.pairwise(ranges))
        got = [
            o.encode(x)
            for start, end in ranges
            for x in iter_batch_output(path, start=start, end=end, endpoint="/v1/chat/completions")
        ]
        assert got == whole
    # bytes and streams take ranges too
    a, b = batch_ranges(path, 3)[1]
    want = [o.encode(x) for x in iter_batch_output(path, start=a, end=b)]
    assert [o.encode(x) for x in iter_batch_output(data, start=a, end=b)] == want
    assert [o.encode(x) for x in iter_batch_output(io.BytesIO(data), start=a, end=b)] == want


def _outcomes(items: list[Any]) -> list[tuple[Any, ...]]:
    """What a read gave, line by line: the value's JSON, or a bad line's
    file offset and error (line numbers differ between a range and the file)."""
    return [
        ("bad", x.offset, x.reason) if isinstance(x, BadLine) else ("good", o.encode(x))
        for x in items
    ]


def test_a_range_types_its_lines_as_the_whole_file_does(tmp_path: Path) -> None:
    """Without ``endpoint=``, a range infers the endpoint from the file's
    start, as the whole-file read does, not from its own first success: a body
    that tells no endpoint (``{"created": 1}``) is an image response in an
    images file, whichever line a range starts at."""
    images = _lines("images_generations.jsonl")
    vague = b'{"custom_id":"v","response":{"status_code":200,"body":{"created":1}},"error":null}'
    chat = _lines("chat_completions.jsonl")
    data = b"\xef\xbb\xbf" + b"\n".join([images[0], vague, b"", images[1], vague, chat[0]]) + b"\n"
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    whole = list(iter_batch_output(data, errors="collect"))
    assert not any(isinstance(x, BadLine) for x in whole)  # the vague lines are images
    starts = [i + 1 for i, byte in enumerate(data) if byte == 10]
    for source in (path, data, memoryview(data)):
        for start in starts:
            got = list(iter_batch_output(source, start=start, errors="collect"))
            before = data.count(b"\n", 0, start) - data.count(b"\n\n", 0, start)
            assert _outcomes(got) == _outcomes(whole[before:]), (source, start)
    stream = io.BufferedReader(io.BytesIO(data), buffer_size=16)
    reader = iter_batch_output(stream, start=starts[0], errors="collect", block_size=64)
    assert _outcomes(list(reader)) == _outcomes(whole[1:])
    assert reader.endpoint == "/v1/images/generations"


def test_a_range_of_an_error_file_infers_from_its_own_lines(tmp_path: Path) -> None:
    """When no line before ``start`` tells the endpoint, neither did the
    whole-file read by then: the range infers from its own lines, as it did."""
    errors = _lines("errors.jsonl")
    chat = _lines("chat_completions.jsonl")
    data = b"\n".join([errors[0], chat[1], chat[0], chat[2]]) + b"\n"
    start = len(errors[0]) + 1
    whole = list(iter_batch_output(data))
    reader = iter_batch_output(data, start=start)
    assert _outcomes(list(reader)) == _outcomes(whole[1:])
    assert reader.endpoint == "/v1/chat/completions"


def test_range_line_numbers_and_offsets() -> None:
    data = CHAT + b"{oops\n"
    start = len(CHAT.splitlines(keepends=True)[0])
    with pytest.raises(BatchLineError) as info:
        list(iter_batch_output(data, start=start))
    assert info.value.line == 3 and info.value.offset == len(CHAT)


def test_misaligned_range() -> None:
    with pytest.raises(ValueError, match="start of a line"):
        list(iter_batch_output(CHAT, start=5))
    with pytest.raises(ValueError, match="start of a line"):
        list(iter_batch_output(CHAT, end=5))
    with pytest.raises(ValueError):
        iter_batch_output(CHAT, start=-1)


def test_progress(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_bytes(CHAT * 10)
    for source in (path, CHAT * 10, io.BytesIO(CHAT * 10)):
        seen: list[tuple[int, int | None]] = []
        reader = iter_batch_output(
            source, progress=lambda d, t, seen=seen: seen.append((d, t)), block_size=500
        )
        list(reader)
        assert len(seen) > 3
        assert [d for d, _ in seen] == sorted(d for d, _ in seen)
        assert seen[-1] == (len(CHAT) * 10, len(CHAT) * 10)
        assert reader.bytes_done == reader.bytes_total == len(CHAT) * 10


# -- nothing lost: corrupt random lines ----------------------------------------

_GOOD_LINES = [
    *_lines("chat_completions.jsonl"),
    *_lines("chat_completions.jsonl")[1:],
    (BATCH / "errors.jsonl").read_bytes().splitlines()[0],
]


def _corrupt(line: bytes, how: int, at: int) -> bytes:
    """A version of ``line`` that is certainly not a valid output line."""
    if how == 0:  # cut short
        return line[: 1 + at % (len(line) - 1)]
    if how == 1:  # junk in front
        return b"#" + line
    if how == 2:  # invalid UTF-8 in a field that is decoded
        return line.replace(b'"custom_id":"', b'"custom_id":"\xc3\x28', 1)
    if how == 3:  # wrong shape
        return b'{"custom_id": 7, "response": null}'
    return b'["not", "an", "object"]'


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    picks=st.lists(st.integers(0, len(_GOOD_LINES) - 1), min_size=1, max_size=40),
    bad=st.dictionaries(st.integers(0, 39), st.tuples(st.integers(0, 4), st.integers(0, 10**6))),
    block_size=st.sampled_from([1, 64, 1000, 1 << 16]),
    crlf=st.booleans(),
)
def test_corrupted_lines_are_all_reported(
    picks: list[int], bad: dict[int, tuple[int, int]], block_size: int, crlf: bool
) -> None:
    lines = [_GOOD_LINES[i] for i in picks]
    corrupted = sorted(i for i in bad if i < len(lines))
    for i in corrupted:
        lines[i] = _corrupt(lines[i], *bad[i])
    end = b"\r\n" if crlf else b"\n"
    data = end.join(lines) + end
    good = [json.loads(line) for i, line in enumerate(lines) if i not in corrupted]

    reader = iter_batch_output(data, errors="skip", block_size=block_size)
    got = list(reader)
    assert [json.loads(o.encode(x)) for x in got] == good
    assert reader.good == len(good) and reader.bad == len(corrupted)
    assert reader.good + reader.bad == len(lines)

    reader = iter_batch_output(data, errors="collect", block_size=block_size)
    items = list(reader)
    assert [x.line for x in items if isinstance(x, BadLine)] == [i + 1 for i in corrupted]
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + len(end))
    assert [x.offset for x in items if isinstance(x, BadLine)] == [offsets[i] for i in corrupted]

    if corrupted:
        with pytest.raises(BatchLineError) as info:
            list(iter_batch_output(data, block_size=block_size))
        assert info.value.line == corrupted[0] + 1


def test_docs_snippets_run(capsys: pytest.CaptureFixture[str]) -> None:
    """Every Python block of docs/batch.md runs, from the repository root."""
    import os
    import re

    text = (ROOT / "docs" / "batch.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    assert len(blocks) >= 5
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        for block in blocks:
            exec(compile(block, "docs/batch.md", "exec"), {})  # noqa: S102 (our own docs)
    finally:
        os.chdir(cwd)
    out = capsys.readouterr().out
    assert "/v1/chat/completions 3 0" in out and "{200: 2, 400: 1}" in out


def test_inference_probes_only_up_to_the_first_success(monkeypatch: pytest.MonkeyPatch) -> None:
    """With endpoint=None, only the lines before the first success (and the
    failed requests, which are decoded on their own) are probed; every other
    line is parsed once, in a block."""
    lines = _lines("chat_completions.jsonl")  # ok, 400, ok
    errors = (BATCH / "errors.jsonl").read_bytes().splitlines()
    data = b"\n".join([errors[0], lines[1], *([lines[0], lines[2]] * 50), lines[1]]) + b"\n"
    from openai_structs.batch import _read

    probed: list[bytes] = []
    probe = _read.OUTPUT_PROBE

    class Counting:
        def decode(self, buf: Any) -> Any:
            probed.append(bytes(buf).rstrip(b"\n"))
            return probe.decode(buf)

    monkeypatch.setattr(_read, "OUTPUT_PROBE", Counting())
    reader = iter_batch_output(data)
    assert len(list(reader)) == 103 and reader.bad == 0
    # the error-file line, the failed request, the first success; then the last
    # failed request, spotted by the status scan
    assert probed == [errors[0], lines[1], lines[0], lines[1]]


def test_many_bad_lines_in_one_block_take_linear_time() -> None:
    import time

    good = CHAT.splitlines()[0] + b"\n"

    def seconds(n: int) -> float:
        data = good + b"x\n" * n + good
        best = float("inf")
        for _ in range(2):
            start = time.perf_counter()
            reader = iter_batch_output(data, errors="skip", block_size=1 << 22)
            assert len(list(reader)) == 2 and reader.bad == n
            best = min(best, time.perf_counter() - start)
        return best

    small, large = seconds(5_000), seconds(20_000)
    # linear: about 4x; one failed call (and copy) per bad line would be 16x
    assert large / small < 9, (small, large)


def test_a_line_with_neither_response_nor_error_is_bad() -> None:
    """The line schema makes every field optional; a line without both
    ``response`` and ``error`` (an input file read as output) is still bad."""
    good = (BATCH / "chat_completions.jsonl").read_bytes()
    requests = (BATCH / "chat_completions_input.jsonl").read_bytes()
    with pytest.raises(BatchLineError, match="line 1 .*neither `response` nor `error`"):
        list(iter_batch_output(requests))
    mixed = good + b'{"custom_id": "x"}\n' + good
    reader = iter_batch_output(mixed, errors="collect")
    out = list(reader)
    bad = [x for x in out if isinstance(x, BadLine)]
    assert [b.line for b in bad] == [4] and reader.good == 6 and reader.bad == 1
    reader = iter_batch_output(mixed, endpoint="/v1/chat/completions", errors="skip")
    assert len(list(reader)) == 6 and reader.bad == 1


@pytest.mark.parametrize("errors", ["raise", "skip", "collect"])
def test_chunks_hand_out_what_iterating_does(errors: Any) -> None:
    # reader.chunks(): the same values, a list per block, and with
    # errors="raise" the lines before the bad one first, then the error
    text = (BATCH / "chat_completions.jsonl").read_bytes()
    lines = text.splitlines(keepends=True)
    data = b"".join(lines) + b"{not json\n" + b"".join(lines) * 40

    def read(chunked: bool) -> tuple[list[Any], str | None]:
        reader = iter_batch_output(data, errors=errors, block_size=700)
        got: list[Any] = []
        try:
            if chunked:
                for chunk in reader.chunks():
                    assert chunk and isinstance(chunk, list)
                    got += chunk
            else:
                got += reader
        except BatchLineError as exc:
            return got, str(exc)
        return [(x.line, x.offset, x.reason) if isinstance(x, BadLine) else x for x in got], None

    by_line, by_chunk = read(False), read(True)
    assert by_chunk == by_line
    assert (by_line[1] is not None) == (errors == "raise")
    assert len(lines) == 3
    assert len(by_line[0]) == (3 if errors == "raise" else 3 + 3 * 40 + (errors == "collect"))
