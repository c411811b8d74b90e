"""Webhooks from OpenAI: verified, then typed.

:func:`verify` checks a request's Standard Webhooks signature and timestamp
on the raw body; :func:`unwrap` does that and decodes the body into a
:data:`~openai_structs.WebhookEvent`, the generated tagged union of every
event the spec lists (batch, eval run, fine-tuning job, response and
incoming call events, and ``UnknownType`` for newer ones)::

    event = unwrap(await request.body(), request.headers, secret)
    if isinstance(event, WebhookResponseCompleted):
        fetch(event.data.id)

Every failed check raises :class:`~openai_structs.WebhookVerificationError`,
a ``ValueError``. Every name here is also importable from ``openai_structs``.
"""

from ._verify import unwrap, verify

__all__ = ["unwrap", "verify"]
