"""Keep the official client for auth, retries and URLs; read its bytes with our types."""

from __future__ import annotations

from collections.abc import Iterator

import openai

from openai_structs import CreateChatCompletionResponse, CreateChatCompletionStreamResponse, decode
from openai_structs.streams import iter_chat_completion_chunks


def complete(client: openai.OpenAI, prompt: str) -> CreateChatCompletionResponse:
    """One completion: the raw body, decoded once, by msgspec."""
    raw = client.chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}]
    )
    return decode(raw.content, CreateChatCompletionResponse)


def stream(client: openai.OpenAI, prompt: str) -> Iterator[CreateChatCompletionStreamResponse]:
    """A streamed completion: the client's bytes, framed and typed by us."""
    with client.chat.completions.with_streaming_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}], stream=True
    ) as response:
        yield from iter_chat_completion_chunks(response.iter_bytes())
