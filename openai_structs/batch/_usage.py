"""The token counts of one batch output line, the same names for every endpoint.

The endpoints count tokens under different names: chat completions,
completions and embeddings say ``prompt_tokens`` and ``completion_tokens``
(with ``prompt_tokens_details`` and ``completion_tokens_details``), the
Responses API and images say ``input_tokens`` and ``output_tokens`` (with
``input_tokens_details`` and ``output_tokens_details``). :func:`tokens_of`
reads any of them into one :data:`Tokens` tuple: input, output, total, cached
(of the input) and reasoning (of the output), each None where the body does
not say. The summary and the export both read usage through it, so they count
the same tokens; :func:`line_usage` gives a user the same reading of a line,
as a :class:`LineUsage` with the names spelled out.

Every count must fit the export's int64 columns: one that does not raises a
:class:`~openai_structs.ValidationError` naming its ``$.path``, which makes
the line a bad line for the export and the summary alike.

It runs on every line of an export, so each usage class gets a reader of its
own, built once from the names of its fields (``attrgetter`` for the three
counts, then the two details), and a plain tuple comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, NamedTuple

from msgspec import UNSET

from ..core._fields import present
from ..core._typeinfo import field_names
from ..errors import ValidationError

__all__ = [
    "INPUT",
    "NO_TOKENS",
    "TOTAL",
    "LineUsage",
    "Tokens",
    "line_usage",
    "out_of_range",
    "tokens_of",
    "usage_reader",
]

_INT64 = 1 << 63
_USAGE = "$.response.body.usage"

#: ``(input, output, total, cached, reasoning)`` tokens of one body; None
#: where the body does not say
Tokens = tuple[Any, Any, Any, Any, Any]
INPUT, OUTPUT, TOTAL, CACHED, REASONING = range(5)
NO_TOKENS: Tokens = (None, None, None, None, None)

# usage class -> its reader
_READERS: dict[type, Callable[[Any], Tokens]] = {}


def tokens_of(usage: object) -> Tokens:
    """The token counts of a body's ``usage`` object (None, or absent, gives
    :data:`NO_TOKENS`). Raises :class:`ValidationError` if a count does not
    fit an int64."""
    if usage is None or usage is UNSET:
        return NO_TOKENS
    return usage_reader(usage.__class__)(usage)


def usage_reader(cls: type) -> Callable[[Any], Tokens]:
    """What :func:`tokens_of` calls on a usage object of class ``cls``: for a
    caller that knows the class of the usage it reads, one call less a line."""
    read = _READERS.get(cls)
    if read is None:
        read = _READERS[cls] = _reader_of(cls)
    return read


class LineUsage(NamedTuple):
    """The tokens one batch output line used, by one set of names for every
    endpoint: ``input_tokens`` is chat's and embeddings' ``prompt_tokens``,
    ``output_tokens`` chat's ``completion_tokens``; ``cached_tokens`` and
    ``reasoning_tokens`` come from the input and output details. Each is None
    where the line does not say (a failed request, an endpoint that counts no
    such tokens)."""

    input_tokens: int | None
    output_tokens: int | None
    total_tokens: int | None
    cached_tokens: int | None
    reasoning_tokens: int | None


def line_usage(line: object) -> LineUsage:
    """The token usage of a batch output ``line`` (as :func:`iter_batch_output`
    or :func:`join_batch` gives it, with the full body type or a view that
    keeps ``usage``), read the way the summary and the export read it, so
    ``sum(line_usage(x).input_tokens or 0 for x in lines)`` is the summary's
    input tokens whatever the endpoint. A count past int64 raises
    :class:`~openai_structs.ValidationError` naming its path (the export and
    the summary call such a line bad)."""
    body = present(present(line, "response"), "body")
    return LineUsage._make(tokens_of(present(body, "usage")))


def out_of_range(value: int, kind: str, path: str) -> ValidationError:
    """The error for an integer that does not fit the export's ``kind`` column."""
    return ValidationError(
        f"{value} does not fit the export's {kind} column - at `{path}`", path=path
    )


def _count(value: object) -> int | None:
    return value if isinstance(value, int) else None


def _reader_of(cls: type) -> Callable[[Any], Tokens]:
    """The reader of usage objects of class ``cls``: which of its fields hold
    which count is found once, from the names of its fields."""
    fields = field_names(cls)

    def first(*names: str) -> str | None:
        return next((name for name in names if name in fields), None)

    top = (
        first("input_tokens", "prompt_tokens"),
        first("output_tokens", "completion_tokens"),
        first("total_tokens"),
    )
    cached = first("input_tokens_details", "prompt_tokens_details")
    reasoning = first("output_tokens_details", "completion_tokens_details")
    paths = [None if name is None else f"{_USAGE}.{name}" for name in top]
    paths.append(None if cached is None else f"{_USAGE}.{cached}.cached_tokens")
    paths.append(None if reasoning is None else f"{_USAGE}.{reasoning}.reasoning_tokens")
    get = attrgetter(*[name or "__class__" for name in top])  # a stand-in where absent
    exact = None not in top
    details = attrgetter(cached or "__class__", reasoning or "__class__")

    def read(usage: Any) -> Tokens:
        a, b, c = get(usage)
        if not exact or a.__class__ is not int or b.__class__ is not int:
            a, b, c = [None if n is None else _count(x) for n, x in zip(top, (a, b, c))]
        d, e = details(usage)
        d = getattr(d, "cached_tokens", None) if d and cached else None
        e = getattr(e, "reasoning_tokens", None) if e and reasoning else None
        if d.__class__ is not int:
            d = None  # absent (UNSET)
        if e.__class__ is not int:
            e = None
        if ((a or 0) | (b or 0) | (c or 0) | (d or 0) | (e or 0)) >> 63:
            for value, path in zip((a, b, c, d, e), paths):  # negative, or past int64
                if value is not None and path is not None and not -_INT64 <= value < _INT64:
                    raise out_of_range(value, "int64", path)
        return (a, b, c, d, e)

    names = [*top, cached, reasoning]
    if None in names:
        return read
    every: Callable[[Any], tuple[Any, ...]] = attrgetter(*[name or "" for name in names])

    def read_all(usage: Any) -> Tokens:
        # ``read`` where the class has all five: one attrgetter call
        a, b, c, d, e = every(usage)
        if a.__class__ is not int or b.__class__ is not int:
            return read(usage)
        d = getattr(d, "cached_tokens", None)  # None where the details are None or UNSET
        e = getattr(e, "reasoning_tokens", None)
        if d.__class__ is not int:
            d = None
        if e.__class__ is not int:
            e = None
        if (a | b | (c or 0) | (d or 0) | (e or 0)) >> 63:
            return read(usage)  # negative, or past int64: raises where it is past
        return (a, b, c, d, e)

    return read_all
