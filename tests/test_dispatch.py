"""The unions that used to be decoded in Python (``DispatchUnion``):
``InputItem``, ``Item``, ``ItemResource``, ``Filters``, ``Tool``. Each payload
must decode into the right member class and encode back to the same JSON value.

``Filters`` and ``Tool`` are now native tagged unions (one subclass per extra
tag value). ``InputItem``, ``Item`` and ``ItemResource`` decode natively into
one class per shared tag value (``SharedTag``), which ``isinstance`` reads as
the public class its fields select: :func:`_read_as` says which."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest

import openai_structs as o
from openai_structs import UNSET, decode, encode
from openai_structs.core._base import SharedTag
from openai_structs.core._views import view_of


def _public(union: Any) -> tuple[type, ...]:
    """The classes a decoded value of ``union`` can be: its members, with
    each shared-tag class replaced by the public classes it is read as."""
    out: list[type] = []
    for member in get_args(union):
        out += member._targets() if issubclass(member, SharedTag) else [member]
    return tuple(out)


def _read_as(value: Any) -> Any:
    """The one public class ``isinstance`` holds for among those of its
    union: the class itself, or for a shared-tag member, its view."""
    if isinstance(value, SharedTag):
        view = view_of(value)
        cls = type(value)
        targets = cls._targets() or tuple(t for _, ts in cls._groups() for t in ts)
        assert [t for t in targets if isinstance(value, t)] == [view]
        return view
    return type(value)


def _roundtrip(doc: Any, T: Any, *, strict: bool = False) -> Any:
    value = decode(json.dumps(doc), T, strict=strict)
    assert json.loads(encode(value)) == doc
    return value


# --------------------------------------------------------------------------
# InputItem


OUTPUT_MESSAGE = {
    "type": "message",
    "role": "assistant",
    "content": [{"type": "output_text", "text": "x", "annotations": [], "logprobs": []}],
    "id": "msg_1",
    "status": "completed",
}


def test_easy_input_message_without_type() -> None:
    value = _roundtrip({"role": "user", "content": "hi"}, o.InputItem)
    assert _read_as(value) is o.EasyInputMessage
    assert value.role == "user"
    assert value.content == "hi"
    assert value.type is UNSET
    assert isinstance(value, _public(o.InputItem))


def test_easy_input_message_with_parts_and_type() -> None:
    doc = {
        "type": "message",
        "role": "developer",
        "content": [
            {"type": "input_text", "text": "Cite sources."},
            {"type": "input_image", "image_url": "https://x/i.png", "detail": "low"},
        ],
    }
    value = _roundtrip(doc, o.InputItem)
    assert _read_as(value) in (o.EasyInputMessage, o.InputMessage)
    assert value.role == "developer"
    assert _read_as(value.content[0]) is o.InputTextContent
    assert _read_as(value.content[1]) is o.InputImageContent
    assert value.content[1].detail == "low"


def test_input_message_with_status_keeps_its_status() -> None:
    """``status`` exists on InputMessage, not on EasyInputMessage: picking the
    latter would drop it."""
    doc = {
        "type": "message",
        "role": "user",
        "status": "completed",
        "content": [{"type": "input_text", "text": "hi"}],
    }
    value = _roundtrip(doc, o.InputItem)
    assert _read_as(value) is o.InputMessage
    assert value.status == "completed"


def test_assistant_output_message_with_logprobs() -> None:
    value = _roundtrip(OUTPUT_MESSAGE, o.InputItem)
    assert _read_as(value) is o.OutputMessage
    assert value.id == "msg_1"
    assert value.status == "completed"
    assert _read_as(value.content[0]) is o.OutputTextContent
    assert value.content[0].text == "x"
    assert isinstance(value, _public(o.InputItem))


def test_assistant_output_message_as_clients_send_it() -> None:
    """The payload clients echo back (the openai SDK's ``ResponseOutputTextParam``
    has no required ``logprobs``): must still be an OutputMessage that keeps
    ``id`` and ``status``."""
    doc = {
        "type": "message",
        "role": "assistant",
        "content": [{"type": "output_text", "text": "x", "annotations": []}],
        "id": "msg_1",
        "status": "completed",
    }
    value = _roundtrip(doc, o.InputItem)
    assert _read_as(value) is o.OutputMessage
    assert value.id == "msg_1"


def test_easy_assistant_message_without_id() -> None:
    doc = {"role": "assistant", "content": "The fair opens on 29 May."}
    value = _roundtrip(doc, o.InputItem)
    assert _read_as(value) is o.EasyInputMessage
    assert value.role == "assistant"


@pytest.mark.parametrize(
    "doc",
    [{"id": "msg_1"}, {"type": "item_reference", "id": "msg_1"}, {"type": None, "id": "msg_1"}],
    ids=["no-type", "type", "null-type"],
)
def test_item_reference(doc: dict) -> None:
    value = _roundtrip(doc, o.InputItem)
    assert _read_as(value) is o.ItemReferenceParam
    assert value.id == "msg_1"
    assert value.type == doc.get("type", UNSET)


@pytest.mark.parametrize(
    "output",
    ['{"date": "2025-05-29"}', [{"type": "input_text", "text": "29 May"}]],
    ids=["string", "parts"],
)
def test_function_call_output(output: Any) -> None:
    doc = {
        "type": "function_call_output",
        "call_id": "call_d4kRWQRsNk2bRvdgrlmjP7AR",
        "output": output,
    }
    value = _roundtrip(doc, o.InputItem)
    assert _read_as(value) is o.FunctionCallOutputItemParam
    assert value.call_id == "call_d4kRWQRsNk2bRvdgrlmjP7AR"
    if isinstance(output, str):
        assert value.output == output
    else:
        assert value.output[0].text == "29 May"


def test_function_call() -> None:
    doc = {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_1",
        "name": "create_calendar_event",
        "arguments": '{"all_day": true}',
        "status": "completed",
    }
    value = _roundtrip(doc, o.InputItem)
    assert _read_as(value) is o.FunctionToolCall
    assert value.name == "create_calendar_event"
    assert value.status == "completed"


def test_reasoning_item() -> None:
    doc = {
        "type": "reasoning",
        "id": "rs_1",
        "summary": [{"type": "summary_text", "text": "Checking dates."}],
    }
    value = _roundtrip(doc, o.InputItem)
    assert _read_as(value) is o.ReasoningItem
    assert value.summary[0].text == "Checking dates."


def test_create_response_input_list_of_mixed_items() -> None:
    doc = {
        "model": "gpt-5",
        "instructions": "You are a concise travel assistant.",
        "input": [
            {"role": "user", "content": "When is the Lisbon Book Fair?"},
            OUTPUT_MESSAGE,
            {"type": "function_call", "call_id": "call_1", "name": "lookup", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "call_1", "output": "29 May to 15 June"},
            {"id": "rs_0"},
            {
                "type": "message",
                "role": "system",
                "content": [{"type": "input_text", "text": "Be brief."}],
            },
        ],
    }
    value = _roundtrip(doc, o.CreateResponse)
    assert [_read_as(i) for i in value.input[:5]] == [
        o.EasyInputMessage,
        o.OutputMessage,
        o.FunctionToolCall,
        o.FunctionCallOutputItemParam,
        o.ItemReferenceParam,
    ]
    assert _read_as(value.input[5]) in (o.EasyInputMessage, o.InputMessage)
    assert value.input[5].role == "system"
    for item in value.input:
        assert isinstance(item, _public(o.InputItem))


def test_create_response_input_string() -> None:
    value = _roundtrip({"model": "gpt-5", "input": "hi"}, o.CreateResponse)
    assert value.input == "hi"


def test_isinstance_of_dispatch_union() -> None:
    # At run time InputItem is the union of its proxies: the public message
    # classes are reached through them.
    assert o.EasyInputMessage in o.InputItemMessage._targets()
    assert o.ItemReferenceParam in o.InputItemItemReference._targets()
    assert isinstance(o.UnknownType.from_object({"type": "new", "a": 1}), o.InputItem)
    assert not isinstance("hi", o.InputItem)
    assert not isinstance(o.ComparisonFilter(key="k", value="v"), o.InputItem)
    assert isinstance(o.ComparisonFilter(key="k", value="v"), o.Filters)
    assert isinstance(o.ComparisonFilterGt(key="k", value=1), o.Filters)
    assert not isinstance(o.ChatCompletionRequestUserMessage(content="hi"), o.InputItem)


def test_missing_tag_and_no_untagged_member_fits() -> None:
    """The default mode keeps a member that fits no class as it came (an
    instance of none of them); strict mode says which class it was read as
    and why not."""
    doc = {"model": "gpt-5", "input": [{"content": "no role, no type"}]}
    value = _roundtrip(doc, o.CreateResponse)
    assert not isinstance(value.input[0], _public(o.InputItem))
    with pytest.raises(o.ValidationError) as info:
        decode(json.dumps(doc), o.CreateResponse, strict=True)
    assert info.value.path == "$.input[0]"
    assert str(info.value) == (
        "InputItemWithoutType: fits none of EasyInputMessage, InputMessage,"
        " ItemReferenceParam: read as EasyInputMessage, which requires the field `role`"
        " - at `$.input[0]`"
    )


def test_non_object_input_item_is_a_validation_error() -> None:
    with pytest.raises(o.ValidationError) as info:
        decode(json.dumps({"model": "gpt-5", "input": ["hi"]}), o.CreateResponse)
    assert info.value.path == "$.input[0]"


# --------------------------------------------------------------------------
# Item / ItemResource


def test_item_message_without_type_is_input_message() -> None:
    doc = {"role": "user", "content": [{"type": "input_text", "text": "hi"}]}
    value = _roundtrip(doc, o.Item)
    assert _read_as(value) is o.InputMessage
    assert isinstance(value, _public(o.Item))


def test_item_developer_message_with_status() -> None:
    doc = {
        "type": "message",
        "role": "developer",
        "status": "in_progress",
        "content": [{"type": "input_text", "text": "hi"}],
    }
    value = _roundtrip(doc, o.Item)
    assert _read_as(value) is o.InputMessage
    assert value.status == "in_progress"


def test_item_assistant_message_is_output_message() -> None:
    value = _roundtrip(OUTPUT_MESSAGE, o.Item)
    assert _read_as(value) is o.OutputMessage


def test_item_resource_messages_by_role() -> None:
    user = {
        "type": "message",
        "id": "msg_0",
        "status": "completed",
        "role": "user",
        "content": [{"type": "input_text", "text": "hi"}],
    }
    value = _roundtrip(user, o.ItemResource)
    assert _read_as(value) is o.InputMessageResource
    assert value.id == "msg_0"
    value = _roundtrip(OUTPUT_MESSAGE, o.ItemResource)
    assert _read_as(value) is o.OutputMessage


def test_item_resource_function_call() -> None:
    doc = {
        "type": "function_call",
        "id": "fc_1",
        "call_id": "call_1",
        "name": "f",
        "arguments": "{}",
        "status": "completed",
    }
    value = _roundtrip(doc, o.ItemResource)
    assert _read_as(value).__name__ == "FunctionToolCallResource"
    assert value.id == "fc_1"


# --------------------------------------------------------------------------
# Filters


@pytest.mark.parametrize("op", ["eq", "ne", "gt", "gte", "lt", "lte"])
def test_comparison_filter_ops(op: str) -> None:
    doc = {"type": op, "key": "year", "value": 2024.5}
    value = _roundtrip(doc, o.Filters, strict=True)
    assert type(value) is o.ComparisonFilter.variant(op)
    assert isinstance(value, o.ComparisonFilter)
    assert value.type == op
    assert value.key == "year"
    assert value.value == 2024.5


def test_comparison_filter_gte_with_integer_value() -> None:
    value = _roundtrip({"type": "gte", "key": "year", "value": 2020}, o.Filters)
    assert type(value) is o.ComparisonFilterGte
    assert isinstance(value, o.ComparisonFilter)
    assert value.value == 2020


@pytest.mark.parametrize("value", ["pt", True, ["pt", "en"]], ids=["str", "bool", "list"])
def test_comparison_filter_values(value: Any) -> None:
    doc = {"type": "in" if isinstance(value, list) else "eq", "key": "lang", "value": value}
    decoded = _roundtrip(doc, o.Filters)
    assert type(decoded) is o.ComparisonFilter.variant(doc["type"])
    assert decoded.value == value
    assert type(decoded.value) is type(value)


def test_compound_filter_nesting() -> None:
    doc = {
        "type": "and",
        "filters": [
            {"type": "gte", "key": "year", "value": 2020},
            {
                "type": "or",
                "filters": [
                    {"type": "eq", "key": "lang", "value": "pt"},
                    {"type": "nin", "key": "tag", "value": ["draft"]},
                ],
            },
        ],
    }
    value = _roundtrip(doc, o.Filters, strict=True)
    assert type(value) is o.CompoundFilter
    assert value.type == "and"
    assert type(value.filters[0]) is o.ComparisonFilterGte
    assert value.filters[0].type == "gte"
    inner = value.filters[1]
    assert type(inner) is o.CompoundFilterOr
    assert isinstance(inner, o.CompoundFilter)
    assert inner.type == "or"
    assert [type(f) for f in inner.filters] == [o.ComparisonFilter, o.ComparisonFilterNin]
    assert inner.filters[1].value == ["draft"]


def test_file_search_tool_filters() -> None:
    doc = {
        "type": "file_search",
        "vector_store_ids": ["vs_1"],
        "max_num_results": 8,
        "filters": {"type": "and", "filters": [{"type": "gte", "key": "year", "value": 2020}]},
    }
    value = _roundtrip(doc, o.Tool, strict=True)
    assert type(value) is o.FileSearchTool
    assert type(value.filters) is o.CompoundFilter
    assert type(value.filters.filters[0]) is o.ComparisonFilterGte
    null = _roundtrip(dict(doc, filters=None), o.Tool)
    assert null.filters is None


# --------------------------------------------------------------------------
# Tool


@pytest.mark.parametrize(
    "doc, cls",
    [
        ({"type": "web_search"}, "WebSearchTool"),
        (
            {
                "type": "web_search_2025_08_26",
                "search_context_size": "high",
                "filters": {"allowed_domains": ["pubmed.ncbi.nlm.nih.gov"]},
                "user_location": {"type": "approximate", "country": "PT", "city": "Lisbon"},
            },
            "WebSearchTool20250826",
        ),
        ({"type": "web_search_preview", "search_context_size": "low"}, "WebSearchPreviewTool"),
        (
            {
                "type": "web_search_preview_2025_03_11",
                "user_location": {
                    "type": "approximate",
                    "city": "Lisbon",
                    "country": "PT",
                    "region": None,
                    "timezone": "Europe/Lisbon",
                },
            },
            "WebSearchPreviewTool20250311",
        ),
    ],
    ids=[
        "web_search",
        "web_search_2025_08_26",
        "web_search_preview",
        "web_search_preview_2025_03_11",
    ],
)
def test_web_search_tool_variants(doc: dict, cls: str) -> None:
    value = _roundtrip(doc, o.Tool, strict=True)
    assert type(value).__name__ == cls
    assert value.type == doc["type"]
    assert isinstance(value, o.Tool)
    base = o.WebSearchPreviewTool if "Preview" in cls else o.WebSearchTool
    assert isinstance(value, base)
    assert base.variant(doc["type"]) is type(value)


def test_web_search_tool_details() -> None:
    doc = {
        "type": "web_search_2025_08_26",
        "filters": {"allowed_domains": ["pubmed.ncbi.nlm.nih.gov"]},
        "user_location": {"type": "approximate", "country": "PT", "city": "Lisbon"},
    }
    value = decode(json.dumps(doc), o.Tool)
    assert value.filters.allowed_domains == ["pubmed.ncbi.nlm.nih.gov"]
    assert value.user_location.city == "Lisbon"


def test_function_tool() -> None:
    doc = {
        "type": "function",
        "name": "create_calendar_event",
        "description": "Add an event to the user's calendar.",
        "parameters": {
            "type": "object",
            "properties": {"date": {"type": "string", "format": "date"}},
            "required": ["date"],
        },
        "strict": True,
    }
    value = _roundtrip(doc, o.Tool, strict=True)
    assert type(value) is o.FunctionTool
    assert value.parameters["required"] == ["date"]


def test_response_tools_from_sample(response_bytes: bytes) -> None:
    response = decode(response_bytes, o.Response)
    assert [type(t) for t in response.tools] == [o.WebSearchTool, o.FunctionTool]
    assert response.tools[0].filters is None
    assert response.tools[0].user_location.timezone == "Europe/Lisbon"
    assert all(isinstance(t, o.Tool) for t in response.tools)
