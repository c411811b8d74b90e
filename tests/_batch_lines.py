"""Batch output lines for the tests: lines with one number changed, for what
the export's integer columns can hold (``_export.check_ranges``), and the
seeded files of ``benchmarks/batch_files.py`` (:func:`generated`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

BATCH = Path(__file__).resolve().parents[1] / "data" / "batch"

#: (fixture file, line index, path of keys to the number) for each number the
#: export takes into an integer column
NUMBERS = {
    "status_code": ("chat_completions.jsonl", 1, ["response", "status_code"], 32),
    "chat total_tokens": ("chat_completions.jsonl", 0, ["response", "body", "usage", "total_tokens"], 64),
    "chat prompt_tokens": ("chat_completions.jsonl", 2, ["response", "body", "usage", "prompt_tokens"], 64),
    "responses input_tokens": ("responses.jsonl", 0, ["response", "body", "usage", "input_tokens"], 64),
    "embeddings prompt_tokens": ("embeddings.jsonl", 0, ["response", "body", "usage", "prompt_tokens"], 64),
    "images output_tokens": ("images_generations.jsonl", 0, ["response", "body", "usage", "output_tokens"], 64),
    "videos progress": ("videos.jsonl", 0, ["response", "body", "progress"], 32),
    "chat cached_tokens": ("chat_completions.jsonl", 0, ["response", "body", "usage", "prompt_tokens_details", "cached_tokens"], 64),
    "responses reasoning_tokens": ("responses.jsonl", 0, ["response", "body", "usage", "output_tokens_details", "reasoning_tokens"], 64),
}  # fmt: skip


def generated(kind: str, lines: int, folder: Path, seed: int) -> Path:
    """A seeded file of ``benchmarks/batch_files.py`` (``kind``: chat_output,
    responses_output...), built in ``folder``."""
    sys.path.insert(0, str(BATCH.parents[1] / "benchmarks"))
    try:
        import batch_files
    finally:
        sys.path.pop(0)
    return batch_files.build(kind, lines, seed=seed, folder=folder)


def lines_of(name: str) -> list[bytes]:
    return [line for line in (BATCH / name).read_bytes().splitlines() if line.strip()]


def with_number(name: str, index: int, keys: list[str], value: Any) -> bytes:
    """Line ``index`` of the fixture ``name`` with the number at ``keys`` set to ``value``."""
    doc = json.loads(lines_of(name)[index])
    node = doc
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value
    return json.dumps(doc).encode()


def out_of_range(bits: int) -> list[int]:
    """Integers just outside a signed ``bits``-bit column, and far outside."""
    top = 1 << (bits - 1)
    return [top, -top - 1, 1 << 64, -(1 << 64), 10**30]


def in_range(bits: int) -> list[int]:
    """The integers at the edges of a signed ``bits``-bit column."""
    top = 1 << (bits - 1)
    return [top - 1, -top]


def expanded(name: str, lines: int, seed: int = 7) -> bytes:
    """A file of ``lines`` lines drawn from the fixture ``name`` (each of
    its lines, successes and failures), each with its own ``custom_id`` and
    its token counts, progress and text varied: a generated file of any
    endpoint."""
    import random

    rng = random.Random(seed)
    docs = [json.loads(line) for line in lines_of(name)]
    out = []
    for i in range(lines):
        doc = json.loads(json.dumps(rng.choice(docs)))
        doc["custom_id"] = f"{name}-{i}"
        body = (doc.get("response") or {}).get("body") or {}
        usage = body.get("usage") or {}
        for key in ("prompt_tokens", "completion_tokens", "input_tokens", "output_tokens"):
            if key in usage:
                usage[key] = rng.randrange(1, 5000)
        if usage:
            usage["total_tokens"] = sum(
                usage.get(k, 0)
                for k in ("prompt_tokens", "completion_tokens", "input_tokens", "output_tokens")
            )
        if "progress" in body:
            body["progress"] = rng.randrange(0, 101)
        for choice in body.get("choices", []):
            message = choice.get("message") or {}
            if isinstance(message.get("content"), str):
                message["content"] += f" ({i})"
        out.append(json.dumps(doc).encode())
    return b"\n".join(out) + b"\n"
