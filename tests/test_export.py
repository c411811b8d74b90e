"""The Parquet export: one flat row per batch output line, columns by endpoint,
checked against an oracle that reads the lines with ``json.loads``
(``tests/_export_oracle.py``), on every bundled, recorded and generated file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _batch_lines import (
    BATCH,
    NUMBERS,
    expanded,
    generated,
    in_range,
    lines_of,
    out_of_range,
    with_number,
)
from _export_oracle import OWN, columns, expected_row, expected_rows

from openai_structs import ENDPOINTS, BatchLineError, export_parquet, summarize_batch
from openai_structs.batch._export import arrow_schema, columns_for, first_endpoint

pq = pytest.importorskip("pyarrow.parquet")

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = ROOT.parent / "shared" / "captures" / "bodies"
OUTPUTS = sorted(p.name for p in BATCH.glob("*.jsonl") if "input" not in p.name)


def rows(path: Path) -> list[dict[str, Any]]:
    return pq.read_table(path).to_pylist()


def test_every_endpoint_has_its_documented_columns() -> None:
    assert set(OWN) == set(ENDPOINTS)
    for endpoint in ENDPOINTS:
        assert list(columns_for(endpoint)) == columns(endpoint)
        assert arrow_schema(endpoint).names == columns(endpoint)
    assert list(columns_for(None)) == columns(None)
    # the join's request column keeps its place after the endpoint's own
    joined = list(columns_for("/v1/embeddings", {"request": "string"}))
    assert joined[-3:] == ["request", "endpoint", "source_file"]


def test_unknown_endpoint_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="/v1/nope"):
        columns_for("/v1/nope")


@pytest.mark.parametrize("name", OUTPUTS)
def test_bundled_files_equal_the_oracle(name: str, tmp_path: Path) -> None:
    path = BATCH / name
    endpoint = first_endpoint(path)
    dest = tmp_path / "out.parquet"
    stats = export_parquet(path, dest)
    assert (stats.rows, stats.bad, stats.endpoint) == (len(lines_of(name)), 0, endpoint)
    assert rows(dest) == expected_rows(path, endpoint)
    # every endpoint given explicitly: the same rows
    if endpoint is not None:
        export_parquet(path, dest, endpoint=endpoint)
        assert rows(dest) == expected_rows(path, endpoint)


@pytest.mark.parametrize("kind", ["chat_output", "responses_output"])
def test_generated_files_equal_the_oracle(kind: str, tmp_path: Path) -> None:
    path = generated(kind, 600, tmp_path, seed=5)
    dest = tmp_path / "out.parquet"
    export_parquet(path, dest)
    endpoint = first_endpoint(path)
    got = rows(dest)
    assert len(got) == 600 and got == expected_rows(path, endpoint)
    assert any(r["tool_calls"] for r in got) and any(r["error_code"] for r in got)
    assert all(r["cached_tokens"] is not None for r in got if r["total_tokens"] is not None)
    if kind == "responses_output":
        assert any(r["cached_tokens"] for r in got) and any(r["reasoning_tokens"] for r in got)


@pytest.mark.parametrize("name", OUTPUTS)
def test_generated_files_of_every_endpoint_equal_the_oracle(name: str, tmp_path: Path) -> None:
    """400 lines drawn from each fixture (each with its own id, token counts
    and text), exported as they are and with their endpoint given."""
    path = tmp_path / name
    path.write_bytes(expanded(name, 400))
    endpoint = first_endpoint(path)
    dest = tmp_path / "out.parquet"
    assert export_parquet(path, dest).rows == 400
    assert rows(dest) == expected_rows(path, endpoint)
    if endpoint is not None:
        assert export_parquet(path, dest, endpoint=endpoint).rows == 400
        assert rows(dest) == expected_rows(path, endpoint)


@pytest.mark.parametrize(
    "name",
    ["timeescaper-batch-output-chat-2024-10.jsonl", "valzaak-batch-output-responses-2025-06.jsonl"],
)
def test_recorded_files_equal_the_oracle(name: str, tmp_path: Path) -> None:
    path = CAPTURES / name
    if not path.is_file():
        pytest.skip(f"capture {path} not present")
    dest = tmp_path / "out.parquet"
    export_parquet(path, dest)
    assert rows(dest) == expected_rows(path, first_endpoint(path))


def test_a_body_without_status_code_is_read_alike(tmp_path: Path) -> None:
    """An output line whose ``response`` has a body but no ``status_code``:
    the summary and the export read it the same way (a success, with its
    model and tokens); they used to disagree."""
    lines = lines_of("chat_completions.jsonl")
    doc = json.loads(lines[2])
    del doc["response"]["status_code"]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join([lines[0], json.dumps(doc).encode()]) + b"\n")
    summary = summarize_batch(source)
    dest = tmp_path / "out.parquet"
    export_parquet(source, dest)
    second = rows(dest)[1]
    usage = doc["response"]["body"]["usage"]
    assert second["status_code"] is None and second["error_code"] is None
    assert second["model"] == doc["response"]["body"]["model"]
    assert second["total_tokens"] == usage["total_tokens"]
    model = summary.usage[second["model"]]
    assert model.requests == sum(1 for r in rows(dest) if r["model"] == second["model"])
    assert model.total_tokens == sum(r["total_tokens"] for r in rows(dest))


def test_several_files_into_one_with_their_endpoint_and_file(tmp_path: Path) -> None:
    output, errors = BATCH / "chat_completions.jsonl", BATCH / "errors.jsonl"
    dest = tmp_path / "out.parquet"
    stats = export_parquet([output, errors], dest)
    got = rows(dest)
    assert stats.files == [str(output), str(errors)] and stats.rows == len(got)
    endpoint = "/v1/chat/completions"
    assert got == expected_rows(output, endpoint) + expected_rows(errors, endpoint)
    assert {r["source_file"] for r in got} == {str(output), str(errors)}
    assert {r["endpoint"] for r in got} == {endpoint}
    # a glob reads its matches in order
    stats = export_parquet(str(BATCH / "chat_completions.json?"), dest)
    assert stats.files == [str(output)]
    # files of different endpoints cannot share the columns of one
    with pytest.raises(ValueError, match="separate files"):
        export_parquet([output, BATCH / "embeddings.jsonl"], dest)
    with pytest.raises(FileNotFoundError):
        export_parquet(str(tmp_path / "*.jsonl"), dest)


def test_a_body_of_another_endpoint_is_bad_under_a_given_endpoint(tmp_path: Path) -> None:
    """With an endpoint given, a line whose body is another endpoint's is
    bad, as with the full type: the export's view of that endpoint reads the
    fields the type requires to tell its bodies apart (images: ``created``)."""
    source = tmp_path / "in.jsonl"
    source.write_bytes((BATCH / "responses.jsonl").read_bytes())
    stats = export_parquet(
        source, tmp_path / "out.parquet", endpoint="/v1/images/generations", errors="skip"
    )
    assert (stats.rows, stats.bad) == (1, 2)  # the failed request's error body is read


def test_a_line_of_another_endpoint_fills_the_columns_they_share(tmp_path: Path) -> None:
    chat = lines_of("chat_completions.jsonl")
    response = lines_of("responses.jsonl")[0]
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(b"\n".join([chat[0], response]) + b"\n")
    dest = tmp_path / "out.parquet"
    export_parquet(source, dest)
    row = rows(dest)[1]
    want = expected_row(json.loads(response), "/v1/responses", str(source))
    shared = set(columns("/v1/responses")) & set(columns("/v1/chat/completions"))
    assert row["endpoint"] == "/v1/responses" and row["choices"] is None
    assert {k: row[k] for k in shared - {"endpoint"}} == {k: want[k] for k in shared - {"endpoint"}}


def test_interrupted_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openai_structs.batch import _export

    def put(*args: Any) -> Any:  # once the file is open and its writer thread runs
        raise KeyboardInterrupt

    monkeypatch.setattr(_export.Background, "put", put)
    import threading

    threads = threading.active_count()
    with pytest.raises(KeyboardInterrupt):
        export_parquet(BATCH / "chat_completions.jsonl", tmp_path / "out.parquet")
    assert list(tmp_path.iterdir()) == [] and threading.active_count() == threads


def test_a_failing_write_is_raised_in_the_callers_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Parquet writer thread's error (a full disk...) is raised by the
    export, which leaves nothing behind and no thread running."""
    import threading

    from openai_structs.batch._export import Background

    def fail(item: Any) -> None:
        raise OSError("no space left on device")

    background = Background(fail)
    background.put(1)
    with pytest.raises(OSError, match="no space"):
        background.finish()
    with pytest.raises(OSError):
        background.put(2)  # after an error, nothing more is taken
    threads = threading.active_count()
    pq_module = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(pq_module.ParquetWriter, "write_table", lambda self, table: fail(table))
    with pytest.raises(OSError, match="no space"):
        export_parquet(BATCH / "chat_completions.jsonl", tmp_path / "out.parquet")
    assert list(tmp_path.iterdir()) == [] and threading.active_count() == threads


@pytest.mark.parametrize("case", sorted(NUMBERS))
def test_a_number_its_column_cannot_hold_is_a_bad_line(case: str, tmp_path: Path) -> None:
    """A value past its column's type (int32 status code and progress, int64
    token counts) is a bad line, named and skipped like any other, never an
    Arrow overflow; the values at the edges of the columns are written as
    they are."""
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
            export_parquet(source, dest)
        assert info.value.line == len(lines) + 1
        assert info.value.offset == source.read_bytes().index(changed)
        assert info.value.__notes__ == [f"in {source}"]
        assert not dest.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in.jsonl"]
        for given in (endpoint, None):
            stats = export_parquet(source, dest, endpoint=given, errors="skip")
            assert (stats.rows, stats.bad) == (2 * len(lines), 1)
            assert pq.read_table(dest).num_rows == 2 * len(lines)
    for value in in_range(bits):
        source = tmp_path / "in.jsonl"
        source.write_bytes(with_number(name, index, keys, value) + b"\n")
        assert export_parquet(source, dest).rows == 1
        assert rows(dest)[0][column] == value


def test_batches_and_row_groups_across_their_bounds(tmp_path: Path) -> None:
    # more lines than a row group holds (16 record batches of 1,024 rows):
    # the rows are the oracle's, in order, and the row groups keep their size
    pq = pytest.importorskip("pyarrow.parquet")
    from openai_structs.batch._export import BATCH_ROWS, GROUP_BATCHES

    path = generated("chat_output", 17_000, tmp_path, seed=3)
    dest = tmp_path / "out.parquet"
    export_parquet(path, dest)
    assert rows(dest) == expected_rows(path, "/v1/chat/completions")
    meta = pq.ParquetFile(dest).metadata
    groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert BATCH_ROWS * GROUP_BATCHES == 16_384
    assert groups == [16_384, 17_000 - 16_384]


def _chat_line(custom_id: str, status: Any, body: Any) -> bytes:
    response = {"status_code": status, "request_id": "req", "body": body}
    if status is None:
        del response["status_code"]
    line = {"id": "batch_req", "custom_id": custom_id, "response": response, "error": None}
    return json.dumps(line).encode() + b"\n"


def test_runs_of_lines_read_leniently_are_read_as_before(tmp_path: Path) -> None:
    # The export decodes runs of chat lines into a lenient view (ChatRun) with
    # no search for failed requests first; each line whose status is not 2xx,
    # or whose body lacks what the view requires, then takes the exact path:
    # the same rows and the same bad lines as the strict view with the search.
    from openai_structs.batch._lines import LineReader, views
    from openai_structs.batch._read import output_reader
    from openai_structs.batch._reader import BadLine

    good = json.loads(lines_of("chat_completions.jsonl")[0])["response"]["body"]
    error = {"error": {"message": "slow down", "type": "rate_limit", "param": None, "code": None}}
    no_model = {k: v for k, v in good.items() if k != "model"}
    cases = [
        (200, good), (429, error), (200, good), (500, good), (200, error), (201, no_model),
        (None, good), (404, {"error": {"message": "m", "type": "t"}, "model": "x"}),
        (200, good), (503, error), (200, None), (299, good), (300, good),
    ]  # fmt: skip
    text = b"".join(_chat_line(f"r{i}", s, body) for i, (s, body) in enumerate(cases))
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(text * 3 + b"\n" + text)  # a blank line too

    def read(lenient: bool, block_size: int) -> list[Any]:
        reader = output_reader(
            path,
            views=views,
            convert=LineReader("/v1/chat/completions"),
            errors="collect",
            lenient=lenient,
            block_size=block_size,
        )
        out = [(x.line, x.offset, x.reason) if isinstance(x, BadLine) else x for x in reader]
        assert reader._kind._runs is not None if lenient else True  # pyright: ignore
        return out

    for block_size in (64 << 10, 700):
        before, after = read(False, block_size), read(True, block_size)
        assert after == before
        bad = [x[0] for x in after if isinstance(x[0], int) and isinstance(x[2], str)]
        # 500 and 300 with a chat body, 200 with an error, no model, an error without its code
        assert bad == [n + 13 * k + (k == 3) for k in range(4) for n in (4, 5, 6, 8, 13)]
        assert [x[2] for x in after if x[:1] == ("r1",)] == [429] * 4  # failed, not bad
