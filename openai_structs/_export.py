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
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ._batch_types import _check, error_code, present
from ._batch_write import replacing

__all__ = [
    "COLUMNS",
    "arrow_batch",
    "arrow_schema",
    "columns_for",
    "concat_parquet",
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
#: one entry per endpoint of the Batch API (``_batch_types.ENDPOINTS``)
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
    from ._batch_read import iter_batch_output

    reader = iter_batch_output(path, errors="skip")
    for _ in reader:
        if reader.endpoint is not None:
            return reader.endpoint
    return reader.endpoint


def export_rows(
    path: str | os.PathLike[str],
    endpoint: str | None,
    *,
    errors: str = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Any = None,
) -> Iterator[dict[str, Any]]:
    """Export rows of the lines of ``path`` (between ``start`` and ``end``)."""
    from ._batch_read import iter_batch_output

    reader = iter_batch_output(
        path,
        endpoint=endpoint,
        errors=errors,  # type: ignore[arg-type]
        start=start,
        end=end,
        progress=progress,
    )
    for line in reader:
        yield export_row(line, endpoint)


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
