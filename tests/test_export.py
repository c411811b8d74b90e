"""Export rows: one flat row per batch output line, columns by endpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _batch_lines import BATCH, NUMBERS, in_range, lines_of, out_of_range, with_number

from openai_structs import (
    BatchLineError,
    BatchRequestOutput,
    CreateChatCompletionResponse,
    CreateEmbeddingResponse,
    CreateModerationResponse,
    ErrorResponse,
    Response,
    decode,
)
from openai_structs.batch._export import (
    COLUMNS,
    arrow_schema,
    columns_for,
    export_file,
    export_row,
    first_endpoint,
    write_parquet,
)

CAPTURES = Path(__file__).resolve().parents[2] / "shared" / "captures" / "bodies"


def line(body: dict[str, Any] | None, status: int = 200, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"id": "batch_req_1", "custom_id": "r1", "error": None}
    out["response"] = (
        None if body is None else {"status_code": status, "request_id": "req", "body": body}
    )
    out.update(extra)
    return out


def typed(obj: dict[str, Any], body_type: Any) -> Any:
    return decode(json.dumps(obj).encode(), BatchRequestOutput[body_type])


CHAT = {
    "id": "c",
    "object": "chat.completion",
    "created": 1,
    "model": "gpt-4o",
    "choices": [
        {
            "index": 0,
            "finish_reason": "tool_calls",
            "logprobs": None,
            "message": {
                "role": "assistant",
                "content": None,
                "refusal": None,
                "tool_calls": [
                    {"id": "t1", "type": "function", "function": {"name": "f", "arguments": "{}"}},
                    {"id": "t2", "type": "custom", "custom": {"name": "g", "input": "x"}},
                ],
            },
        },
        {
            "index": 1,
            "finish_reason": "stop",
            "logprobs": None,
            "message": {"role": "assistant", "content": "hi", "refusal": None},
        },
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12},
}


def test_chat_row() -> None:
    row = export_row(typed(line(CHAT), CreateChatCompletionResponse), "/v1/chat/completions")
    assert list(row) == list(columns_for("/v1/chat/completions"))
    assert row["custom_id"] == "r1" and row["status_code"] == 200 and row["model"] == "gpt-4o"
    assert row["finish_reason"] == "tool_calls" and row["output_text"] is None
    assert row["tool_calls"] == [
        {"name": "f", "arguments": "{}"},
        {"name": "g", "arguments": "x"},
    ]
    assert (row["input_tokens"], row["output_tokens"], row["total_tokens"]) == (5, 7, 12)
    assert row["choices"] == 2 and row["error_code"] is None


def test_error_body_and_error_file_line() -> None:
    body = {
        "error": {"message": "bad", "type": "invalid_request_error", "param": None, "code": None}
    }
    row = export_row(typed(line(body, status=400), ErrorResponse), "/v1/chat/completions")
    assert (row["status_code"], row["error_code"], row["error_message"]) == (
        400,
        "invalid_request_error",
        "bad",
    )
    assert row["model"] is None and row["tool_calls"] is None
    failed = line(None, error={"code": "batch_expired", "message": "expired"})
    row = export_row(typed(failed, ErrorResponse), "/v1/responses")
    assert row["status_code"] is None and row["error_code"] == "batch_expired"


def test_embeddings_and_moderation_rows() -> None:
    emb = {
        "object": "list",
        "model": "text-embedding-3-small",
        "data": [{"object": "embedding", "index": i, "embedding": [0.1]} for i in range(3)],
        "usage": {"prompt_tokens": 4, "total_tokens": 4},
    }
    row = export_row(typed(line(emb), CreateEmbeddingResponse), "/v1/embeddings")
    assert (row["embeddings"], row["input_tokens"], row["total_tokens"]) == (3, 4, 4)
    assert "output_tokens" not in row
    cats = dict.fromkeys(
        ["sexual", "hate", "harassment", "self-harm", "sexual/minors", "hate/threatening",
         "violence/graphic", "self-harm/intent", "self-harm/instructions",
         "harassment/threatening", "violence", "illicit", "illicit/violent"],
        False,
    )  # fmt: skip
    scores = dict.fromkeys(cats, 0.0)
    result = {
        "flagged": True,
        "categories": {**cats, "self-harm": True},
        "category_scores": scores,
        "category_applied_input_types": {key: ["text"] for key in cats},
    }
    mod = {"id": "m", "model": "omni-moderation-latest", "results": [result]}
    row = export_row(typed(line(mod), CreateModerationResponse), "/v1/moderations")
    assert row["flagged"] is True and row["categories"] == ["self-harm"]


def test_unknown_endpoint_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="/v1/nope"):
        columns_for("/v1/nope")


def test_every_endpoint_has_a_filler_and_a_schema() -> None:
    from openai_structs.batch._endpoints import ENDPOINTS

    assert set(COLUMNS) == set(ENDPOINTS)
    pytest.importorskip("pyarrow")
    for endpoint in COLUMNS:
        assert arrow_schema(endpoint).names == list(columns_for(endpoint))


@pytest.mark.skipif(not CAPTURES.exists(), reason="../shared/captures is not beside the project")
def test_real_responses_batch_lines_and_parquet(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    path = CAPTURES / "valzaak-batch-output-responses-2025-06.jsonl"
    lines = [typed(json.loads(raw), Response) for raw in path.read_bytes().splitlines()]
    rows = [export_row(obj, "/v1/responses") for obj in lines]
    assert len(rows) == 3
    assert all(r["status_code"] == 200 and r["finish_reason"] == "completed" for r in rows)
    assert all(r["output_text"] and r["total_tokens"] > 0 for r in rows)
    out = tmp_path / "out.parquet"
    assert write_parquet(iter(rows), out, "/v1/responses", batch_rows=2) == 3
    assert pq.read_table(out).to_pylist() == rows
    assert [p.name for p in tmp_path.iterdir()] == ["out.parquet"]


def test_interrupted_write_leaves_nothing(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    row = export_row(typed(line(CHAT), CreateChatCompletionResponse), "/v1/chat/completions")

    def rows() -> Any:
        for _ in range(5):
            yield row
        raise KeyboardInterrupt

    out = tmp_path / "out.parquet"
    with pytest.raises(KeyboardInterrupt):
        write_parquet(rows(), out, "/v1/chat/completions", batch_rows=2)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case", sorted(NUMBERS))
def test_a_number_its_column_cannot_hold_is_a_bad_line(case: str, tmp_path: Path) -> None:
    """A value past its column's type (int32 status code and progress, int64
    token counts) is a bad line, named and skipped like any other, never an
    Arrow overflow; the values at the edges of the columns are written as
    they are."""
    pq = pytest.importorskip("pyarrow.parquet")
    name, index, keys, bits = NUMBERS[case]
    lines = lines_of(name)
    endpoint = first_endpoint(BATCH / name)
    column = {"prompt_tokens": "input_tokens"}.get(keys[-1], keys[-1])
    dest = tmp_path / "out.parquet"
    for value in out_of_range(bits):
        changed = with_number(name, index, keys, value)
        source = tmp_path / "in.jsonl"
        source.write_bytes(b"\n".join([*lines, changed, *lines]) + b"\n")
        dest.unlink(missing_ok=True)
        with pytest.raises(BatchLineError) as info:
            export_file(source, dest, endpoint)
        assert info.value.line == len(lines) + 1
        assert info.value.offset == source.read_bytes().index(changed)
        assert not dest.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
        for fixed in (True, False):
            assert export_file(source, dest, endpoint, fixed=fixed, errors="skip") == (
                2 * len(lines),
                1,
            )
            assert pq.read_table(dest).num_rows == 2 * len(lines)
    for value in in_range(bits):
        source = tmp_path / "in.jsonl"
        source.write_bytes(with_number(name, index, keys, value) + b"\n")
        assert export_file(source, dest, endpoint) == (1, 0)
        assert pq.read_table(dest).to_pylist()[0][column] == value
