"""Flatten typed batch output lines into table rows, and write them as Parquet.

One batch output line becomes one row: who asked (``custom_id``), how it went
(``status_code``, ``error_code``, ``error_message``), and what came back, in
columns chosen by the endpoint. :data:`COLUMNS` is the schema, and it is part
of the public contract: a column is added at the end, never renamed or
retyped.

Rows are plain dicts built from the typed objects by :func:`export_row`, so
they need nothing but this package; pyarrow (the ``arrow`` extra) is only
imported by :func:`arrow_schema` and :func:`write_parquet`.

Columns for every endpoint:

=================  ========  ==================================================
``custom_id``      string    the request's ``custom_id``
``request_id``     string    the API's request id, when the line has a response
``status_code``    int32     HTTP status of the request; null on error-file lines
``error_code``     string    ``error.code`` of an error-file line, or of a
                             non-2xx body (its ``type`` when it has no code)
``error_message``  string    the matching message
``model``          string    the model that answered
=================  ========  ==================================================

Chat completions, completions and Responses add ``finish_reason`` (a chat or
completions choice's finish reason, or a response's ``status``),
``output_text`` (all text the model wrote, parts joined without separator),
``tool_calls`` (a list of ``{name, arguments}``, function and custom tool
calls in order), ``input_tokens``, ``output_tokens`` and ``total_tokens``
(chat's prompt and completion tokens map to input and output). Chat and
completions report the first choice in ``finish_reason`` and ``output_text``
and the number of choices in ``choices``.

Embeddings add ``embeddings`` (how many vectors), ``input_tokens`` and
``total_tokens``. Moderations add ``flagged`` (any result flagged) and
``categories`` (the flagged categories of all results). Images add ``images``
and the three token counts. Videos add ``status`` and ``progress``.

A line whose ``status_code`` or ``progress`` does not fit an int32, or whose
token counts do not fit an int64, is a bad line (:func:`check_ranges`): no
real response holds one, and the columns keep their types. The readers behind
the export (:func:`export_reader`) and behind ``summarize_batch`` apply that
check, so ``inspect`` and ``export`` call the same lines bad.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from functools import reduce
from operator import attrgetter, or_
from typing import Any

from msgspec import UNSET

from ..core._fields import present
from ..errors import ValidationError
from ._endpoints import _check, error_code
from ._write import replacing

__all__ = [
    "COLUMNS",
    "arrow_batch",
    "arrow_schema",
    "check_ranges",
    "columns_for",
    "concat_parquet",
    "export_file",
    "export_reader",
    "export_row",
    "export_rows",
    "first_endpoint",
    "write_parquet",
]

#: column -> arrow type name, for the columns every endpoint has
BASE = {
    "custom_id": "string",
    "request_id": "string",
    "status_code": "int32",
    "error_code": "string",
    "error_message": "string",
    "model": "string",
}
_TEXT = {
    "finish_reason": "string",
    "output_text": "string",
    "tool_calls": "tool_calls",
    "input_tokens": "int64",
    "output_tokens": "int64",
    "total_tokens": "int64",
}
_CHOICES = {"choices": "int32"}
_TOKENS = {"input_tokens": "int64", "output_tokens": "int64", "total_tokens": "int64"}

#: endpoint -> its extra columns (name -> arrow type name), after :data:`BASE`;
#: one entry per endpoint of the Batch API (``_endpoints.ENDPOINTS``)
COLUMNS: dict[str, dict[str, str]] = {
    "/v1/chat/completions": {**_TEXT, **_CHOICES},
    "/v1/completions": {**_TEXT, **_CHOICES},
    "/v1/responses": _TEXT,
    "/v1/embeddings": {"embeddings": "int32", "input_tokens": "int64", "total_tokens": "int64"},
    "/v1/moderations": {"flagged": "bool", "categories": "list<string>"},
    "/v1/images/generations": {"images": "int32", **_TOKENS},
    "/v1/images/edits": {"images": "int32", **_TOKENS},
    "/v1/videos": {"status": "string", "progress": "int32"},
}


def columns_for(endpoint: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Every column of the export of ``endpoint``'s output, in order, then
    ``extra``. With no endpoint (an error file with no successful line to
    tell it), only the columns every endpoint has."""
    own = {} if endpoint is None else COLUMNS[_check(endpoint)]
    return {**BASE, **own, **(extra or {})}


# -- integers that must fit their columns ------------------------------------

_INT32 = 1 << 31
_INT64 = 1 << 63
#: the usage fields the token columns are read from (int64)
_TOKEN_FIELDS = (
    "prompt_tokens",
    "completion_tokens",
    "input_tokens",
    "output_tokens",
    "total_tokens",
)
# body class -> the check of such a body (None: nothing to check)
_PLANS: dict[type, Callable[[Any], None] | None] = {}


def _out_of_range(value: int, kind: str, path: str) -> ValidationError:
    return ValidationError(
        f"{value} does not fit the export's {kind} column - at `{path}`", path=path
    )


def check_ranges(line: Any) -> None:
    """Raise :class:`~openai_structs.ValidationError` (naming the ``$.path``)
    if an integer that the export takes from the typed output ``line`` does
    not fit its column: ``status_code`` and ``progress`` (int32), the token
    counts of ``usage`` (int64, whatever the endpoint). The readers of the
    export and of ``summarize_batch`` call it on every line, so that a line
    the export cannot write is a bad line for both.

    It runs on every line, so it is written for speed: ``v >> 31`` is 0 for
    every int in ``[0, 2**31)``, and the bitwise or of the token counts,
    shifted by 63, is 0 exactly when they all are in ``[0, 2**63)``; only
    what fails that (negative, huge, not an int) is looked at closely."""
    response = line.response
    if response is None or response is UNSET:
        return
    status = response.status_code
    if status.__class__ is int and status >> 31 and not -_INT32 <= status < _INT32:
        raise _out_of_range(status, "int32", "$.response.status_code")
    body = response.body
    try:
        plan = _PLANS[body.__class__]
    except KeyError:
        plan = _PLANS[body.__class__] = _plan(body.__class__)
    if plan is not None:
        plan(body)


def _plan(cls: type) -> Callable[[Any], None] | None:
    """The check :func:`check_ranges` makes of a body of class ``cls``."""
    fields = getattr(cls, "__struct_fields__", ())
    has_usage, has_progress = "usage" in fields, "progress" in fields
    if not (has_usage or has_progress):
        return None
    ors: dict[type, Callable[[Any], Any]] = {}  # usage class -> or of its counts

    def check(body: Any) -> None:
        if has_usage:
            usage = body.usage
            try:
                either = ors[usage.__class__]
            except KeyError:
                either = ors[usage.__class__] = _or_of_tokens(usage.__class__)
            try:
                fits = not either(usage) >> 63
            except TypeError:  # a count that is null, absent or not an int
                fits = False
            if not fits:
                _check_tokens(usage)
        if has_progress:
            value = body.progress
            if value.__class__ is int and value >> 31 and not -_INT32 <= value < _INT32:
                raise _out_of_range(value, "int32", "$.response.body.progress")

    return check


def _or_of_tokens(cls: type) -> Callable[[Any], Any]:
    """A function of a usage object of class ``cls`` that gives the bitwise
    or of its token counts (0 if it has none)."""
    names = [name for name in getattr(cls, "__struct_fields__", ()) if name in _TOKEN_FIELDS]
    if not names:
        return lambda usage: 0
    get = attrgetter(*names)
    if len(names) == 1:
        return get
    if len(names) == 2:

        def either2(usage: Any) -> Any:
            a, b = get(usage)
            return a | b

        return either2
    if len(names) == 3:

        def either3(usage: Any) -> Any:
            a, b, c = get(usage)
            return a | b | c

        return either3
    return lambda usage: reduce(or_, get(usage))


def _check_tokens(usage: Any) -> None:
    """The exact check of a usage object's token counts (the slow path)."""
    for name in _TOKEN_FIELDS:
        value = getattr(usage, name, None)
        if type(value) is int and not -_INT64 <= value < _INT64:
            raise _out_of_range(value, "int64", f"$.response.body.usage.{name}")


def _is_success(status: Any) -> bool:
    return isinstance(status, int) and 200 <= status < 300


def export_row(line: Any, endpoint: str | None) -> dict[str, Any]:
    """The export row of one typed batch output line, as a dict of columns.

    ``line`` is what :func:`openai_structs.batch.iter_batch_output` yields;
    ``endpoint`` picks the columns (see the module docs)."""
    columns = columns_for(endpoint)
    row: dict[str, Any] = dict.fromkeys(columns)
    row["custom_id"] = present(line, "custom_id")
    response = present(line, "response")
    error = present(line, "error")
    if error is not None:
        row["error_code"] = present(error, "code")
        row["error_message"] = present(error, "message")
    if response is None:
        return row
    row["request_id"] = present(response, "request_id")
    status = present(response, "status_code")
    row["status_code"] = status
    body = present(response, "body")
    if body is None:
        return row
    if not _is_success(status):
        api_error = present(body, "error")
        if api_error is not None:
            row["error_code"] = error_code(api_error)
            row["error_message"] = present(api_error, "message")
        return row
    row["model"] = present(body, "model")
    if endpoint is not None:
        _FILL[endpoint](body, row)
    return row


def _usage(row: dict[str, Any], usage: Any, input_name: str, output_name: str | None) -> None:
    if usage is None:
        return
    row["input_tokens"] = present(usage, input_name)
    if output_name is not None:
        row["output_tokens"] = present(usage, output_name)
    row["total_tokens"] = present(usage, "total_tokens")


def _tool_call(call: Any) -> dict[str, Any] | None:
    """``{name, arguments}`` of a chat tool call or a Responses output item."""
    function = present(call, "function")
    if function is not None:  # chat function tool call
        return {"name": present(function, "name"), "arguments": present(function, "arguments")}
    custom = present(call, "custom")
    if custom is not None:  # chat custom tool call
        return {"name": present(custom, "name"), "arguments": present(custom, "input")}
    kind = present(call, "type")
    if kind == "function_call":
        return {"name": present(call, "name"), "arguments": present(call, "arguments")}
    if kind == "custom_tool_call":
        return {"name": present(call, "name"), "arguments": present(call, "input")}
    return None


def _chat(body: Any, row: dict[str, Any]) -> None:
    choices = present(body, "choices") or []
    row["choices"] = len(choices)
    _usage(row, present(body, "usage"), "prompt_tokens", "completion_tokens")
    if not choices:
        return
    first = choices[0]
    row["finish_reason"] = present(first, "finish_reason")
    message = present(first, "message")
    row["output_text"] = present(message, "content")
    calls = [_tool_call(call) for call in present(message, "tool_calls") or []]
    row["tool_calls"] = [call for call in calls if call is not None]


def _completions(body: Any, row: dict[str, Any]) -> None:
    choices = present(body, "choices") or []
    row["choices"] = len(choices)
    _usage(row, present(body, "usage"), "prompt_tokens", "completion_tokens")
    if choices:
        row["finish_reason"] = present(choices[0], "finish_reason")
        row["output_text"] = present(choices[0], "text")
        row["tool_calls"] = []


def _responses(body: Any, row: dict[str, Any]) -> None:
    row["finish_reason"] = present(body, "status")
    _usage(row, present(body, "usage"), "input_tokens", "output_tokens")
    texts: list[str] = []
    calls: list[dict[str, Any]] = []
    for item in present(body, "output") or []:
        if present(item, "type") == "message":
            for part in present(item, "content") or []:
                if present(part, "type") == "output_text":
                    texts.append(present(part, "text") or "")
            continue
        call = _tool_call(item)
        if call is not None:
            calls.append(call)
    row["output_text"] = "".join(texts) if texts else None
    row["tool_calls"] = calls


def _embeddings(body: Any, row: dict[str, Any]) -> None:
    row["embeddings"] = len(present(body, "data") or [])
    _usage(row, present(body, "usage"), "prompt_tokens", None)


def _moderations(body: Any, row: dict[str, Any]) -> None:
    results = present(body, "results") or []
    row["flagged"] = any(bool(present(result, "flagged")) for result in results)
    flagged: list[str] = []
    for result in results:
        categories = present(result, "categories")
        if categories is None:
            continue
        for name, field in zip(categories.__struct_fields__, categories.__struct_encode_fields__):
            if getattr(categories, name) is True and field not in flagged:
                flagged.append(field)
    row["categories"] = flagged


def _images(body: Any, row: dict[str, Any]) -> None:
    row["images"] = len(present(body, "data") or [])
    _usage(row, present(body, "usage"), "input_tokens", "output_tokens")


def _videos(body: Any, row: dict[str, Any]) -> None:
    row["status"] = present(body, "status")
    row["progress"] = present(body, "progress")


_FILL: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "/v1/chat/completions": _chat,
    "/v1/completions": _completions,
    "/v1/responses": _responses,
    "/v1/embeddings": _embeddings,
    "/v1/moderations": _moderations,
    "/v1/images/generations": _images,
    "/v1/images/edits": _images,
    "/v1/videos": _videos,
}


def first_endpoint(path: str | os.PathLike[str]) -> str | None:
    """The endpoint the first successful line of ``path`` answers, or None."""
    from ._read import iter_batch_output

    reader = iter_batch_output(path, errors="skip")
    for _ in reader:
        if reader.endpoint is not None:
            return reader.endpoint
    return reader.endpoint


def export_reader(
    path: str | os.PathLike[str],
    endpoint: str | None,
    *,
    fixed: bool = True,
    errors: str = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Any = None,
) -> Any:
    """The reader of the lines of ``path`` (between ``start`` and ``end``)
    that the export writes: a ``BatchReader`` that also calls a line bad if
    :func:`check_ranges` refuses it.

    With ``fixed`` the lines are typed by ``endpoint``, as with
    ``iter_batch_output(endpoint=...)`` (a line of another endpoint is bad);
    otherwise as with ``endpoint=None`` (inferred from the file's start, a
    line of another endpoint typed by its own body), which is what the command
    line does when no ``--endpoint`` is given, as ``inspect`` does."""
    from ._read import BatchReader
    from ._source import BLOCK_SIZE

    return BatchReader(
        path,
        kind="output",
        endpoint=endpoint if fixed else None,
        errors=errors,  # type: ignore[arg-type]
        start=start,
        end=end,
        progress=progress,
        block_size=BLOCK_SIZE,
        check=check_ranges,
    )


def export_rows(
    path: str | os.PathLike[str],
    endpoint: str | None,
    *,
    fixed: bool = True,
    errors: str = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Any = None,
) -> Iterator[dict[str, Any]]:
    """Export rows of the lines of ``path`` (between ``start`` and ``end``),
    read by :func:`export_reader` with the same arguments."""
    reader = export_reader(
        path, endpoint, fixed=fixed, errors=errors, start=start, end=end, progress=progress
    )
    for line in reader:
        yield export_row(line, endpoint)


def export_file(
    path: str | os.PathLike[str],
    dest: str | os.PathLike[str],
    endpoint: str | None,
    *,
    fixed: bool = True,
    errors: str = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Any = None,
) -> tuple[int, int]:
    """Export the lines of ``path`` (between ``start`` and ``end``) to the
    Parquet file ``dest``; return ``(rows written, bad lines skipped)``. The
    arguments are those of :func:`export_reader` and :func:`write_parquet`."""
    reader = export_reader(
        path, endpoint, fixed=fixed, errors=errors, start=start, end=end, progress=progress
    )
    count = write_parquet((export_row(line, endpoint) for line in reader), dest, endpoint)
    return count, reader.bad


def arrow_schema(endpoint: str | None, extra: dict[str, str] | None = None) -> Any:
    """The ``pyarrow.Schema`` of ``endpoint``'s export, with ``extra`` columns
    after it (needs the ``arrow`` extra)."""
    import pyarrow as pa

    kinds = {
        "string": pa.string(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "bool": pa.bool_(),
        "list<string>": pa.list_(pa.string()),
        "tool_calls": pa.list_(
            pa.struct([pa.field("name", pa.string()), pa.field("arguments", pa.string())])
        ),
    }
    columns = columns_for(endpoint, extra)
    return pa.schema([pa.field(name, kinds[kind]) for name, kind in columns.items()])


def arrow_batch(rows: list[dict[str, Any]], schema: Any) -> Any:
    """Export ``rows`` as one ``pyarrow.RecordBatch`` of ``schema``. Built
    from column lists, which convert about 4x faster than row dicts."""
    import pyarrow as pa

    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.RecordBatch.from_pydict(columns, schema=schema)


def write_parquet(
    rows: Iterable[dict[str, Any]],
    dest: str | os.PathLike[str],
    endpoint: str | None,
    *,
    extra: dict[str, str] | None = None,
    batch_rows: int = 50_000,
) -> int:
    """Write export ``rows`` to the Parquet file ``dest``; return the row count.

    ``extra`` names columns the rows carry beyond ``endpoint``'s own.

    Rows are written in record batches of ``batch_rows``, so memory stays
    bounded whatever the file's size. The file is written beside ``dest``
    under a temporary name and renamed into place only when complete: an
    error or Ctrl-C part way leaves no half-written ``dest`` behind.
    """
    import pyarrow.parquet as pq

    schema = arrow_schema(endpoint, extra)
    count = 0
    with replacing(dest) as partial, pq.ParquetWriter(partial, schema) as writer:

        def flush(batch: list[dict[str, Any]]) -> None:
            writer.write_batch(arrow_batch(batch, schema))

        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_rows:
                flush(batch)
                count += len(batch)
                batch = []
        if batch or count == 0:
            flush(batch)
            count += len(batch)
    return count


def concat_parquet(
    parts: Iterable[str | os.PathLike[str]], dest: str | os.PathLike[str], endpoint: str | None
) -> int:
    """Join export files written by :func:`write_parquet` (for the same
    ``endpoint``) into ``dest``, in order, a record batch at a time and with
    no conversion to Python; return the row count. Written like
    :func:`write_parquet`: nothing is left at ``dest`` on failure."""
    import pyarrow.parquet as pq

    schema = arrow_schema(endpoint)
    count = 0
    with replacing(dest) as partial, pq.ParquetWriter(partial, schema) as writer:
        for part in parts:
            for batch in pq.ParquetFile(part).iter_batches():
                writer.write_batch(batch)
                count += batch.num_rows
    return count
