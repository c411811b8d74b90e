"""The Parquet export and views, against reading the same file, in one run.

    python benchmarks/export_speed.py [--repeat N] [--lines-chat N] [--lines-responses N]

On the seeded benchmark files of ``batch_files.py`` (60,000 chat completion
lines and 20,000 Responses lines by default), each peer reads the file from
disk; peers take turns within each repeat and the best repeat is kept. Two
clocks: the process's CPU time (``time.process_time``, all threads: what the
machine spends, whatever else runs on it) and the wall time (what a user
waits: the export writes Parquet in a second thread).

- ``iterate``: ``for line in iter_batch_output(path)``, every line fully typed:
  the peer the targets are ratios of;
- ``export``: ``export_parquet(path, dest)``, Parquet written (the command's
  start-up is not counted);
- ``view``: ``iter_batch_output(path, body=<model and usage>)``, a usage-only
  view;
- ``orjson``: ``orjson.loads`` of each line, read from the file line by line
  (as ``bench_batch.py`` reads it).

``report.py`` puts the table in BENCHMARKS.md (:func:`section`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
if __name__ == "__main__":
    sys.path[:0] = [str(HERE.parent), str(HERE)]

import msgspec
from msgspec import UNSET, UnsetType

FULL = {"chat_output": 60_000, "responses_output": 20_000}
QUICK = {"chat_output": 6_000, "responses_output": 2_000}


def usage_view(name: str, tokens: tuple[str, str, str]) -> type:
    """A usage-only view of a body: its ``model``, and its ``usage`` holding
    the three token counts named ``tokens`` (a user's own ``msgspec.Struct``
    would declare the same two classes)."""
    usage = msgspec.defstruct(
        f"{name}Usage", [(field, int) for field in tokens], frozen=True, gc=False
    )
    fields = [("model", str), ("usage", usage | None | UnsetType, UNSET)]
    return msgspec.defstruct(name, fields, frozen=True, gc=False)


#: model and tokens of a chat completion
ChatUsageView = usage_view("ChatUsageView", ("prompt_tokens", "completion_tokens", "total_tokens"))
#: model and tokens of a Response
ResponseUsageView = usage_view(
    "ResponseUsageView", ("input_tokens", "output_tokens", "total_tokens")
)

VIEWS = {"chat_output": ChatUsageView, "responses_output": ResponseUsageView}


def peers(kind: str, dest: Path) -> dict[str, Callable[[Path], int]]:
    """The functions compared on a ``kind`` file, each returning lines read."""
    from openai_structs.batch import export_parquet, iter_batch_output

    def iterate(path: Path) -> int:
        reader = iter_batch_output(path)
        for _ in reader:
            pass
        return reader.lines

    def export(path: Path) -> int:
        stats = export_parquet(path, dest)
        return stats.rows + stats.bad

    def view(path: Path) -> int:
        reader = iter_batch_output(path, body=VIEWS[kind])
        for _ in reader:
            pass
        return reader.lines

    def orjson(path: Path) -> int:
        import orjson

        loads, n = orjson.loads, 0
        with open(path, "rb") as f:
            for line in f:
                loads(line)
                n += 1
        return n

    return {"iterate": iterate, "export": export, "view": view, "orjson": orjson}


def measure(kind: str, lines: int, repeat: int) -> dict[str, tuple[float, float]]:
    """``peer -> (best CPU seconds, best wall seconds)`` on a ``kind`` file."""
    import batch_files

    path = batch_files.build(kind, lines)
    with tempfile.TemporaryDirectory() as tmp:
        fns = peers(kind, Path(tmp) / "out.parquet")
        import pyarrow

        pyarrow.array([0])  # pyarrow loads pandas on first use: not the export's cost
        best = {name: (float("inf"), float("inf")) for name in fns}
        order = list(fns)
        for i in range(repeat):
            k = i % len(order)
            for name in order[k:] + order[:k]:  # rotate who goes first
                cpu, wall = time.process_time(), time.perf_counter()
                assert fns[name](path) == lines, name
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                best[name] = (min(best[name][0], cpu), min(best[name][1], wall))
    return best


def section(quick: bool, repeat: int | None = None, sizes: dict[str, int] | None = None) -> str:
    """The export's table for BENCHMARKS.md: each peer's time and its ratio
    to ``iterate`` (the targets: export at most 2x; the usage view at least
    1.5x faster than ``iterate`` and 3x than ``orjson``)."""
    import batch_files

    sizes = sizes or (QUICK if quick else FULL)
    repeat = repeat or (3 if quick else 7)
    rows = [
        (
            "Seeded files of `benchmarks/batch_files.py`, read from disk; best of "
            f"{repeat} interleaved repeats, CPU time of the process (all threads) and wall time. "
            "`export`: `export_parquet` to a Parquet file (start-up not counted); `view`: "
            "`iter_batch_output(path, body=...)` with a usage-only view (model and usage); "
            "`orjson`: `orjson.loads` of each line."
        ),
        "",
        "| file | iterate | export | export / iterate | view | iterate / view | orjson / view |",
        "|---|---|---|---|---|---|---|",
    ]
    for kind, lines in sizes.items():
        got = measure(kind, lines, repeat)
        mb = batch_files.build(kind, lines).stat().st_size / 1e6
        cells = [f"{kind.split('_')[0]}, {lines:,} lines, {mb:.0f} MB"]
        it, ex, vw, oj = (got[n] for n in ("iterate", "export", "view", "orjson"))
        cells.append(f"{it[0] * 1e3:.0f} ms CPU, {it[1] * 1e3:.0f} ms wall")
        cells.append(f"{ex[0] * 1e3:.0f} ms CPU, {ex[1] * 1e3:.0f} ms wall")
        cells.append(f"{ex[0] / it[0]:.2f}x CPU, {ex[1] / it[1]:.2f}x wall")
        cells.append(f"{vw[0] * 1e3:.0f} ms")
        cells.append(f"{it[0] / vw[0]:.2f}x")
        cells.append(f"{oj[0] / vw[0]:.2f}x")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, help="repeats (default 7, 3 with --quick)")
    parser.add_argument("--quick", action="store_true", help="small files, 3 repeats")
    args = parser.parse_args()
    print(section(args.quick, args.repeat))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
