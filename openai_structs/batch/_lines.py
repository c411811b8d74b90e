"""One reading of a batch output line, for the summary and the export alike.

:class:`LineReader` turns a decoded output line (its body decoded into its
endpoint's view, ``Endpoint.view``) into a :data:`Row`: who asked, how it
went, which model answered, the values of the export's columns, then what the
summary counts besides. :func:`~openai_structs.summarize_batch` counts these
rows, and the Parquet export writes their columns, so the two cannot disagree
about a line. The rules, once:

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

A row is a plain tuple, built once per line (this runs on every line of
every export): the export's columns (:data:`BASE` columns, the endpoint's
own, ``endpoint``), then, for the summary, :data:`FAILED`, :data:`TOKENS`
and :data:`BODY`.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, get_args

from msgspec import UNSET

from ..core._fields import present
from ..core._typeinfo import field, field_names
from ._endpoints import BASE, ENDPOINTS, Endpoint
from ._usage import NO_TOKENS, Tokens, out_of_range, tokens_of, usage_reader

__all__ = [
    "BODY",
    "CUSTOM_ID",
    "ENDPOINT",
    "ERROR_CODE",
    "FAILED",
    "MODEL",
    "STATUS",
    "TOKENS",
    "LineReader",
    "Row",
    "views",
]

#: a line as the summary and the export read it (see the module's docstring)
Row = tuple[Any, ...]
# positions in a row, from its end (the columns of the export come first)
ENDPOINT, FAILED, TOKENS, BODY = -4, -3, -2, -1
CUSTOM_ID, STATUS, ERROR_CODE, MODEL = 0, 2, 3, 5
_INT32 = 1 << 31


def views(endpoint: str) -> Any:
    """The view of ``endpoint``'s bodies that the summary and the export read
    (the reader's ``views``)."""
    return ENDPOINTS[endpoint].view


class LineReader:
    """Reads decoded output lines of a file whose export is of ``endpoint``.

    ``endpoint`` (None: no endpoint known, as in an error file) chooses the
    export's own columns; a body of another endpoint (in a file that mixes
    them, which the API never writes) fills the columns the two endpoints
    share. Call it on a line for its :data:`Row`: the export's columns, and
    with ``extras`` (the summary) also :data:`FAILED`, :data:`TOKENS` and
    :data:`BODY`.
    """

    def __init__(self, endpoint: str | None, *, extras: bool = False) -> None:
        from ..types import BatchRequestOutputResponse, ErrorResponse

        self.endpoint = endpoint
        self._response = BatchRequestOutputResponse
        self._error = ErrorResponse
        self._extras = extras
        self._columns: tuple[str, ...] = ()
        self._by_class: dict[type, Endpoint] = {}
        self._own: Any = None
        self._run: Any = None  # the lenient view of ``_own`` (the reader checked its fields)
        self._path: str | None = None
        # no view read by the fast path yet (set by _take)
        self._fast: tuple[Any, ...] = (None, None, self._response, None, None, None, None, None)
        if endpoint is not None:
            own = ENDPOINTS[endpoint]
            self._columns = tuple(own.columns)
            self._by_class[own.view] = own
            self._take(own)
        for other in ENDPOINTS.values():
            self._by_class.setdefault(other.view, other)
            if other.run is not None:
                self._by_class.setdefault(other.run, other)
        self._none = (None,) * len(self._columns)
        #: the export's columns in a row (the file's name is not one)
        self.width = len(BASE) + len(self._columns) + 1

    def __call__(self, line: Any) -> Row:
        response = line.response
        own, run, response_type, usage_type, tokens_of_usage, model, fill, path = self._fast
        if response.__class__ is response_type:
            body = response.body
            if body.__class__ is own or body.__class__ is run:  # the common case
                status = response.status_code
                if status.__class__ is int and status >> 31 and not -_INT32 <= status < _INT32:
                    raise out_of_range(status, "int32", "$.response.status_code")
                if usage_type is None:
                    tokens = NO_TOKENS
                else:
                    usage = body.usage
                    if usage.__class__ is usage_type:
                        tokens = tokens_of_usage(usage)
                    else:
                        tokens = tokens_of(usage)
                custom_id, request_id = line.custom_id, response.request_id
                row = (
                    custom_id if custom_id.__class__ is str else None,
                    request_id if request_id.__class__ is str else None,
                    None if status is UNSET else status, None, None,
                    model(body), *fill(body, tokens), path,
                )  # fmt: skip
                return (*row, False, tokens, body) if self._extras else row
        return self._other(line)

    def _take(self, endpoint: Endpoint) -> None:
        """Read the successful bodies of ``endpoint`` by the fast path."""
        view = endpoint.view
        self._own, self._path, self._fill = view, endpoint.path, endpoint.reading.columns
        self._run = endpoint.run
        self._has_usage = "usage" in field_names(view)
        # the class of the view's usage, whose reader is called directly
        usage = [field_names(m) and m for m in _members(view, "usage")]
        self._usage: Any = next((m for m in usage if m), None)
        self._tokens = usage_reader(self._usage) if self._usage is not None else tokens_of
        self._model: Callable[[Any], str | None] = (
            attrgetter("model") if "model" in field_names(view) else lambda body: None
        )  # a str where the view has it: it requires one
        # what __call__ reads, in one attribute (usage_type None: the view has no usage)
        usage_type = (self._usage or _Never) if self._has_usage else None
        self._fast = (
            view, self._run, self._response, usage_type, self._tokens, self._model, self._fill,
            self._path,
        )  # fmt: skip

    def _other(self, line: Any) -> Row:
        """Any line but a successful one of the export's endpoint."""
        row, failed, tokens, body = self._read_other(line)
        return (*row, failed, tokens, body) if self._extras else row

    def _read_other(self, line: Any) -> tuple[Row, bool, Tokens, Any]:
        custom_id = _str(line.custom_id)
        response = line.response
        if response is None or response is UNSET:
            error = present(line, "error")
            code = message = None
            if error is not None:
                code, message = present(error, "code"), present(error, "message")
            row = (custom_id, None, None, code, message, None, *self._none, self.endpoint)
            return row, error is not None, NO_TOKENS, None
        status = present(response, "status_code")
        if status.__class__ is int and status >> 31 and not -_INT32 <= status < _INT32:
            raise out_of_range(status, "int32", "$.response.status_code")
        body = present(response, "body")
        request_id = present(response, "request_id")
        if body is None:
            row = (custom_id, request_id, status, None, None, None, *self._none, self.endpoint)
            return row, False, NO_TOKENS, None
        if body.__class__ is self._error:
            error = body.error
            code = present(error, "code", "type")  # the type where the code is null
            row = (custom_id, request_id, status, code, error.message, None, *self._none,
                   self.endpoint)  # fmt: skip
            return row, True, NO_TOKENS, None
        endpoint = self._by_class[body.__class__]
        if self._extras and self.endpoint is None and self._own is None:
            self._take(endpoint)  # a summary: the first successful body's endpoint, fast
        tokens = tokens_of(getattr(body, "usage", None))
        values = endpoint.reading.columns(body, tokens)
        if endpoint.path != self.endpoint:
            named = dict(zip(endpoint.columns, values))
            values = tuple([named.get(name) for name in self._columns])
        model = _str(getattr(body, "model", None))
        row = (custom_id, request_id, status, None, None, model, *values, endpoint.path)
        return row, False, tokens, body


class _Never:
    """A class no usage is of: where a view's usage has no struct type."""


def _members(view: Any, name: str) -> tuple[Any, ...]:
    """The members of the type of ``view``'s field ``name`` (none if it has no such field)."""
    found = field(view, name)
    if found is None:
        return ()
    return get_args(found.type) or (found.type,)


def _str(value: Any) -> str | None:
    return value if value.__class__ is str else None
