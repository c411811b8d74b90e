"""The reusable :class:`Decoder` and :class:`Encoder` (the names the package
exports are pinned in ``tests/test_public_surface.py``)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import openai_structs as o
from openai_structs import (
    Decoder,
    Encoder,
    MalformedJSONError,
    UnknownType,
    UnknownVariantError,
    ValidationError,
    decode,
    encode,
)


def test_decoder_gives_what_decode_gives(chat_bytes: bytes, response_bytes: bytes) -> None:
    for raw, T in ((chat_bytes, o.CreateChatCompletionResponse), (response_bytes, o.Response)):
        dec = Decoder(T)
        assert dec.decode(raw) == decode(raw, T)
        assert dec.decode(memoryview(raw)) == decode(raw, T)
        assert dec.decode(bytearray(raw)) == decode(raw, T)
        assert dec.decode(raw.decode()) == decode(raw, T)
    assert "Decoder(" in repr(Decoder(o.Response, strict=True))


def test_decoder_handles_unknown_variants_and_strict_mode(response_doc: dict) -> None:
    response_doc["output"].append({"type": "memory_call", "id": "m"})
    raw = json.dumps(response_doc)
    value = Decoder(o.Response).decode(raw)
    assert type(value.output[-1]) is UnknownType
    with pytest.raises(UnknownVariantError) as info:
        Decoder(o.Response, strict=True).decode(raw)
    assert info.value.path == f"$.output[{len(response_doc['output']) - 1}].type"


def _lines(docs: list[Any], sep: bytes = b"\n") -> bytes:
    return sep.join(json.dumps(d).encode() for d in docs) + sep


def test_decode_lines_reads_newline_delimited_json(chunk_lines: list[bytes]) -> None:
    dec = Decoder(o.CreateChatCompletionStreamResponse)
    buf = b"\n".join(chunk_lines)
    values = dec.decode_lines(buf)
    assert values == [decode(line, o.CreateChatCompletionStreamResponse) for line in chunk_lines]
    # blank lines, CRLF and a last line without a newline
    crlf = b"\r\n\r\n".join(chunk_lines)
    assert dec.decode_lines(crlf) == values
    assert dec.decode_lines(memoryview(crlf)) == values


def test_decode_lines_with_unknown_variants_on_some_lines() -> None:
    events = [
        {
            "type": "response.output_text.delta",
            "item_id": "m",
            "output_index": 0,
            "content_index": 0,
            "delta": "hi",
            "sequence_number": 1,
            "logprobs": [],
        },
        {"type": "response.brand_new", "sequence_number": 2},
    ]
    values = Decoder(o.ResponseStreamEvent).decode_lines(_lines(events))
    assert type(values[0]).__name__ == "ResponseTextDeltaEvent"
    assert type(values[1]) is UnknownType
    assert [json.loads(encode(v)) for v in values] == events


def test_decode_lines_errors_name_the_line_and_byte() -> None:
    good = {"object": "embedding", "index": 0, "embedding": [0.5]}
    buf = _lines([good, good]) + b'{"object": "embedding", "index": "x", "embedding": []}\n'
    with pytest.raises(ValidationError) as info:
        Decoder(o.Embedding).decode_lines(buf)
    assert info.value.line == 3
    assert info.value.path == "$.index"
    assert str(info.value).startswith("line 3: ")
    broken = _lines([good]) + b'{"object": "embedding",,}\n'
    with pytest.raises(MalformedJSONError) as minfo:
        Decoder(o.Embedding).decode_lines(broken)
    assert minfo.value.line == 2
    assert minfo.value.pos == broken.index(b",,") + 1


def test_strict_decode_lines_checks_every_line() -> None:
    good = {"object": "embedding", "index": 0, "embedding": [0.5]}
    assert len(Decoder(o.Embedding, strict=True).decode_lines(_lines([good, good]))) == 2
    # invalid UTF-8 under a key the type skips: lenient mode never reads it
    bad = _lines([good]) + b'{"object": "embedding", "index": 0, "embedding": [], "x": "\xff"}\n'
    assert len(Decoder(o.Embedding).decode_lines(bad)) == 2
    with pytest.raises(MalformedJSONError) as info:
        Decoder(o.Embedding, strict=True).decode_lines(bad)
    assert info.value.line == 2
    assert info.value.pos == bad.index(b"\xff")


def test_encoder_writes_lines_and_unknown_variants() -> None:
    events = [{"type": "response.brand_new", "n": 1}, {"type": "response.other_new", "n": 2}]
    values = [decode(json.dumps(e), o.ResponseStreamEvent) for e in events]
    out = Encoder().encode_lines(values)
    assert [json.loads(line) for line in out.splitlines()] == events
    assert Encoder().encode(values[0]) == encode(values[0])


def test_one_shot_decode_builds_one_decoder_per_type(chat_bytes: bytes) -> None:
    from openai_structs.core import _codec

    decode(chat_bytes, o.CreateChatCompletionResponse)
    before = len(_codec._by_type)
    for _ in range(3):
        decode(b"[]", list[o.Embedding])  # a new, equal alias on every call
    assert len(_codec._by_type) == before + 1
