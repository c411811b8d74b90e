"""``decode(..., strict=True)``: unknown variants raise UnknownVariantError and
enum values the spec does not list raise UnknownEnumValueError, each with the
``$.path`` of the offending tag or value; known payloads pass unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _classes import read_as

import openai_structs as o
from openai_structs import (
    UnknownEnumValueError,
    UnknownVariantError,
    ValidationError,
    decode,
    encode,
)

MEMORY_CALL = {"type": "memory_call", "id": "mem_1", "status": "completed"}
OUTPUT_AUDIO = {"type": "output_audio", "data": "UklGRiQAAABXQVZF", "transcript": "hi"}


def _strict_error(doc: Any, T: Any, cls: type) -> Any:
    data = json.dumps(doc)
    with pytest.raises(cls) as info:
        decode(data, T, strict=True)
    exc = info.value
    assert isinstance(exc, ValidationError)
    assert isinstance(exc, ValueError)
    assert exc.path is not None and f"`{exc.path}`" in str(exc)
    # lenient mode still accepts the same document
    assert json.loads(encode(decode(data, T))) == doc
    return exc


# --------------------------------------------------------------------------
# Known payloads


def test_strict_accepts_known_chat_completions(chat_bytes: bytes, chat_large_bytes: bytes) -> None:
    for data in (chat_bytes, chat_large_bytes):
        strict = decode(data, o.CreateChatCompletionResponse, strict=True)
        assert strict == decode(data, o.CreateChatCompletionResponse)
        assert json.loads(encode(strict)) == json.loads(data)


def test_strict_accepts_known_response(response_bytes: bytes) -> None:
    strict = decode(response_bytes, o.Response, strict=True)
    assert strict == decode(response_bytes, o.Response)
    assert strict.output[4].content[0].annotations[0].type == "url_citation"


def test_strict_accepts_known_chunks(chunk_lines: list[bytes]) -> None:
    for line in chunk_lines:
        chunk = decode(line, o.CreateChatCompletionStreamResponse, strict=True)
        assert json.loads(encode(chunk)) == json.loads(line)


def test_strict_accepts_known_dispatch_union_members() -> None:
    doc = {
        "model": "gpt-4o",
        "input": [
            {"role": "developer", "content": "Answer briefly."},
            {
                "type": "message",
                "role": "user",
                "content": [{"type": "input_text", "text": "Dates?"}],
            },
            {"type": "function_call", "call_id": "call_1", "name": "lookup", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "call_1", "output": "29 May"},
            {"id": "msg_0"},
        ],
        "tools": [
            {"type": "web_search_2025_08_26", "search_context_size": "low"},
            {"type": "web_search_preview", "search_context_size": "high"},
            {
                "type": "file_search",
                "vector_store_ids": ["vs_1"],
                "filters": {
                    "type": "and",
                    "filters": [
                        {"type": "gte", "key": "year", "value": 2024},
                        {"type": "in", "key": "lang", "value": ["pt", "en"]},
                    ],
                },
            },
        ],
        "include": ["file_search_call.results"],
        "tool_choice": "auto",
    }
    value = decode(json.dumps(doc), o.CreateResponse, strict=True)
    assert [read_as(i).__name__ for i in value.input] == [
        "EasyInputMessage",
        "EasyInputMessage",
        "FunctionToolCall",
        "FunctionCallOutputItemParam",
        "ItemReferenceParam",
    ]
    assert json.loads(encode(value)) == doc


def test_strict_request_message_roles() -> None:
    doc = {
        "model": "gpt-4o",
        "messages": [
            {"role": "developer", "content": "Be brief."},
            {"role": "user", "content": "hi"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "f", "arguments": "{}"},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": "call_1", "content": "ok"},
        ],
    }
    value = decode(json.dumps(doc), o.CreateChatCompletionRequest, strict=True)
    assert [type(m).__name__ for m in value.messages] == [
        "ChatCompletionRequestDeveloperMessage",
        "ChatCompletionRequestUserMessage",
        "ChatCompletionRequestAssistantMessage",
        "ChatCompletionRequestToolMessage",
    ]


# --------------------------------------------------------------------------
# Unknown variants


def test_strict_rejects_new_output_item(response_doc: dict) -> None:
    response_doc["output"].insert(1, MEMORY_CALL)
    exc = _strict_error(response_doc, o.Response, UnknownVariantError)
    assert exc.path == "$.output[1].type"
    assert "memory_call" in str(exc)


def test_strict_rejects_new_content_part(response_doc: dict) -> None:
    response_doc["output"][4]["content"].append(OUTPUT_AUDIO)
    exc = _strict_error(response_doc, o.Response, UnknownVariantError)
    assert exc.path == "$.output[4].content[1].type"


def test_strict_rejects_new_annotation(response_doc: dict) -> None:
    response_doc["output"][4]["content"][0]["annotations"].append(
        {"type": "page_citation", "page": 3}
    )
    exc = _strict_error(response_doc, o.Response, UnknownVariantError)
    assert exc.path == "$.output[4].content[0].annotations[2].type"


def test_strict_rejects_new_stream_event() -> None:
    exc = _strict_error(
        {"type": "response.memory_call.saved", "sequence_number": 3},
        o.ResponseStreamEvent,
        UnknownVariantError,
    )
    assert exc.path == "$.type"


def test_strict_rejects_new_item_inside_known_event() -> None:
    event = {
        "type": "response.output_item.added",
        "output_index": 0,
        "sequence_number": 1,
        "item": MEMORY_CALL,
    }
    exc = _strict_error(event, o.ResponseStreamEvent, UnknownVariantError)
    assert exc.path == "$.item.type"


def test_strict_rejects_new_chat_role() -> None:
    doc = {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "hi"}, {"role": "critic", "content": "x"}],
    }
    exc = _strict_error(doc, o.CreateChatCompletionRequest, UnknownVariantError)
    assert exc.path == "$.messages[1].role"
    assert "critic" in str(exc)


def test_strict_rejects_new_input_item_type_in_dispatch_union() -> None:
    doc = {
        "model": "gpt-4o",
        "input": [{"role": "user", "content": "hi"}, {"type": "memory_write", "id": "mw_1"}],
    }
    exc = _strict_error(doc, o.CreateResponse, UnknownVariantError)
    assert exc.path == "$.input[1].type"


def test_strict_rejects_new_content_part_inside_dispatch_union() -> None:
    doc = {
        "model": "gpt-4o",
        "input": [
            {"role": "user", "content": [{"type": "input_video", "video_url": "https://x/v.mp4"}]}
        ],
    }
    exc = _strict_error(doc, o.CreateResponse, UnknownVariantError)
    assert exc.path == "$.input[0].content[0].type"


def test_strict_rejects_new_tool_type(response_doc: dict) -> None:
    response_doc["tools"].append({"type": "browser"})
    exc = _strict_error(response_doc, o.Response, UnknownVariantError)
    assert exc.path == "$.tools[2].type"


def test_strict_rejects_new_filter_type_at_the_top() -> None:
    exc = _strict_error({"type": "regex", "key": "k", "value": "v"}, o.Filters, UnknownVariantError)
    assert exc.path == "$.type"


def test_strict_rejects_new_filter_type_nested() -> None:
    doc = {
        "type": "and",
        "filters": [
            {"type": "eq", "key": "lang", "value": "pt"},
            {"type": "regex", "key": "k", "value": "v"},
        ],
    }
    with pytest.raises(UnknownVariantError) as info:
        decode(json.dumps(doc), o.Filters, strict=True)
    assert info.value.path == "$.filters[1].type"


# --------------------------------------------------------------------------
# Unknown enum values


def test_strict_rejects_new_finish_reason(chat_doc: dict) -> None:
    chat_doc["choices"][0]["finish_reason"] = "guardrail_intervened"
    exc = _strict_error(chat_doc, o.CreateChatCompletionResponse, UnknownEnumValueError)
    assert exc.path == "$.choices[0].finish_reason"
    assert "guardrail_intervened" in str(exc)


def test_strict_rejects_new_finish_reason_in_a_chunk(chunk_lines: list[bytes]) -> None:
    doc = json.loads(chunk_lines[0])
    doc["choices"][0]["finish_reason"] = "paused"
    exc = _strict_error(doc, o.CreateChatCompletionStreamResponse, UnknownEnumValueError)
    assert exc.path == "$.choices[0].finish_reason"


def test_strict_accepts_null_finish_reason_in_a_chunk(chunk_lines: list[bytes]) -> None:
    doc = json.loads(chunk_lines[0])
    assert doc["choices"][0]["finish_reason"] is None
    assert (
        decode(chunk_lines[0], o.CreateChatCompletionStreamResponse, strict=True)
        .choices[0]
        .finish_reason
        is None
    )


def test_strict_rejects_new_response_status(response_doc: dict) -> None:
    response_doc["status"] = "paused"
    exc = _strict_error(response_doc, o.Response, UnknownEnumValueError)
    assert exc.path == "$.status"


def test_strict_rejects_new_enum_value_inside_output_item(response_doc: dict) -> None:
    response_doc["output"][1]["status"] = "throttled"
    exc = _strict_error(response_doc, o.Response, UnknownEnumValueError)
    assert exc.path == "$.output[1].status"


def test_strict_rejects_new_enum_value_inside_dispatch_union() -> None:
    doc = {
        "model": "gpt-4o",
        "input": [{"role": "user", "content": "hi"}, {"role": "critic", "content": "x"}],
    }
    exc = _strict_error(doc, o.CreateResponse, UnknownEnumValueError)
    assert exc.path == "$.input[1].role"


def test_strict_rejects_new_enum_value_in_a_list() -> None:
    doc = {
        "model": "gpt-4o",
        "input": "hi",
        "include": ["file_search_call.results", "memory_call.contents"],
    }
    exc = _strict_error(doc, o.CreateResponse, UnknownEnumValueError)
    assert exc.path == "$.include[1]"


def test_strict_enum_error_is_not_an_unknown_variant_error(chat_doc: dict) -> None:
    chat_doc["choices"][0]["finish_reason"] = "guardrail_intervened"
    with pytest.raises(UnknownEnumValueError) as info:
        decode(json.dumps(chat_doc), o.CreateChatCompletionResponse, strict=True)
    assert not isinstance(info.value, UnknownVariantError)


def test_strict_still_reports_plain_validation_errors(chat_doc: dict) -> None:
    chat_doc["created"] = "yesterday"
    with pytest.raises(ValidationError) as info:
        decode(json.dumps(chat_doc), o.CreateChatCompletionResponse, strict=True)
    assert not isinstance(info.value, (UnknownVariantError, UnknownEnumValueError))
    assert info.value.path == "$.created"


# --------------------------------------------------------------------------
# Keys the types do not define

FUNCTION = {"type": "function", "name": "f", "parameters": {}, "strict": True}


def test_strict_refuses_a_misspelled_request_key() -> None:
    raw = b'{"model": "m", "input": "x", "temprature": 0.2}'
    with pytest.raises(o.UnknownKeyError) as info:
        decode(raw, o.CreateResponse, strict=True)
    assert isinstance(info.value, ValidationError)
    assert info.value.path == "$.temprature"
    assert "`$.temprature`" in str(info.value)
    # the default mode still skips it, and does not write it back
    assert json.loads(encode(decode(raw, o.CreateResponse))) == {"model": "m", "input": "x"}


@pytest.mark.parametrize(
    "doc, path",
    [
        (
            {"model": "m", "input": "x", "tools": [{**FUNCTION, "x": 1}]},
            "$.tools[0].x",
        ),
        (
            {"model": "m", "input": [{"role": "user", "content": "hi", "mood": "calm"}]},
            "$.input[0].mood",
        ),
        (
            {"model": "m", "input": "x", "text": {"format": {"type": "text", "strict": True}}},
            "$.text.format.strict",
        ),
        ({"model": "m", "input": "x", "metadata": {"k": "v"}, "odd key": 1}, '$["odd key"]'),
    ],
    ids=["in-a-tool", "in-a-tagless-message", "in-a-nested-union", "not-a-plain-name"],
)
def test_strict_names_the_path_of_an_unknown_key(doc: Any, path: str) -> None:
    data = json.dumps(doc)
    with pytest.raises(o.UnknownKeyError) as info:
        decode(data, o.CreateResponse, strict=True)
    assert info.value.path == path
    assert f"`{path}`" in str(info.value)
    decode(data, o.CreateResponse)  # the default mode skips it


def test_strict_accepts_free_form_keys(chat_doc: dict) -> None:
    """Keys inside free-form JSON (metadata, tool parameters) are data."""
    doc = {
        "model": "m",
        "input": "x",
        "metadata": {"any": "thing"},
        "tools": [
            {
                **FUNCTION,
                "parameters": {"type": "object", "properties": {"q": {}}, "whatever": 1},
            }
        ],
    }
    assert json.loads(encode(decode(json.dumps(doc), o.CreateResponse, strict=True))) == doc


def test_strict_unknown_key_in_decode_lines_names_the_line() -> None:
    good = {"object": "embedding", "index": 0, "embedding": [0.5]}
    buf = (json.dumps(good) + "\n" + json.dumps({**good, "norm": 1.0}) + "\n").encode()
    assert len(o.Decoder(o.Embedding).decode_lines(buf)) == 2
    with pytest.raises(o.UnknownKeyError) as info:
        o.Decoder(o.Embedding, strict=True).decode_lines(buf)
    assert (info.value.line, info.value.path) == (2, "$.norm")


def test_strict_key_under_a_skipped_number_out_of_range() -> None:
    """A number no decoder takes, under a key the type does not define: the
    default mode skips it; strict mode refuses the key."""
    raw = b'{"model": "m", "input": "x", "temprature": 1e400}'
    assert decode(raw, o.CreateResponse).model == "m"
    with pytest.raises(o.UnknownKeyError):
        decode(raw, o.CreateResponse, strict=True)


# --------------------------------------------------------------------------
# An unknown tag's error lists the known tags, as an unknown enum value's does


def _known(message: str) -> list[str]:
    listed = message[message.index("(known: ") + 8 : message.index(") - at `")]
    return listed.split(", ")


def test_unknown_tag_lists_the_known_tags_nested() -> None:
    doc = json.loads((Path(__file__).parents[1] / "data" / "response.json").read_bytes())
    doc["output"].append({"type": "brand_new"})
    with pytest.raises(UnknownVariantError) as info:
        decode(json.dumps(doc), o.Response, strict=True)
    assert info.value.path == f"$.output[{len(doc['output']) - 1}].type"
    known = _known(str(info.value))
    assert "message" in known and "function_call" in known and "brand_new" not in known
    assert known == sorted(known)


def test_unknown_tag_lists_the_known_tags_of_a_stream_union() -> None:
    with pytest.raises(UnknownVariantError) as info:
        decode(
            b'{"type": "response.new", "sequence_number": 1}', o.ResponseStreamEvent, strict=True
        )
    known = _known(str(info.value))
    assert "response.output_text.delta" in known and "error" in known
    assert info.value.path == "$.type"


def test_unknown_tag_of_a_union_decoded_in_python_lists_its_tags() -> None:
    with pytest.raises(UnknownVariantError) as info:
        decode(b'{"type": "zzz"}', o.CreateEvalItem, strict=True)
    assert _known(str(info.value)) == ["message"]


def test_unknown_event_name_lists_the_known_names() -> None:
    stream = b'event: thread.run.teleported\ndata: {"id": "r"}\n\n'
    with pytest.raises(o.StreamDecodeError) as info:
        list(o.iter_assistant_events([stream], strict=True))
    cause = info.value.__cause__
    assert isinstance(cause, UnknownVariantError)
    known = _known(str(cause))
    assert "thread.run.created" in known and "done" in known and "error" in known
