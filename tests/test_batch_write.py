"""Writing Batch API input files: each check the API applies, and a round trip."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

import openai_structs as o
from openai_structs import BatchInputError
from openai_structs.batch import iter_batch_input, write_batch_input

ROOT = Path(__file__).resolve().parents[1]
INPUT = ROOT / "data" / "batch" / "chat_completions_input.jsonl"


def _chat(i: int, custom_id: str | None = None) -> Any:
    body = o.CreateChatCompletionRequest(
        model="gpt-4o-mini",
        messages=[o.ChatCompletionRequestUserMessage(content=f"question {i}")],
    )
    return o.BatchRequestInput(
        custom_id=custom_id or f"r{i}", method="POST", url="/v1/chat/completions", body=body
    )


def _embed(i: int, inputs: int) -> dict[str, Any]:
    return {
        "custom_id": f"e{i}",
        "method": "POST",
        "url": "/v1/embeddings",
        "body": {"model": "text-embedding-3-small", "input": [f"t{j}" for j in range(inputs)]},
    }


def test_round_trip(tmp_path: Path) -> None:
    requests = list(iter_batch_input(INPUT))
    dest = tmp_path / "in.jsonl"
    stats = write_batch_input(requests, dest)
    assert stats.lines == len(requests) and stats.endpoint == "/v1/chat/completions"
    assert stats.bytes == dest.stat().st_size
    assert [json.loads(x) for x in dest.read_bytes().splitlines()] == [
        json.loads(x) for x in INPUT.read_bytes().splitlines()
    ]
    again = list(iter_batch_input(dest))
    assert again == requests


def test_dicts_and_file_objects() -> None:
    buf = io.BytesIO()
    stats = write_batch_input([_embed(0, 3), _embed(1, 2)], buf)
    assert stats.embedding_inputs == 5 and stats.lines == 2
    lines = list(iter_batch_input(buf.getvalue()))
    assert [type(x.body) for x in lines] == [o.CreateEmbeddingRequest] * 2


def test_duplicate_custom_id(tmp_path: Path) -> None:
    dest = tmp_path / "in.jsonl"
    with pytest.raises(BatchInputError, match="used twice") as info:
        write_batch_input([_chat(0), _chat(1), _chat(2, custom_id="r0")], dest)
    assert info.value.line == 3 and isinstance(info.value, ValueError)
    assert not dest.exists() and list(tmp_path.iterdir()) == []  # nothing left behind


def test_more_than_one_endpoint() -> None:
    with pytest.raises(BatchInputError, match="one endpoint") as info:
        write_batch_input([_chat(0), _embed(1, 1)], io.BytesIO())
    assert info.value.line == 2


def test_missing_fields_and_unknown_url() -> None:
    cases = [
        ({"method": "POST", "url": "/v1/embeddings", "body": {}}, "custom_id"),
        ({"custom_id": "a", "method": "GET", "url": "/v1/embeddings", "body": {}}, "POST"),
        ({"custom_id": "a", "method": "POST", "url": "/v1/files", "body": {}}, "not a Batch"),
        ({"custom_id": "a", "method": "POST", "url": "/v1/embeddings"}, "no body"),
    ]
    for request, message in cases:
        with pytest.raises(BatchInputError, match=message):
            write_batch_input([request], io.BytesIO())


def test_more_than_50000_lines() -> None:
    requests = (
        {"custom_id": f"r{i}", "method": "POST", "url": "/v1/moderations", "body": {"input": "x"}}
        for i in range(50_001)
    )
    with pytest.raises(BatchInputError, match="more than 50000 requests") as info:
        write_batch_input(requests, io.BytesIO())
    assert info.value.line == 50_001
    ok = (
        {"custom_id": f"r{i}", "method": "POST", "url": "/v1/moderations", "body": {"input": "x"}}
        for i in range(50_000)
    )
    assert write_batch_input(ok, io.BytesIO()).lines == 50_000


def test_more_than_200_mb() -> None:
    big = "x" * (1 << 20)
    requests = (
        {"custom_id": f"r{i}", "method": "POST", "url": "/v1/moderations", "body": {"input": big}}
        for i in range(201)
    )
    with pytest.raises(BatchInputError, match="bytes") as info:
        write_batch_input(requests, io.BytesIO())
    assert info.value.line == 200  # 200 lines of just over 1 MiB pass 200 MiB
    line = len(json.dumps(_embed(0, 1), separators=(",", ":"))) + 1
    with pytest.raises(BatchInputError):
        write_batch_input([_embed(0, 1), _embed(1, 1)], io.BytesIO(), max_bytes=line + 5)


def test_more_than_50000_embedding_inputs() -> None:
    requests = [_embed(i, 2) for i in range(25_000)]
    assert write_batch_input(requests, io.BytesIO()).embedding_inputs == 50_000
    requests.append(_embed(25_000, 1))
    with pytest.raises(BatchInputError, match="embedding inputs") as info:
        write_batch_input(requests, io.BytesIO())
    assert info.value.line == 25_001
    # a list of tokens is one input, a list of token lists one per list
    tokens = {"custom_id": "t", "method": "POST", "url": "/v1/embeddings"}
    one = dict(tokens, body={"model": "m", "input": [1, 2, 3]})
    three = dict(tokens, custom_id="u", body={"model": "m", "input": [[1], [2], [3]]})
    assert write_batch_input([one, three], io.BytesIO()).embedding_inputs == 4
