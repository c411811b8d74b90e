"""Accumulators: fold a stream's chunks or events into the final object.

- :class:`ChatCompletionAccumulator` turns
  :class:`~openai_structs.CreateChatCompletionStreamResponse` chunks into a
  :class:`~openai_structs.CreateChatCompletionResponse`.
- :class:`ResponseAccumulator` turns
  :data:`~openai_structs.ResponseStreamEvent` members into a
  :class:`~openai_structs.Response`.

Both have ``add(...)``, ``snapshot()`` (the object so far, cheap to call after
every event) and ``result()``. They take typed objects, so they work with any
way of reading the stream.
"""

from ._chat_accumulator import ChatCompletionAccumulator
from ._response_accumulator import ResponseAccumulator

__all__ = ["ChatCompletionAccumulator", "ResponseAccumulator"]
