"""``openai-structs demo``: decode every sample payload in data/, check each
round-trips, and time it beside the official SDK's pydantic models."""

from __future__ import annotations

import argparse
import importlib
import json
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import types
from ..core import decode, encode
from ..core._fields import present
from ._common import EXIT_DATA, EXIT_FILE, EXIT_OK, fail, table

__all__ = ["add_demo_command"]

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
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "data"


def _kind(item: Any) -> str:
    """The tag of a union member (its ``type``), or its class name."""
    tag = present(item, "type")
    return str(tag) if tag is not None else type(item).__name__


def summarize(type_name: str, docs: list[Any]) -> str:
    """One line saying what was read, per kind of payload."""
    d = docs[0]
    if type_name == "CreateChatCompletionResponse":
        reasons = ",".join(str(present(c, "finish_reason")) for c in d.choices)
        return (
            f"{d.model}: {len(d.choices)} choice(s), finish={reasons}, "
            f"tokens={present(present(d, 'usage'), 'total_tokens')}"
        )
    if type_name == "Response":
        kinds = Counter(_kind(i) for i in d.output)
        return f"{d.model} {present(d, 'status')}: output=" + ", ".join(
            f"{k}x{n}" for k, n in kinds.items()
        )
    if type_name == "CreateEmbeddingResponse":
        dims = len(d.data[0].embedding) if d.data else 0
        return f"{d.model}: {len(d.data)} vector(s) of {dims} dims"
    if type_name == "CreateChatCompletionStreamResponse":
        deltas = [present(c, "delta") for x in docs for c in x.choices]
        text = "".join(present(delta, "content") or "" for delta in deltas)
        tools = {
            n
            for delta in deltas
            for t in (present(delta, "tool_calls") or ())
            if (n := present(present(t, "function"), "name"))
        }
        return f"{len(docs)} chunks, {len(text)} chars of text, tool calls: {sorted(tools) or '-'}"
    if type_name == "BatchRequestOutput":
        codes = Counter(
            str(present(present(x, "response"), "status_code") or "error") for x in docs
        )
        return f"{len(docs)} lines, status: " + ", ".join(f"{k}x{n}" for k, n in codes.items())
    return f"{len(docs)} document(s)"


def first_diff(a: Any, b: Any, path: str = "$") -> str | None:
    """Path of the first place where two JSON values differ, or None (both
    decoded by ``json.loads``: plain dicts and lists)."""
    if a.__class__ is dict and b.__class__ is dict:
        for k in sorted(a.keys() | b.keys()):
            if k not in a or k not in b:
                return f"{path}.{k} ({'missing after encode' if k not in b else 'added by encode'})"
            if (d := first_diff(a[k], b[k], f"{path}.{k}")) is not None:
                return d
        return None
    if a.__class__ is list and b.__class__ is list and len(a) == len(b):
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
    tp = getattr(types, type_name)
    try:
        values = [decode(b, tp) for b in docs]
    except ValueError as exc:
        return [path.name, type_name, str(len(docs)), "-", "-", "-", f"DECODE ERROR: {exc}"], False
    bad = [
        (i, d)
        for i, (b, v) in enumerate(zip(docs, values))
        if (d := first_diff(json.loads(b), json.loads(encode(v)))) is not None
    ]
    ours = per_doc_us(lambda b: decode(b, tp), docs, repeat)
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


def cmd_demo(args: argparse.Namespace) -> int:
    data: Path = args.data
    if not data.is_dir():
        fail(
            f"no sample folder at {data} (the samples live in the repository's data/;"
            " pass --data DIR)",
            EXIT_FILE,
        )
    rows: list[list[str]] = []
    ok = True
    for path in sorted(data.glob("*.json*")):
        match = next((k for k in KINDS if path.name.startswith(k[0])), None)
        if match is None or path.suffix not in (".json", ".jsonl"):
            continue
        row, good = run_file(path, match[1], match[2], max(1, args.repeat))
        rows.append(row)
        ok &= good
    if not rows:
        fail(f"no known sample files in {data}", EXIT_FILE)
    header = ["file", "type", "docs", "ours us/doc", "openai us/doc", "speed-up", "what was read"]
    table("the sample payloads, decoded and encoded again", header, rows)
    if sdk_model(KINDS[1][2]) is None:
        print("(openai SDK not installed: its column is empty)")
    print("all samples round-trip" if ok else "FAILED: see the rows above")
    return EXIT_OK if ok else EXIT_DATA


def add_demo_command(commands: Any) -> None:
    demo = commands.add_parser(
        "demo",
        help="decode, round-trip and time every sample payload in data/",
        description="Decode every sample payload in data/, check each encodes back to the "
        "same JSON, and time decoding beside the official SDK's pydantic models.",
    )
    demo.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of sample payloads")
    demo.add_argument(
        "--repeat", type=int, default=20, help="timing repeats per file (best is kept)"
    )
    demo.set_defaults(run=cmd_demo)
