"""Receive OpenAI webhooks in Starlette: verified on the raw body, then typed.

OpenAI retries a webhook until it gets a 2xx. A request whose signature does
not verify gets a 400 and is never decoded; a genuine event is decoded into
its class (an event type newer than these types arrives as ``UnknownType``,
its JSON kept) and handed to ``on_event``.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from openai_structs import WebhookEvent, WebhookVerificationError
from openai_structs.webhooks import unwrap


def webhook_app(secret: str, on_event: Callable[[WebhookEvent], None]) -> Starlette:
    """An app taking webhooks at ``POST /webhooks/openai``, signed with ``secret``
    (the endpoint's ``whsec_...`` signing secret)."""

    async def receive(request: Request) -> Response:
        body = await request.body()  # the raw bytes: the signature covers them exactly
        try:
            event = unwrap(body, request.headers, secret)
        except WebhookVerificationError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        on_event(event)
        return Response(status_code=204)

    return Starlette(routes=[Route("/webhooks/openai", receive, methods=["POST"])])
