"""``openai-structs codegen``: regenerate the types from a newer spec (the
generator's own command line, ``python -m openai_structs.codegen``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ._common import EXIT_FILE, fail

__all__ = ["add_codegen_command"]


def cmd_codegen(args: argparse.Namespace) -> int:
    """Regenerate the types from a spec (the generator's own command line)."""
    from ..codegen.__main__ import main as codegen_main

    if not Path(args.spec).is_file():
        fail(f"no such file: {args.spec}", EXIT_FILE)
    argv = ["--spec", str(args.spec)]
    if args.history:
        argv += ["--history", str(args.history)]
    if args.azure:
        argv += ["--azure", str(args.azure)]
    if args.out:
        argv += ["--out", str(args.out)]
    if args.check:
        argv.append("--check")
    if args.report:
        argv.append("--report")
    return codegen_main(argv)


def add_codegen_command(commands: Any) -> None:
    codegen = commands.add_parser("codegen", help="regenerate the types from a spec")
    codegen.add_argument("--spec", required=True, type=Path, help="openapi.json")
    codegen.add_argument("--history", type=Path, help="folder of older spec snapshots")
    codegen.add_argument("--azure", type=Path, help="folder of Azure OpenAI's spec")
    codegen.add_argument("--out", type=Path, help="output folder (default: the package's types)")
    codegen.add_argument("--check", action="store_true", help="compare instead of writing")
    codegen.add_argument("--report", action="store_true", help="print what was generated")
    codegen.set_defaults(run=cmd_codegen)
