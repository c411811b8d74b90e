"""Batch output on Dask: a 2-worker LocalCluster gives the single-process export."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")

from openai_structs.cli import main
from openai_structs.dask import read_batch_output

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    import batch_files

    folder = tmp_path_factory.mktemp("dask")
    first = batch_files.build("chat_output", 2000, seed=1, folder=folder)
    second = batch_files.build("chat_output", 1500, seed=2, folder=folder)
    return [first, second]


@pytest.fixture(scope="module")
def client() -> object:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster, Client(cluster) as client:
        yield client


def exported(path: Path, tmp_path: Path) -> list[dict]:
    dest = tmp_path / f"{path.stem}.parquet"
    assert main(["batch", "export", str(path), "--to", str(dest)]) == 0
    return pq.read_table(dest).to_pylist()


def test_cluster_equals_single_process_export(
    client: object, files: list[Path], tmp_path: Path
) -> None:
    frame = read_batch_output([str(p) for p in files], blocksize=256 << 10)
    assert frame.npartitions > 4  # several ranges per file
    out = tmp_path / "parquet"
    frame.to_parquet(out, write_index=False)
    parts = sorted(out.glob("*.parquet"), key=lambda p: int(p.stem.split(".")[-1]))
    assert len(parts) == frame.npartitions
    rows = [row for part in parts for row in pq.read_table(part).to_pylist()]
    expected = exported(files[0], tmp_path) + exported(files[1], tmp_path)
    assert len(rows) == 3500
    assert rows == expected


def test_glob_endpoint_and_errors(files: list[Path], tmp_path: Path) -> None:
    frame = read_batch_output(str(files[0].parent / "*.jsonl"), endpoint="/v1/chat/completions")
    assert list(frame.columns)[:3] == ["custom_id", "request_id", "status_code"]
    assert len(frame.compute(scheduler="sync")) == 3500
    with pytest.raises(FileNotFoundError):
        read_batch_output(str(tmp_path / "missing.jsonl"))
    with pytest.raises(ValueError, match="endpoint"):
        read_batch_output([str(files[0])], endpoint="/v1/nope")
    bad = tmp_path / "bad.jsonl"
    lines = files[0].read_bytes().splitlines(keepends=True)
    bad.write_bytes(b"".join(lines[:10]) + b"{oops\n" + b"".join(lines[10:20]))
    with pytest.raises(ValueError, match="line 11"):
        read_batch_output([str(bad)]).compute(scheduler="sync")
    skipped = read_batch_output([str(bad)], errors="skip").compute(scheduler="sync")
    assert len(skipped) == 20


def test_partitions_type_lines_as_the_whole_file(tmp_path: Path) -> None:
    """Each partition types its lines as a read of the whole file does (the
    endpoint inferred from the file's start), so a line of another endpoint
    is good in every partition, as in the export and in inspect."""
    batch = ROOT / "data" / "batch"
    chat = (batch / "chat_completions.jsonl").read_bytes().splitlines(keepends=True)
    resp = (batch / "responses.jsonl").read_bytes().splitlines(keepends=True)
    source = tmp_path / "mixed.jsonl"
    source.write_bytes(b"".join([*chat, resp[0], *chat, resp[2]] * 5))
    frame = read_batch_output([str(source)], blocksize=4096)
    assert frame.npartitions > 5
    rows = pa.Table.from_pandas(frame.compute(scheduler="sync"), preserve_index=False)
    assert rows.num_rows == 40
    assert rows.to_pylist() == exported(source, tmp_path)
