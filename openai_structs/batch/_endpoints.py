"""The Batch API's endpoints: one :class:`Endpoint` record each, in :data:`ENDPOINTS`.

A record holds every fact this package knows of an endpoint, so that no other
module keeps a table of its own:

- ``path``: what a request's ``url`` says (``/v1/chat/completions``);
- ``body`` and ``request``: the types of a successful response body and of a
  request body (looked up in :mod:`openai_structs.types` on first use);
- ``objects``: the ``object`` tag its bodies carry, which names the endpoint
  when it is inferred (:func:`endpoint_of_body`);
- ``columns``: its own columns in the Parquet export, after the
  :data:`BASE` columns every endpoint has and before the :data:`TAIL` ones,
  as ``name -> Arrow type``; columns are only ever added at the end;
- ``view`` and ``reading``: the view of its bodies that the export and the
  summary decode (only the fields they read), how it fills those columns and
  what the summary counts of it (:mod:`openai_structs.batch._bodies`).

One line of an output file is a :class:`~openai_structs.BatchRequestOutput`,
a generic struct: ``BatchRequestOutput[CreateChatCompletionResponse]`` decodes
``response.body`` straight into a chat completion, in the same pass as the rest
of the line. :func:`output_decoder` and :func:`input_decoder` build that
decoder once per body type and keep it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

import msgspec
from msgspec import UNSET, Raw, UnsetType

from ..core._codec import Decoder
from ._views import ViewDecoder

if TYPE_CHECKING:
    from ._bodies import Reading

__all__ = [
    "BASE",
    "ENDPOINTS",
    "TAIL",
    "BodyProbe",
    "Endpoint",
    "body_type",
    "endpoint_of_body",
    "find",
    "input_decoder",
    "output_decoder",
    "request_type",
    "view_decoder",
]

#: the export's columns that every endpoint has, first (name -> Arrow type)
BASE: Mapping[str, str] = {
    "custom_id": "string",
    "request_id": "string",
    "status_code": "int32",
    "error_code": "string",
    "error_message": "string",
    "model": "string",
}
#: the export's columns that every endpoint has, last: the endpoint whose body
#: the line holds, and the file the line was read from
TAIL: Mapping[str, str] = {"endpoint": "string", "source_file": "string"}

_TOKENS = {"input_tokens": "int64", "output_tokens": "int64", "total_tokens": "int64"}
_DETAILS = {"cached_tokens": "int64", "reasoning_tokens": "int64"}
_TEXT = {"finish_reason": "string", "output_text": "string", "tool_calls": "tool_calls"}


def _type(name: str) -> Any:
    from .. import types  # the lazy index: loads only the module that holds ``name``

    return getattr(types, name)


@dataclass(frozen=True)
class Endpoint:
    """One endpoint of the Batch API, and every fact kept about it."""

    path: str
    body_name: str
    request_name: str
    objects: tuple[str, ...]
    columns: Mapping[str, str]
    reading_name: str

    @property
    def body(self) -> Any:
        """The type of a successful (2xx) response body."""
        return _type(self.body_name)

    @property
    def request(self) -> Any:
        """The type of a request body."""
        return _type(self.request_name)

    @cached_property
    def reading(self) -> Reading:
        """How the :attr:`view` of a successful body fills :attr:`columns`,
        and what the summary counts of it."""
        from ._bodies import READINGS  # imports the generated types it reads

        return READINGS[self.reading_name]

    @cached_property
    def view(self) -> Any:
        """The view of :attr:`body` that the export and the summary decode:
        the fields they read, and nothing else (see ``_bodies``)."""
        from ._bodies import VIEWS

        return VIEWS[self.reading_name]

    @cached_property
    def run(self) -> Any:
        """The lenient variant of :attr:`view` that the export's runs of
        lines decode into, or None (see ``_views``)."""
        from ._bodies import RUNS

        return RUNS.get(self.reading_name)


_CHAT_COLUMNS = {**_TEXT, **_TOKENS, "choices": "int32", **_DETAILS}

#: Every endpoint ``CreateBatchRequest.endpoint`` allows, by path.
ENDPOINTS: Mapping[str, Endpoint] = {
    endpoint.path: endpoint
    for endpoint in (
        # path, body type, request type, objects, own columns, reading
        Endpoint(
            "/v1/responses",
            "Response",
            "CreateResponse",
            ("response",),
            {**_TEXT, **_TOKENS, **_DETAILS},
            "responses",
        ),
        Endpoint(
            "/v1/chat/completions",
            "CreateChatCompletionResponse",
            "CreateChatCompletionRequest",
            ("chat.completion",),
            _CHAT_COLUMNS,
            "chat",
        ),
        Endpoint(
            "/v1/embeddings",
            "CreateEmbeddingResponse",
            "CreateEmbeddingRequest",
            ("list",),
            {"embeddings": "int32", "input_tokens": "int64", "total_tokens": "int64"},
            "embeddings",
        ),
        Endpoint(
            "/v1/completions",
            "CreateCompletionResponse",
            "CreateCompletionRequest",
            ("text_completion",),
            _CHAT_COLUMNS,
            "completions",
        ),
        Endpoint(
            "/v1/moderations",
            "CreateModerationResponse",
            "CreateModerationRequest",
            (),
            {"flagged": "bool", "categories": "list<string>"},
            "moderations",
        ),
        Endpoint(
            "/v1/images/generations",
            "ImagesResponse",
            "CreateImageRequest",
            (),
            {"images": "int32", **_TOKENS},
            "images",
        ),
        Endpoint(
            "/v1/images/edits",
            "ImagesResponse",
            "CreateImageEditRequest",
            (),
            {"images": "int32", **_TOKENS},
            "images",
        ),
        Endpoint(
            "/v1/videos",
            "VideoResource",
            "CreateVideoJsonBody",
            ("video",),
            {"status": "string", "progress": "int32"},
            "videos",
        ),
    )
}

_BY_OBJECT = {tag: endpoint.path for endpoint in ENDPOINTS.values() for tag in endpoint.objects}


def find(path: str) -> Endpoint:
    """The record of ``path``; a :class:`ValueError` listing the endpoints if
    the Batch API does not accept it."""
    endpoint = ENDPOINTS.get(path)
    if endpoint is None:
        known = ", ".join(ENDPOINTS)
        raise ValueError(f"unknown batch endpoint {path!r}; the Batch API accepts {known}")
    return endpoint


def body_type(endpoint: str) -> Any:
    """The type of a successful (2xx) response body of ``endpoint``."""
    return find(endpoint).body


def request_type(endpoint: str) -> Any:
    """The type of a request body sent to ``endpoint``."""
    return find(endpoint).request


@cache
def output_decoder(body: Any) -> Decoder[Any]:
    """A decoder of output lines whose ``response.body`` is a ``body``."""
    return Decoder(_type("BatchRequestOutput")[body])


@cache
def view_decoder(view: Any, body: Any, run: Any = None) -> ViewDecoder:
    """A decoder of output lines whose successful bodies, of type ``body``,
    decode into its view ``view`` (checked once: a :class:`TypeError` if it
    is not one); runs of lines into the lenient ``run``, if given."""
    return ViewDecoder(_type("BatchRequestOutput"), view, body, run)


@cache
def input_decoder(endpoint: str) -> Decoder[Any]:
    """A decoder of input lines whose ``body`` is a request to ``endpoint``."""
    return Decoder(_type("BatchRequestInput")[request_type(endpoint)])


class BodyProbe(msgspec.Struct, frozen=True):
    """The keys of a response body that tell its endpoint."""

    object: str | UnsetType = UNSET
    results: Raw | UnsetType = UNSET
    data: Raw | UnsetType = UNSET


def endpoint_of_body(probe: BodyProbe) -> str | None:
    """The endpoint whose successful bodies look like ``probe``, or None.

    The rule: a body's ``object`` names its endpoint (``response``,
    ``chat.completion``, ``text_completion``, ``list`` for embeddings,
    ``video``: each record's ``objects``); a body without ``object`` is a
    moderation if it has ``results`` and an image response if it has
    ``data``. Image generations and edits share ``ImagesResponse``, so both
    come out as ``/v1/images/generations``.
    """
    if probe.object is not UNSET:
        return _BY_OBJECT.get(probe.object)
    if probe.results is not UNSET:
        return "/v1/moderations"
    if probe.data is not UNSET:
        return "/v1/images/generations"
    return None
