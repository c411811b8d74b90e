"""The Batch API's endpoints, the types of their bodies, and the records a
reader hands back besides the lines themselves.

One line of an output file is a :class:`~openai_structs.BatchRequestOutput`,
a generic struct: ``BatchRequestOutput[CreateChatCompletionResponse]`` decodes
``response.body`` straight into a chat completion, in the same pass as the rest
of the line. :func:`output_decoder` and :func:`input_decoder` build that
decoder once per body type and keep it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import msgspec
from msgspec import UNSET, Raw, UnsetType

from ..core._codec import Decoder
from ..core._fields import present
from ..errors import BatchLineError

__all__ = [
    "ENDPOINTS",
    "BadLine",
    "body_type",
    "endpoint_of_body",
    "error_code",
    "input_decoder",
    "output_decoder",
    "request_type",
]

#: Every endpoint ``CreateBatchRequest.endpoint`` allows, with the type of a
#: successful response body and of a request body, by name in the index.
ENDPOINTS: dict[str, tuple[str, str]] = {
    "/v1/responses": ("Response", "CreateResponse"),
    "/v1/chat/completions": ("CreateChatCompletionResponse", "CreateChatCompletionRequest"),
    "/v1/embeddings": ("CreateEmbeddingResponse", "CreateEmbeddingRequest"),
    "/v1/completions": ("CreateCompletionResponse", "CreateCompletionRequest"),
    "/v1/moderations": ("CreateModerationResponse", "CreateModerationRequest"),
    "/v1/images/generations": ("ImagesResponse", "CreateImageRequest"),
    "/v1/images/edits": ("ImagesResponse", "CreateImageEditRequest"),
    "/v1/videos": ("VideoResource", "CreateVideoJsonBody"),
}

# The ``object`` of a body, for the endpoints whose bodies carry one.
_BY_OBJECT = {
    "response": "/v1/responses",
    "chat.completion": "/v1/chat/completions",
    "text_completion": "/v1/completions",
    "list": "/v1/embeddings",
    "video": "/v1/videos",
}


def _index(name: str) -> Any:
    from .. import types  # the lazy index: loads only the module that holds ``name``

    return getattr(types, name)


def error_code(error: Any) -> Any:
    """The code of an API error (``error.code``), or its ``type`` when the
    code is null: what batch summaries and exports count failures by."""
    code = present(error, "code")
    return code if code is not None else present(error, "type")


def _check(endpoint: str) -> str:
    if endpoint not in ENDPOINTS:
        known = ", ".join(ENDPOINTS)
        raise ValueError(f"unknown batch endpoint {endpoint!r}; the Batch API accepts {known}")
    return endpoint


def body_type(endpoint: str) -> Any:
    """The type of a successful (2xx) response body of ``endpoint``."""
    return _index(ENDPOINTS[_check(endpoint)][0])


def request_type(endpoint: str) -> Any:
    """The type of a request body sent to ``endpoint``."""
    return _index(ENDPOINTS[_check(endpoint)][1])


@cache
def output_decoder(body: Any) -> Decoder[Any]:
    """A decoder of output lines whose ``response.body`` is a ``body``."""
    return Decoder(_index("BatchRequestOutput")[body])


@cache
def input_decoder(endpoint: str) -> Decoder[Any]:
    """A decoder of input lines whose ``body`` is a request to ``endpoint``."""
    return Decoder(_index("BatchRequestInput")[request_type(endpoint)])


# --------------------------------------------------------------------------
# Probes: cheap decodes that read a few keys and skip the rest of a line.


class BodyProbe(msgspec.Struct, frozen=True):
    """The keys of a response body that tell its endpoint."""

    object: str | UnsetType = UNSET
    results: Raw | UnsetType = UNSET
    data: Raw | UnsetType = UNSET


class _ResponseProbe(msgspec.Struct, frozen=True):
    status_code: int | None | UnsetType = UNSET
    body: Raw | UnsetType = UNSET


class OutputProbe(msgspec.Struct, frozen=True):
    """An output line with its body left unread. It accepts a null wherever
    the line's own type might, so that it never refuses a line that the
    full decode would take."""

    custom_id: str | None | UnsetType = UNSET
    response: _ResponseProbe | None | UnsetType = UNSET


class InputProbe(msgspec.Struct, frozen=True):
    """An input line with its body left unread."""

    custom_id: str | UnsetType = UNSET
    url: str | UnsetType = UNSET


def endpoint_of_body(probe: BodyProbe) -> str | None:
    """The endpoint whose successful bodies look like ``probe``, or None.

    The rule: a body's ``object`` names its endpoint (``response``,
    ``chat.completion``, ``text_completion``, ``list`` for embeddings,
    ``video``); a body without ``object`` is a moderation if it has
    ``results`` and an image response if it has ``data``. Image generations
    and edits share ``ImagesResponse``, so both come out as
    ``/v1/images/generations``.
    """
    if probe.object is not UNSET:
        return _BY_OBJECT.get(probe.object)
    if probe.results is not UNSET:
        return "/v1/moderations"
    if probe.data is not UNSET:
        return "/v1/images/generations"
    return None


# --------------------------------------------------------------------------
# What a reader reports about a line it could not decode


class BadLine(msgspec.Struct, frozen=True):
    """A line that did not decode, as ``errors="collect"`` yields it.

    ``line`` and ``offset`` locate it as in :class:`BatchLineError`; ``raw``
    holds its bytes exactly as read (so nothing is lost: fix and re-read
    them); ``error`` is the :class:`BatchLineError` that ``errors="raise"``
    would have raised.
    """

    line: int
    offset: int
    raw: bytes
    error: BatchLineError

    @property
    def reason(self) -> str:
        """The error message, without the location prefix."""
        return str(self.error.reason)
