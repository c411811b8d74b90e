"""Relay an OpenAI chat stream to your own clients, typed in between.

Each chunk is decoded (so you can filter, log or meter it), and its original
bytes are written back out with ``format_sse``: keys that no type defines
(Azure's filter results, the field OpenAI adds next week) reach your clients
as OpenAI sent them. An API error in the stream is logged and relayed too,
and the stream goes on to its end. When your client goes away, Starlette
stops the generator, and leaving ``client.stream(...)`` closes the upstream
connection, so OpenAI stops generating tokens nobody will read.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from openai_structs import APIStreamError, format_sse
from openai_structs.streams import aiter_chat_completion_chunks

UPSTREAM = "https://api.openai.com/v1/chat/completions"
log = logging.getLogger("relay")


def relay_app(upstream: httpx.AsyncClient) -> Starlette:
    async def chat(request: Request) -> StreamingResponse:
        body = await request.json()

        async def events() -> AsyncIterator[bytes]:
            async with upstream.stream("POST", UPSTREAM, json={**body, "stream": True}) as reply:
                chunks = aiter_chat_completion_chunks(
                    reply.aiter_bytes(), with_raw=True, api_errors="yield"
                )
                async for item in chunks:
                    chunk = item.value
                    if isinstance(chunk, APIStreamError):
                        log.warning("upstream error %s: %s", chunk.code, chunk.message)
                    elif chunk.usage:
                        log.info("%s used %d tokens", chunk.model, chunk.usage.total_tokens)
                    yield format_sse(item.data, event=item.event)
            yield format_sse(data=b"[DONE]")

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])
