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


def _wrong_bodies() -> list[Any]:
    """Requests whose body is not a request of their url: a Responses request
    under /v1/chat/completions (a struct and a dict), and messages of the
    wrong type."""
    response = o.CreateResponse(model="gpt-5", input="hi")
    chat = {"model": "gpt-4o-mini", "messages": "oops"}
    url = "/v1/chat/completions"
    return [
        o.BatchRequestInput(custom_id="r2", method="POST", url=url, body=response),
        {"custom_id": "r2", "method": "POST", "url": url, "body": o.encode(response)},
        {"custom_id": "r2", "method": "POST", "url": url, "body": chat},
    ]


@pytest.mark.parametrize("case", range(3))
def test_write_and_validate_refuse_a_body_of_another_request(case: int, tmp_path: Path) -> None:
    """One set of checks serves ``write_batch_input`` and ``validate_batch_input``
    (``batch validate``): a body that is not a request of its url is refused
    by both, naming the line and the ``$.path``."""
    from openai_structs import validate_batch_input
    from openai_structs.cli import main

    bad = _wrong_bodies()[case]
    if isinstance(bad, dict) and isinstance(bad["body"], bytes):
        bad = {**bad, "body": json.loads(bad["body"])}
    with pytest.raises(BatchInputError, match=r"CreateChatCompletionRequest.*\$\.body") as info:
        write_batch_input([_chat(1), bad], io.BytesIO())
    assert info.value.line == 2
    path = tmp_path / "in.jsonl"
    encoded = o.encode(bad) if not isinstance(bad, dict) else json.dumps(bad).encode()
    path.write_bytes(o.encode(_chat(1)) + b"\n" + encoded + b"\n")
    with pytest.raises(BatchInputError, match=r"\$\.body") as info:
        validate_batch_input(path)
    assert info.value.line == 2
    assert main(["batch", "validate", str(path)]) == 1


def test_validate_reads_what_write_writes(tmp_path: Path) -> None:
    from openai_structs import validate_batch_input

    dest = tmp_path / "in.jsonl"
    written = write_batch_input([_embed(0, 3), _embed(1, 2)], dest)
    assert validate_batch_input(dest) == written
    assert validate_batch_input(INPUT).lines == 3
    # blank lines count in line numbers, not in lines
    dest.write_bytes(INPUT.read_bytes().replace(b"\n", b"\n\n", 1) + b"{oops\n")
    with pytest.raises(BatchInputError, match="not a request") as info:
        validate_batch_input(dest)
    assert info.value.line == 5
