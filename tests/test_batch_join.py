"""Pairing requests with results by custom_id, whatever the output order."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

import openai_structs as o
from openai_structs import BatchLineError
from openai_structs.batch import BadLine, join_batch

BATCH = Path(__file__).resolve().parents[1] / "data" / "batch"
INPUT = (BATCH / "chat_completions_input.jsonl").read_bytes()
OUTPUT = (BATCH / "chat_completions.jsonl").read_bytes()


def _input(n: int) -> bytes:
    line = json.loads(INPUT.splitlines()[0])
    out = []
    for i in range(n):
        line["custom_id"] = f"req-{i}"
        out.append(json.dumps(line))
    return ("\n".join(out) + "\n").encode()


def _output(ids: list[str]) -> bytes:
    line = json.loads(OUTPUT.splitlines()[0])
    out = []
    for cid in ids:
        line["custom_id"] = cid
        out.append(json.dumps(line))
    return ("\n".join(out) + "\n").encode()


def test_fixture_files_pair_up() -> None:
    join = join_batch(BATCH / "chat_completions_input.jsonl", BATCH / "chat_completions.jsonl")
    pairs = join.run()
    assert len(pairs) == join.matched == 3
    for request, result in pairs:
        assert request.custom_id == result.custom_id
        assert isinstance(request.body, o.CreateChatCompletionRequest)
    assert join.unmatched_requests == join.unmatched_results == []
    assert join.endpoint == "/v1/chat/completions"


def test_shuffled_output_and_unmatched_on_both_sides() -> None:
    ids = [f"req-{i}" for i in range(50)]
    rng = random.Random(3)
    rng.shuffle(ids)
    served = ids[:40] + ["stranger-1", "stranger-2"]
    join = join_batch(_input(50), _output(served))
    pairs = list(join)
    assert [r.custom_id for _, r in pairs] == ids[:40]  # output order
    assert all(q.custom_id == r.custom_id for q, r in pairs)
    missing = sorted(ids[40:], key=lambda s: int(s.split("-")[1]))
    assert [q.custom_id for q in join.unmatched_requests] == missing  # input order
    assert [r.custom_id for r in join.unmatched_results] == ["stranger-1", "stranger-2"]


def test_output_and_error_file_together() -> None:
    errors = (BATCH / "errors.jsonl").read_bytes().replace(b'"request-', b'"req-')
    join = join_batch(_input(4), [_output(["req-3", "req-2"]), errors])
    pairs = join.run()
    assert sorted(q.custom_id for q, _ in pairs) == ["req-0", "req-1", "req-2", "req-3"]
    failed = [r for _, r in pairs if r.response is None]
    assert [r.error.code for r in failed] == [
        json.loads(x)["error"]["code"] for x in errors.splitlines()
    ]
    assert join.unmatched_requests == []


def test_duplicates() -> None:
    data = _input(3) + _input(1)  # req-0 twice
    join = join_batch(data, _output(["req-1", "req-0", "req-1"]))
    assert len(join.run()) == 2
    assert [q.custom_id for q in join.duplicate_requests] == ["req-0"]
    assert [r.custom_id for r in join.duplicate_results] == ["req-1"]
    assert [q.custom_id for q in join.unmatched_requests] == ["req-2"]


def test_bad_lines() -> None:
    output = _output(["req-0"]) + b"{oops\n" + _output(["req-1"])
    with pytest.raises(BatchLineError):
        join_batch(_input(2), output).run()
    join = join_batch(_input(2), output, errors="collect")
    assert len(join.run()) == 2
    assert [(b.line, b.raw) for b in join.bad_lines] == [(2, b"{oops\n")]
    assert all(isinstance(b, BadLine) for b in join.bad_lines)
