"""What a response holds: its output text, and the structured value in it.

- :func:`output_text` joins the text of a ``Response``'s output messages, the
  value the official SDKs offer as ``response.output_text``. The API never
  sends that field (the generated ``Response`` has none), so it is computed
  here, from the ``output_text`` parts, in order.
- :func:`parse_output` and :func:`parse_message` decode the structured value
  a request asked for (with :func:`~._formats.text_format` or
  :func:`~._formats.response_format`) into its type. A refusal raises
  :class:`~openai_structs.RefusalError`, output cut short
  :class:`~openai_structs.IncompleteOutputError`, and JSON that does not fit the
  type the decoder's :class:`~openai_structs.ValidationError`, whose ``path``
  is the ``$.path`` inside the value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar, overload

from msgspec import UNSET

from ..core._codec import decode
from ..errors import IncompleteOutputError, OutputError, RefusalError

if TYPE_CHECKING:
    from ..types import CreateChatCompletionResponse, Response

__all__ = ["output_text", "parse_message", "parse_output"]

T = TypeVar("T")

#: A chat choice stopped for one of these has no whole value.
_CUT_SHORT = frozenset({"length", "content_filter"})


def output_text(response: Response) -> str:
    """The text of every ``output_text`` part of the response's output
    messages, in order, joined ("" when there is none)."""
    from ..types import OutputMessage, OutputTextContent

    return "".join(
        part.text
        for item in response.output
        if isinstance(item, OutputMessage)
        for part in item.content
        if isinstance(part, OutputTextContent)
    )


@overload
def parse_output(response: Response, tp: type[T]) -> T: ...
@overload
def parse_output(response: Response, tp: Any) -> Any: ...
def parse_output(response: Response, tp: Any) -> Any:
    """The structured value of a ``Response``, decoded into ``tp``.

    The value is the text of the response's final output message (the last
    one not in the ``commentary`` phase). Raises
    :class:`~openai_structs.IncompleteOutputError` unless the response is
    ``completed``, :class:`~openai_structs.RefusalError` if the message is a
    refusal, :class:`~openai_structs.OutputError` if there is no message (the
    model called a tool instead), and the decoder's errors if the text does
    not fit ``tp``.
    """
    from ..types import OutputMessage, OutputTextContent, RefusalContent

    status = response.status
    if isinstance(status, str) and status != "completed":
        reason = status
        details = response.incomplete_details
        if details is not None and isinstance(details.reason, str):
            reason = details.reason
        raise IncompleteOutputError(reason)
    message = None
    for item in response.output:
        if isinstance(item, OutputMessage) and item.phase != "commentary":
            message = item
    if message is None:
        raise OutputError("the response has no output message to parse (a tool call?)")
    texts: list[str] = []
    for part in message.content:
        if isinstance(part, RefusalContent):
            raise RefusalError(part.refusal)
        if isinstance(part, OutputTextContent):
            texts.append(part.text)
    if message.status == "incomplete":
        raise IncompleteOutputError("incomplete")
    if not texts:
        raise OutputError("the output message has no text to parse")
    return decode(texts[0] if len(texts) == 1 else "".join(texts), tp)


@overload
def parse_message(
    completion: CreateChatCompletionResponse, tp: type[T], *, choice: int = 0
) -> T: ...
@overload
def parse_message(completion: CreateChatCompletionResponse, tp: Any, *, choice: int = 0) -> Any: ...
def parse_message(completion: CreateChatCompletionResponse, tp: Any, *, choice: int = 0) -> Any:
    """The structured value of a chat completion's choice ``choice`` (the
    choice at that position), decoded into ``tp``.

    Raises :class:`~openai_structs.IncompleteOutputError` if the choice stopped for
    ``length`` or ``content_filter`` (or has not finished: a snapshot taken
    mid-stream), :class:`~openai_structs.RefusalError` if the message is a refusal,
    :class:`~openai_structs.OutputError` if it has no content (tool calls
    instead), and the decoder's errors if the content does not fit ``tp``.
    """
    try:
        picked = completion.choices[choice]
    except IndexError:
        raise OutputError(
            f"the completion has {len(completion.choices)} choices, not a choice {choice}"
        ) from None
    reason: Any = picked.finish_reason
    if reason is None or reason in _CUT_SHORT:
        raise IncompleteOutputError(reason or "unfinished")
    message = picked.message
    if message is UNSET or message is None:
        raise OutputError(f"choice {choice} has no message")
    if isinstance(message.refusal, str) and message.refusal:
        raise RefusalError(message.refusal)
    if message.content is None:
        raise OutputError(f"choice {choice} has no content to parse (tool calls?)")
    return decode(message.content, tp)
