"""Input built to break the codec: each defect a fuzzing run found, kept.

- the unknown-variant stand-in cannot be forged from input;
- unknown variants cost linear time, however many;
- only the documented ``ValueError`` subclasses escape, in both modes;
- the answer for a document does not depend on whether it also holds an
  unknown variant.
"""

from __future__ import annotations

import json
import time
from typing import Any

import msgspec
import pytest
from _classes import read_as

import openai_structs as o
from openai_structs import (
    DecodeError,
    MalformedJSONError,
    UnknownType,
    UnknownVariantError,
    ValidationError,
    decode,
    encode,
)
from openai_structs.core._base import UNKNOWN_TAG

MEMORY_CALL = {"type": "memory_call", "id": "mem_1", "status": "completed"}


def _function_tool(parameters: Any) -> dict[str, Any]:
    return {"type": "function", "name": "f", "parameters": parameters, "strict": True}


def _request(tools: list[Any], **extra: Any) -> dict[str, Any]:
    return {"model": "gpt-4o", "input": "hi", "tools": tools, **extra}


# --------------------------------------------------------------------------
# In-band stand-in injection

FORGERIES = [
    # the stand-in of the first release, as found by the fuzzer
    {"k": UNKNOWN_TAG, "n": 3, "raw": [1, 2, 3]},
    {"type": UNKNOWN_TAG, "n": 3, "raw": [1, 2, 3]},
    # today's stand-in, as msgspec would write it, and pieces of it
    {"type": UNKNOWN_TAG, "mark": 3, "raw": [1, 2, 3]},
    {"type": UNKNOWN_TAG, "mark": " 3 ", "raw": "[1,2,3]"},
    {"mark": ' 5 ,"raw":{}}'},
    {'"mark": 3 ,"raw":': '"mark": 3 ,"raw":'},
    ['"mark": 1 ,"raw":1}', {"mark": 1}],
]


@pytest.mark.parametrize("forgery", FORGERIES)
def test_stand_in_inside_free_form_data_is_written_back_unchanged(forgery: Any) -> None:
    # an unknown variant in the same document and earlier in the process
    doc = _request([_function_tool({"x": forgery}), {"type": "browser", "x": forgery}])
    value = decode(json.dumps(doc), o.CreateResponse)
    assert isinstance(value.tools[1], UnknownType)
    assert json.loads(encode(value)) == doc


@pytest.mark.parametrize("forgery", FORGERIES)
def test_stand_in_inside_an_unknown_variant_is_kept_verbatim(forgery: Any) -> None:
    item = {"type": "browser", "payload": forgery, "more": [forgery, {"x": forgery}]}
    doc = _request([item, item])
    raw = json.dumps(doc, indent=1).encode()
    value = decode(raw, o.CreateResponse)
    assert all(isinstance(t, UnknownType) for t in value.tools)
    out = encode(value)
    assert json.loads(out) == doc
    assert bytes(value.tools[0].raw) in out


def test_stand_in_tag_as_a_stream_event_is_an_ordinary_unknown_variant() -> None:
    event = {"type": UNKNOWN_TAG, "mark": " 2 ", "raw": {}}
    value = decode(json.dumps(event), o.ResponseStreamEvent)
    assert type(value) is UnknownType
    assert value.tag == UNKNOWN_TAG
    assert json.loads(encode(value)) == event


def test_stand_in_tag_in_strict_mode_is_an_unknown_variant_error() -> None:
    event = {"type": UNKNOWN_TAG, "mark": " 2 ", "raw": {}}
    with pytest.raises(UnknownVariantError) as info:
        decode(json.dumps(event), o.ResponseStreamEvent, strict=True)
    assert info.value.path == "$.type"


def test_an_unknown_variant_cannot_be_built_with_a_forged_mark() -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.json.decode(
            b'{"type":"\\u0000openai_structs.unknown","mark":1,"raw":1}', type=UnknownType
        )
    with pytest.raises(ValueError):
        UnknownType(mark=msgspec.Raw(b"1"), raw=msgspec.Raw(b"{}"))
    with pytest.raises(ValueError):
        UnknownType.from_raw(b'{"a": "\xff"}')
    with pytest.raises(ValueError):
        UnknownType.from_raw(b"[1]")


def test_repr_of_an_unknown_variant_shows_its_tag() -> None:
    value = decode(json.dumps({"type": "brand_new_item", "x": 1}), o.OutputItem)
    assert repr(value).startswith("UnknownType(tag='brand_new_item', raw=b'{")


# --------------------------------------------------------------------------
# Linear time


def _timed(fn: Any) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def test_many_unknown_output_items_cost_linear_time(response_doc: dict) -> None:
    """16,000 unknown items (about 700 KB): within 30x ``json.loads``."""
    response_doc["output"] = [
        {"type": "memory_call", "id": f"mem_{i}", "memories": [{"k": i}]} for i in range(16000)
    ]
    raw = json.dumps(response_doc).encode()
    value = decode(raw, o.Response)
    assert len(value.output) == 16000
    assert all(type(item) is UnknownType for item in value.output)
    ours = _timed(lambda: decode(raw, o.Response))
    stdlib = _timed(lambda: json.loads(raw))
    assert ours < 30 * stdlib, (ours, stdlib)


def test_many_unknown_tool_calls_cost_linear_time(chat_doc: dict) -> None:
    message = chat_doc["choices"][0]["message"]
    calls = [{"id": f"c{i}", "type": "browser", "browser": {"url": "u"}} for i in range(8000)]
    message["tool_calls"] = calls
    raw = json.dumps(chat_doc).encode()
    value = decode(raw, o.CreateChatCompletionResponse)
    assert len(value.choices[0].message.tool_calls) == 8000
    ours = _timed(lambda: decode(raw, o.CreateChatCompletionResponse))
    stdlib = _timed(lambda: json.loads(raw))
    assert ours < 30 * stdlib, (ours, stdlib)


# --------------------------------------------------------------------------
# Only ValueErrors, the same in both modes


def _nested_filters(depth: int) -> bytes:
    """Compact JSON of ``depth`` compound filters around one comparison
    (built as text: the encoders recurse too deep to build it)."""
    leaf = b'{"type":"eq","key":"k","value":1}'
    return b'{"type":"and","filters":[' * depth + leaf + b"]}" * depth


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("depth", [100, 300, 495, 600, 2000])
def test_deep_nesting_never_raises_recursion_error(strict: bool, depth: int) -> None:
    raw = _nested_filters(depth)
    try:
        value = decode(raw, o.Filters, strict=strict)
    except DecodeError:
        assert depth > 300  # too deep to decode: a MalformedJSONError
        return
    assert encode(value) == raw


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("depth", [300, 900, 985, 2000])
def test_deep_free_form_nesting(strict: bool, depth: int) -> None:
    parameters = b'{"x":' + b"[" * depth + b"1" + b"]" * depth + b"}"
    raw = (
        b'{"model":"gpt-4o","input":"hi","tools":[{"type":"function","name":"f",'
        b'"parameters":' + parameters + b',"strict":true}]}'
    )
    try:
        value = decode(raw, o.CreateResponse, strict=strict)
    except MalformedJSONError:
        assert depth > 300
        return
    assert parameters in encode(value)


@pytest.mark.parametrize("strict", [False, True])
def test_number_out_of_range_is_the_same_error_in_both_modes(
    strict: bool, response_bytes: bytes
) -> None:
    raw = response_bytes.replace(b'"created_at": ', b'"created_at": 1e400, "x": ', 1)
    with pytest.raises(ValidationError) as info:
        decode(raw, o.Response, strict=strict)
    assert info.value.path == "$.created_at"


SKIPPED_VALUES = [b"1e400", b'"\xff\xfe"', b"1" + b"0" * 5000]


@pytest.mark.parametrize("bad", SKIPPED_VALUES)
def test_skipped_values_answer_the_same_with_an_unknown_variant(
    bad: bytes, response_doc: dict
) -> None:
    """Keys the types do not read are not read, whether or not an unknown
    variant sits elsewhere in the document."""
    plain = json.dumps(response_doc).encode()
    response_doc["output"].append(MEMORY_CALL)
    with_unknown = json.dumps(response_doc).encode()
    for raw in (plain, with_unknown):
        raw = raw.replace(b'"created_at": ', b'"not_a_field": ' + bad + b', "created_at": ', 1)
        value = decode(raw, o.Response)
        assert json.loads(encode(value))["created_at"] == response_doc["created_at"]


def test_invalid_utf8_kept_in_an_unknown_variant_is_malformed(response_doc: dict) -> None:
    response_doc["output"].append({"type": "memory_call", "note": "NOTE"})
    raw = json.dumps(response_doc).encode().replace(b'"NOTE"', b'"\xff"')
    with pytest.raises(MalformedJSONError) as info:
        decode(raw, o.Response)
    assert info.value.pos == raw.index(b"\xff")


def test_malformed_json_wins_over_a_type_error() -> None:
    with pytest.raises(MalformedJSONError):
        decode(b'{"id": 1,,}', o.CreateChatCompletionResponse)
    with pytest.raises(MalformedJSONError):
        decode(b'{"id": 1,,}', o.CreateChatCompletionResponse, strict=True)


# --------------------------------------------------------------------------
# Lossless: what came is what goes, or the input is rejected
#
# Decision: a constant or a tag the spec requires is required on decode too.
# A payload without it is rejected (in both modes) instead of being given one
# on re-encode; where older payloads lacked it, the history stage made it
# optional and then its absence is kept.


@pytest.mark.parametrize("strict", [False, True])
def test_required_constant_missing_is_rejected(strict: bool, response_doc: dict) -> None:
    del response_doc["object"]
    with pytest.raises(ValidationError) as info:
        decode(json.dumps(response_doc), o.Response, strict=strict)
    assert info.value.path == "$"
    assert "`object`" in str(info.value)


@pytest.mark.parametrize("strict", [False, True])
def test_tag_missing_where_one_class_fits_is_rejected(strict: bool) -> None:
    item = {"type": "reasoning", "id": "rs_1", "summary": [{"text": "t"}]}
    with pytest.raises(ValidationError) as info:
        decode(json.dumps(item), o.ReasoningItem, strict=strict)
    assert info.value.path == "$.summary[0]"
    assert "`type`" in str(info.value)


def test_tag_present_where_one_class_fits_round_trips() -> None:
    item = {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "t"}]}
    assert json.loads(encode(decode(json.dumps(item), o.ReasoningItem))) == item


def test_optional_tag_absent_stays_absent() -> None:
    doc = {"model": "gpt-4o", "input": [{"role": "user", "content": "hi"}]}
    value = decode(json.dumps(doc), o.CreateResponse)
    assert read_as(value.input[0]) is o.EasyInputMessage
    assert json.loads(encode(value)) == doc


def test_new_tag_where_one_class_fits_is_an_unknown_variant() -> None:
    item = {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_image", "u": 1}]}
    value = decode(json.dumps(item), o.ReasoningItem)
    assert type(value.summary[0]) is UnknownType
    assert json.loads(encode(value)) == item


# --------------------------------------------------------------------------
# Strict mode checks every enum, unions included


@pytest.mark.parametrize(
    ("T", "doc"),
    [
        (o.Response, None),
        (o.CreateChatCompletionRequest, {"model": "m", "messages": [], "tool_choice": "any"}),
        (o.CreateResponse, {"model": "m", "input": "hi", "tool_choice": "any"}),
    ],
)
def test_strict_rejects_unlisted_tool_choice(T: Any, doc: Any, response_doc: dict) -> None:
    if doc is None:
        doc = dict(response_doc, tool_choice="any")
    decode(json.dumps(doc), T)  # lenient: an open enum
    with pytest.raises(o.UnknownEnumValueError) as info:
        decode(json.dumps(doc), T, strict=True)
    assert info.value.path == "$.tool_choice"


# --------------------------------------------------------------------------
# What decodes re-encodes to JSON that decodes; any buffer; the byte refused


@pytest.mark.parametrize("number", [b"1e99999", b"-1e400", b"1" + b"0" * 5000])
def test_numbers_no_decoder_takes_back_are_not_kept_in_an_unknown_variant(
    number: bytes, response_doc: dict
) -> None:
    response_doc["output"].append({"type": "memory_call", "score": "NUMBER"})
    raw = json.dumps(response_doc).encode().replace(b'"NUMBER"', number)
    with pytest.raises(ValidationError) as info:
        decode(raw, o.Response)
    # inside free-form JSON msgspec names no key: ``[...]``
    assert info.value.path == f"$.output[{len(response_doc['output']) - 1}][...]"
    with pytest.raises(ValueError, match="not a JSON object"):
        UnknownType.from_raw(b'{"type": "x", "score": ' + number + b"}")


def test_whatever_decodes_reencodes_to_json_that_decodes(response_doc: dict) -> None:
    response_doc["output"].append({"type": "memory_call", "score": 1e300, "big": 10**30})
    value = decode(json.dumps(response_doc), o.Response)
    assert decode(encode(value), o.Response) == value


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_a_memoryview_that_is_not_contiguous_decodes_like_its_bytes(
    strict: bool, chat_bytes: bytes
) -> None:
    spread = bytes(b for c in chat_bytes for b in (c, 0x20))  # every other byte
    view = memoryview(spread)[::2]
    assert not view.contiguous and bytes(view) == chat_bytes
    expected = decode(chat_bytes, o.CreateChatCompletionResponse, strict=strict)
    assert decode(view, o.CreateChatCompletionResponse, strict=strict) == expected
    dec = o.Decoder(o.CreateChatCompletionResponse, strict=strict)
    assert dec.decode(view) == expected
    lines = memoryview(bytes(b for c in (b"[]\n[]\n") for b in (c, 0)))[::2]
    assert o.Decoder(list[int], strict=strict).decode_lines(lines) == [[], []]
    with pytest.raises(MalformedJSONError) as info:
        decode(memoryview(bytes(b for c in b"[1,,]" for b in (c, 0)))[::2], list[int])
    assert info.value.pos == 3


def test_invalid_utf8_names_the_byte_the_decoder_read(chat_bytes: bytes) -> None:
    """The default mode skips an unknown key's value unread, invalid UTF-8 and
    all: the error names the invalid byte in a field it reads, not the first
    one in the document."""
    data = chat_bytes.replace(
        b'"service_tier": "default"', b'"extra": "\xfe", "service_tier": "def\xffault"'
    )
    with pytest.raises(MalformedJSONError) as info:
        decode(data, o.CreateChatCompletionResponse)
    assert info.value.pos == data.index(b"\xff")
    with pytest.raises(MalformedJSONError) as strict:
        decode(data, o.CreateChatCompletionResponse, strict=True)
    assert strict.value.pos == data.index(b"\xfe")  # strict reads every byte


# --------------------------------------------------------------------------
# Unknown variants deep in nested unions: same limit, linear time

KNOWN_LEAF = b'{"type":"eq","key":"k","value":1}'
UNKNOWN_LEAF = b'{"type":"regex","key":"k","value":"^x"}'


def _filters(depth: int, leaf: bytes) -> bytes:
    return b'{"type":"and","filters":[' * depth + leaf + b"]}" * depth


def _deepest_that_decodes(leaf: bytes, strict: bool = False) -> int:
    lo, hi = 1, 1200
    while hi - lo > 1:
        mid = (lo + hi) // 2
        try:
            decode(_filters(mid, leaf), o.Filters, strict=strict)
            lo = mid
        except MalformedJSONError:
            hi = mid
    return lo


def test_an_unknown_leaf_does_not_lower_the_nesting_limit() -> None:
    from openai_structs.core._depth import deepest, depth_limit

    known = _deepest_that_decodes(KNOWN_LEAF)
    assert known == (depth_limit() - 1) // 2  # two levels a filter, one for the leaf
    assert _deepest_that_decodes(UNKNOWN_LEAF) == known
    assert _deepest_that_decodes(KNOWN_LEAF, strict=True) == known
    value = decode(_filters(known, UNKNOWN_LEAF), o.Filters)
    assert encode(value) == _filters(known, UNKNOWN_LEAF)
    too_deep = _filters(known + 1, UNKNOWN_LEAF)
    with pytest.raises(MalformedJSONError) as info:
        decode(too_deep, o.Filters)
    # the leaf's own brace is the level past the limit (main named the end of the input)
    assert info.value.pos == deepest(too_deep, depth_limit()) == too_deep.index(UNKNOWN_LEAF)
    with pytest.raises(UnknownVariantError):
        decode(_filters(known, UNKNOWN_LEAF), o.Filters, strict=True)


def _best(fn: Any, rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def test_an_unknown_leaf_deep_in_nested_unions_costs_linear_time() -> None:
    """4x the depth, 4x the bytes: about 4x the time (quadratic would be 16x;
    main took 9.6-11x). And a 1 MB leaf costs about the same under 100 or 400
    levels (main read it again at every level)."""
    small, large = _filters(100, UNKNOWN_LEAF), _filters(400, UNKNOWN_LEAF)
    assert type(decode(large, o.Filters).filters[0]).__name__ == "CompoundFilter"
    ratio = _best(lambda: decode(large, o.Filters)) / _best(lambda: decode(small, o.Filters))
    assert ratio < 8, ratio
    leaf = b'{"type":"regex","key":"k","value":"' + b"x" * 1_000_000 + b'"}'
    shallow, deep = _filters(100, leaf), _filters(400, leaf)
    assert encode(decode(deep, o.Filters)) == deep
    ratio = _best(lambda: decode(deep, o.Filters), 3) / _best(lambda: decode(shallow, o.Filters), 3)
    assert ratio < 3, ratio


def test_an_unknown_leaf_gives_the_same_errors_as_a_known_one() -> None:
    """A wrong value beside the chain is reported alike, with or without an
    unknown variant at its end."""
    for leaf in (KNOWN_LEAF, UNKNOWN_LEAF):
        raw = _filters(50, leaf).replace(b'{"type":"and",', b'{"type":"and","x":1,', 1)
        raw = raw.replace(b'"filters":[', b'"filters":[{"type":"eq","key":5,"value":1},', 1)
        with pytest.raises(ValidationError) as info:
            decode(raw, o.Filters)
        assert info.value.path == "$.filters[0].key"
