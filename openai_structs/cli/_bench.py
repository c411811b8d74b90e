"""``openai-structs bench``: the benchmark table, from a source checkout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._common import EXIT_FILE, EXIT_OK, fail

__all__ = ["add_bench_command"]


def cmd_bench(args: argparse.Namespace) -> int:
    """Run ``benchmarks/report.py`` from the source tree this package lives in."""
    import runpy

    report = Path(__file__).resolve().parents[2] / "benchmarks" / "report.py"
    if not report.is_file():
        fail(
            "the benchmarks live in the source tree (benchmarks/report.py), "
            "which this installation does not have",
            EXIT_FILE,
        )
    argv = [str(report), "--no-write"]
    if args.quick:
        argv.append("--quick")
    if args.only:
        argv += ["--only", args.only]
    saved = sys.argv
    sys.argv = argv
    try:
        runpy.run_path(str(report), run_name="__main__")
    except SystemExit as exc:
        return int(exc.code or 0)
    finally:
        sys.argv = saved
    return EXIT_OK


def add_bench_command(commands: Any) -> None:
    bench = commands.add_parser("bench", help="print the benchmark table")
    bench.add_argument("--quick", action="store_true", help="fewer rounds (under a minute)")
    bench.add_argument("--only", default="", help="only the cases whose name holds this text")
    bench.set_defaults(run=cmd_bench)
