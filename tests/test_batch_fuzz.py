"""Fuzzing the batch layer: files with mutated lines, read every way.

Mutations of the fixture files (a byte changed, a line cut short, doubled,
dropped or blanked, a CRLF end, a number far out of range, a value of the
wrong type, a key removed) are read by ``iter_batch_output``,
``iter_batch_input``, ``summarize_batch`` and ``join_batch`` in every
``errors`` mode, whole and in byte ranges, and by the command line's
``inspect`` and ``export``. What must hold, whatever the input:

- only documented errors (:class:`BatchLineError`, a ``ValueError``), and only
  in ``errors="raise"``; lines in = good + bad in the other modes, and a
  ``BadLine`` holds its line's bytes exactly;
- the modes agree with each other, a block size or a byte range does not
  change what a line reads as, and a summary counts what the reader does
  (plus the lines whose numbers the export's columns cannot hold);
- ``export`` exits 0 or 1 with one line on stderr, never a traceback, never
  a half-written file, and calls the same lines bad as ``inspect``.

Bounded for CI (a few seconds, derandomised so a run is repeatable); set
``FUZZ_EXAMPLES`` to search longer, e.g. ``FUZZ_EXAMPLES=5000``.
"""

from __future__ import annotations

import copy
import io
import itertools
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import openai_structs as o
from openai_structs import BatchLineError
from openai_structs.batch import (
    BadLine,
    iter_batch_input,
    iter_batch_output,
    join_batch,
    summarize_batch,
)
from openai_structs.batch._export import check_ranges

BATCH = Path(__file__).resolve().parents[1] / "data" / "batch"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "120"))


def _settings(examples: int) -> Any:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize="FUZZ_EXAMPLES" not in os.environ,
        suppress_health_check=list(HealthCheck),
    )


FUZZ = _settings(EXAMPLES)
FUZZ_CLI = _settings(max(10, EXAMPLES // 4))  # each example runs the CLI three times

OUTPUTS = [
    "chat_completions.jsonl",
    "responses.jsonl",
    "embeddings.jsonl",
    "completions.jsonl",
    "moderations.jsonl",
    "images_generations.jsonl",
    "videos.jsonl",
]
ERRORS = (BATCH / "errors.jsonl").read_bytes().splitlines(keepends=True)
INPUT = (BATCH / "chat_completions_input.jsonl").read_bytes().splitlines(keepends=True)
_BLANK = re.compile(rb"[ \t\r\n]*")

HUGE = [2**31, -(2**31) - 1, 2**63, -(2**63) - 1, 2**64, -(2**64), 10**30]
WRONG = [None, "x", "", 1, -1, 1.5, True, [], {}, [1, "a"], {"type": "brand_new"}]


def _lines(name: str) -> list[bytes]:
    return (BATCH / name).read_bytes().splitlines(keepends=True)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


def _numbers(node: Any) -> list[tuple[Any, ...]]:
    return [p for p in _paths(node) if p and isinstance(_at(node, p), int)]


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


def _edit(line: bytes, draw: Any) -> bytes:
    """A JSON-level change of one line: a number out of range, a value of
    another type, or a key removed."""
    try:
        doc = json.loads(line)
    except ValueError:
        return line
    kind = draw(st.sampled_from(["number", "wrong", "delete"]))
    paths = _numbers(doc) if kind == "number" else _paths(doc)[1:]
    if not paths:
        return line
    path = paths[draw(st.integers(0, len(paths) - 1))]
    doc = copy.deepcopy(doc)
    parent = _at(doc, path[:-1])
    if kind == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(st.sampled_from(HUGE if kind == "number" else WRONG))
    return json.dumps(doc, separators=(",", ":")).encode() + b"\n"


def _mutate(lines: list[bytes], draw: Any) -> list[bytes]:
    """Apply one to four mutations; each keeps one JSON document per line at
    most (two on one line is its own test, below)."""
    lines = list(lines)
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        body = line.rstrip(b"\n")
        kind = draw(
            st.sampled_from(["flip", "cut", "dup", "drop", "blank", "crlf", "edit", "edit"])
        )
        if kind == "flip" and body:
            pos = draw(st.integers(0, len(body) - 1))
            byte = draw(st.integers(0, 255).filter(lambda b: b not in b"\n\r\t "))
            lines[i] = body[:pos] + bytes([byte]) + body[pos + 1 :] + b"\n"
        elif kind == "cut" and body:
            lines[i] = body[: draw(st.integers(0, len(body) - 1))] + b"\n"
        elif kind == "dup":
            lines.insert(i, line)
        elif kind == "drop":
            del lines[i]
        elif kind == "blank":
            lines.insert(i, draw(st.sampled_from([b"\n", b"  \n", b"\t\r\n"])))
        elif kind == "crlf":
            lines[i] = body + b"\r\n"
        elif kind == "edit":
            lines[i] = _edit(line, draw)
    if lines and draw(st.booleans()):
        lines[-1] = lines[-1].rstrip(b"\n")  # no newline at the end
    return lines


def _non_blank(data: bytes) -> list[tuple[int, bytes]]:
    """(offset, bytes) of each non-blank line of ``data``: lines end at
    ``\n`` only (``bytes.splitlines`` would also cut at a lone ``\r``)."""
    pieces = data.split(b"\n")
    out, pos = [], 0
    for line in [p + b"\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else []):
        if not _BLANK.fullmatch(line):
            out.append((pos, line))
        pos += len(line)
    return out


def _outcomes(items: list[Any]) -> list[tuple[Any, ...]]:
    return [
        ("bad", x.offset, x.reason) if isinstance(x, BadLine) else ("good", o.encode(x))
        for x in items
    ]


def _check_reader(read: Any, data: bytes, **kwargs: Any) -> list[Any]:
    """Read ``data`` in every errors mode; check the modes agree and return
    the collected items."""
    lines = _non_blank(data)
    reader = read(data, errors="collect", **kwargs)
    items = list(reader)
    assert len(items) == len(lines) == reader.good + reader.bad
    for item, (offset, raw) in zip(items, lines):
        if isinstance(item, BadLine):
            assert (item.offset, item.raw) == (offset, raw)
            assert isinstance(item.error, ValueError) and item.reason
    skipping = read(data, errors="skip", **kwargs)
    assert _outcomes(list(skipping)) == [x for x in _outcomes(items) if x[0] == "good"]
    assert (skipping.good, skipping.bad) == (reader.good, reader.bad)
    got: list[Any] = []
    first_bad = next((x for x in items if isinstance(x, BadLine)), None)
    try:
        got.extend(read(data, **kwargs))
    except BatchLineError as exc:
        assert first_bad is not None and exc.offset == first_bad.offset
        assert exc.line == first_bad.line
        assert _outcomes(got) == _outcomes(items[: items.index(first_bad)])
    else:
        assert first_bad is None and _outcomes(got) == _outcomes(items)
    return items


def _ranges(data: bytes, cuts: list[int]) -> list[tuple[int, int]]:
    starts = [0] + [i + 1 for i, b in enumerate(data) if b == 10]
    points = sorted({starts[c % len(starts)] for c in cuts} | {0, len(data)})
    return [(a, b) for a, b in itertools.pairwise(points) if b > a]


@FUZZ
@given(st.data())
def test_mutated_output_files(data: st.DataObject) -> None:
    base = [
        line
        for name in data.draw(st.lists(st.sampled_from(OUTPUTS), min_size=1, max_size=2))
        for line in _lines(name)
    ]
    if data.draw(st.booleans()):
        base += ERRORS
    blob = b"".join(_mutate(base * data.draw(st.integers(1, 3)), data.draw))
    items = _check_reader(iter_batch_output, blob)
    # a block size, a stream or byte ranges do not change what a line reads as
    small = list(
        iter_batch_output(blob, errors="collect", block_size=data.draw(st.integers(1, 400)))
    )
    assert _outcomes(small) == _outcomes(items)
    stream = list(iter_batch_output(io.BytesIO(blob), errors="collect", block_size=256))
    assert _outcomes(stream) == _outcomes(items)
    pieces = []
    for a, b in _ranges(blob, data.draw(st.lists(st.integers(0, 10_000), max_size=4))):
        pieces += list(iter_batch_output(blob, start=a, end=b, errors="collect"))
    assert _outcomes(pieces) == _outcomes(items)
    # the summary counts what the reader reads, less the lines whose numbers
    # the export's columns cannot hold
    unfit = 0
    for x in items:
        if not isinstance(x, BadLine):
            try:
                check_ranges(x)
            except o.ValidationError:
                unfit += 1
    summary = summarize_batch(blob)
    bad = sum(isinstance(x, BadLine) for x in items) + unfit
    assert (summary.lines, summary.bad) == (len(items), bad)
    assert summary.good == summary.lines - summary.bad
    assert sum(summary.status_codes.values()) <= summary.good
    assert len(summary.bad_lines) == min(bad, 100)
    try:
        strict = summarize_batch(blob, errors="raise")
    except BatchLineError:
        assert bad
    else:
        assert not bad and strict.good == summary.good


@FUZZ
@given(st.data())
def test_mutated_input_files_and_joins(data: st.DataObject) -> None:
    requests = b"".join(_mutate(INPUT * data.draw(st.integers(1, 2)), data.draw))
    results = b"".join(_mutate(_lines("chat_completions.jsonl") + ERRORS, data.draw))
    inputs = _check_reader(iter_batch_input, requests)
    outputs = _check_reader(iter_batch_output, results)
    good_in = [x for x in inputs if not isinstance(x, BadLine)]
    good_out = [x for x in outputs if not isinstance(x, BadLine)]
    assert all(isinstance(x.custom_id, str) for x in good_in)
    for mode in ("skip", "collect"):
        join = join_batch(requests, [results], errors=mode)
        pairs = join.run()
        assert all(q.custom_id == r.custom_id and isinstance(q.custom_id, str) for q, r in pairs)
        assert join.matched == len(pairs)
        assert len(pairs) + len(join.unmatched_requests) + len(join.duplicate_requests) == len(
            good_in
        )
        assert len(pairs) + len(join.unmatched_results) + len(join.duplicate_results) == len(
            good_out
        )
        bad = len(inputs) + len(outputs) - len(good_in) - len(good_out)
        assert len(join.bad_lines) == (bad if mode == "collect" else 0)
    try:
        join_batch(requests, results).run()
    except BatchLineError:
        assert len(good_in) + len(good_out) < len(inputs) + len(outputs)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from openai_structs.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@FUZZ_CLI
@given(st.data())
def test_export_and_inspect_on_mutated_files(
    capsys: pytest.CaptureFixture[str], data: st.DataObject
) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    name = data.draw(st.sampled_from(OUTPUTS))
    base = _lines(name) + (ERRORS if data.draw(st.booleans()) else [])
    blob = b"".join(_mutate(base * 2, data.draw))
    jobs = data.draw(st.sampled_from(["1", "1", "1", "2"]))  # --jobs 2 forks: slower
    with tempfile.TemporaryDirectory() as folder:
        source, dest = Path(folder) / "in.jsonl", Path(folder) / "out.parquet"
        source.write_bytes(blob)
        code, out, err = _run(capsys, "batch", "inspect", str(source), "--json")
        summary = json.loads(out)
        assert code == (1 if summary["bad"] else 0)
        code, out, err = _run(
            capsys, "batch", "export", str(source), "--to", str(dest), "--jobs", jobs
        )
        if summary["bad"]:
            assert code == 1 and err.startswith("openai-structs: ") and err.count("\n") == 1
            assert [p.name for p in Path(folder).iterdir()] == ["in.jsonl"]
        else:
            assert code == 0 and pq.read_table(dest).num_rows == summary["good"]
        code, out, err = _run(
            capsys, "batch", "export", str(source), "--to", str(dest), "--jobs", jobs,
            "--errors", "skip",
        )  # fmt: skip
        assert code == 0, err
        assert pq.read_table(dest).num_rows == summary["good"]
        skipped = re.search(r"skipped (\d+) bad line", out)
        assert (int(skipped.group(1)) if skipped else 0) == summary["bad"]
        assert sorted(p.name for p in Path(folder).iterdir()) == ["in.jsonl", "out.parquet"]


def test_two_documents_on_one_line_are_one_bad_line() -> None:
    lines = _lines("chat_completions.jsonl")
    blob = lines[0] + lines[2].rstrip(b"\n") + lines[2] + lines[0]
    reader = iter_batch_output(blob, errors="collect")
    items = list(reader)
    assert reader.good + reader.bad == len(items) == 3
    assert isinstance(items[1], BadLine) and items[1].offset == len(lines[0])
    assert summarize_batch(blob).lines == 3
