# pyright: strict
"""One reading of a batch output line, for the summary and the export alike.

:class:`LineReader` turns a decoded output line into a :class:`Line`: who
asked, how it went, which model answered, its tokens, and the values of the
export's columns. :func:`~openai_structs.summarize_batch` counts these, and
the Parquet export writes them, so the two cannot disagree about a line. The
rules, once:

- a line with no ``response`` is an error-file line: its own ``error`` says
  what failed;
- a ``response`` whose body is an :class:`~openai_structs.ErrorResponse`
  (the reader types every body of a status outside 2xx so) failed, and the
  body's ``error`` says why (its ``code``, or its ``type`` when the code is
  null);
- any other body succeeded, whether or not the line has a ``status_code``:
  the reader typed it as its endpoint's body;
- tokens are read by :func:`~._usage.tokens_of`, whatever the endpoint's
  names for them;
- a number that an integer column of the export cannot hold (a status code or
  a video's progress past int32, a token count past int64) raises a
  :class:`~openai_structs.ValidationError`: used as the reader's ``convert``,
  that makes the line a bad line for the summary and the export alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from msgspec import UNSET

from ._endpoints import ENDPOINTS, Endpoint, body_type
from ._usage import NO_TOKENS, Tokens, out_of_range, tokens_of

__all__ = ["Line", "LineReader"]

_INT32 = 1 << 31


class Line(NamedTuple):
    """What the summary and the export read of one output line."""

    custom_id: str | None
    request_id: str | None
    status_code: int | None
    #: the request failed: an error-file line, or an error body
    failed: bool
    error_code: str | None
    error_message: str | None
    model: str | None
    #: the endpoint whose body the line holds (a failed line: the file's)
    endpoint: str | None
    tokens: Tokens
    #: the successful body, or None
    body: Any
    #: the values of the export's own columns of its endpoint (see ``LineReader``)
    values: tuple[Any, ...]


def _set(value: Any) -> Any:
    """``value``, or None where it was absent (UNSET)."""
    return None if value is UNSET else value


def _str(value: Any) -> str | None:
    return value if value.__class__ is str else None


class LineReader:
    """Reads decoded output lines of a file whose export is of ``endpoint``.

    ``endpoint`` (None: no endpoint known, as in an error file) chooses the
    export's own columns, which :attr:`Line.values` holds; a body of another
    endpoint (in a file that mixes them, which the API never writes) fills
    the columns the two endpoints share. ``bodies`` gives the class a body of
    each endpoint decodes into, as the reader was told.
    """

    def __init__(self, endpoint: str | None, bodies: Callable[[str], Any] = body_type) -> None:
        from ..types import ErrorResponse

        self.endpoint = endpoint
        self._error = ErrorResponse
        self._columns: tuple[str, ...] = ()
        self._by_class: dict[type, Endpoint] = {}
        if endpoint is not None:
            own = ENDPOINTS[endpoint]
            self._columns = tuple(own.columns)
            self._by_class[bodies(endpoint)] = own
        for other in ENDPOINTS.values():
            self._by_class.setdefault(bodies(other.path), other)
        self._none = (None,) * len(self._columns)

    def __call__(self, line: Any) -> Line:
        custom_id = _str(line.custom_id)
        response = line.response
        if response is None or response is UNSET:
            error = _set(line.error)
            if error is None:
                return self._no_body(custom_id, None, None)
            code, message = _set(error.code), _set(error.message)
            return Line(
                custom_id, None, None, True, code, message, None, self.endpoint, NO_TOKENS,
                None, self._none,
            )  # fmt: skip
        status = _set(response.status_code)
        if status.__class__ is int and status >> 31 and not -_INT32 <= status < _INT32:
            raise out_of_range(status, "int32", "$.response.status_code")
        body = _set(response.body)
        request_id = _set(response.request_id)
        if body is None:
            return self._no_body(custom_id, request_id, status)
        if body.__class__ is self._error:
            error = body.error
            code = error.code if error.code is not None else error.type
            return Line(
                custom_id, request_id, status, True, code, error.message, None, self.endpoint,
                NO_TOKENS, None, self._none,
            )  # fmt: skip
        endpoint = self._by_class[body.__class__]
        tokens = tokens_of(getattr(body, "usage", None))
        values = endpoint.reading.columns(body, tokens)
        if endpoint.path != self.endpoint:
            named = dict(zip(endpoint.columns, values))
            values = tuple([named.get(name) for name in self._columns])
        model = _str(getattr(body, "model", None))
        return Line(
            custom_id, request_id, status, False, None, None, model, endpoint.path, tokens,
            body, values,
        )  # fmt: skip

    def _no_body(self, custom_id: str | None, request_id: str | None, status: Any) -> Line:
        return Line(
            custom_id, request_id, status, False, None, None, None, self.endpoint, NO_TOKENS,
            None, self._none,
        )  # fmt: skip
