"""Reading Batch API files: :func:`iter_batch_output` and :func:`iter_batch_input`.

Both return a :class:`~._reader.BatchReader`; what differs is the *kind* of
line it reads, :class:`OutputLines` or :class:`InputLines` here.

**Output lines**, block by block:

1. **Fast path.** A block of whole lines is decoded by one
   :meth:`Decoder.decode_lines` call into ``BatchRequestOutput[Body]``, where
   ``Body`` is the endpoint's response type: each line is parsed once, body
   included.
2. **Error bodies.** A line whose request failed (``status_code`` outside
   2xx) carries an :class:`~openai_structs.ErrorResponse` body, which the
   endpoint's type cannot hold. Before decoding a block, a regular expression
   looks for ``"status_code": N`` with ``N`` not 2xx; the lines it finds are
   decoded on their own, the runs between them in one call. The pattern can
   find too much (a body holding its own ``status_code`` key) but never too
   little, so it only ever costs time: each line it finds takes the exact
   path below. The package's own readers (the export, the summary) skip
   that search where the endpoint's view has a *lenient* variant
   (``Endpoint.run``), which an error body decodes into as well: a run is
   decoded first, then each line whose status is not 2xx, or whose body
   lacks a field the view requires, takes the exact path
   (:meth:`OutputLines.misfits`). The search reads every byte once more: on
   the 60,000-line chat benchmark file it took about 37 ms, a fifth of the
   export's reading.
3. **Exact path**, for a line found above, and for the line where a block
   fails to decode: a probe reads the line's ``status_code`` and the keys of
   its body that tell the endpoint (skipping everything else), then the line
   is decoded with the type they call for. If that fails, the line is bad.

Endpoint inference (``endpoint=None``): lines are taken one at a time by the
exact path until the first successful line, whose body names the endpoint
(:func:`~openai_structs.batch._endpoints.endpoint_of_body`); from then on blocks
take the fast path with that endpoint's type. So only the lines up to the
first success are read twice. A line of another endpoint in the same file (the
API never writes one) fails the fast path and is read by the exact path,
which types it by its own body: it is decoded correctly, slower. With an
explicit ``endpoint``, such a line is a bad line. A byte range (``start`` past
0) is typed as the whole file would type its lines: the endpoint is inferred
by probing the lines before ``start`` first (usually just the file's first
line), and only if none of them tells it, from the range's own lines.

An output line must hold a ``response`` or an ``error``; one without a
``custom_id`` (the API always writes one) still reads, and
:func:`~openai_structs.join_batch` never pairs it. **An input line** must
carry a string ``custom_id`` (the Batch API rejects a file with a request that
has none; nothing could pair it with its result) and a ``url`` the Batch API
accepts; its body is typed by that ``url``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar, overload

import msgspec
from msgspec import UNSET, Raw, UnsetType

from ..core._codec import Decoder
from ..core._fields import present
from ..errors import DecodeError, ValidationError
from ._endpoints import (
    ENDPOINTS,
    BodyProbe,
    body_type,
    endpoint_of_body,
    find,
    input_decoder,
    output_decoder,
    view_decoder,
)
from ._reader import BadLine, BatchReader, Convert, Errors, LineDecoder
from ._source import BLOCK_SIZE, Progress, Source
from ._views import ViewDecoder

if TYPE_CHECKING:
    from ..types import (
        BatchRequestInput,
        BatchRequestOutput,
        CreateChatCompletionResponse,
        CreateCompletionResponse,
        CreateEmbeddingResponse,
        CreateModerationResponse,
        ErrorResponse,
        ImagesResponse,
        Response,
        VideoResource,
    )

__all__ = [
    "InputLines",
    "OutputLines",
    "Views",
    "iter_batch_input",
    "iter_batch_output",
    "output_reader",
]

B = TypeVar("B")
#: ``views(endpoint)``: the view that a successful body of ``endpoint`` decodes into
Views = Callable[[str], Any]

# A line holding ``"status_code": N`` where N is anything but a 2xx integer
# is decoded on its own. One regular expression finds them all, in one pass
# of C over the block (a key followed by anything but ``: 2xx``).
_NOT_2XX = re.compile(rb'"status_code"(?![ \t\r\n]*:[ \t\r\n]*2[0-9][0-9](?![0-9.eE]))').finditer
_RESPONSE = attrgetter("response")
#: the status codes of a line that a view may hold the body of
_FITS = frozenset([*range(200, 300), None, UNSET])
_NOT_OUTPUT = (
    "not a batch output line: it has neither `response` nor `error` "
    "(an input file read as output?) - at `$`"
)
_NO_ID = "Object missing required field `custom_id` - at `$`"


def _error_response() -> Any:
    from ..types import ErrorResponse

    return ErrorResponse


def _response_type() -> Any:
    from ..types import BatchRequestOutputResponse

    return BatchRequestOutputResponse


def _not_output_line(value: Any) -> bool:
    """Whether a decoded output line lacks both ``response`` and ``error``:
    every field of the line schema is optional, but the API always sends one."""
    return value.response is UNSET and value.error is UNSET


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


_body_probe = Decoder(BodyProbe).decode
OUTPUT_PROBE = Decoder(OutputProbe)
INPUT_PROBE = Decoder(InputProbe)


class OutputLines:
    """The kind of the lines of an output (or error) file.

    A successful body decodes into its endpoint's type, or, with ``views``,
    into the view ``views(endpoint)`` of that type (:mod:`._views`)."""

    def __init__(
        self, endpoint: str | None, views: Views | None = None, *, lenient: bool = False
    ) -> None:
        self.endpoint: str | None = None
        self.fast: LineDecoder | None = None
        self._views = views
        self._lenient = lenient
        self._runs: ViewDecoder | None = None  # ``fast``, where it has a lenient run view
        self._fixed = endpoint is not None
        if endpoint is not None:
            self.learn(find(endpoint).path)

    def learn(self, endpoint: str) -> None:
        self.endpoint, self.fast = endpoint, self._decoder(endpoint)
        fast = self.fast
        self._runs = fast if isinstance(fast, ViewDecoder) and fast.run is not None else None

    def _decoder(self, endpoint: str) -> LineDecoder:
        if self._views is None:
            return output_decoder(body_type(endpoint))
        view, record = self._views(endpoint), find(endpoint)
        run = record.run if self._lenient and view is record.view else None
        return view_decoder(view, record.body, run)

    def runs(self, buf: Any, a: int, b: int) -> Iterator[tuple[int, int, bool]]:
        if self._runs is not None:  # a failed request decodes too: found after (misfits)
            if a < b:
                yield a, b, False
            return
        pos = a
        for found in _NOT_2XX(buf, a, b):
            i = found.start()
            if i < pos:
                continue  # the line was taken already
            ls = buf.rfind(b"\n", pos, i) + 1 or pos
            le = buf.find(b"\n", i, b) + 1 or b
            if ls > pos:
                yield pos, ls, False
            yield ls, le, True
            pos = le
        if pos < b:
            yield pos, b, False

    def fits(self, values: list[Any]) -> bool:
        return UNSET not in map(_RESPONSE, values) or not any(map(_not_output_line, values))

    def misfits(self, values: list[Any]) -> list[int]:
        """Where the lenient run view is read: the lines of ``values`` whose
        status is not 2xx, or whose body lacks a field the view requires,
        which take the exact path (as the search for ``status_code`` would
        have sent the first, and a failed decode the second)."""
        runs = self._runs
        if runs is None:
            return []
        run, required, response_type = runs.run, runs.required, _response_type()
        return [
            i
            for i, response in enumerate(map(_RESPONSE, values))
            if response.__class__ is response_type  # not an error-file line
            and (
                response.status_code not in _FITS
                or (response.body.__class__ is run and UNSET in required(response.body))
            )
        ]

    def check(self, value: Any) -> None:
        if _not_output_line(value):
            raise ValidationError(_NOT_OUTPUT, path="$")

    def exact(self, line: memoryview) -> LineDecoder:
        probe: Any = OUTPUT_PROBE.decode(line)
        resp = probe.response
        status = present(resp, "status_code")
        if isinstance(status, int) and not 200 <= status < 300:
            return output_decoder(_error_response())
        body = present(resp, "body")
        if not isinstance(status, int) or body is None:
            return self.fast or output_decoder(_error_response())
        if self._fixed:
            assert self.fast is not None
            return self.fast
        endpoint = _endpoint_of(probe)
        if endpoint is None:
            if self.fast is not None:
                return self.fast
            raise ValidationError(
                "cannot tell the endpoint from this body (no known `object`, "
                "`results` or `data`); pass endpoint= - at `$.response.body`",
                path="$.response.body",
            )
        decoder = self._decoder(endpoint)
        if self.fast is None:
            self.learn(endpoint)
        return decoder

    def endpoint_of(self, line: memoryview) -> str | None:
        return _endpoint_of(OUTPUT_PROBE.decode(line))


class InputLines:
    """The kind of the lines of an input file: each body typed by its ``url``."""

    def __init__(self) -> None:
        self.endpoint: str | None = None
        self.fast: LineDecoder | None = None

    def learn(self, endpoint: str) -> None:
        self.endpoint, self.fast = endpoint, input_decoder(endpoint)

    def runs(self, buf: Any, a: int, b: int) -> Iterator[tuple[int, int, bool]]:
        if a < b:
            yield a, b, False

    def misfits(self, values: list[Any]) -> list[int]:
        return []

    def fits(self, values: list[Any]) -> bool:
        """Every line is to this file's endpoint and has a string ``custom_id``."""
        url = self.endpoint
        for v in values:
            if v.url != url or v.custom_id.__class__ is not str:
                return False
        return True

    def check(self, value: Any) -> None:
        custom_id = value.custom_id
        if custom_id.__class__ is not str:
            if custom_id is UNSET:
                raise ValidationError(_NO_ID, path="$")
            raise ValidationError(
                f"Expected `str`, got `{type(custom_id).__name__}` - at `$.custom_id`",
                path="$.custom_id",
            )

    def exact(self, line: memoryview) -> LineDecoder:
        url = INPUT_PROBE.decode(line).url
        if not isinstance(url, str):
            raise ValidationError("Object missing required field `url` - at `$`", path="$")
        try:
            dec = input_decoder(url)
        except ValueError as exc:
            raise ValidationError(f"{exc} - at `$.url`", path="$.url") from None
        if self.fast is None:
            self.learn(url)
        return dec

    def endpoint_of(self, line: memoryview) -> str | None:
        url = INPUT_PROBE.decode(line).url
        return url if isinstance(url, str) and url in ENDPOINTS else None


def _endpoint_of(probe: Any) -> str | None:
    """The endpoint an output line's probe tells: a 2xx line whose body names
    one (:func:`endpoint_of_body`); None for any other line."""
    resp = probe.response
    status = present(resp, "status_code")
    body = present(resp, "body")
    if not isinstance(status, int) or not 200 <= status < 300 or body is None:
        return None
    try:
        return endpoint_of_body(_body_probe(body))
    except DecodeError:  # not an object: the full decode says where
        return None


def output_reader(
    source: Source,
    *,
    endpoint: str | None = None,
    views: Views | None = None,
    errors: Errors = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
    block_size: int = BLOCK_SIZE,
    convert: Convert | None = None,
    lenient: bool = False,
) -> BatchReader[Any]:
    """The reader behind :func:`iter_batch_output`, with the package's own
    options: ``views`` (the view of each endpoint's bodies), ``convert``
    (see :class:`~._reader.BatchReader`) and ``lenient``: runs of lines are
    decoded into the endpoint's lenient view where it has one (``Endpoint.run``,
    when ``views`` gives the endpoint's own view), with no search for failed
    requests beforehand; the values handed out may then be of that class."""
    return BatchReader(
        source,
        OutputLines(endpoint, views, lenient=lenient),
        errors=errors,
        start=start,
        end=end,
        progress=progress,
        block_size=block_size,
        convert=convert,
    )


# --------------------------------------------------------------------------
# Public functions. Their overloads say what a type checker sees: the body
# type of each endpoint (with ErrorResponse for failed requests), and
# BadLine records with errors="collect".

if TYPE_CHECKING:
    from typing_extensions import Required, TypedDict, Unpack

    Lines: TypeAlias = BatchReader[BatchRequestOutput[B | ErrorResponse]]

    class Options(TypedDict, total=False):
        """The keyword arguments every overload shares."""

        errors: Literal["raise", "skip"]
        start: int
        end: int | None
        progress: Progress | None
        block_size: int

    class Collect(Options, total=False):
        errors: Required[Literal["collect"]]  # type: ignore[misc]

    _Responses = Literal["/v1/responses"]
    _Chat = Literal["/v1/chat/completions"]
    _Embeddings = Literal["/v1/embeddings"]
    _Completions = Literal["/v1/completions"]
    _Moderations = Literal["/v1/moderations"]
    _Images = Literal["/v1/images/generations", "/v1/images/edits"]
    _Videos = Literal["/v1/videos"]


# fmt: off
@overload
def iter_batch_output(source: Source, *, body: type[B], endpoint: str | None = None, **o: Unpack[Options]) -> Lines[B]: ...
@overload
def iter_batch_output(source: Source, *, body: type[B], endpoint: str | None = None, **o: Unpack[Collect]) -> BatchReader[BatchRequestOutput[B | ErrorResponse] | BadLine]: ...
@overload
def iter_batch_output(source: Source, *, endpoint: _Chat, **o: Unpack[Options]) -> Lines[CreateChatCompletionResponse]: ...
@overload
def iter_batch_output(source: Source, *, endpoint: _Responses, **o: Unpack[Options]) -> Lines[Response]: ...
@overload
def iter_batch_output(source: Source, *, endpoint: _Embeddings, **o: Unpack[Options]) -> Lines[CreateEmbeddingResponse]: ...
@overload
def iter_batch_output(source: Source, *, endpoint: _Completions, **o: Unpack[Options]) -> Lines[CreateCompletionResponse]: ...
@overload
def iter_batch_output(source: Source, *, endpoint: _Moderations, **o: Unpack[Options]) -> Lines[CreateModerationResponse]: ...
@overload
def iter_batch_output(source: Source, *, endpoint: _Images, **o: Unpack[Options]) -> Lines[ImagesResponse]: ...
@overload
def iter_batch_output(source: Source, *, endpoint: _Videos, **o: Unpack[Options]) -> Lines[VideoResource]: ...
@overload
def iter_batch_output(source: Source, *, endpoint: str | None = None, **o: Unpack[Options]) -> BatchReader[BatchRequestOutput[Any]]: ...
@overload
def iter_batch_output(source: Source, *, endpoint: str | None = None, **o: Unpack[Collect]) -> BatchReader[BatchRequestOutput[Any] | BadLine]: ...
# fmt: on
def iter_batch_output(
    source: Source,
    *,
    endpoint: str | None = None,
    body: type[Any] | None = None,
    errors: Errors = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
    block_size: int = BLOCK_SIZE,
) -> BatchReader[Any]:
    """Iterate over the lines of a Batch API output (or error) file, typed.

    ``source`` is a path, a binary file object, or ``bytes``/``bytearray``/
    ``memoryview``. Each line comes back as a
    :class:`~openai_structs.BatchRequestOutput` whose ``response.body`` is the
    endpoint's type (``Response``, ``CreateChatCompletionResponse``...) for a
    2xx status and an :class:`~openai_structs.ErrorResponse` otherwise; lines
    of an error file (``"response": null`` and an ``error``) come back the
    same way, with ``response`` None.

    ``endpoint`` (``"/v1/chat/completions"``...) fixes the body type (and a
    type checker sees it); left None, it is inferred from the first
    successful line (see this module's docstring for the rule).

    ``body`` is a *view*: a ``msgspec.Struct`` of your own holding some of
    the endpoint's body fields, which each successful body decodes into
    instead, skipping the rest unread: decode only what you read, several
    times faster on large bodies. It is checked against the endpoint's type
    once (a :class:`TypeError` names the first field that does not fit);
    then every field holds what the full type would hold. See
    :func:`~openai_structs.batch.check_view` for the rules. A line is bad when
    the fields the view reads are; error bodies stay ``ErrorResponse``.

    ``errors`` says what to do with a line that does not decode: ``"raise"``
    a :class:`~openai_structs.BatchLineError` (a :class:`ValueError` with
    ``line``, ``offset`` and ``path``) once the lines before it are yielded;
    ``"skip"`` it and count it in ``reader.bad``; or ``"collect"`` it: a
    :class:`BadLine` is yielded in its place.

    ``start`` and ``end`` read only the bytes between them, which must fall
    on line boundaries (see :func:`batch_ranges`); line numbers then count
    from ``start``, offsets stay file offsets. ``progress(done, total)`` is
    called after each block with the bytes read from ``start``.

    Blank lines, ``\\r\\n`` line ends, a UTF-8 byte order mark and a last
    line without a newline are all read as expected. Memory stays at about
    one block (``block_size`` bytes of lines and their values) whatever the
    size of the file, as long as the caller does not keep the values.
    """
    return output_reader(
        source,
        endpoint=endpoint,
        views=None if body is None else (lambda endpoint: body),
        errors=errors,
        start=start,
        end=end,
        progress=progress,
        block_size=block_size,
    )


# fmt: off
@overload
def iter_batch_input(source: Source, **o: Unpack[Options]) -> BatchReader[BatchRequestInput[Any]]: ...
@overload
def iter_batch_input(source: Source, **o: Unpack[Collect]) -> BatchReader[BatchRequestInput[Any] | BadLine]: ...
# fmt: on
def iter_batch_input(
    source: Source,
    *,
    errors: Errors = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
    block_size: int = BLOCK_SIZE,
) -> BatchReader[Any]:
    """Iterate over the lines of a Batch API input file, typed.

    Each line comes back as a :class:`~openai_structs.BatchRequestInput`
    whose ``body`` is the request type of the line's ``url``
    (``CreateResponse``, ``CreateChatCompletionRequest``...). The first line
    sets the type the fast path decodes with; a line with another ``url`` is
    typed by its own (the API would reject such a file:
    :func:`write_batch_input` checks). A line whose ``url`` is not a Batch API
    endpoint is a bad line. The other arguments are those of
    :func:`iter_batch_output`.
    """
    return BatchReader(
        source,
        InputLines(),
        errors=errors,
        start=start,
        end=end,
        progress=progress,
        block_size=block_size,
    )
