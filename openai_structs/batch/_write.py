"""Writing and checking Batch API input files: :func:`write_batch_input` and
:func:`validate_batch_input`.

Both apply one set of checks (:class:`InputChecks`), those the Batch API
applies when a batch is created from the file, so that a bad file fails here,
before an upload, with the line at fault:

- every line is a JSON object with a ``custom_id``, ``method`` ``POST`` and a
  ``url`` that the Batch API accepts;
- no ``custom_id`` appears twice;
- all lines share one ``url`` (one endpoint per file);
- every line has a body, and the body is a request of that endpoint (a
  ``CreateResponse`` body under ``/v1/chat/completions``, or ``"messages":
  "oops"``, is refused, naming the ``$.path``);
- at most 50,000 lines and 200 MB;
- for ``/v1/embeddings``, at most 50,000 inputs over all lines (a string is
  one input, a list of strings or of token lists one per item, a list of
  tokens one).

The checks read each line as its bytes, exactly as the file holds them:
:func:`write_batch_input` encodes a request, checks the bytes, then writes
them.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any, cast

import msgspec
from msgspec import UNSET

from ..core._codec import Decoder, Encoder
from ..errors import BatchInputError, DecodeError
from ._endpoints import ENDPOINTS, input_decoder
from ._source import Blocks, PathArg, Progress, Source

__all__ = [
    "BatchInputStats",
    "InputChecks",
    "replacing",
    "validate_batch_input",
    "write_batch_input",
]

MAX_LINES = 50_000
MAX_BYTES = 200 * 1024 * 1024
MAX_EMBEDDING_INPUTS = 50_000
_BLANK = re.compile(rb"[ \t\r\n]*")


class BatchInputStats(msgspec.Struct, frozen=True):
    """What :func:`write_batch_input` wrote (or :func:`validate_batch_input`
    read): lines, bytes and the endpoint."""

    lines: int
    bytes: int
    endpoint: str | None
    embedding_inputs: int = 0


class _Envelope(msgspec.Struct, frozen=True):
    """A request line, its values not yet judged."""

    custom_id: Any = UNSET
    method: Any = UNSET
    url: Any = UNSET
    body: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)  # empty when absent


_envelope = Decoder(_Envelope)


def _embedding_inputs(body: Any) -> int:
    value: object = body.input
    if isinstance(value, list) and value:
        items = cast("list[object]", value)
        return 1 if isinstance(items[0], int) else len(items)
    return 1


class InputChecks:
    """The checks of an input file, one line at a time: call :meth:`check`
    with each line's bytes, in order; it raises :class:`BatchInputError`
    naming the line when the API would refuse the file there."""

    def __init__(self, max_lines: int = MAX_LINES, max_bytes: int = MAX_BYTES) -> None:
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self.lines = 0
        self.bytes = 0
        self.endpoint: str | None = None
        self.embedding_inputs = 0
        self._seen: set[str] = set()

    def check(self, line: bytes | memoryview, number: int) -> None:
        """Check the request ``line`` (its bytes, with its line end), the
        ``number``-th line of the file."""
        self.lines += 1
        if self.lines > self.max_lines:
            raise BatchInputError(f"more than {self.max_lines} requests in one file", line=number)
        try:
            request = _envelope.decode(line)
        except DecodeError as exc:
            raise BatchInputError(f"not a request: {exc}", line=number) from None
        custom_id = request.custom_id
        if not isinstance(custom_id, str) or not custom_id:
            raise BatchInputError("the request has no custom_id", line=number)
        if custom_id in self._seen:
            raise BatchInputError(f"custom_id {custom_id!r} is used twice", line=number)
        self._seen.add(custom_id)
        if request.method != "POST":
            raise BatchInputError("method must be 'POST'", line=number)
        url = request.url
        if not isinstance(url, str) or url not in ENDPOINTS:
            raise BatchInputError(f"url {url!r} is not a Batch API endpoint", line=number)
        if self.endpoint is None:
            self.endpoint = url
        elif url != self.endpoint:
            raise BatchInputError(
                f"url {url!r} differs from {self.endpoint!r}: one file holds one endpoint",
                line=number,
            )
        if bytes(request.body) in (b"", b"null"):
            raise BatchInputError("the request has no body", line=number)
        try:
            body = input_decoder(url).decode(line).body
        except DecodeError as exc:
            name = ENDPOINTS[url].request_name
            raise BatchInputError(f"the body is not a {name} ({url}): {exc}", line=number) from None
        if url == "/v1/embeddings":
            self.embedding_inputs += _embedding_inputs(body)
            if self.embedding_inputs > MAX_EMBEDDING_INPUTS:
                raise BatchInputError(
                    f"more than {MAX_EMBEDDING_INPUTS} embedding inputs in one file", line=number
                )
        self.bytes += len(line)
        if self.bytes > self.max_bytes:
            raise BatchInputError(f"the file would pass {self.max_bytes} bytes", line=number)

    def stats(self) -> BatchInputStats:
        """What was checked so far."""
        return BatchInputStats(self.lines, self.bytes, self.endpoint, self.embedding_inputs)


def write_batch_input(
    requests: Iterable[Any],
    dest: PathArg | IO[bytes],
    *,
    max_lines: int = MAX_LINES,
    max_bytes: int = MAX_BYTES,
) -> BatchInputStats:
    """Write ``requests`` as a Batch API input file at ``dest``, checked.

    ``requests`` holds :class:`~openai_structs.BatchRequestInput` values (or
    plain dicts of the same shape); ``dest`` is a path or a binary file
    object. Lines are encoded, checked (see this module's docstring: the
    checks of :func:`validate_batch_input`) and written one at a time, so
    memory does not grow with the file. On the first request the API would
    reject, :class:`BatchInputError` is raised naming its line; if ``dest``
    is a path, nothing is left there (the file is written to a temporary name
    and renamed at the end), while a file object keeps the lines written
    before the bad one.

    ``max_lines`` and ``max_bytes`` default to the API's limits.
    """
    if isinstance(dest, (str, os.PathLike)):
        with replacing(dest) as tmp, open(tmp, "wb") as f:
            return _write(requests, f, InputChecks(max_lines, max_bytes))
    return _write(requests, dest, InputChecks(max_lines, max_bytes))


def _write(requests: Iterable[Any], f: IO[bytes], checks: InputChecks) -> BatchInputStats:
    encode = Encoder().encode
    for number, request in enumerate(requests, 1):
        line = encode(request) + b"\n"
        checks.check(line, number)
        f.write(line)
    return checks.stats()


def validate_batch_input(
    source: Source,
    *,
    max_lines: int = MAX_LINES,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
) -> BatchInputStats:
    """Check the Batch API input file ``source`` as :func:`write_batch_input`
    checks what it writes, line by line in bounded memory; return what it
    holds. Raises :class:`BatchInputError` naming the first line the API
    would refuse (line numbers count blank lines, which are skipped).
    ``progress(done, total)`` is called as bytes are read."""
    checks = InputChecks(max_lines, max_bytes)
    for number, line in _lines(source, progress):
        checks.check(line, number)
    return checks.stats()


def _lines(source: Source, progress: Progress | None) -> Iterator[tuple[int, memoryview]]:
    """The non-blank lines of ``source`` with their 1-based line numbers."""
    blocks = Blocks(source, progress=progress)
    number = 0
    for buf, a, b in blocks:
        view = blocks.view
        while a < b:
            e = buf.find(b"\n", a, b) + 1 or b
            number += 1
            if not _BLANK.fullmatch(buf, a, e):
                yield number, view[a:e]
            a = e


@contextmanager
def replacing(dest: PathArg) -> Generator[str, None, None]:
    """A fresh temporary path in ``dest``'s folder, renamed to ``dest`` when
    the block ends normally and removed when it raises (Ctrl-C included): a
    file written this way is either whole at ``dest`` or not there at all."""
    folder = os.path.dirname(os.path.abspath(dest))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(dest)}.", suffix=".tmp", dir=folder)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
