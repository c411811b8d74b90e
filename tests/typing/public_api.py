"""What a type checker sees of the public API.

This file is never run. ``tests/test_typing.py`` checks it with pyright: every
``assert_type`` must hold, and every ``reveal_type`` must print the type named
in its ``# revealed:`` comment. When a change to the codec or the generated
types alters what users see in their editor, this file says so.
"""

from __future__ import annotations

from typing import Any

import msgspec
from typing_extensions import assert_type, reveal_type

import openai_structs
from openai_structs import (
    ChatCompletionTool,
    CreateChatCompletionResponse,
    DecodeError,
    Decoder,
    Encoder,
    FunctionTool,
    FunctionToolCall,
    OutputItem,
    OutputMessage,
    OutputMessageContent,
    PartialJSON,
    Response,
    ResponseFormatJsonSchema,
    TextResponseFormatJsonSchema,
    UnknownType,
    UnknownVariant,
    UnsetType,
    ValidationError,
    WebhookEvent,
    chat_function_tool,
    decode,
    encode,
    function_tool,
    output_text,
    parse_arguments,
    parse_message,
    parse_output,
    response_format,
    strict_json_schema,
    text_format,
    unwrap,
)

body = b"{}"

# one-shot decode of a struct type gives that struct
response = decode(body, Response)
assert_type(response, Response)
reveal_type(response)  # revealed: Response
assert_type(openai_structs.decode(body, Response, strict=True), Response)

# a held Decoder is generic in its type, and so are its methods
decoder = Decoder(Response)
reveal_type(decoder)  # revealed: Decoder[Response]
assert_type(decoder.decode(body), Response)
assert_type(decoder.decode(memoryview(body)), Response)
reveal_type(decoder.decode_lines(body))  # revealed: list[Response]

chat_decoder: Decoder[CreateChatCompletionResponse] = Decoder(CreateChatCompletionResponse)
assert_type(chat_decoder.decode("{}"), CreateChatCompletionResponse)

# unions are aliases, not classes: the result type comes from the annotation
item: OutputItem = decode(body, OutputItem)
assert_type(decode(body, OutputItem), Any)

# encoding
assert_type(encode(response), bytes)
assert_type(Encoder().encode(response), bytes)
assert_type(Encoder().encode_lines([response]), bytes)

# fields: absent is UNSET, null is None
assert_type(response.output, list[OutputItem])
assert_type(response.id, str)

# narrowing a union member with isinstance
for part in response.output:
    if isinstance(part, FunctionToolCall):
        assert_type(part, FunctionToolCall)
        assert_type(part.arguments, str)
    elif isinstance(part, UnknownType):
        assert_type(part, UnknownType)
        # the unrecognised tag is whatever JSON value the payload held
        assert_type(part.tag, Any)
        assert isinstance(part, UnknownVariant)

# ... and with match
for part in response.output:
    match part:
        case OutputMessage(content=content):
            assert_type(part, OutputMessage)
            assert_type(content, list[OutputMessageContent])
        case FunctionToolCall(name=name):
            assert_type(name, str)
        case _:
            pass

# an optional field keeps UNSET in its type
usage = response.usage
if not isinstance(usage, UnsetType) and usage is not None:
    assert_type(usage.total_tokens, int)
    reveal_type(usage)  # revealed: ResponseUsage

# errors are ValueError subclasses with a path and a byte
try:
    decode(body, Response)
except ValidationError as exc:
    assert_type(exc.path, str | None)
except DecodeError as exc:
    assert_type(exc, DecodeError)
    assert_type(exc.pos, int | None)
    assert_type(exc.line, int | None)
    value_error: ValueError = exc
    msgspec_error: msgspec.DecodeError = exc

# structured outputs: the type asked for is the type given back


class Answer(msgspec.Struct):
    text: str


assert_type(parse_output(response, Answer), Answer)
assert_type(parse_message(decode(body, CreateChatCompletionResponse), Answer), Answer)
assert_type(parse_arguments('{"text": ""}', Answer), Answer)
assert_type(output_text(response), str)
assert_type(strict_json_schema(Answer), dict[str, Any])
assert_type(text_format(Answer), TextResponseFormatJsonSchema)
assert_type(response_format(Answer), ResponseFormatJsonSchema)
assert_type(function_tool(Answer), FunctionTool)
assert_type(chat_function_tool(Answer), ChatCompletionTool)
assert_type(PartialJSON().value, Any)
assert_type(unwrap(body, {}, "whsec_"), WebhookEvent)
