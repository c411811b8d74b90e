"""Checking that a webhook request came from OpenAI, before reading its body.

OpenAI signs webhooks by the Standard Webhooks scheme. Each request carries
three headers: ``webhook-id`` (the message), ``webhook-timestamp`` (Unix
seconds) and ``webhook-signature``, a space-separated list of ``v1,<base64>``
entries, each an HMAC-SHA256 of ``"{id}.{timestamp}.{body}"`` keyed with the
endpoint's secret (``whsec_`` then the key in base64). The request is
genuine if any entry matches; the timestamp, being signed, bounds how late or
early a request may be replayed.

:func:`verify` checks all of that on the raw body, and only then does
:func:`unwrap` decode the body into a typed :data:`~openai_structs.WebhookEvent`.
Every way a request can fail the check raises :class:`WebhookVerificationError`
(a ``ValueError``), and none of them reads the body as JSON first.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ..core._codec import decode
from ..errors import WebhookVerificationError

if TYPE_CHECKING:
    from ..types import WebhookEvent

__all__ = ["unwrap", "verify"]

#: What a ``webhook-timestamp`` may be: Unix seconds, digits only.
_TIMESTAMP = re.compile(r"[0-9]{1,15}")
_PREFIX = "whsec_"

Payload = bytes | bytearray | memoryview | str


def verify(
    payload: Payload,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = 300,
    now: float | None = None,
) -> None:
    """Check that ``payload`` (the raw request body, as received) was signed
    by OpenAI with ``secret`` less than ``tolerance`` seconds from ``now``
    (default: the current time), in either direction.

    ``headers`` is any mapping of the request's headers (httpx, Starlette,
    aiohttp, or a plain ``dict``); names are matched without regard to case.
    Raises :class:`WebhookVerificationError`; returns nothing when the
    request is genuine. Signatures are compared in constant time.
    """
    key = _key(secret)
    msg_id = _header(headers, "webhook-id")
    timestamp = _header(headers, "webhook-timestamp")
    signatures = _header(headers, "webhook-signature")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise WebhookVerificationError(f"webhook-timestamp is not Unix seconds: {timestamp[:40]!r}")
    sent = int(timestamp)
    current = time.time() if now is None else now
    if current - sent > tolerance:
        raise WebhookVerificationError(
            f"the webhook is too old: signed {current - sent:.0f} s ago (tolerance {tolerance} s)"
        )
    if sent - current > tolerance:
        raise WebhookVerificationError(
            f"the webhook is from the future: signed {sent - current:.0f} s ahead"
            f" (tolerance {tolerance} s)"
        )
    body = payload.encode("utf-8", "surrogatepass") if isinstance(payload, str) else payload
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode(), hashlib.sha256)
    mac.update(body)
    expected = mac.digest()
    matched = False
    for entry in signatures.split():
        version, _, encoded = entry.partition(",")
        if version != "v1":
            continue  # another scheme's signature: not ours to check
        try:
            given = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            continue
        # no early exit: every entry costs the same whatever matched before it
        matched |= hmac.compare_digest(expected, given)
    if not matched:
        raise WebhookVerificationError("no webhook-signature entry matches the payload")


def unwrap(
    payload: Payload,
    headers: Mapping[str, str],
    secret: str,
    *,
    tolerance: float = 300,
    now: float | None = None,
) -> WebhookEvent:
    """:func:`verify` the request, then decode its body into a
    :data:`~openai_structs.WebhookEvent` (an event type newer than these
    types arrives as an ``UnknownType``, its JSON kept).

    Raises :class:`WebhookVerificationError` before decoding anything; a
    genuine body that is not the JSON of an event raises the decoder's
    :class:`~openai_structs.MalformedJSONError` or
    :class:`~openai_structs.ValidationError`.
    """
    from ..types import WebhookEvent

    verify(payload, headers, secret, tolerance=tolerance, now=now)
    return decode(payload, WebhookEvent)


def _key(secret: str) -> bytes:
    """The HMAC key: a ``whsec_`` secret's base64 decoded, else its UTF-8 bytes."""
    # checked at run time too: a secret read from the environment may be None
    if not isinstance(secret, str) or not secret:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise WebhookVerificationError("the webhook secret is empty")
    if not secret.startswith(_PREFIX):
        return secret.encode()
    try:
        key = base64.b64decode(secret[len(_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise WebhookVerificationError(
            "the webhook secret is not valid base64 after its whsec_ prefix"
        ) from None
    if not key:
        raise WebhookVerificationError("the webhook secret is empty after its whsec_ prefix")
    return key


def _header(headers: Mapping[str, str], name: str) -> str:
    """The value of header ``name``, looked up without regard to case."""
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if k.lower() == name), None)
    if not value or not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise WebhookVerificationError(f"the {name} header is missing")
    return value
