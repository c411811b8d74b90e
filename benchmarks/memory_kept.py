"""Bytes per decoded object kept in memory: ours, a view, pydantic models, orjson dicts.

    python benchmarks/memory_kept.py [--count N]

What a service or a notebook holds after decoding: ``N`` bodies decoded and
kept in a list, the memory ``tracemalloc`` sees allocated for them (after
the list and the inputs are set aside), divided by ``N``. The bodies are the
successful chat completions and Responses of the seeded batch files
(``batch_files.py``), each decoded from its own bytes:

- ``openai_structs``: ``decode(body, CreateChatCompletionResponse)`` (or ``Response``);
- ``view``: ``decode`` into a usage-only view (model and usage; ``export_speed.py``'s);
- ``pydantic (SDK)``: the openai SDK's ``ChatCompletion.model_validate_json``
  (or ``Response``);
- ``orjson dicts``: ``orjson.loads``.

``report.py`` puts the table in BENCHMARKS.md (:func:`section`).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if __name__ == "__main__":
    sys.path[:0] = [str(HERE.parent), str(HERE)]


def bodies(kind: str, count: int) -> list[bytes]:
    """The bytes of the first ``count`` successful bodies of a ``kind`` file."""
    import batch_files
    import orjson

    path = batch_files.build(kind, max(2_000, count * 11 // 10))
    out: list[bytes] = []
    with open(path, "rb") as f:
        for line in f:
            response = orjson.loads(line).get("response")
            if response and 200 <= response["status_code"] < 300:
                out.append(orjson.dumps(response["body"]))
                if len(out) == count:
                    break
    return out


def kept(decode: Callable[[bytes], Any], payloads: list[bytes]) -> float:
    """Bytes that stay allocated per payload once each is decoded and kept."""
    decode(payloads[0])  # caches, decoders, lazy imports: not the objects' cost
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    values = [decode(p) for p in payloads]
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    grown -= sys.getsizeof(values)  # the list itself is not the objects
    del values
    return grown / len(payloads)


def peers(kind: str) -> dict[str, Callable[[bytes], Any]]:
    import orjson
    from export_speed import VIEWS

    import openai_structs

    full = "CreateChatCompletionResponse" if kind == "chat_output" else "Response"
    out: dict[str, Callable[[bytes], Any]] = {
        "openai_structs": openai_structs.Decoder(getattr(openai_structs, full)).decode,
        "view": openai_structs.Decoder(VIEWS[kind]).decode,
        "orjson dicts": orjson.loads,
    }
    try:
        if kind == "chat_output":
            from openai.types.chat import ChatCompletion as Model
        else:
            from openai.types.responses import Response as Model
    except ImportError:  # the SDK is in the bench extra; without it, not measured
        return out
    out["pydantic (SDK)"] = Model.model_validate_json
    return out


def section(count: int) -> str:
    rows = [
        (
            f"{count:,} bodies decoded and kept in a list; bytes each that `tracemalloc` sees "
            "allocated for them (`benchmarks/memory_kept.py`)."
        ),
        "",
        "| body | openai_structs | view (model, usage) | pydantic (SDK) | orjson dicts |",
        "|---|---|---|---|---|",
    ]
    for kind, label in (("chat_output", "chat completion"), ("responses_output", "Response")):
        payloads = bodies(kind, count)
        avg = sum(map(len, payloads)) / len(payloads)
        fns = peers(kind)
        cells = [f"{label} ({avg / 1e3:.1f} KB of JSON)"]
        for name in ("openai_structs", "view", "pydantic (SDK)", "orjson dicts"):
            fn = fns.get(name)
            cells.append("not measured" if fn is None else f"{kept(fn, payloads) / 1e3:.2f} KB")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5_000)
    args = parser.parse_args()
    print(section(args.count))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
