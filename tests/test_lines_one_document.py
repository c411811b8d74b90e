"""A line holds exactly one JSON document, in every mode and at every layer:
``Decoder.decode_lines`` and the batch readers refuse two documents on one
line and one document spread over two, instead of counting records that were
never lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import openai_structs as o
from openai_structs import Decoder, MalformedJSONError, ValidationError
from openai_structs.batch import iter_batch_input, iter_batch_output, summarize_batch

ROOT = Path(__file__).resolve().parents[1]
CHAT_LINES = (ROOT / "data" / "batch" / "chat_completions.jsonl").read_bytes().splitlines()
INPUT_LINES = (ROOT / "data" / "batch" / "chat_completions_input.jsonl").read_bytes().splitlines()
EMBEDDING = {"object": "embedding", "index": 0, "embedding": [0.5]}


def _doc(value: Any) -> bytes:
    return json.dumps(value).encode()


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
@pytest.mark.parametrize(
    "buf, line",
    [
        (_doc(EMBEDDING) + b"\n" + _doc(EMBEDDING) + _doc(EMBEDDING) + b"\n", 2),
        (_doc(EMBEDDING) + b" " + _doc(EMBEDDING) + b"\n", 1),
        (_doc(EMBEDDING) + b"\n" + b'{"object": "embedding",\n"index": 0, "embedding": []}\n', 2),
    ],
    ids=["two-on-line-2", "two-on-line-1", "one-over-two-lines"],
)
def test_decode_lines_refuses_anything_but_one_document_a_line(
    strict: bool, buf: bytes, line: int
) -> None:
    with pytest.raises(MalformedJSONError) as info:
        Decoder(o.Embedding, strict=strict).decode_lines(buf)
    assert info.value.line == line


def test_decode_lines_still_reads_blank_lines_crlf_and_a_last_line_without_newline() -> None:
    dec = Decoder(o.Embedding)
    one = _doc(EMBEDDING)
    for buf in (
        one + b"\n" + one,
        one + b"\r\n\r\n" + one + b"\r\n",
        b"\n\n" + one + b"\n  \n" + one + b"\n\n",
        memoryview(b"x" + one + b"\n" + one)[1:],
        (one + b"\n" + one).decode(),
    ):
        assert dec.decode_lines(buf) == [o.Embedding(**EMBEDDING)] * 2  # type: ignore[arg-type]
    assert dec.decode_lines(b"") == [] and dec.decode_lines(b"\n \n") == []


def test_unfit_member_errors_name_the_line() -> None:
    """A member that fits no class of its shared tag is kept by the default
    mode and found by strict mode after the native decode: the error still
    says which line."""
    good = {"model": "m", "input": [{"type": "message", "role": "user", "content": "hi"}]}
    # an assistant message with input content: the native pass takes it (into
    # the class of all ``message`` items), no public class fits it
    bad = {
        "model": "m",
        "input": [
            {
                "type": "message",
                "role": "assistant",
                "id": "msg_1",
                "status": "completed",
                "content": [{"type": "input_text", "text": "hi"}],
            }
        ],
    }
    buf = _doc(good) + b"\n" + _doc(bad) + b"\n"
    kept = Decoder(o.CreateResponse).decode_lines(buf)
    assert [type(v.input[0]).__name__ for v in kept] == ["InputItemMessage"] * 2
    assert not isinstance(kept[1].input[0], (o.OutputMessage, o.EasyInputMessage, o.InputMessage))
    with pytest.raises(ValidationError) as info:
        Decoder(o.CreateResponse, strict=True).decode_lines(buf)
    assert info.value.line == 2
    assert info.value.path == "$.input[0]"
    assert "read as OutputMessage, which does not take this `content`" in str(info.value)


def test_batch_output_lines_are_never_more_records() -> None:
    """Three lines, the last holding two documents: three lines counted, one bad
    (main read four good ones)."""
    first, second, third = CHAT_LINES[0], CHAT_LINES[2], CHAT_LINES[2]
    data = first + b"\n" + second + b"\n" + third + first + b"\n"
    for endpoint in (None, "/v1/chat/completions"):
        reader = iter_batch_output(data, errors="collect", endpoint=endpoint)
        items = list(reader)
        assert (reader.good, reader.bad) == (2, 1)
        assert isinstance(items[2], o.BadLine) and items[2].line == 3
    assert summarize_batch(data, errors="skip").lines == 3
    with pytest.raises(o.BatchLineError) as info:
        list(iter_batch_output(data, endpoint="/v1/chat/completions"))
    assert info.value.line == 3


def test_batch_input_two_lines_are_never_three_records() -> None:
    first, second = INPUT_LINES[0], INPUT_LINES[1]
    reader = iter_batch_input(first + b"\n" + first + second + b"\n", errors="skip")
    assert len(list(reader)) == 1
    assert (reader.good, reader.bad) == (1, 1)


def test_large_input_is_read_in_pieces_with_the_same_answer(chunk_lines: list[bytes]) -> None:
    """Past 64 KiB the lines are decoded in pieces of whole lines: the same
    values as msgspec's own decode_lines, and a bad line deep inside is still
    found and numbered."""
    import msgspec

    lines = chunk_lines * 300  # about 100 KB a hundred lines: many pieces
    buf = b"\n".join(lines) + b"\n"
    assert len(buf) > 4 * 65536
    dec = Decoder(o.CreateChatCompletionStreamResponse)
    bare = msgspec.json.Decoder(o.CreateChatCompletionStreamResponse).decode_lines(buf)
    assert dec.decode_lines(buf) == bare
    assert dec.decode_lines(memoryview(buf)) == bare
    bad = len(lines) * 3 // 4
    doubled = b"\n".join(lines[:bad] + [lines[bad] + lines[bad]] + lines[bad + 1 :])
    with pytest.raises(MalformedJSONError) as info:
        dec.decode_lines(doubled)
    assert info.value.line == bad + 1
