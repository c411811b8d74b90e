"""What a Batch API output file holds, in counts: :func:`summarize_batch`.

A summary is built in one pass over the file, in bounded memory, and
summaries of parts of a file (or of several files) add up
(:meth:`BatchSummary.merge`), so a distributed engine can summarize byte
ranges (``start``/``end``) side by side and merge the results. Each line is
read as the Parquet export reads it (:class:`~._lines.LineReader`), so a
summary and an export of the same file agree line for line.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ..core._typeinfo import field_names
from ._endpoints import ENDPOINTS
from ._lines import (
    BODY,
    CUSTOM_ID,
    ENDPOINT,
    ERROR_CODE,
    FAILED,
    MODEL,
    STATUS,
    TOKENS,
    LineReader,
    Row,
    views,
)
from ._read import output_reader
from ._reader import BadLine, Errors, fewer_collections
from ._source import BLOCK_SIZE, Progress, Source
from ._usage import Tokens

__all__ = ["BatchSummary", "ModelUsage", "summarize_batch"]

MAX_BAD_KEPT = 100
#: the bad lines kept hold at most this many of their bytes, all together
MAX_BAD_BYTES = 16 << 20


class ModelUsage(msgspec.Struct):
    """The successful requests to one model, and their tokens.

    ``input_tokens`` and ``output_tokens`` are the Responses API's names; for
    chat completions, completions and embeddings they count
    ``prompt_tokens`` and ``completion_tokens``. ``cached_tokens`` and
    ``reasoning_tokens`` come from the usage details where the body has them.
    Every successful request counts in ``requests``, with or without usage
    (moderations and videos report none).
    """

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0

    def merge(self, other: ModelUsage) -> None:
        """Add ``other`` into this one."""
        for name in field_names(type(self)):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def add(self, tokens: Tokens) -> None:
        """Count a successful request, with its ``tokens``."""
        self.requests += 1
        i, o, t, c, r = tokens
        self.input_tokens += i or 0
        self.output_tokens += o or 0
        self.total_tokens += t or 0
        self.cached_tokens += c or 0
        self.reasoning_tokens += r or 0


class BatchSummary(msgspec.Struct):
    """Counts over the lines of a Batch API output (or error) file.

    - ``lines``, ``good``, ``bad``: non-blank lines, and how many did and did
      not decode (``lines == good + bad``); ``bad_lines`` keeps the first 100
      bad lines as :class:`BadLine` records (as long as their bytes add up to
      at most 16 MiB). As in the export, a line whose status code, progress
      or token counts do not fit the export's integer columns is bad;
    - ``endpoint``: the endpoint the bodies were typed by; ``endpoints``:
      lines by endpoint (a merge of summaries of different endpoints keeps
      each count here, and ``endpoint`` is then None);
    - ``status_codes``: lines by HTTP status (lines without a response, as in
      an error file, are not counted here);
    - ``error_codes``: failed lines by error code: the ``error.code`` of an
      error body (or its ``type`` when the code is null), or the ``code`` of
      the line's own ``error`` in an error file (``"(none)"`` when null);
    - ``usage``: a :class:`ModelUsage` per model, for the successful
      requests; ``no_model`` for those whose body names no model (image
      responses), which the export writes with a null ``model``;
    - ``finish_reasons``: choices by ``finish_reason`` (chat completions and
      completions);
    - ``statuses``: bodies by ``status`` (Responses, videos), with the reason
      of an incomplete response as ``incomplete:<reason>``;
    - ``failed_ids``: with ``summarize_batch(..., failed_ids=True)``, the
      ``custom_id`` of every failed request, in file order (a failed line
      without one is counted, not listed).

    It pickles; :meth:`to_dict` gives it as JSON-ready builtins (what
    ``openai-structs batch inspect --json`` prints).
    """

    lines: int = 0
    good: int = 0
    bad: int = 0
    endpoint: str | None = None
    endpoints: dict[str, int] = msgspec.field(default_factory=dict[str, int])
    status_codes: dict[int, int] = msgspec.field(default_factory=dict[int, int])
    error_codes: dict[str, int] = msgspec.field(default_factory=dict[str, int])
    usage: dict[str, ModelUsage] = msgspec.field(default_factory=dict[str, ModelUsage])
    no_model: ModelUsage = msgspec.field(default_factory=ModelUsage)
    finish_reasons: dict[str, int] = msgspec.field(default_factory=dict[str, int])
    statuses: dict[str, int] = msgspec.field(default_factory=dict[str, int])
    bad_lines: list[BadLine] = msgspec.field(default_factory=list[BadLine])
    failed_ids: list[str] = msgspec.field(default_factory=list[str])

    def merge(self, other: BatchSummary) -> BatchSummary:
        """Add ``other`` (the summary of another part of the file, or of
        another file) into this one, and return it. Line numbers in
        ``bad_lines`` stay as each part counted them. Summaries of different
        endpoints add up: ``endpoints`` keeps both, and ``endpoint`` becomes
        None."""
        self.lines += other.lines
        self.good += other.good
        self.bad += other.bad
        counts: list[tuple[dict[Any, int], dict[Any, int]]] = [
            (self.endpoints, other.endpoints),
            (self.status_codes, other.status_codes),
            (self.error_codes, other.error_codes),
            (self.finish_reasons, other.finish_reasons),
            (self.statuses, other.statuses),
        ]
        for mine, theirs in counts:
            for key, n in theirs.items():
                mine[key] = mine.get(key, 0) + n
        self.endpoint = next(iter(self.endpoints)) if len(self.endpoints) == 1 else None
        for model, usage in other.usage.items():
            self.usage.setdefault(model, ModelUsage()).merge(usage)
        self.no_model.merge(other.no_model)
        for bad in other.bad_lines:
            self._keep(bad)
        self.failed_ids.extend(other.failed_ids)
        return self

    def add(self, item: Row | BadLine, *, failed_ids: bool = False) -> None:
        """Count one line, as :class:`~._lines.LineReader` reads it (with its
        ``extras``), or a bad one."""
        if item.__class__ is BadLine:
            self.bad += 1
            self._keep(item)  # type: ignore[arg-type]
            return
        row: Row = item  # type: ignore[assignment]
        self.good += 1
        status = row[STATUS]
        if status is not None:
            counts = self.status_codes
            counts[status] = counts.get(status, 0) + 1
        if row[FAILED]:
            _bump(self.error_codes, row[ERROR_CODE] or "(none)")
            if failed_ids and row[CUSTOM_ID] is not None:
                self.failed_ids.append(row[CUSTOM_ID])
            return
        body = row[BODY]
        if body is None:
            return
        model: str | None = row[MODEL]
        usage = self.no_model if model is None else self.usage.get(model)
        if usage is None:
            usage = self.usage[model] = ModelUsage()  # type: ignore[index]
        usage.add(row[TOKENS])
        finish_reasons, statuses = _OUTCOMES[row[ENDPOINT]](body)
        for reason in finish_reasons:
            _bump(self.finish_reasons, reason or "(none)")
        for name in statuses:
            _bump(self.statuses, name)

    def _keep(self, bad: BadLine) -> None:
        kept = sum(len(b.raw) for b in self.bad_lines)
        if len(self.bad_lines) < MAX_BAD_KEPT and kept + len(bad.raw) <= MAX_BAD_BYTES:
            self.bad_lines.append(bad)

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready builtins; each bad line as ``{line,
        offset, reason}`` (its bytes left out)."""
        out: dict[str, Any] = msgspec.to_builtins(msgspec.structs.replace(self, bad_lines=[]))
        out["bad_lines"] = [
            {"line": b.line, "offset": b.offset, "reason": b.reason} for b in self.bad_lines
        ]
        return out


class _Outcomes(dict[str, Any]):
    """endpoint -> the function giving what a summary counts of its bodies
    (looked up in the registry once per endpoint)."""

    def __missing__(self, endpoint: str) -> Any:
        outcomes = self[endpoint] = ENDPOINTS[endpoint].reading.outcomes
        return outcomes


_OUTCOMES = _Outcomes()


def _bump(counts: dict[Any, int], key: Any) -> None:
    counts[key] = counts.get(key, 0) + 1


def summarize_batch(
    source: Source,
    *,
    endpoint: str | None = None,
    errors: Errors = "skip",
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
    block_size: int = BLOCK_SIZE,
    failed_ids: bool = False,
) -> BatchSummary:
    """Summarize a Batch API output (or error) file in one pass.

    The arguments are those of :func:`iter_batch_output`; ``errors`` defaults
    to ``"skip"`` here: bad lines are counted (and the first 100 kept in
    ``bad_lines``) rather than raised. Pass ``errors="raise"`` to stop at the
    first one. Bad lines are those of :func:`iter_batch_output`, and the
    lines whose integers the export could not write (a status code or a
    progress past int32, a token count past int64), so that a summary and an
    export of the same file agree. ``failed_ids=True`` lists the
    ``custom_id`` of each failed request. See :class:`BatchSummary` for what
    is counted.
    """
    mode: Errors = "collect" if errors == "skip" else errors
    reader = output_reader(
        source,
        endpoint=endpoint,
        errors=mode,
        start=start,
        end=end,
        progress=progress,
        block_size=block_size,
        views=views,
        convert=LineReader(None, extras=True),
        lenient=True,
    )
    summary = BatchSummary()
    with fewer_collections():
        for item in reader:
            summary.add(item, failed_ids=failed_ids)
    summary.lines = summary.good + summary.bad
    summary.endpoint = reader.endpoint
    if reader.endpoint is not None:
        summary.endpoints[reader.endpoint] = summary.lines
    return summary
