"""What a Batch API output file holds, in counts: :func:`summarize_batch`.

A summary is built in one pass over the file, in bounded memory, and
summaries of parts of a file add up (:meth:`BatchSummary.merge`), so a
distributed engine can summarize byte ranges (``start``/``end``) side by side
and merge the results.
"""

from __future__ import annotations

from typing import Any

import msgspec
from msgspec import UNSET

from ..core._fields import present
from ._endpoints import BadLine, error_code
from ._read import BatchReader, Errors
from ._source import BLOCK_SIZE, Progress, Source

__all__ = ["BatchSummary", "ModelUsage", "summarize_batch"]

MAX_BAD_KEPT = 100


class ModelUsage(msgspec.Struct):
    """Token usage of the successful requests to one model.

    ``input_tokens`` and ``output_tokens`` are the Responses API's names; for
    chat completions, completions and embeddings they count
    ``prompt_tokens`` and ``completion_tokens``. ``cached_tokens`` and
    ``reasoning_tokens`` come from the usage details where the body has them.
    """

    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = 0
    reasoning_tokens: int = 0

    def merge(self, other: ModelUsage) -> None:
        """Add ``other`` into this one."""
        for name in self.__struct_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


class BatchSummary(msgspec.Struct):
    """Counts over the lines of a Batch API output (or error) file.

    - ``lines``, ``good``, ``bad``: non-blank lines, and how many did and did
      not decode (``lines == good + bad``); ``bad_lines`` keeps ``(line,
      offset, reason)`` of the first 100 bad lines. As in the export, a line
      whose status code, progress or token counts do not fit the export's
      integer columns is bad (see :func:`openai_structs.batch._export.check_ranges`);
    - ``endpoint``: the endpoint the bodies were typed by;
    - ``status_codes``: lines by HTTP status (lines without a response, as in
      an error file, are not counted here);
    - ``error_codes``: failed lines by error code: the ``error.code`` of an
      error body (or its ``type`` when the code is null), or the ``code`` of
      the line's own ``error`` in an error file;
    - ``usage``: a :class:`ModelUsage` per model;
    - ``finish_reasons``: choices by ``finish_reason`` (chat completions and
      completions);
    - ``statuses``: bodies by ``status`` (Responses, videos), with the reason
      of an incomplete response as ``incomplete:<reason>``.

    It is a plain msgspec Struct: it encodes to JSON and pickles.
    """

    lines: int = 0
    good: int = 0
    bad: int = 0
    endpoint: str | None = None
    status_codes: dict[int, int] = msgspec.field(default_factory=dict)
    error_codes: dict[str, int] = msgspec.field(default_factory=dict)
    usage: dict[str, ModelUsage] = msgspec.field(default_factory=dict)
    finish_reasons: dict[str, int] = msgspec.field(default_factory=dict)
    statuses: dict[str, int] = msgspec.field(default_factory=dict)
    bad_lines: list[tuple[int, int, str]] = msgspec.field(default_factory=list)

    def merge(self, other: BatchSummary) -> BatchSummary:
        """Add ``other`` (the summary of another part of the file) into this
        one, and return it. Line numbers in ``bad_lines`` stay as each part
        counted them."""
        self.lines += other.lines
        self.good += other.good
        self.bad += other.bad
        self.endpoint = self.endpoint or other.endpoint
        for mine, theirs in (
            (self.status_codes, other.status_codes),
            (self.error_codes, other.error_codes),
            (self.finish_reasons, other.finish_reasons),
            (self.statuses, other.statuses),
        ):
            for key, n in theirs.items():  # type: ignore[attr-defined]
                mine[key] = mine.get(key, 0) + n  # type: ignore[index]
        for model, usage in other.usage.items():
            self.usage.setdefault(model, ModelUsage()).merge(usage)
        room = MAX_BAD_KEPT - len(self.bad_lines)
        self.bad_lines.extend(other.bad_lines[: max(room, 0)])
        return self

    def add(self, line: Any) -> None:
        """Count one decoded output line."""
        if isinstance(line, BadLine):
            self.bad += 1
            if len(self.bad_lines) < MAX_BAD_KEPT:
                self.bad_lines.append((line.line, line.offset, line.reason))
            return
        self.good += 1
        response = line.response
        if response is None or response is UNSET:
            error = line.error
            if error is not None and error is not UNSET:
                _bump(self.error_codes, _str(error.code))
            return
        status = response.status_code
        if status is not UNSET:
            _bump(self.status_codes, status)
        body = response.body
        if body is UNSET:
            return
        error = getattr(body, "error", None)
        failed = not 200 <= status < 300 if isinstance(status, int) else error is not None
        if failed:
            if error is not None:
                _bump(self.error_codes, _str(error_code(error)))
            return
        self._count_body(body)

    def _count_body(self, body: Any) -> None:
        usage = getattr(body, "usage", None)
        if usage is not None and usage is not UNSET:
            model = getattr(body, "model", UNSET)
            key = model if isinstance(model, str) else "(no model)"
            mu = self.usage.get(key)
            if mu is None:
                mu = self.usage[key] = ModelUsage()
            mu.requests += 1
            mu.input_tokens += _int(usage, "input_tokens", "prompt_tokens")
            mu.output_tokens += _int(usage, "output_tokens", "completion_tokens")
            mu.total_tokens += _int(usage, "total_tokens")
            details = present(usage, "input_tokens_details", "prompt_tokens_details")
            mu.cached_tokens += _int(details, "cached_tokens")
            details = present(usage, "output_tokens_details", "completion_tokens_details")
            mu.reasoning_tokens += _int(details, "reasoning_tokens")
        choices = getattr(body, "choices", None)
        if isinstance(choices, list):
            for choice in choices:
                _bump(self.finish_reasons, _str(getattr(choice, "finish_reason", None)))
        status = getattr(body, "status", None)
        if isinstance(status, str):
            _bump(self.statuses, status)
            details = getattr(body, "incomplete_details", None)
            reason = getattr(details, "reason", None)
            if isinstance(reason, str):
                _bump(self.statuses, f"incomplete:{reason}")


def _bump(counts: dict[Any, int], key: Any) -> None:
    counts[key] = counts.get(key, 0) + 1


def _str(value: Any) -> str:
    return value if isinstance(value, str) else "(none)"


def _int(obj: Any, *names: str) -> int:
    value = present(obj, *names)
    return value if isinstance(value, int) else 0


def summarize_batch(
    source: Source,
    *,
    endpoint: str | None = None,
    errors: Errors = "skip",
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
    block_size: int = BLOCK_SIZE,
) -> BatchSummary:
    """Summarize a Batch API output (or error) file in one pass.

    The arguments are those of :func:`iter_batch_output`; ``errors`` defaults
    to ``"skip"`` here: bad lines are counted (and the first 100 kept in
    ``bad_lines``) rather than raised. Pass ``errors="raise"`` to stop at the
    first one. Bad lines are those of :func:`iter_batch_output`, and the
    lines whose integers the export could not write (a status code or a
    progress past int32, a token count past int64), so that a summary and an
    export of the same file agree. See :class:`BatchSummary` for what is counted.
    """
    from ._export import check_ranges

    mode: Errors = "collect" if errors == "skip" else errors
    reader = BatchReader(
        source,
        kind="output",
        endpoint=endpoint,
        errors=mode,
        start=start,
        end=end,
        progress=progress,
        block_size=block_size,
        check=check_ranges,
    )
    summary = BatchSummary()
    add = summary.add
    for line in reader:
        add(line)
    summary.lines = summary.good + summary.bad
    summary.endpoint = reader.endpoint
    return summary
