"""Stream a chat completion over httpx, typed chunk by chunk, sync and async."""

from __future__ import annotations

from typing import Any

import httpx

from openai_structs import ChatCompletionAccumulator, CreateChatCompletionResponse
from openai_structs.streams import aiter_chat_completion_chunks, iter_chat_completion_chunks

URL = "https://api.openai.com/v1/chat/completions"


def stream_chat(client: httpx.Client, request: dict[str, Any]) -> CreateChatCompletionResponse:
    """Print the text as it arrives; return the whole completion."""
    completion = ChatCompletionAccumulator()
    with client.stream("POST", URL, json={**request, "stream": True}) as response:
        response.raise_for_status()
        for chunk in iter_chat_completion_chunks(response.iter_bytes()):
            for choice in chunk.choices:
                if choice.delta.content:
                    print(choice.delta.content, end="", flush=True)
            completion.add(chunk)
    return completion.result()


async def astream_chat(
    client: httpx.AsyncClient, request: dict[str, Any]
) -> CreateChatCompletionResponse:
    """The same with ``httpx.AsyncClient``."""
    completion = ChatCompletionAccumulator()
    async with client.stream("POST", URL, json={**request, "stream": True}) as response:
        response.raise_for_status()
        async for chunk in aiter_chat_completion_chunks(response.aiter_bytes()):
            completion.add(chunk)
    return completion.result()
