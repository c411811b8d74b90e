"""``openai_structs.decode`` / ``encode``: input kinds, round trips, absent vs
null vs set, structs built in Python, and the errors bad input raises."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest

import openai_structs as o
from openai_structs import (
    UNSET,
    DecodeError,
    MalformedJSONError,
    ValidationError,
    decode,
    encode,
)


def _value(data: bytes) -> Any:
    return json.loads(data)


# --------------------------------------------------------------------------
# Input kinds


INPUT_KINDS = {
    "bytes": lambda b: bytes(b),
    "bytearray": lambda b: bytearray(b),
    "memoryview": lambda b: memoryview(b),
    "memoryview-slice": lambda b: memoryview(b"  \n" + b)[3:],
    "str": lambda b: b.decode("utf-8"),
}


@pytest.mark.parametrize("kind", list(INPUT_KINDS))
def test_decode_accepts_each_input_kind(kind: str, chat_bytes: bytes) -> None:
    data = INPUT_KINDS[kind](chat_bytes)
    completion = decode(data, o.CreateChatCompletionResponse)

    assert type(completion) is o.CreateChatCompletionResponse
    assert completion.id == "chatcmpl-aiw1AbynFCSsXLC3uPtr7vIbFaH0x"
    assert completion.object == "chat.completion"
    assert completion.created == 1758190212
    assert completion.model == "gpt-4.1-mini-2025-04-14"
    assert completion.system_fingerprint == "fp_c4b224ca94"
    assert completion.service_tier == "default"
    [choice] = completion.choices
    assert choice.index == 0
    assert choice.finish_reason == "stop"
    assert choice.logprobs is None
    assert choice.message.role == "assistant"
    assert choice.message.refusal is None
    assert choice.message.annotations == []
    assert choice.message.content.startswith("A frozen struct is immutable after construction")
    assert completion.usage.prompt_tokens == 31
    assert completion.usage.completion_tokens == 29
    assert completion.usage.total_tokens == 60
    assert completion.usage.completion_tokens_details.reasoning_tokens == 0
    assert completion.usage.prompt_tokens_details.cached_tokens == 0


@pytest.mark.parametrize("kind", list(INPUT_KINDS))
def test_decode_each_input_kind_through_the_unknown_variant_path(
    kind: str, response_doc: dict
) -> None:
    """The lenient path parses the input a second time: it must accept every
    input kind too."""
    new_item = {"type": "memory_call", "id": "mem_1", "status": "completed"}
    response_doc["output"].insert(0, new_item)
    data = INPUT_KINDS[kind](json.dumps(response_doc, indent=1).encode())

    response = decode(data, o.Response)

    assert isinstance(response.output[0], o.UnknownType)
    assert response.output[0].data == new_item
    assert isinstance(response.output[1], o.ReasoningItem)
    assert _value(encode(response)) == response_doc


def test_encode_returns_compact_bytes(chat_bytes: bytes) -> None:
    out = encode(decode(chat_bytes, o.CreateChatCompletionResponse))
    assert isinstance(out, bytes)
    assert out == msgspec.json.encode(msgspec.json.decode(out))  # already compact
    assert b"\n  " not in out
    assert out.startswith(b'{"id":"chatcmpl-aiw1AbynFCSsXLC3uPtr7vIbFaH0x",')


# --------------------------------------------------------------------------
# Round trips


def test_round_trip_chat_completion(chat_bytes: bytes) -> None:
    completion = decode(chat_bytes, o.CreateChatCompletionResponse)
    out = encode(completion)
    assert _value(out) == _value(chat_bytes)
    # and once more: decoding what we wrote gives an equal struct
    assert decode(out, o.CreateChatCompletionResponse) == completion


def test_round_trip_large_chat_completion(chat_large_bytes: bytes) -> None:
    completion = decode(chat_large_bytes, o.CreateChatCompletionResponse)
    assert len(completion.choices) == 4
    assert [c.finish_reason for c in completion.choices] == [
        "stop",
        "stop",
        "tool_calls",
        "tool_calls",
    ]
    tool_calls = completion.choices[2].message.tool_calls
    assert len(tool_calls) == 2
    assert type(tool_calls[0]).__name__ == "ChatCompletionMessageToolCall"
    assert tool_calls[0].function.name
    assert json.loads(tool_calls[0].function.arguments)
    first_token = completion.choices[0].logprobs.content[0]
    assert isinstance(first_token.logprob, float)
    assert len(first_token.top_logprobs) == 3
    assert _value(encode(completion)) == _value(chat_large_bytes)


def test_round_trip_response(response_bytes: bytes) -> None:
    response = decode(response_bytes, o.Response)
    assert [type(item).__name__ for item in response.output] == [
        "ReasoningItem",
        "WebSearchToolCall",
        "ReasoningItem",
        "FunctionToolCall",
        "OutputMessage",
    ]
    assert response.output[3].name == "create_calendar_event"
    assert (
        response.output[4].content[0].annotations[1].title == "Programme - Feira do Livro de Lisboa"
    )
    assert response.error is None
    assert response.tool_choice == "auto"
    assert _value(encode(response)) == _value(response_bytes)


def test_round_trip_stream_chunks(chunk_lines: list[bytes]) -> None:
    assert len(chunk_lines) > 3
    for line in chunk_lines:
        chunk = decode(line, o.CreateChatCompletionStreamResponse)
        assert chunk.object == "chat.completion.chunk"
        assert _value(encode(chunk)) == _value(line)


# --------------------------------------------------------------------------
# Absent vs null vs set


def test_absent_optional_fields_stay_absent(chat_doc: dict) -> None:
    del chat_doc["system_fingerprint"]
    del chat_doc["service_tier"]
    del chat_doc["choices"][0]["message"]["annotations"]
    del chat_doc["usage"]["completion_tokens_details"]

    completion = decode(json.dumps(chat_doc), o.CreateChatCompletionResponse)

    assert completion.system_fingerprint is UNSET
    assert completion.service_tier is UNSET
    assert completion.moderation is UNSET
    assert completion.choices[0].message.annotations is UNSET
    assert completion.usage.completion_tokens_details is UNSET
    out = _value(encode(completion))
    assert "system_fingerprint" not in out
    assert "service_tier" not in out
    assert "moderation" not in out
    assert "annotations" not in out["choices"][0]["message"]
    assert out == chat_doc


def test_explicit_null_stays_null(chat_doc: dict) -> None:
    chat_doc["moderation"] = None  # optional and nullable
    completion = decode(json.dumps(chat_doc), o.CreateChatCompletionResponse)

    assert completion.moderation is None
    assert completion.choices[0].logprobs is None  # required and nullable
    assert completion.choices[0].message.refusal is None
    out = _value(encode(completion))
    assert "moderation" in out and out["moderation"] is None
    assert out["choices"][0]["logprobs"] is None
    assert out["choices"][0]["message"]["refusal"] is None
    assert out == chat_doc


def test_system_fingerprint_null_stays_null(chat_doc: dict) -> None:
    """The API sends ``"system_fingerprint": null`` (the openai SDK types it
    ``Optional[str]``); it must decode and stay ``null``."""
    chat_doc["system_fingerprint"] = None
    completion = decode(json.dumps(chat_doc), o.CreateChatCompletionResponse)
    assert completion.system_fingerprint is None
    assert _value(encode(completion)) == chat_doc


def test_absent_null_and_set_side_by_side_in_a_request() -> None:
    doc = {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "hi"}],
        "temperature": None,
        "seed": 7,
        "logit_bias": None,
        "stream": False,
    }
    request = decode(json.dumps(doc), o.CreateChatCompletionRequest)

    assert request.temperature is None
    assert request.seed == 7
    assert request.logit_bias is None
    assert request.stream is False
    assert request.top_p is UNSET
    assert request.max_completion_tokens is UNSET
    out = _value(encode(request))
    assert out == doc
    assert set(out) == {"model", "messages", "temperature", "seed", "logit_bias", "stream"}


def test_stream_chunk_usage_null_then_set(chunk_lines: list[bytes]) -> None:
    first = decode(chunk_lines[0], o.CreateChatCompletionStreamResponse)
    last = decode(chunk_lines[-1], o.CreateChatCompletionStreamResponse)
    assert first.usage is None
    assert _value(encode(first))["usage"] is None
    assert last.usage is not None and last.usage.total_tokens > 0
    assert last.choices == []


# --------------------------------------------------------------------------
# Structs built in Python


def test_built_request_encodes_exactly_the_set_keys() -> None:
    request = o.CreateChatCompletionRequest(
        messages=[o.ChatCompletionRequestUserMessage(content="hi")],
        model="gpt-4o",
    )
    out = encode(request)
    assert _value(out) == {"messages": [{"role": "user", "content": "hi"}], "model": "gpt-4o"}
    assert out == b'{"messages":[{"role":"user","content":"hi"}],"model":"gpt-4o"}'


def test_built_request_with_null_and_values() -> None:
    request = o.CreateChatCompletionRequest(
        messages=[
            o.ChatCompletionRequestSystemMessage(content="Answer in one sentence."),
            o.ChatCompletionRequestUserMessage(content="What is msgspec?", name="ana"),
        ],
        model="gpt-4o",
        temperature=None,
        max_completion_tokens=256,
    )
    assert _value(encode(request)) == {
        "messages": [
            {"role": "system", "content": "Answer in one sentence."},
            {"role": "user", "content": "What is msgspec?", "name": "ana"},
        ],
        "model": "gpt-4o",
        "temperature": None,
        "max_completion_tokens": 256,
    }
    assert decode(encode(request), o.CreateChatCompletionRequest) == request


def test_built_struct_writes_constant_fields() -> None:
    """A constant the spec requires is a required argument: it is written
    because it was given, never added on the way out."""
    with pytest.raises(TypeError):
        o.CreateChatCompletionResponse(id="chatcmpl-1", choices=[], created=1, model="gpt-4o")  # type: ignore[call-arg]
    completion = o.CreateChatCompletionResponse(
        id="chatcmpl-1", choices=[], created=1, model="gpt-4o", object="chat.completion"
    )
    assert _value(encode(completion)) == {
        "id": "chatcmpl-1",
        "choices": [],
        "created": 1,
        "model": "gpt-4o",
        "object": "chat.completion",
    }


BUILT_REQUEST_DOC = {
    "model": "gpt-4o",
    "input": [{"role": "user", "content": "Find the fair dates."}],
    "tools": [
        {"type": "web_search_2025_08_26"},
        {
            "type": "file_search",
            "vector_store_ids": ["vs_1"],
            "filters": {"type": "gte", "key": "year", "value": 2024},
        },
    ],
}


def _built_request() -> o.CreateResponse:
    return o.CreateResponse(
        model="gpt-4o",
        input=[o.EasyInputMessage(role="user", content="Find the fair dates.")],
        tools=[
            o.WebSearchTool20250826(),
            o.FileSearchTool(
                vector_store_ids=["vs_1"],
                filters=o.ComparisonFilterGte(key="year", value=2024),
            ),
        ],
    )


def test_built_responses_request_with_dispatch_union_members() -> None:
    request = _built_request()
    assert _value(encode(request)) == BUILT_REQUEST_DOC
    assert o.WebSearchTool.variant("web_search_2025_08_26") is o.WebSearchTool20250826
    assert o.ComparisonFilter.variant("gte") is o.ComparisonFilterGte


def test_built_responses_request_decodes_back() -> None:
    """The input message has no ``type``: only the decoder's fallback reads it."""
    again = decode(encode(_built_request()), o.CreateResponse)
    assert type(again.tools[0]) is o.WebSearchTool20250826
    assert type(again.tools[1]) is o.FileSearchTool
    assert type(again.tools[1].filters) is o.ComparisonFilterGte
    assert _value(encode(again)) == BUILT_REQUEST_DOC


def test_structs_are_frozen(chat_bytes: bytes) -> None:
    completion = decode(chat_bytes, o.CreateChatCompletionResponse)
    with pytest.raises(AttributeError):
        completion.model = "other"  # type: ignore[misc]
    message = o.ChatCompletionRequestUserMessage(content="hi")
    with pytest.raises(AttributeError):
        message.content = "bye"  # type: ignore[misc]
    assert hash(message) == hash(o.ChatCompletionRequestUserMessage(content="hi"))


# --------------------------------------------------------------------------
# Malformed input


def test_truncated_json_names_the_end_byte(chat_bytes: bytes) -> None:
    with pytest.raises(MalformedJSONError) as info:
        decode(chat_bytes[:100], o.CreateChatCompletionResponse)
    assert info.value.pos == 100
    assert "100" in str(info.value)
    assert info.value.path is None


def test_empty_input_is_malformed() -> None:
    with pytest.raises(MalformedJSONError) as info:
        decode(b"", o.CreateChatCompletionResponse)
    assert info.value.pos == 0


def test_malformed_json_names_the_byte() -> None:
    data = b'{"id": "x" "choices": []}'
    with pytest.raises(MalformedJSONError) as info:
        decode(data, o.CreateChatCompletionResponse)
    assert info.value.pos == data.index(b'"choices"') == 11
    assert "11" in str(info.value)


def test_trailing_characters_name_the_byte() -> None:
    data = b'{"id":"x","choices":[],"created":1,"model":"m"} x'
    with pytest.raises(MalformedJSONError) as info:
        decode(data, o.CreateChatCompletionResponse)
    # the first byte that is not whitespace after the document
    assert info.value.pos == data.rindex(b"x") == 48


def test_malformed_json_in_a_str_names_the_byte() -> None:
    """For ``str`` input the offset counts UTF-8 bytes, like for ``bytes``."""
    text = '{"id": "é€😀", "choices": [,]}'
    with pytest.raises(MalformedJSONError) as info:
        decode(text, o.CreateChatCompletionResponse)
    assert info.value.pos == text.encode().index(b"[,") + 1


# --------------------------------------------------------------------------
# Invalid UTF-8


def _with_invalid_utf8(chat_bytes: bytes) -> tuple[bytes, int]:
    # multi-byte characters before the bad byte, so that a character offset
    # and a byte offset differ
    data = chat_bytes.replace(b"A frozen", "é€😀 frozen".encode()).replace(
        b"immutable", b"immu\xc3(table"
    )
    return data, data.index(b"\xc3(")


@pytest.mark.parametrize("kind", ["bytes", "bytearray", "memoryview"])
def test_invalid_utf8_in_a_string_names_the_real_byte(kind: str, chat_bytes: bytes) -> None:
    data, offset = _with_invalid_utf8(chat_bytes)
    assert offset == 284
    with pytest.raises(MalformedJSONError) as info:
        decode(INPUT_KINDS[kind](data), o.CreateChatCompletionResponse)
    assert info.value.pos == offset
    assert str(offset) in str(info.value)


@pytest.mark.parametrize(
    "bad",
    [b"\xff", b"\xed\xa0\x80", b"\xc0\xaf", b"\xe2\x82"],
    ids=["ff", "utf8-surrogate", "overlong", "cut-sequence"],
)
def test_invalid_utf8_kinds(bad: bytes, chat_bytes: bytes) -> None:
    data = chat_bytes.replace(b'"fp_c4b224ca94"', b'"fp_c4b' + bad + b'224ca94"')
    with pytest.raises(MalformedJSONError) as info:
        decode(data, o.CreateChatCompletionResponse)
    assert info.value.pos == data.index(bad)


def test_invalid_utf8_inside_an_unknown_variant(response_doc: dict) -> None:
    response_doc["output"].insert(0, {"type": "memory_call", "id": "mem_1", "note": "PLACEHOLDER"})
    data = json.dumps(response_doc).encode().replace(b"PLACEHOLDER", "café ".encode() + b"\xff")
    with pytest.raises(MalformedJSONError) as info:
        decode(data, o.Response)
    assert info.value.pos == data.index(b"\xff")


def test_invalid_utf8_in_an_ignored_field(chat_bytes: bytes) -> None:
    """msgspec skips the value of a key the type does not define without
    reading it, so the default mode lets bad UTF-8 there through (documented);
    strict mode checks the whole document and names the byte."""
    data = chat_bytes.replace(
        b'"service_tier": "default"', b'"extra": "va\xfflue", "service_tier": "default"'
    )
    assert decode(data, o.CreateChatCompletionResponse).service_tier == "default"
    with pytest.raises(MalformedJSONError) as info:
        decode(data, o.CreateChatCompletionResponse, strict=True)
    assert info.value.pos == data.index(b"\xff")


def test_lone_surrogate_in_str_input_is_malformed() -> None:
    text = '{"id": "\udcff", "choices": [], "created": 1, "model": "m"}'
    with pytest.raises(MalformedJSONError):
        decode(text, o.CreateChatCompletionResponse)


# --------------------------------------------------------------------------
# Deep nesting


DEPTH = 100_000


def _deep() -> bytes:
    return b"[" * DEPTH + b"]" * DEPTH


def _chat_request_with_parameters(value: bytes) -> bytes:
    return (
        b'{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],'
        b'"tools":[{"type":"function","function":{"name":"f","parameters":{"x":' + value + b"}}}]}"
    )


def _responses_request_with_parameters(value: bytes) -> bytes:
    return (
        b'{"model":"gpt-4o","input":"hi","tools":[{"type":"function","name":"f","strict":true,'
        b'"parameters":{"x":' + value + b"}}]}"
    )


def _response_with_unknown_item(value: bytes, response_bytes: bytes) -> bytes:
    doc = json.loads(response_bytes)
    doc["output"].insert(0, {"type": "memory_call", "id": "mem_1", "note": "PLACEHOLDER"})
    return json.dumps(doc).encode().replace(b'"PLACEHOLDER"', value)


def test_free_form_field_decodes_at_normal_depth(response_bytes: bytes) -> None:
    request = decode(_chat_request_with_parameters(b"[[1]]"), o.CreateChatCompletionRequest)
    assert request.tools[0].function.parameters == {"x": [[1]]}
    request = decode(_responses_request_with_parameters(b"[[1]]"), o.CreateResponse)
    assert request.tools[0].parameters == {"x": [[1]]}
    response = decode(_response_with_unknown_item(b"[[1]]", response_bytes), o.Response)
    assert response.output[0].data["note"] == [[1]]


@pytest.mark.parametrize(
    "where, strict",
    [
        ("chat-tool-parameters", False),
        ("chat-tool-parameters", True),
        ("dispatch-union-tool-parameters", False),
        ("dispatch-union-tool-parameters", True),
        # strict mode rejects the unknown tag before it reaches the nesting
        ("unknown-variant", False),
    ],
)
def test_deep_nesting_is_malformed_not_recursion_error(
    where: str, strict: bool, response_bytes: bytes
) -> None:
    if where == "chat-tool-parameters":
        data, T = _chat_request_with_parameters(_deep()), o.CreateChatCompletionRequest
    elif where == "dispatch-union-tool-parameters":
        data, T = _responses_request_with_parameters(_deep()), o.CreateResponse
    else:
        data, T = _response_with_unknown_item(_deep(), response_bytes), o.Response
    start = data.index(b"[[[")
    try:
        decode(data, T, strict=strict)
    except MalformedJSONError as exc:
        assert isinstance(exc.pos, int)
        assert start <= exc.pos < start + DEPTH
    except RecursionError:  # pragma: no cover - the failure this test looks for
        pytest.fail("deep nesting raised RecursionError instead of MalformedJSONError")
    else:
        pytest.fail("deep nesting decoded without error")


# --------------------------------------------------------------------------
# Validation errors carry the $.path


def test_wrong_type_names_the_path(chat_doc: dict) -> None:
    chat_doc["created"] = "yesterday"
    with pytest.raises(ValidationError) as info:
        decode(json.dumps(chat_doc), o.CreateChatCompletionResponse)
    assert info.value.path == "$.created"
    assert "$.created" in str(info.value)
    assert "Expected `int`, got `str`" in str(info.value)
    assert not isinstance(info.value, MalformedJSONError)


def test_wrong_type_deep_names_the_path(chat_doc: dict) -> None:
    chat_doc["choices"][0]["finish_reason"] = 5
    with pytest.raises(ValidationError) as info:
        decode(json.dumps(chat_doc), o.CreateChatCompletionResponse)
    assert info.value.path == "$.choices[0].finish_reason"


def test_missing_nested_required_field_names_the_path(chat_doc: dict) -> None:
    del chat_doc["usage"]["total_tokens"]
    with pytest.raises(ValidationError) as info:
        decode(json.dumps(chat_doc), o.CreateChatCompletionResponse)
    assert info.value.path == "$.usage"
    assert "`total_tokens`" in str(info.value)


def test_missing_top_level_required_field_names_the_root(chat_doc: dict) -> None:
    del chat_doc["model"]
    with pytest.raises(ValidationError) as info:
        decode(json.dumps(chat_doc), o.CreateChatCompletionResponse)
    assert "`model`" in str(info.value)
    assert info.value.path == "$"


def test_wrong_type_of_the_root_names_the_root() -> None:
    with pytest.raises(ValidationError) as info:
        decode(b"[]", o.CreateChatCompletionResponse)
    assert "Expected `object`, got `array`" in str(info.value)
    assert info.value.path == "$"


def test_wrong_type_after_an_unknown_variant_names_the_path(response_doc: dict) -> None:
    """The lenient path (which replaces unknown variants) reports later errors
    with their real path."""
    response_doc["output"].insert(0, {"type": "memory_call", "id": "mem_1"})
    response_doc["output"][4]["arguments"] = {"title": "Lisbon Book Fair"}
    with pytest.raises(ValidationError) as info:
        decode(json.dumps(response_doc), o.Response)
    assert info.value.path == "$.output[4].arguments"


def _create_response(second_item: dict) -> str:
    return json.dumps(
        {
            "model": "gpt-4o",
            "input": [{"role": "user", "content": "Plan my Lisbon trip."}, second_item],
        }
    )


@pytest.mark.parametrize(
    "item, path",
    [
        (
            {"role": "user", "content": [{"type": "input_text", "text": 5}]},
            "$.input[1].content[0].text",
        ),
        ({"role": "user", "content": 5}, "$.input[1].content"),
        ({"type": "function_call_output", "call_id": "call_1", "output": 5}, "$.input[1].output"),
        (
            {"type": "function_call", "call_id": "call_1", "name": "f", "arguments": {}},
            "$.input[1].arguments",
        ),
        ({"type": "function_call", "call_id": "call_1", "name": "f"}, "$.input[1]"),
    ],
    ids=[
        "easy-message-part-text",
        "easy-message-content",
        "function-call-output",
        "function-call-arguments",
        "function-call-missing",
    ],
)
def test_error_inside_a_dispatch_union_has_the_full_path(item: dict, path: str) -> None:
    with pytest.raises(ValidationError) as info:
        decode(_create_response(item), o.CreateResponse)
    assert info.value.path == path
    assert f"`{path}`" in str(info.value)


def test_error_inside_an_output_message_input_item_has_the_full_path() -> None:
    """A wrong value inside an assistant ``OutputMessage`` given as input must
    be reported, not turned into an unknown content part of another member."""
    item = {
        "type": "message",
        "id": "msg_1",
        "status": "completed",
        "role": "assistant",
        "content": [
            {
                "type": "output_text",
                "text": "See the programme.",
                "annotations": [
                    {
                        "type": "url_citation",
                        "start_index": "0",
                        "end_index": 18,
                        "url": "https://x.pt",
                        "title": "x",
                    }
                ],
                "logprobs": [],
            }
        ],
    }
    with pytest.raises(ValidationError) as info:
        decode(_create_response(item), o.CreateResponse)
    assert info.value.path == "$.input[1].content[0].annotations[0].start_index"


def test_error_in_nested_dispatch_unions_has_the_full_path() -> None:
    doc = {
        "model": "gpt-4o",
        "input": "hi",
        "tools": [
            {
                "type": "file_search",
                "vector_store_ids": ["vs_1"],
                "filters": {
                    "type": "and",
                    "filters": [
                        {"type": "gte", "key": "year", "value": 2020},
                        {"type": "eq", "key": "lang"},
                    ],
                },
            }
        ],
    }
    with pytest.raises(ValidationError) as info:
        decode(json.dumps(doc), o.CreateResponse)
    assert info.value.path == "$.tools[0].filters.filters[1]"
    assert "`value`" in str(info.value)


BAD_INPUTS = {
    "truncated": (b'{"id": "chatcmpl-1", "choi', MalformedJSONError),
    "malformed": (b'{"id": 1,,}', MalformedJSONError),
    "invalid-utf8": (b'{"id": "\xff"}', MalformedJSONError),
    "deep": (b"DEEP", MalformedJSONError),
    "wrong-type": (b'{"id": 1, "choices": [], "created": 1, "model": "m"}', ValidationError),
    "missing": (b'{"id": "x", "choices": [], "created": 1}', ValidationError),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_every_error_is_a_value_error_subclass(name: str) -> None:
    data, cls = BAD_INPUTS[name]
    T: Any = o.CreateChatCompletionResponse
    if data == b"DEEP":
        data, T = _chat_request_with_parameters(_deep()), o.CreateChatCompletionRequest
    with pytest.raises(cls) as info:
        decode(data, T)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, DecodeError)
    assert isinstance(info.value, msgspec.DecodeError)


# --------------------------------------------------------------------------
# Decoder cache


def test_repeated_decodes_give_equal_results(chat_bytes: bytes, response_bytes: bytes) -> None:
    first = decode(chat_bytes, o.CreateChatCompletionResponse)
    for _ in range(3):
        assert decode(chat_bytes, o.CreateChatCompletionResponse) == first
        assert decode(response_bytes, o.Response) == decode(response_bytes, o.Response)
    # the same document through a container type shares nothing wrong with T
    [again] = decode(b"[" + chat_bytes + b"]", list[o.CreateChatCompletionResponse])
    assert again == first


def test_cache_survives_errors_and_mode_switches(response_doc: dict, response_bytes: bytes) -> None:
    with_unknown = json.loads(json.dumps(response_doc))
    with_unknown["output"].insert(0, {"type": "memory_call", "id": "mem_1"})
    data = json.dumps(with_unknown)

    lenient = decode(data, o.Response)
    with pytest.raises(ValidationError):
        decode(data, o.Response, strict=True)
    with pytest.raises(MalformedJSONError):
        decode(response_bytes[:50], o.Response)
    assert decode(data, o.Response) == lenient
    assert isinstance(decode(data, o.Response).output[0], o.UnknownType)
    known = decode(response_bytes, o.Response)
    assert not any(isinstance(item, o.UnknownVariant) for item in known.output)
    assert decode(response_bytes, o.Response, strict=True) == known
    assert _value(encode(known)) == response_doc


# --------------------------------------------------------------------------
# Batch lines are generic over the body


DATA = Path(__file__).resolve().parents[1] / "data"


def test_batch_output_line_typed_by_its_body() -> None:
    lines = (DATA / "batch_output.jsonl").read_bytes().splitlines()
    ok = [line for line in lines if b'"status_code": 200' in line or b'"status_code":200' in line]
    assert ok, "the sample has successful lines"
    for line in ok:
        out = decode(line, o.BatchRequestOutput[o.CreateChatCompletionResponse])
        assert isinstance(out.response.body, o.CreateChatCompletionResponse)
        assert json.loads(encode(out)) == json.loads(line)
    untyped = decode(ok[0], o.BatchRequestOutput)
    assert isinstance(untyped.response.body, dict)


def test_batch_input_line_typed_by_its_body() -> None:
    line = (
        b'{"custom_id": "r1", "method": "POST", "url": "/v1/chat/completions",'
        b' "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}}'
    )
    out = decode(line, o.BatchRequestInput[o.CreateChatCompletionRequest])
    assert isinstance(out.body, o.CreateChatCompletionRequest)
    assert type(out.body.messages[0]) is o.ChatCompletionRequestUserMessage
    assert json.loads(encode(out)) == json.loads(line)
