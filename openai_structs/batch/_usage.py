# pyright: strict
"""The token counts of one batch output line, the same names for every endpoint.

The endpoints count tokens under different names: chat completions,
completions and embeddings say ``prompt_tokens`` and ``completion_tokens``
(with ``prompt_tokens_details`` and ``completion_tokens_details``), the
Responses API and images say ``input_tokens`` and ``output_tokens`` (with
``input_tokens_details`` and ``output_tokens_details``). :func:`tokens_of`
reads any of them into one :class:`Tokens`: input, output, total, cached (of
the input) and reasoning (of the output), each None where the body does not
say. The summary and the export both read usage through it, so they count the
same tokens.

Every count must fit the export's int64 columns: one that does not raises a
:class:`~openai_structs.ValidationError` naming its ``$.path``, which makes
the line a bad line for the export and the summary alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from msgspec import UNSET

from ..errors import ValidationError

__all__ = ["NO_TOKENS", "Tokens", "out_of_range", "tokens_of"]

_INT64 = 1 << 63
_USAGE = "$.response.body.usage"


class Tokens(NamedTuple):
    """Token counts of one response body; None where the body does not say."""

    input: int | None
    output: int | None
    total: int | None
    cached: int | None
    reasoning: int | None


NO_TOKENS = Tokens(None, None, None, None, None)

# usage class -> its reader
_READERS: dict[type, Callable[[object], Tokens]] = {}


def tokens_of(usage: object) -> Tokens:
    """The token counts of a body's ``usage`` object (None, or absent, gives
    :data:`NO_TOKENS`). Raises :class:`ValidationError` if a count does not
    fit an int64."""
    if usage is None or usage is UNSET:
        return NO_TOKENS
    cls = usage.__class__
    read = _READERS.get(cls)
    if read is None:
        read = _READERS[cls] = _reader_of(cls)
    return read(usage)


def out_of_range(value: int, kind: str, path: str) -> ValidationError:
    """The error for an integer that does not fit the export's ``kind`` column."""
    return ValidationError(
        f"{value} does not fit the export's {kind} column - at `{path}`", path=path
    )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _reader_of(cls: type) -> Callable[[object], Tokens]:
    """The reader of usage objects of class ``cls``: which of its fields hold
    which count is found once, from the names of its fields."""
    fields: tuple[str, ...] = getattr(cls, "__struct_fields__", ())

    def first(*names: str) -> str | None:
        return next((name for name in names if name in fields), None)

    top = (
        first("input_tokens", "prompt_tokens"),
        first("output_tokens", "completion_tokens"),
        first("total_tokens"),
    )
    details = (
        (first("input_tokens_details", "prompt_tokens_details"), "cached_tokens"),
        (first("output_tokens_details", "completion_tokens_details"), "reasoning_tokens"),
    )
    paths = [None if name is None else f"{_USAGE}.{name}" for name in top]
    paths += [None if outer is None else f"{_USAGE}.{outer}.{inner}" for outer, inner in details]

    def read(usage: object) -> Tokens:
        counts = [None if name is None else _count(getattr(usage, name)) for name in top]
        for outer, inner in details:
            part = None if outer is None else getattr(usage, outer)
            counts.append(_count(getattr(part, inner, None)))
        either = 0
        for value in counts:
            if value is not None:
                either |= value
        if either >> 63:  # negative, or past int64: look closely
            for value, path in zip(counts, paths):
                if value is not None and path is not None and not -_INT64 <= value < _INT64:
                    raise out_of_range(value, "int64", path)
        return Tokens(*counts)

    return read
