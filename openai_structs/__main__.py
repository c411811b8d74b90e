"""Demo: decode every sample payload in data/, check it round-trips, and time it.

Run ``python -m openai_structs [--data DIR] [--repeat N] [--rich]``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

import openai_structs

# file-name prefix -> (our type name, openai SDK model "module:Class" or None); first match wins
KINDS: list[tuple[str, str, str | None]] = [
    (
        "chat_completion_chunks",
        "CreateChatCompletionStreamResponse",
        "openai.types.chat:ChatCompletionChunk",
    ),
    ("chat_completion", "CreateChatCompletionResponse", "openai.types.chat:ChatCompletion"),
    ("response", "Response", "openai.types.responses:Response"),
    ("embeddings", "CreateEmbeddingResponse", "openai.types:CreateEmbeddingResponse"),
    ("batch_output", "BatchRequestOutput", None),
]
DESCRIPTION = "Decode, round-trip and time every sample payload in data/."
DEFAULT_DATA = Path(__file__).resolve().parent.parent / "data"


def _get(obj: Any, *path: str) -> Any:
    """Follow attribute names; None when a step is missing, null or UNSET."""
    for name in path:
        obj = getattr(obj, name, None)
        if obj is None or obj is msgspec.UNSET:
            return None
    return obj


def _kind(item: Any) -> str:
    """The tag of a union member (its ``type``), or its class name."""
    tag = _get(item, "type") or getattr(item, "tag", None)
    return str(tag) if tag is not None else type(item).__name__


def summarize(type_name: str, docs: list[Any]) -> str:
    """One line saying what was read, per kind of payload."""
    d = docs[0]
    if type_name == "CreateChatCompletionResponse":
        reasons = ",".join(str(_get(c, "finish_reason")) for c in d.choices)
        return (
            f"{d.model}: {len(d.choices)} choice(s), finish={reasons}, "
            f"tokens={_get(d, 'usage', 'total_tokens')}"
        )
    if type_name == "Response":
        kinds = Counter(_kind(i) for i in d.output)
        return f"{d.model} {_get(d, 'status')}: output=" + ", ".join(
            f"{k}x{n}" for k, n in kinds.items()
        )
    if type_name == "CreateEmbeddingResponse":
        dims = len(d.data[0].embedding) if d.data else 0
        return f"{d.model}: {len(d.data)} vector(s) of {dims} dims"
    if type_name == "CreateChatCompletionStreamResponse":
        text = "".join(_get(c, "delta", "content") or "" for x in docs for c in x.choices)
        tools = {
            n
            for x in docs
            for c in x.choices
            for t in (_get(c, "delta", "tool_calls") or [])
            if (n := _get(t, "function", "name"))
        }
        return f"{len(docs)} chunks, {len(text)} chars of text, tool calls: {sorted(tools) or '-'}"
    if type_name == "BatchRequestOutput":
        codes = Counter(str(_get(x, "response", "status_code") or "error") for x in docs)
        return f"{len(docs)} lines, status: " + ", ".join(f"{k}x{n}" for k, n in codes.items())
    return f"{len(docs)} document(s)"


def first_diff(a: Any, b: Any, path: str = "$") -> str | None:
    """Path of the first place where two JSON values differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(a.keys() | b.keys()):
            if k not in a or k not in b:
                return f"{path}.{k} ({'missing after encode' if k not in b else 'added by encode'})"
            if (d := first_diff(a[k], b[k], f"{path}.{k}")) is not None:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return next(
            (
                d
                for i, (x, y) in enumerate(zip(a, b))
                if (d := first_diff(x, y, f"{path}[{i}]")) is not None
            ),
            None,
        )
    if isinstance(a, bool) != isinstance(b, bool):
        return path
    return None if a == b else path


def per_doc_us(fn: Callable[[bytes], Any], docs: list[bytes], repeat: int) -> float:
    """Best-of-``repeat`` time to run ``fn`` over all docs, in microseconds per doc."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for b in docs:
            fn(b)
        best = min(best, time.perf_counter() - t0)
    return best / len(docs) * 1e6


def sdk_model(spec: str | None) -> Any:
    """The openai SDK pydantic model named by ``module:Class``, or None if unavailable."""
    if spec is None:
        return None
    mod, _, cls = spec.partition(":")
    try:
        return getattr(importlib.import_module(mod), cls)
    except ImportError:
        return None


def run_file(path: Path, type_name: str, sdk: str | None, repeat: int) -> tuple[list[str], bool]:
    """Decode, round-trip and time one sample file; returns a table row and success."""
    raw = path.read_bytes()
    docs = [ln for ln in raw.splitlines() if ln.strip()] if path.suffix == ".jsonl" else [raw]
    tp = getattr(openai_structs, type_name)
    try:
        values = [openai_structs.decode(b, tp) for b in docs]
    except ValueError as exc:
        return [path.name, type_name, str(len(docs)), "-", "-", "-", f"DECODE ERROR: {exc}"], False
    bad = [
        (i, d)
        for i, (b, v) in enumerate(zip(docs, values))
        if (d := first_diff(json.loads(b), json.loads(openai_structs.encode(v)))) is not None
    ]
    ours = per_doc_us(lambda b: openai_structs.decode(b, tp), docs, repeat)
    model, theirs = sdk_model(sdk), None
    if model is not None:
        try:
            theirs = per_doc_us(model.model_validate_json, docs, repeat)
        except ValueError:  # the SDK rejected a sample: leave its column empty
            theirs = None
    if bad:
        note = f"ROUND-TRIP FAIL in doc {bad[0][0]}: {bad[0][1]}"
    else:
        try:
            note = summarize(type_name, values)
        except (AttributeError, IndexError, TypeError) as exc:
            note = f"decoded (no summary: {exc!r})"
    return [
        path.name,
        type_name,
        str(len(docs)),
        f"{ours:.1f}",
        f"{theirs:.1f}" if theirs is not None else "-",
        f"{theirs / ours:.1f}x" if theirs is not None else "-",
        note,
    ], not bad


def print_table(header: list[str], rows: list[list[str]], use_rich: bool) -> None:
    """Print rows as a plain aligned table, or with rich when asked and installed."""
    if use_rich:
        try:
            from rich.console import Console  # pyright: ignore[reportMissingImports]
            from rich.table import Table  # pyright: ignore[reportMissingImports]
        except ImportError:
            print("(rich is not installed; falling back to plain text)", file=sys.stderr)
        else:
            table = Table(*header)
            for r in rows:
                table.add_row(*r)
            Console().print(table)
            return
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
    for r in [header, ["-" * w for w in widths] + ["-" * len(header[-1])], *rows]:
        print(
            "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))
            )
            + "  "
            + r[-1]
        )


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    ap = argparse.ArgumentParser(prog="python -m openai_structs", description=DESCRIPTION)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of sample payloads")
    ap.add_argument("--repeat", type=int, default=20, help="timing repeats per file (best is kept)")
    ap.add_argument("--rich", action="store_true", help="draw the table with rich, if installed")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(
            f"error: no sample folder at {args.data} (the samples live in the repository's data/;"
            " pass --data DIR)",
            file=sys.stderr,
        )
        return 2
    rows, ok = [], True
    for path in sorted(args.data.glob("*.json*")):
        match = next((k for k in KINDS if path.name.startswith(k[0])), None)
        if match is None or path.suffix not in (".json", ".jsonl"):
            continue
        row, good = run_file(path, match[1], match[2], max(1, args.repeat))
        rows.append(row)
        ok &= good
    if not rows:
        print(f"error: no known sample files in {args.data}", file=sys.stderr)
        return 2
    header = ["file", "type", "docs", "ours us/doc", "openai us/doc", "speed-up", "what was read"]
    print_table(header, rows, args.rich)
    if sdk_model(KINDS[1][2]) is None:
        print("(openai SDK not installed: its column is empty)")
    print("all samples round-trip" if ok else "FAILED: see the rows above")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
