"""``python -m openai_structs.codegen --spec PATH --out DIR [--history DIR] [--azure DIR] [--report]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import generate, write
from .report import report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m openai_structs.codegen", description=__doc__)
    parser.add_argument("--spec", type=Path, default=Path("../shared/spec/openapi.json"))
    parser.add_argument("--seed", type=Path, default=None, help="names.json of the seed crate")
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).resolve().parent.parent / "types"
    )
    parser.add_argument(
        "--history",
        type=Path,
        default=None,
        help="folder of older spec snapshots (default: the history folder beside --spec)",
    )
    parser.add_argument(
        "--azure",
        type=Path,
        default=None,
        help="folder of Azure OpenAI's spec (default: the azure folder beside --spec)",
    )
    parser.add_argument("--report", action="store_true", help="print what was emitted")
    parser.add_argument(
        "--check", action="store_true", help="compare with --out instead of writing"
    )
    parser.add_argument(
        "--no-unknown-variants",
        action="store_true",
        help="leave Unknown* members out of tagged unions (a baseline for benchmarks only)",
    )
    args = parser.parse_args(argv)
    seed = args.seed or args.spec.resolve().parent.parent / "seed" / "names.json"
    result = generate(
        args.spec,
        seed,
        unknown_variants=not args.no_unknown_variants,
        history=args.history,
        azure=args.azure,
    )
    if args.check:
        stale = [
            name
            for name, text in result.files.items()
            if not (args.out / name).exists()
            or (args.out / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"out of date: {args.out / name}", file=sys.stderr)
        return 1 if stale else 0
    write(result, args.out)
    if args.report:
        print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
