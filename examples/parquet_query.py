"""Query a batch output file with polars or DuckDB, through the Parquet export.

First: ``openai-structs batch export output.jsonl --to output.parquet``.
"""

from __future__ import annotations

from typing import Any


def tokens_by_model_polars(parquet: str) -> list[dict[str, Any]]:
    import polars as pl

    return (
        pl.scan_parquet(parquet)
        .filter(pl.col("status_code") == 200)
        .group_by("model")
        .agg(pl.len().alias("requests"), pl.col("total_tokens").sum())
        .sort("model")
        .collect()
        .to_dicts()
    )


def failures_duckdb(parquet: str) -> list[tuple[Any, ...]]:
    import duckdb

    query = (
        "SELECT custom_id, status_code, error_code FROM read_parquet($path) "
        "WHERE error_code IS NOT NULL ORDER BY custom_id"
    )
    return duckdb.execute(query, {"path": parquet}).fetchall()
