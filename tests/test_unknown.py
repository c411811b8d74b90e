"""Variants and enum values the spec does not know decode (lenient mode).

An object whose tag (``type``, ``role``...) is new becomes an
:class:`~openai_structs.UnknownVariant` that keeps its JSON; everything around
it stays fully typed, and ``encode`` gives back the same JSON value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec
import pytest
from _classes import read_as

import openai_structs as o
from openai_structs import UnknownRole, UnknownType, UnknownVariant, decode, encode


def _value(data: bytes) -> Any:
    return json.loads(data)


def _roundtrip(doc: Any, T: Any) -> Any:
    """Decode ``doc`` (pretty printed, to be sure nothing relies on the
    layout), check that encoding gives the same JSON value, return it."""
    value = decode(json.dumps(doc, indent=2), T)
    assert _value(encode(value)) == doc
    return value


def _check_unknown(value: Any, cls: type, tag: str, data: dict) -> None:
    assert isinstance(value, UnknownVariant)
    assert type(value) is cls
    assert value.tag == tag
    assert value.data == data
    assert msgspec.json.decode(value.raw) == data
    assert _value(encode(value)) == data


MEMORY_CALL = {
    "type": "memory_call",
    "id": "mem_67ccd3a9da748190baa7f1570fe91ac604becb25c45c1d41",
    "status": "completed",
    "memories": [{"key": "home_city", "value": "Lisbon", "confidence": 0.93}],
}

OUTPUT_AUDIO = {
    "type": "output_audio",
    "data": "UklGRiQAAABXQVZFZm10IBAAAAABAAEA",
    "transcript": "The fair opens on 29 May.",
    "format": "wav",
}


def test_new_output_item_in_response_output(response_doc: dict) -> None:
    response_doc["output"].insert(2, MEMORY_CALL)
    response = _roundtrip(response_doc, o.Response)

    assert [type(item).__name__ for item in response.output] == [
        "ReasoningItem",
        "WebSearchToolCall",
        "UnknownType",
        "ReasoningItem",
        "FunctionToolCall",
        "OutputMessage",
    ]
    _check_unknown(response.output[2], UnknownType, "memory_call", MEMORY_CALL)
    # the known items around it are fully typed
    assert response.output[1].action.query == "Feira do Livro de Lisboa dates opening hours"
    assert response.output[4].call_id == "call_d4kRWQRsNk2bRvdgrlmjP7AR"
    assert type(response.output[5].content[0]) is o.OutputTextContent
    assert response.usage.output_tokens_details.reasoning_tokens == 448
    assert type(response.tools[0]) is o.WebSearchTool


def test_new_content_part_in_output_message(response_doc: dict) -> None:
    response_doc["output"][4]["content"].append(OUTPUT_AUDIO)
    response = _roundtrip(response_doc, o.Response)

    message = response.output[4]
    assert type(message) is o.OutputMessage
    assert message.status == "completed"
    assert type(message.content[0]) is o.OutputTextContent
    assert message.content[0].text.startswith("The Lisbon Book Fair runs")
    assert message.content[0].annotations[0].url.startswith("https://www.visitlisboa.com/")
    _check_unknown(message.content[1], UnknownType, "output_audio", OUTPUT_AUDIO)


def test_new_annotation_inside_output_text(response_doc: dict) -> None:
    """Three levels down: Response.output[4].content[0].annotations[1]."""
    citation = {
        "type": "page_citation",
        "start_index": 10,
        "end_index": 20,
        "file_id": "file-1",
        "page": 3,
    }
    response_doc["output"][4]["content"][0]["annotations"].insert(1, citation)
    response = _roundtrip(response_doc, o.Response)

    annotations = response.output[4].content[0].annotations
    assert type(annotations[0]).__name__ == "UrlCitationBody"
    assert annotations[0].start_index == 0
    _check_unknown(annotations[1], UnknownType, "page_citation", citation)
    assert annotations[2].title == "Programme - Feira do Livro de Lisboa"


def test_new_top_level_stream_event() -> None:
    event = {
        "type": "response.memory_call.saved",
        "sequence_number": 12,
        "item_id": "mem_1",
        "output_index": 2,
    }
    value = _roundtrip(event, o.ResponseStreamEvent)
    _check_unknown(value, UnknownType, "response.memory_call.saved", event)


def test_new_output_item_inside_a_known_stream_event() -> None:
    event = {
        "type": "response.output_item.added",
        "output_index": 2,
        "sequence_number": 5,
        "item": MEMORY_CALL,
    }
    value = _roundtrip(event, o.ResponseStreamEvent)
    assert type(value) is o.ResponseOutputItemAddedEvent
    assert value.output_index == 2
    assert value.sequence_number == 5
    _check_unknown(value.item, UnknownType, "memory_call", MEMORY_CALL)


def test_stream_of_known_and_unknown_events() -> None:
    events = [
        {
            "type": "response.output_text.delta",
            "item_id": "msg_1",
            "output_index": 0,
            "content_index": 0,
            "delta": "Hel",
            "sequence_number": 1,
        },
        {"type": "response.memory_call.saved", "sequence_number": 2, "item_id": "mem_1"},
        {
            "type": "response.output_text.delta",
            "item_id": "msg_1",
            "output_index": 0,
            "content_index": 0,
            "delta": "lo",
            "sequence_number": 3,
        },
    ]
    values = _roundtrip(events, list[o.ResponseStreamEvent])
    assert [type(v).__name__ for v in values] == [
        "ResponseTextDeltaEvent",
        "UnknownType",
        "ResponseTextDeltaEvent",
    ]
    assert values[0].delta + values[2].delta == "Hello"
    assert values[1].tag == "response.memory_call.saved"


def test_new_chat_message_role_in_request() -> None:
    critic = {"role": "critic", "content": "Check the dates twice.", "weight": 0.5}
    request = {
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "You are a concise travel assistant."},
            critic,
            {
                "role": "user",
                "content": [{"type": "text", "text": "When is the Lisbon Book Fair?"}],
            },
        ],
        "temperature": 0.2,
    }
    value = _roundtrip(request, o.CreateChatCompletionRequest)

    assert type(value.messages[0]) is o.ChatCompletionRequestSystemMessage
    assert value.messages[0].content == "You are a concise travel assistant."
    _check_unknown(value.messages[1], UnknownRole, "critic", critic)
    assert type(value.messages[2]) is o.ChatCompletionRequestUserMessage
    assert value.messages[2].content[0].text == "When is the Lisbon Book Fair?"
    assert value.temperature == 0.2


def test_new_finish_reason(chat_doc: dict) -> None:
    chat_doc["choices"][0]["finish_reason"] = "guardrail_intervened"
    value = _roundtrip(chat_doc, o.CreateChatCompletionResponse)
    assert value.choices[0].finish_reason == "guardrail_intervened"
    assert value.choices[0].message.content.startswith("A frozen struct")


def test_new_enum_values_elsewhere(response_doc: dict) -> None:
    response_doc["status"] = "paused"
    response_doc["output"][1]["status"] = "throttled"
    response_doc["reasoning"]["effort"] = "extreme"
    response = _roundtrip(response_doc, o.Response)
    assert response.status == "paused"
    assert response.output[1].status == "throttled"
    assert response.reasoning.effort == "extreme"


def test_new_input_item_type_in_a_dispatch_union() -> None:
    item = {"type": "memory_write", "id": "mw_1", "key": "home_city", "value": "Lisbon"}
    doc = {"model": "gpt-4o", "input": [{"role": "user", "content": "hi"}, item]}
    value = _roundtrip(doc, o.CreateResponse)
    assert read_as(value.input[0]) is o.EasyInputMessage
    _check_unknown(value.input[1], UnknownType, "memory_write", item)
    assert type(value.input[1]) is o.UnknownType


def test_new_content_part_inside_an_input_message() -> None:
    video = {"type": "input_video", "video_url": "https://example.com/fair.mp4"}
    doc = {
        "model": "gpt-4o",
        "input": [
            {
                "role": "user",
                "content": [{"type": "input_text", "text": "What is in this video?"}, video],
            },
        ],
    }
    value = _roundtrip(doc, o.CreateResponse)
    message = value.input[0]
    assert message.role == "user"
    assert type(message.content[0]) is o.InputTextContent
    _check_unknown(message.content[1], UnknownType, "input_video", video)


def test_new_tool_type_in_response_tools(response_doc: dict) -> None:
    browser = {"type": "browser", "mode": "headless", "allowed_domains": ["visitlisboa.com"]}
    response_doc["tools"].append(browser)
    response = _roundtrip(response_doc, o.Response)
    assert type(response.tools[0]) is o.WebSearchTool
    assert type(response.tools[1]) is o.FunctionTool
    _check_unknown(response.tools[2], UnknownType, "browser", browser)


def test_new_filter_type_at_the_top_of_a_filter() -> None:
    regex = {"type": "regex", "key": "title", "value": "^Lisbon"}
    value = _roundtrip(regex, o.Filters)
    _check_unknown(value, UnknownType, "regex", regex)


def test_new_filter_type_inside_a_compound_filter() -> None:
    """A dispatch union (CompoundFilter.filters) inside another (Filters)."""
    regex = {"type": "regex", "key": "title", "value": "^Lisbon"}
    doc = {"type": "and", "filters": [{"type": "gte", "key": "year", "value": 2024}, regex]}
    value = _roundtrip(doc, o.Filters)
    assert type(value) is o.CompoundFilter
    assert type(value.filters[0]) is o.ComparisonFilterGte
    _check_unknown(value.filters[1], UnknownType, "regex", regex)


def test_new_filter_type_inside_a_file_search_tool_of_a_response(response_doc: dict) -> None:
    """Tool -> FileSearchTool.filters -> CompoundFilter.filters: three dispatch
    unions deep, inside a Response."""
    regex = {"type": "regex", "key": "title", "value": "^Lisbon"}
    response_doc["tools"].append(
        {
            "type": "file_search",
            "vector_store_ids": ["vs_68c2a1"],
            "filters": {
                "type": "or",
                "filters": [{"type": "eq", "key": "lang", "value": "pt"}, regex],
            },
        }
    )
    response = _roundtrip(response_doc, o.Response)
    tool = response.tools[2]
    assert type(tool) is o.FileSearchTool
    assert tool.vector_store_ids == ["vs_68c2a1"]
    assert type(tool.filters) is o.CompoundFilterOr
    assert type(tool.filters.filters[0]) is o.ComparisonFilter
    _check_unknown(tool.filters.filters[1], UnknownType, "regex", regex)


def test_several_unknowns_in_one_document(response_doc: dict) -> None:
    page_citation = {"type": "page_citation", "start_index": 1, "end_index": 2, "page": 3}
    browser = {"type": "browser", "mode": "headless"}
    tool_choice = {"type": "browser"}
    response_doc["output"].insert(0, MEMORY_CALL)
    response_doc["output"].append(dict(MEMORY_CALL, id="mem_2"))
    message = response_doc["output"][5]
    message["content"].insert(0, OUTPUT_AUDIO)
    message["content"].append(dict(OUTPUT_AUDIO, transcript="second"))
    message["content"][1]["annotations"].append(page_citation)
    response_doc["tools"].append(browser)
    response_doc["tool_choice"] = tool_choice
    response_doc["status"] = "paused"

    response = _roundtrip(response_doc, o.Response)

    assert [type(item).__name__ for item in response.output] == [
        "UnknownType",
        "ReasoningItem",
        "WebSearchToolCall",
        "ReasoningItem",
        "FunctionToolCall",
        "OutputMessage",
        "UnknownType",
    ]
    assert response.output[0].data["id"] == MEMORY_CALL["id"]
    assert response.output[6].data["id"] == "mem_2"
    parts = response.output[5].content
    assert [type(p).__name__ for p in parts] == ["UnknownType", "OutputTextContent", "UnknownType"]
    assert parts[2].data["transcript"] == "second"
    assert parts[1].annotations[2].data == page_citation
    assert response.tools[2].data == browser
    assert isinstance(response.tool_choice, UnknownType) and response.tool_choice.tag == "browser"
    assert response.status == "paused"


def test_identical_unknowns_side_by_side() -> None:
    event = {"type": "response.heartbeat", "sequence_number": 1}
    values = _roundtrip([event, event, event], list[o.ResponseStreamEvent])
    assert all(isinstance(v, UnknownType) and v.data == event for v in values)


def test_unknown_variant_keeps_nested_values_exactly() -> None:
    item = {
        "type": "memory_call",
        "id": "mem_1",
        "big": 123456789012345678901234567890,
        "float": 0.30000000000000004,
        "text": 'café 😀 "quoted" \\ back\nslash',
        "nested": {"a": [None, True, False, {"b": []}]},
        "sentinel_lookalike": "n",
    }
    response = decode(
        json.dumps(
            {
                "type": "response.output_item.done",
                "output_index": 0,
                "sequence_number": 2,
                "item": item,
            }
        ),
        o.ResponseStreamEvent,
    )
    assert response.item.data == item
    assert _value(encode(response))["item"] == item


def test_unknown_variant_built_in_python_encodes_its_object() -> None:
    critic = {"role": "critic", "content": "Check the dates."}
    request = o.CreateChatCompletionRequest(
        messages=[
            o.ChatCompletionRequestUserMessage(content="hi"),
            UnknownRole.from_object(critic),
        ],
        model="gpt-4o",
    )
    assert _value(encode(request)) == {
        "messages": [{"role": "user", "content": "hi"}, critic],
        "model": "gpt-4o",
    }
    assert request.messages[1].tag == "critic"


def test_extra_object_keys_are_ignored_on_decode_and_dropped_on_encode(chat_doc: dict) -> None:
    """Documented behaviour: a key the spec does not declare on a known object
    never breaks a decode, but it is not kept (only unknown *variants* keep
    their whole JSON)."""
    with_extra = json.loads(json.dumps(chat_doc))
    with_extra["routing"] = {"region": "eu-west"}
    with_extra["choices"][0]["message"]["reasoning_content"] = "thinking..."
    with_extra["usage"]["billing_tokens"] = 60

    completion = decode(json.dumps(with_extra), o.CreateChatCompletionResponse)

    assert completion == decode(json.dumps(chat_doc), o.CreateChatCompletionResponse)
    assert not hasattr(completion, "routing")
    assert _value(encode(completion)) == chat_doc


def test_extra_keys_inside_an_unknown_variant_are_kept(response_doc: dict) -> None:
    item = dict(MEMORY_CALL, future_field={"x": 1})
    response_doc["output"].append(item)
    response = _roundtrip(response_doc, o.Response)
    assert response.output[-1].data["future_field"] == {"x": 1}


@pytest.mark.parametrize("tag", [5, None, ["memory_call"]])
def test_non_string_tag_is_a_validation_error_not_an_unknown(tag: Any, response_doc: dict) -> None:
    response_doc["output"].append({"type": tag, "id": "x"})
    with pytest.raises(o.ValidationError) as info:
        decode(json.dumps(response_doc), o.Response)
    assert info.value.path is not None and info.value.path.startswith("$.output[5]")


def test_known_payload_has_no_unknowns(response_bytes: bytes) -> None:
    response = decode(response_bytes, o.Response)
    assert all(not isinstance(item, UnknownVariant) for item in response.output)


def test_encoders_look_for_stand_ins_once_an_unknown_variant_exists() -> None:
    """Until the process makes an unknown variant, encode skips the search for
    stand-ins; the first one made (by decode or by hand) turns it on."""
    import subprocess
    import sys

    code = """
import json
import openai_structs as o
from openai_structs.core._base import UNKNOWN_MADE
body = open("data/response.json", "rb").read()
o.encode(o.decode(body, o.Response))
assert UNKNOWN_MADE == [False], "known payloads make no unknown variant"
doc = json.loads(body)
doc["output"].append({"type": "brand_new_item", "x": [1, 2]})
raw = json.dumps(doc).encode()
assert json.loads(o.encode(o.decode(raw, o.Response))) == doc
assert UNKNOWN_MADE == [True]
"""
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr


def test_an_unknown_variant_answers_to_its_tag_field() -> None:
    """``.type`` (``.role``, ``.object``, ``.event``) is the tag, as on every
    member of its union; it is not a field, so nothing else changes."""
    event = decode(b'{"type": "response.teleport", "sequence_number": 1}', o.ResponseStreamEvent)
    assert isinstance(event, UnknownType) and event.type == event.tag == "response.teleport"
    for cls, field in (
        (UnknownRole, "role"),
        (o.UnknownObject, "object"),
        (o.UnknownEvent, "event"),
    ):
        value = cls.from_object({field: "new", "x": 1})
        assert getattr(value, field) == value.tag == "new"
    assert [f.name for f in msgspec.structs.fields(UnknownType)] == ["mark", "raw"]
    assert encode(event) == b'{"type": "response.teleport", "sequence_number": 1}'
