"""Members sent without their tag take a native path (``core/_typeless.py``),
not the unknown-variant fallback, and give what the fallback gives."""

from __future__ import annotations

import json
import random
from typing import Any

import msgspec
import pytest
from _classes import read_as

import openai_structs as o
from openai_structs.core import _codec
from openai_structs.core._unknown import decode_fallback

EASY = {"role": "user", "content": "When is the fair?"}
EASY_PARTS = {"role": "user", "content": [{"type": "input_text", "text": "hi"}]}
WITH_STATUS = {
    "role": "developer",
    "status": "completed",
    "content": [{"type": "input_text", "text": "x"}],
}
REFERENCE = {"id": "msg_0"}
TYPED = {"type": "message", "role": "user", "content": "typed"}
CALL = {"call_id": "c1", "type": "function_call", "name": "f", "arguments": "{}"}
OUTPUT = {"type": "function_call_output", "call_id": "c1", "output": "ok"}
NULL_TYPE = {"type": None, "role": "assistant", "content": "x"}
ITEMS = [EASY, EASY_PARTS, WITH_STATUS, REFERENCE, TYPED, CALL, OUTPUT, NULL_TYPE]


def _request(items: list[Any]) -> bytes:
    return json.dumps({"model": "gpt-5", "input": items}).encode()


@pytest.fixture
def no_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The unknown-variant fallback, made to fail: what decodes took another path."""

    def refuse(*args: Any) -> Any:
        raise AssertionError("took the fallback")

    monkeypatch.setattr(_codec, "decode_fallback", refuse)


def test_requests_without_type_do_not_take_the_fallback(no_fallback: None) -> None:
    value = o.Decoder(o.CreateResponse).decode(_request(ITEMS))
    assert [read_as(i).__name__ for i in value.input] == [
        "EasyInputMessage",
        "EasyInputMessage",
        "InputMessage",
        "ItemReferenceParam",
        "EasyInputMessage",
        "FunctionToolCall",
        "FunctionCallOutputItemParam",
        "EasyInputMessage",
    ]
    assert type(value.input[0]).__name__ == "InputItemWithoutType"
    assert json.loads(o.encode(value)) == json.loads(_request(ITEMS))


def test_the_native_path_gives_what_the_fallback_gives() -> None:
    rng = random.Random(17)
    dec = o.Decoder(o.CreateResponse)
    for _ in range(200):
        items = [rng.choice(ITEMS) for _ in range(rng.randint(0, 8))]
        doc = _request(items)
        slow = decode_fallback(doc, o.CreateResponse, None, False)
        assert dec.decode(doc) == slow, items
        assert json.loads(o.encode(slow)) == json.loads(doc)


def test_typed_documents_after_typeless_ones() -> None:
    """The decoder tries the typeless path first after a typeless document,
    and drops back to the plain one when documents come typed again."""
    dec = o.Decoder(o.CreateResponse)
    typeless, typed = _request([EASY, CALL]), _request([TYPED, CALL])
    typeless_path = dec._typeless
    assert typeless_path is not None
    for doc, first_after in ((typed, False), (typeless, True), (typeless, True), (typed, False)):
        value = dec.decode(doc)
        assert json.loads(o.encode(value)) == json.loads(doc)
        assert typeless_path.first is first_after


def test_an_unknown_variant_beside_a_typeless_member_takes_the_fallback() -> None:
    new = {"type": "memory_write", "key": "k"}
    value = o.Decoder(o.CreateResponse).decode(_request([EASY, new]))
    assert read_as(value.input[0]) is o.EasyInputMessage
    assert type(value.input[1]) is o.UnknownType
    assert json.loads(o.encode(value)) == json.loads(_request([EASY, new]))


def test_a_typeless_member_that_fits_no_class() -> None:
    doc = _request([{"content": "no role"}, EASY])
    value = o.decode(doc, o.CreateResponse)
    assert read_as(value.input[0]) is None
    assert read_as(value.input[1]) is o.EasyInputMessage
    with pytest.raises(o.ValidationError, match="requires the field `role`") as info:
        o.decode(doc, o.CreateResponse, strict=True)
    assert info.value.path == "$.input[0]"


def test_a_wrong_value_in_a_typeless_document_says_where() -> None:
    doc = _request([EASY, {"role": "user", "content": 5}])
    with pytest.raises(o.ValidationError) as info:
        o.decode(doc, o.CreateResponse)
    assert info.value.path is not None and info.value.path.startswith("$.input[1]")


def test_one_member_without_its_tag_outside_a_list(no_fallback: None) -> None:
    """A Realtime session's audio format, sent without ``type``."""
    event = {
        "type": "session.update",
        "session": {"type": "realtime", "audio": {"input": {"format": {"rate": 24000}}}},
    }
    value = o.Decoder(o.RealtimeClientEvent).decode(json.dumps(event))
    fmt = value.session.audio.input.format
    assert read_as(fmt) is o.RealtimeAudioFormatsAudioPcm
    assert fmt.rate == 24000
    assert json.loads(o.encode(value)) == event


def test_decode_lines_with_typeless_requests() -> None:
    lines = b"\n".join([_request([EASY]), _request([TYPED]), _request([EASY, CALL])])
    values = o.Decoder(o.CreateResponse).decode_lines(lines)
    assert [read_as(v.input[0]) for v in values] == [o.EasyInputMessage] * 3
    assert msgspec.json.encode(values)  # written without the package's help too
