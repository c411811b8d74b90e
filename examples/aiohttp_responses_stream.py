"""Stream a Responses API call over aiohttp and fold the events into a Response."""

from __future__ import annotations

from typing import Any

import aiohttp

from openai_structs import Response, ResponseAccumulator, ResponseTextDeltaEvent
from openai_structs.streams import aiter_response_events


async def stream_response(
    session: aiohttp.ClientSession, url: str, request: dict[str, Any]
) -> Response:
    """POST ``request`` with ``stream: true`` to ``url`` (…/v1/responses)."""
    response = ResponseAccumulator()
    async with session.post(url, json={**request, "stream": True}) as reply:
        reply.raise_for_status()
        async for event in aiter_response_events(reply.content.iter_any()):
            if isinstance(event, ResponseTextDeltaEvent):  # every event has .type too
                print(event.delta, end="", flush=True)
            response.add(event)
    return response.result()
