"""Response formats and function tools from msgspec types, and typed tool arguments."""

from __future__ import annotations

import json
from typing import Annotated, Literal

import msgspec
import pytest

from openai_structs import (
    UNSET,
    ChatCompletionMessageToolCall,
    ChatCompletionTool,
    CreateChatCompletionRequest,
    CreateResponse,
    FunctionTool,
    FunctionToolCall,
    MalformedJSONError,
    ResponseFormatJsonSchema,
    SchemaError,
    TextResponseFormatJsonSchema,
    ValidationError,
    chat_function_tool,
    decode,
    encode,
    function_tool,
    parse_arguments,
    response_format,
    strict_json_schema,
    text_format,
)
from openai_structs.structured._tools import snake_case


class GetWeather(msgspec.Struct):
    """Look up the weather in a city."""

    city: str
    units: Literal["c", "f"] | None


class HTTPRequestArgs(msgspec.Struct):
    url: Annotated[str, msgspec.Meta(pattern="^https://")]


class NoDoc(msgspec.Struct):
    x: int


def test_text_format() -> None:
    fmt = text_format(GetWeather)
    assert isinstance(fmt, TextResponseFormatJsonSchema)
    assert fmt.name == "GetWeather"
    assert fmt.description == "Look up the weather in a city."
    assert fmt.strict is True and fmt.type == "json_schema"
    assert fmt.schema == strict_json_schema(GetWeather)
    named = text_format(NoDoc, name="answer", description="An answer.")
    assert (named.name, named.description) == ("answer", "An answer.")
    assert text_format(NoDoc).description is UNSET


def test_response_format() -> None:
    fmt = response_format(GetWeather)
    assert isinstance(fmt, ResponseFormatJsonSchema)
    assert fmt.json_schema.name == "GetWeather"
    assert fmt.json_schema.strict is True
    assert fmt.json_schema.schema == strict_json_schema(GetWeather)


def test_formats_fit_their_requests() -> None:
    """Each goes where the request types expect it, and survives the round trip."""
    request = {
        "model": "gpt-5",
        "input": "Weather in Lisbon?",
        "text": {"format": msgspec.to_builtins(text_format(GetWeather))},
        "tools": [msgspec.to_builtins(function_tool(GetWeather))],
    }
    body = json.dumps(request)
    assert json.loads(encode(decode(body, CreateResponse, strict=True))) == request
    chat = {
        "model": "gpt-4o",
        "messages": [{"role": "user", "content": "Weather in Lisbon?"}],
        "response_format": msgspec.to_builtins(response_format(GetWeather)),
        "tools": [msgspec.to_builtins(chat_function_tool(GetWeather))],
    }
    body = json.dumps(chat)
    assert json.loads(encode(decode(body, CreateChatCompletionRequest, strict=True))) == chat


def test_function_tools() -> None:
    tool = function_tool(GetWeather)
    assert isinstance(tool, FunctionTool)
    assert (tool.name, tool.strict, tool.type) == ("get_weather", True, "function")
    assert tool.description == "Look up the weather in a city."
    assert tool.parameters == strict_json_schema(GetWeather)
    chat = chat_function_tool(HTTPRequestArgs, description="Fetch a page.")
    assert isinstance(chat, ChatCompletionTool)
    assert chat.function.name == "http_request_args"
    assert chat.function.description == "Fetch a page."
    assert chat.function.strict is True
    assert function_tool(NoDoc, name="custom").name == "custom"


@pytest.mark.parametrize(
    ("name", "snake"),
    [("GetWeather", "get_weather"), ("HTTPRequest", "http_request"), ("A1B", "a1_b"), ("x", "x")],
)
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


@pytest.mark.parametrize("bad", ["", "has space", "x" * 65, "dot.ted"])
def test_names_the_api_refuses(bad: str) -> None:
    with pytest.raises(SchemaError, match="64 letters"):
        text_format(NoDoc, name=bad)
    with pytest.raises(SchemaError, match="64 letters"):
        function_tool(NoDoc, name=bad)


def test_parse_arguments_from_every_kind_of_call() -> None:
    arguments = '{"city": "Lisbon", "units": null}'
    want = GetWeather(city="Lisbon", units=None)
    responses_call = FunctionToolCall(call_id="call_1", name="get_weather", arguments=arguments)
    chat_call = decode(
        json.dumps(
            {
                "id": "call_1",
                "type": "function",
                "function": {"name": "get_weather", "arguments": arguments},
            }
        ),
        ChatCompletionMessageToolCall,
    )
    assert parse_arguments(responses_call, GetWeather) == want
    assert parse_arguments(chat_call, GetWeather) == want
    assert parse_arguments(arguments, GetWeather) == want


def test_parse_arguments_errors() -> None:
    with pytest.raises(ValidationError) as info:
        parse_arguments('{"city": "Lisbon", "units": "kelvin"}', GetWeather)
    assert info.value.path == "$.units"
    with pytest.raises(MalformedJSONError):
        parse_arguments('{"city": "Lis', GetWeather)
    with pytest.raises(TypeError):
        parse_arguments(42, GetWeather)  # type: ignore[call-overload]
