"""Structured outputs and function tools on msgspec types, with no pydantic.

The whole loop of a structured request, from the type you write:

- **schema out**: :func:`strict_json_schema` (the schema strict mode
  accepts), wrapped for a request by :func:`text_format` (Responses),
  :func:`response_format` (chat), :func:`function_tool` and
  :func:`chat_function_tool`;
- **typed value back**: :func:`parse_output` (a ``Response``),
  :func:`parse_message` (a chat completion), :func:`parse_arguments` (a tool
  call), and :func:`output_text`, the joined text of a ``Response``;
- **while it streams**: :class:`PartialJSON`, the value of the text so far.

Errors (:mod:`openai_structs.errors`), all ``ValueError`` subclasses:
:class:`~openai_structs.SchemaError` for a type strict mode cannot express,
:class:`~openai_structs.OutputError` (:class:`~openai_structs.RefusalError`,
:class:`~openai_structs.IncompleteOutputError`) for a response with no value
to parse. Bad JSON from the model raises the decoder's ``ValidationError``
or ``MalformedJSONError`` instead.

Every name here is also importable from ``openai_structs``.
"""

from ._formats import response_format, text_format
from ._parse import output_text, parse_message, parse_output
from ._partial import PartialJSON
from ._schema import strict_json_schema
from ._tools import chat_function_tool, function_tool, parse_arguments

__all__ = [
    "PartialJSON",
    "chat_function_tool",
    "function_tool",
    "output_text",
    "parse_arguments",
    "parse_message",
    "parse_output",
    "response_format",
    "strict_json_schema",
    "text_format",
]
