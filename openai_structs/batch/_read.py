"""Reading Batch API files: :func:`iter_batch_output` and :func:`iter_batch_input`.

How a file is read, block by block (see :mod:`openai_structs.batch._source`
for where the blocks come from):

1. **Fast path.** A block of about 1 MB of whole lines is decoded by one
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
   path below.
3. **Exact path**, for a line found above, and for the line where a block
   fails to decode: a probe reads the line's ``status_code`` and the keys of
   its body that tell the endpoint (skipping everything else), then the line
   is decoded with the type they call for. If that fails, the line is bad.
   The good lines before it in the block are decoded again in one call, and
   the block goes on after it.

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

An input line must carry a string ``custom_id`` (the Batch API rejects a file
with a request that has none; nothing could pair it with its result): a line
without one is a bad line. An output line must hold a ``response`` or an
``error``; one without a ``custom_id`` (the API always writes one) still reads,
and :func:`~openai_structs.join_batch` never pairs it.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any, Literal

from msgspec import UNSET

from ..core._codec import Decoder
from ..errors import BatchLineError, DecodeError, ValidationError
from ._endpoints import (
    ENDPOINTS,
    BadLine,
    BodyProbe,
    InputProbe,
    OutputProbe,
    _check,
    body_type,
    endpoint_of_body,
    input_decoder,
    output_decoder,
)
from ._source import BLOCK_SIZE, Blocks, Progress, Source

__all__ = ["BatchReader", "iter_batch_input", "iter_batch_output"]

Errors = Literal["raise", "skip", "collect"]

# A line holding ``"status_code": N`` where N is anything but a 2xx integer
# is decoded on its own. The key is found with ``find`` (a regular expression
# that starts with ``"`` scans JSON several times slower), then what follows
# it is matched in place.
_KEY = b'"status_code"'
_KEY_LEN = len(_KEY)
_IS_2XX = re.compile(rb"[ \t\r\n]*:[ \t\r\n]*2[0-9][0-9](?![0-9.eE])").match
_BLANK = re.compile(rb"[ \t\r\n]*")
_RESPONSE = attrgetter("response")
_NOT_OUTPUT = (
    "not a batch output line: it has neither `response` nor `error` "
    "(an input file read as output?) - at `$`"
)
_NO_ID = "Object missing required field `custom_id` - at `$`"

#: ``check(value)`` raises a :class:`DecodeError` to make a decoded line bad
Check = Callable[[Any], object]


def _not_output_line(value: Any) -> bool:
    """Whether a decoded output line lacks both ``response`` and ``error``:
    every field of the line schema is optional, but the API always sends one."""
    return value.response is UNSET and value.error is UNSET


def _line_problem(value: Any, output: bool) -> ValidationError | None:
    """What makes a decoded line bad although it fits its type, if anything."""
    if output:
        return ValidationError(_NOT_OUTPUT, path="$") if _not_output_line(value) else None
    if value.custom_id.__class__ is not str:
        if value.custom_id is UNSET:
            return ValidationError(_NO_ID, path="$")
        return ValidationError(
            f"Expected `str`, got `{type(value.custom_id).__name__}` - at `$.custom_id`",
            path="$.custom_id",
        )
    return None


class BatchReader(Iterator[Any]):
    """An iterator over the lines of one batch file, that counts as it goes.

    Returned by :func:`iter_batch_output` and :func:`iter_batch_input`.
    Iterate it for the decoded lines (and, with ``errors="collect"``,
    :class:`BadLine` records in their place). Its counters are kept up to date
    block by block, and are final once the iterator is exhausted:

    - ``good``: lines decoded; ``bad``: lines that were not; every non-blank
      line of the input is one or the other (``lines == good + bad``);
    - ``endpoint``: the endpoint the lines were typed by (given or inferred;
      None until inferred);
    - ``bytes_done`` and ``bytes_total`` (None for a stream until it ends).

    ``check`` (for the readers of this package that hold lines to more than
    their type, such as the export's fixed-width columns) is called on each
    decoded line; a :class:`DecodeError` it raises makes the line a bad line,
    named and handled by ``errors`` like any other.
    """

    def __init__(
        self,
        source: Source,
        *,
        kind: Literal["output", "input"],
        endpoint: str | None,
        errors: Errors,
        start: int,
        end: int | None,
        progress: Progress | None,
        block_size: int,
        check: Check | None = None,
    ) -> None:
        if errors not in ("raise", "skip", "collect"):
            raise ValueError(f"errors must be 'raise', 'skip' or 'collect', not {errors!r}")
        self.kind = kind
        self.errors = errors
        self.endpoint: str | None = None if endpoint is None else _check(endpoint)
        self.good = 0
        self.bad = 0
        self._fixed = endpoint is not None
        self._fast: Decoder[Any] | None = None
        if endpoint is not None:
            self._fast = self._decoder_for(endpoint)
        self._check = check
        self._probe = _OUTPUT_PROBE if kind == "output" else _INPUT_PROBE
        self._blocks = Blocks(
            source,
            start,
            end,
            block_size=block_size,
            progress=progress,
            before=None if self._fixed else self._infer_before,
        )
        self._out: list[Any] = []
        self._done = 0
        self._gen = self._run()

    @property
    def lines(self) -> int:
        """Non-blank lines read so far: ``good + bad``."""
        return self.good + self.bad

    @property
    def bytes_done(self) -> int:
        """Bytes of the input read so far (from ``start``)."""
        return self._done

    @property
    def bytes_total(self) -> int | None:
        """Bytes in the input (from ``start`` to ``end``), None if not known yet."""
        return self._blocks.total

    def __iter__(self) -> Iterator[Any]:  # noqa: PYI034
        # The generator itself, not ``self``: a ``for`` loop then costs no
        # Python-level ``__next__`` call per line.
        return self._gen

    def __next__(self) -> Any:
        return next(self._gen)

    # -- the loop ------------------------------------------------------------

    def _run(self) -> Iterator[Any]:
        out = self._out
        blocks = self._blocks
        block = self._output_block if self.kind == "output" else self._input_block
        for buf, a, b in blocks:
            try:
                block(buf, a, b)
            except BatchLineError:  # errors="raise": first hand out the lines before it
                yield from out
                out.clear()
                raise
            self._done = blocks.base + b - blocks.start
            yield from out
            out.clear()

    def _decoder_for(self, endpoint: str) -> Decoder[Any]:
        if self.kind == "output":
            return output_decoder(body_type(endpoint))
        return input_decoder(endpoint)

    def _output_block(self, buf: Any, a: int, b: int) -> None:
        if self._fast is None:  # infer the endpoint from the first success
            a = self._until_known(buf, a, b)
        pos = a
        find = buf.find
        i = find(_KEY, a, b)
        while i >= 0:
            if _IS_2XX(buf, i + _KEY_LEN, b) is not None:
                i = find(_KEY, i + _KEY_LEN, b)
                continue
            ls = buf.rfind(b"\n", pos, i) + 1 or pos
            le = find(b"\n", i, b) + 1 or b
            if ls > pos:
                self._run_lines(buf, pos, ls)
            self._one(buf, ls, le)
            pos = le
            i = find(_KEY, le, b)
        if pos < b:
            self._run_lines(buf, pos, b)

    def _input_block(self, buf: Any, a: int, b: int) -> None:
        if self._fast is None:
            a = self._until_known(buf, a, b)
        if a < b:
            self._run_lines(buf, a, b)

    def _until_known(self, buf: Any, a: int, b: int) -> int:
        while a < b and self._fast is None:
            e = buf.find(b"\n", a, b) + 1 or b
            self._one(buf, a, e)
            a = e
        return a

    def _run_lines(self, buf: Any, a: int, b: int) -> None:
        """Decode the lines of ``buf[a:b]`` in one call, splitting where one fails.

        When the call fails, the good lines before the bad one are decoded in
        one call again, the bad one takes the exact path, and the lines after
        it are taken one at a time: a block full of bad lines then costs time
        linear in its size, not a failed call (and a copy) per bad line.
        """
        fast = self._fast
        assert fast is not None
        try:
            values = fast.decode_lines(self._blocks.view[a:b])
        except DecodeError as exc:
            ls = _line_start(buf, a, b, exc.line or 1)
            if ls > a:
                self._run_lines(buf, a, ls)
            le = buf.find(b"\n", ls, b) + 1 or b
            self._one(buf, ls, le)
            self._each_line(buf, le, b)
            return
        if self.kind == "input":
            if not self._same_url(values):
                self._each_line(buf, a, b)  # another endpoint's line, or one with no id
                return
        elif UNSET in map(_RESPONSE, values) and any(map(_not_output_line, values)):
            self._each_line(buf, a, b)  # a line with no response and no error
            return
        check = self._check
        if check is not None:
            try:
                deque(map(check, values), 0)
            except DecodeError:
                self._checked(buf, a, b, values)
                return
        self._out.extend(values)
        self.good += len(values)

    def _checked(self, buf: Any, a: int, b: int, values: list[Any]) -> None:
        """Hand out ``values``, the lines of ``buf[a:b]``, one by one, where
        the ``check`` failed on some: those are bad lines."""
        check = self._check
        assert check is not None
        pos = a
        for value in values:
            e = buf.find(b"\n", pos, b) + 1 or b
            while pos < b and _BLANK.fullmatch(buf, pos, e):  # this value's line is
                pos = e  # the next non-blank one
                e = buf.find(b"\n", pos, b) + 1 or b
            try:
                check(value)
            except DecodeError as exc:
                self._bad(buf, pos, e, exc)
            else:
                self._out.append(value)
                self.good += 1
            pos = e

    def _same_url(self, values: list[Any]) -> bool:
        """Whether every input line of ``values`` is to this file's endpoint
        and has a string ``custom_id``."""
        url = self.endpoint
        for v in values:
            if v.url != url or v.custom_id.__class__ is not str:
                return False
        return True

    def _each_line(self, buf: Any, a: int, b: int) -> None:
        """Decode the lines of ``buf[a:b]`` one by one: with the fast path's
        type first, and by the exact path if that fails."""
        fast = self._fast
        assert fast is not None
        view = self._blocks.view
        output = self.kind == "output"
        while a < b:
            e = buf.find(b"\n", a, b) + 1 or b
            if not _BLANK.fullmatch(buf, a, e):
                try:
                    value = fast.decode(view[a:e])
                except DecodeError:
                    self._one(buf, a, e)
                else:
                    if _line_problem(value, output) or (not output and value.url != self.endpoint):
                        self._one(buf, a, e)
                    else:
                        self._keep(buf, a, e, value)
            a = e

    def _keep(self, buf: Any, a: int, b: int, value: Any) -> None:
        """Hand out ``value``, decoded from the line ``buf[a:b]``, if it passes
        the ``check``."""
        if self._check is not None:
            try:
                self._check(value)
            except DecodeError as exc:
                self._bad(buf, a, b, exc)
                return
        self._out.append(value)
        self.good += 1

    def _one(self, buf: Any, a: int, b: int) -> None:
        """The exact path for the one line ``buf[a:b]``."""
        if _BLANK.fullmatch(buf, a, b):
            return
        line = self._blocks.view[a:b]
        try:
            dec = self._line_decoder(line)
            value = dec.decode(line)
            problem = _line_problem(value, self.kind == "output")
            if problem is not None:
                raise problem
        except DecodeError as exc:
            self._bad(buf, a, b, exc)
            return
        self._keep(buf, a, b, value)

    def _line_decoder(self, line: memoryview) -> Decoder[Any]:
        probe: Any = self._probe.decode(line)
        if self.kind == "input":
            url = probe.url
            if not isinstance(url, str):
                raise ValidationError("Object missing required field `url` - at `$`", path="$")
            if self._fixed and url != self.endpoint:
                raise ValidationError(
                    f"url {url!r} is not this file's endpoint {self.endpoint!r} - at `$.url`",
                    path="$.url",
                )
            try:
                dec = input_decoder(url)
            except ValueError as exc:
                raise ValidationError(f"{exc} - at `$.url`", path="$.url") from None
            if self._fast is None:
                self._fast, self.endpoint = dec, url
            return dec
        resp = probe.response
        status = getattr(resp, "status_code", None)
        if isinstance(status, int) and not 200 <= status < 300:
            return output_decoder(_index_error())
        body = getattr(resp, "body", None)
        if not isinstance(status, int) or body is None or body is UNSET:
            return self._fast or output_decoder(_index_error())
        if self._fixed:
            assert self._fast is not None
            return self._fast
        endpoint = _endpoint_of(probe)
        if endpoint is None:
            if self._fast is not None:
                return self._fast
            raise ValidationError(
                "cannot tell the endpoint from this body (no known `object`, "
                "`results` or `data`); pass endpoint= - at `$.response.body`",
                path="$.response.body",
            )
        dec = output_decoder(body_type(endpoint))
        if self._fast is None:
            self._fast, self.endpoint = dec, endpoint
        return dec

    def _infer_before(self, buf: Any, a: int, b: int) -> bool:
        """``Blocks``' ``before``: probe the lines before ``start`` for the
        endpoint, as a whole-file read would have inferred it by ``start``
        (the first line whose probe names one; see :meth:`_line_decoder`)."""
        view = memoryview(buf)
        endpoint_of = _endpoint_of if self.kind == "output" else _url_of
        while a < b:
            e = buf.find(b"\n", a, b) + 1 or b
            if not _BLANK.fullmatch(buf, a, e):
                try:
                    endpoint = endpoint_of(self._probe.decode(view[a:e]))
                except DecodeError:
                    endpoint = None
                if endpoint is not None:
                    self._fast, self.endpoint = self._decoder_for(endpoint), endpoint
                    return True
            a = e
        return False

    def _bad(self, buf: Any, a: int, b: int, exc: DecodeError) -> None:
        blocks = self._blocks
        err = BatchLineError(exc, line=blocks.line_of(a), offset=blocks.base + a)
        if self.errors == "raise":
            raise err
        self.bad += 1
        if self.errors == "collect":
            self._out.append(BadLine(err.line or 0, err.offset, bytes(buf[a:b]), err))


def _line_start(buf: Any, a: int, b: int, line: int) -> int:
    """Offset of the ``line``-th (1-based) line of ``buf[a:b]``."""
    pos = a
    for _ in range(line - 1):
        nl = buf.find(b"\n", pos, b)
        if nl < 0:
            break
        pos = nl + 1
    return pos


_body_probe = Decoder(BodyProbe).decode
_OUTPUT_PROBE = Decoder(OutputProbe)
_INPUT_PROBE = Decoder(InputProbe)


def _endpoint_of(probe: Any) -> str | None:
    """The endpoint an output line's probe tells: a 2xx line whose body names
    one (:func:`endpoint_of_body`); None for any other line."""
    resp = probe.response
    status = getattr(resp, "status_code", None)
    body = getattr(resp, "body", None)
    if not isinstance(status, int) or not 200 <= status < 300 or body is None or body is UNSET:
        return None
    try:
        return endpoint_of_body(_body_probe(body))
    except DecodeError:  # not an object: the full decode says where
        return None


def _url_of(probe: Any) -> str | None:
    """The endpoint an input line's probe tells: its ``url``, if the Batch
    API accepts it."""
    url = probe.url
    return url if isinstance(url, str) and url in ENDPOINTS else None


def _index_error() -> Any:
    from ..types import ErrorResponse

    return ErrorResponse


# --------------------------------------------------------------------------
# Public functions


def iter_batch_output(
    source: Source,
    *,
    endpoint: str | None = None,
    errors: Errors = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
    block_size: int = BLOCK_SIZE,
) -> BatchReader:
    """Iterate over the lines of a Batch API output (or error) file, typed.

    ``source`` is a path, a binary file object, or ``bytes``/``bytearray``/
    ``memoryview``. Each line comes back as a
    :class:`~openai_structs.BatchRequestOutput` whose ``response.body`` is the
    endpoint's type (``Response``, ``CreateChatCompletionResponse``...) for a
    2xx status and an :class:`~openai_structs.ErrorResponse` otherwise; lines
    of an error file (``"response": null`` and an ``error``) come back the
    same way, with ``response`` None.

    ``endpoint`` (``"/v1/chat/completions"``...) fixes the body type; left
    None, it is inferred from the first successful line (see this module's
    docstring for the rule).

    ``errors`` says what to do with a line that does not decode: ``"raise"``
    a :class:`BatchLineError` (a :class:`ValueError` with ``line``,
    ``offset`` and ``path``) once the lines before it are yielded; ``"skip"`` it and count it in ``reader.bad``;
    or ``"collect"`` it: a :class:`BadLine` is yielded in its place.

    ``start`` and ``end`` read only the bytes between them, which must fall
    on line boundaries (see :func:`batch_ranges`); line numbers then count
    from ``start``, offsets stay file offsets. ``progress(done, total)`` is
    called after each block with the bytes read from ``start``.

    Blank lines, ``\\r\\n`` line ends, a UTF-8 byte order mark and a last
    line without a newline are all read as expected. Memory stays at about
    one block (``block_size`` bytes of lines and their values) whatever the
    size of the file, as long as the caller does not keep the values.
    """
    return BatchReader(
        source,
        kind="output",
        endpoint=endpoint,
        errors=errors,
        start=start,
        end=end,
        progress=progress,
        block_size=block_size,
    )


def iter_batch_input(
    source: Source,
    *,
    errors: Errors = "raise",
    start: int = 0,
    end: int | None = None,
    progress: Progress | None = None,
    block_size: int = BLOCK_SIZE,
) -> BatchReader:
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
        kind="input",
        endpoint=None,
        errors=errors,
        start=start,
        end=end,
        progress=progress,
        block_size=block_size,
    )
