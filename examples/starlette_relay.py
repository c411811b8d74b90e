"""Relay an OpenAI chat stream to your own clients, typed in between.

Each chunk is decoded (so you can filter, log or meter it) and written back
out with ``format_sse``. When your client goes away, Starlette stops the
generator, and leaving ``client.stream(...)`` closes the upstream connection,
so OpenAI stops generating tokens nobody will read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import StreamingResponse
from starlette.routing import Route

from openai_structs import encode, format_sse
from openai_structs.streaming import aiter_chat_completion_chunks

UPSTREAM = "https://api.openai.com/v1/chat/completions"


def relay_app(upstream: httpx.AsyncClient) -> Starlette:
    async def chat(request: Request) -> StreamingResponse:
        body = await request.json()

        async def events() -> AsyncIterator[bytes]:
            async with upstream.stream("POST", UPSTREAM, json={**body, "stream": True}) as reply:
                async for chunk in aiter_chat_completion_chunks(reply.aiter_bytes()):
                    yield format_sse(data=encode(chunk))
            yield format_sse(data=b"[DONE]")

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/chat/completions", chat, methods=["POST"])])
