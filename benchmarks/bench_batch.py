"""Reading Batch API output files: openai_structs against its peers, same file, same run.

Peers, each reading the file from disk line by line:

- ``ours``: ``iter_batch_output(path)``, every line fully typed (bodies as the
  endpoint's type, error bodies as ``ErrorResponse``);
- ``orjson``: ``orjson.loads`` of each line (untyped dicts);
- ``sdk``: ``orjson.loads`` of each line, then the openai SDK's pydantic model
  ``model_validate`` on each 2xx body (``ChatCompletion`` or ``Response``):
  the SDK has no model of a batch line, so this is how its users type one;
- ``sdk_construct``: the same with ``openai._models.construct_type``, the path
  the SDK itself takes for API responses (no validation).

Files come from ``benchmarks/batch_files.py`` (seeded, cached in ``.cache/``):
60,000 chat completion lines (~70 MB, tool calls, 2.5% error lines) and 20,000
Responses lines (reasoning, function calls, web search, tools). When
pytest-benchmark is disabled (CI) each peer reads a 2,000-line file once.

Without pytest, ``python benchmarks/bench_batch.py [--repeat N]`` prints MB/s,
lines/s and the ratios: peers interleaved in each repeat (who goes first rotates), best
repeat kept; the SDK peers, 10-60x slower, run ``--sdk-repeat`` times only. Times are CPU
time of this process (``time.process_time``, page faults included), so that other processes
on a shared machine do not count against whichever peer they interrupt.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import batch_files
import pytest

from openai_structs.batch import iter_batch_output

FULL = {"chat_output": 60_000, "responses_output": 20_000}
SMALL = 2_000


def _ours(path: Path) -> int:
    reader = iter_batch_output(path)
    for _ in reader:
        pass
    return reader.good


def _orjson(path: Path) -> int:
    import orjson

    loads = orjson.loads
    n = 0
    with open(path, "rb") as f:
        for line in f:
            loads(line)
            n += 1
    return n


def _sdk(kind: str, construct: bool) -> Callable[[Path], int]:
    import orjson

    if kind == "chat_output":
        from openai.types.chat import ChatCompletion as Model
    else:
        from openai.types.responses import Response as Model
    if construct:
        from openai._models import construct_type

        def typed(body: Any) -> Any:
            return construct_type(type_=Model, value=body)
    else:
        typed = Model.model_validate

    def run(path: Path) -> int:
        loads = orjson.loads
        n = 0
        with open(path, "rb") as f:
            for raw in f:
                line = loads(raw)
                response = line.get("response")
                if response and 200 <= response["status_code"] < 300:
                    typed(response["body"])
                n += 1
        return n

    return run


def peers(kind: str) -> dict[str, Callable[[Path], int]]:
    """The functions compared on a ``kind`` file, each returning lines read."""
    return {
        "ours": _ours,
        "orjson": _orjson,
        "sdk": _sdk(kind, construct=False),
        "sdk_construct": _sdk(kind, construct=True),
    }


@pytest.mark.parametrize("impl", ["ours", "orjson", "sdk", "sdk_construct"])
@pytest.mark.parametrize("kind", ["chat_output", "responses_output"])
def test_read_batch_output(benchmark: Any, kind: str, impl: str) -> None:
    """One whole output file per round."""
    if impl.startswith("sdk"):
        pytest.importorskip("openai")
    if impl != "ours":
        pytest.importorskip("orjson")
    lines = SMALL if benchmark.disabled else FULL[kind]
    path = batch_files.build(kind, lines)
    benchmark.group = f"batch {kind} {lines} lines"
    fn = peers(kind)[impl]
    if impl.startswith("sdk") and not benchmark.disabled:
        benchmark.pedantic(fn, args=(path,), rounds=1 if impl == "sdk_construct" else 3)
        got = fn(path)
    else:
        got = benchmark(fn, path)
    assert got == lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sdk-repeat", type=int, default=1, help="repeats for the slow SDK peers")
    args = parser.parse_args()
    for kind, lines in FULL.items():
        path = batch_files.build(kind, lines)
        size = path.stat().st_size
        fns = peers(kind)
        best = dict.fromkeys(fns, float("inf"))
        order = list(fns)
        for i in range(args.repeat):
            k = i % len(order)
            for name in order[k:] + order[:k]:  # rotate who goes first
                fn = fns[name]
                if name.startswith("sdk") and i >= args.sdk_repeat:
                    continue
                t = time.process_time()
                assert fn(path) == lines
                best[name] = min(best[name], time.process_time() - t)
        print(f"\n{kind}: {lines} lines, {size / 1e6:.1f} MB, best of {args.repeat}")
        for name, t in best.items():
            ratio = t / best["ours"]
            print(
                f"  {name:14} {t * 1e3:8.0f} ms {size / 1e6 / t:7.0f} MB/s "
                f"{lines / t:9.0f} lines/s   ours is {ratio:6.2f}x its speed"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
