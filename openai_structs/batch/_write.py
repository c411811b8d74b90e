"""Writing Batch API input files: :func:`write_batch_input`.

The checks are those the Batch API applies when a batch is created from the
file, so that a bad file fails here, before an upload, with the line at fault:

- every line has a ``custom_id``, ``method`` ``POST`` and a ``url`` that the
  Batch API accepts;
- no ``custom_id`` appears twice;
- all lines share one ``url`` (one endpoint per file);
- at most 50,000 lines and 200 MB;
- for ``/v1/embeddings``, at most 50,000 inputs over all lines (a string is
  one input, a list of strings or of token lists one per item, a list of
  tokens one).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import msgspec

from ..core._codec import Encoder
from ..core._fields import present
from ..errors import BatchInputError
from ._endpoints import ENDPOINTS

__all__ = ["BatchInputStats", "replacing", "write_batch_input"]

MAX_LINES = 50_000
MAX_BYTES = 200 * 1024 * 1024
MAX_EMBEDDING_INPUTS = 50_000


class BatchInputStats(msgspec.Struct, frozen=True):
    """What :func:`write_batch_input` wrote: lines, bytes and the endpoint."""

    lines: int
    bytes: int
    endpoint: str | None
    embedding_inputs: int = 0


def _embedding_inputs(body: Any) -> int:
    value = body.get("input") if isinstance(body, dict) else getattr(body, "input", None)
    if isinstance(value, list) and value and not isinstance(value[0], int):
        return len(value)
    return 1


def write_batch_input(
    requests: Iterable[Any],
    dest: str | os.PathLike[str] | IO[bytes],
    *,
    max_lines: int = MAX_LINES,
    max_bytes: int = MAX_BYTES,
) -> BatchInputStats:
    """Write ``requests`` as a Batch API input file at ``dest``, checked.

    ``requests`` holds :class:`~openai_structs.BatchRequestInput` values (or
    plain dicts of the same shape); ``dest`` is a path or a binary file
    object. Lines are encoded and written one at a time, so memory does not
    grow with the file. On the first request the API would reject (see this
    module's docstring), :class:`BatchInputError` is raised naming its line;
    if ``dest`` is a path, nothing is left there (the file is written to a
    temporary name and renamed at the end), while a file object keeps the
    lines written before the bad one.

    ``max_lines`` and ``max_bytes`` default to the API's limits.
    """
    if isinstance(dest, (str, os.PathLike)):
        with replacing(dest) as tmp, open(tmp, "wb") as f:
            return _write(requests, f, max_lines, max_bytes)
    return _write(requests, dest, max_lines, max_bytes)


@contextmanager
def replacing(dest: str | os.PathLike[str]) -> Iterator[str]:
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


def _write(
    requests: Iterable[Any], f: IO[bytes], max_lines: int, max_bytes: int
) -> BatchInputStats:
    encode = Encoder().encode
    seen: set[str] = set()
    endpoint: str | None = None
    size = 0
    inputs = 0
    number = 0
    for number, request in enumerate(requests, 1):
        if number > max_lines:
            raise BatchInputError(f"more than {max_lines} requests in one file", line=number)
        custom_id = present(request, "custom_id")
        if not isinstance(custom_id, str) or not custom_id:
            raise BatchInputError("the request has no custom_id", line=number)
        if custom_id in seen:
            raise BatchInputError(f"custom_id {custom_id!r} is used twice", line=number)
        seen.add(custom_id)
        if present(request, "method") != "POST":
            raise BatchInputError("method must be 'POST'", line=number)
        url = present(request, "url")
        if url not in ENDPOINTS:
            raise BatchInputError(f"url {url!r} is not a Batch API endpoint", line=number)
        if endpoint is None:
            endpoint = url
        elif url != endpoint:
            raise BatchInputError(
                f"url {url!r} differs from {endpoint!r}: one file holds one endpoint",
                line=number,
            )
        body = present(request, "body")
        if body is None:
            raise BatchInputError("the request has no body", line=number)
        if url == "/v1/embeddings":
            inputs += _embedding_inputs(body)
            if inputs > MAX_EMBEDDING_INPUTS:
                raise BatchInputError(
                    f"more than {MAX_EMBEDDING_INPUTS} embedding inputs in one file",
                    line=number,
                )
        line = encode(request) + b"\n"
        size += len(line)
        if size > max_bytes:
            raise BatchInputError(f"the file would pass {max_bytes} bytes", line=number)
        f.write(line)
    return BatchInputStats(lines=number, bytes=size, endpoint=endpoint, embedding_inputs=inputs)
