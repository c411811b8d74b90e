"""``openai-structs batch ...``: inspect, export, join and validate batch files.

Each command is a thin layer over a function of :mod:`openai_structs.batch`
(``summarize_batch``, ``export_parquet``, ``join_batch`` / ``join_parquet``,
``validate_batch_input``): the command adds files and globs, progress bars,
printing and exit codes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..batch import ENDPOINTS
from ..errors import BatchInputError, BatchLineError
from ._common import (
    EXIT_DATA,
    EXIT_FILE,
    EXIT_OK,
    EXIT_USAGE,
    existing_file,
    fail,
    print_json,
    progress_bar,
    table,
)

__all__ = ["add_batch_commands"]


def _endpoint(name: str | None) -> str | None:
    if name is not None and name not in ENDPOINTS:
        fail(f"unknown endpoint {name!r}; one of: {', '.join(ENDPOINTS)}", EXIT_USAGE)
    return name


def _files(names: list[str]) -> list[Path]:
    """The files named on the command line, globs expanded (as a shell would,
    for a pattern it was given quoted); exit code 3 if one is missing."""
    from ..batch._source import expand_paths

    try:
        return [Path(name) for name in expand_paths(names)]
    except FileNotFoundError as exc:
        fail(str(exc), EXIT_FILE)


def _located(exc: BatchLineError, path: Path) -> str:
    """A bad line's message, with its file: the note the export adds, or ``path``."""
    notes: list[str] = getattr(exc, "__notes__", [])
    name = next((note[3:] for note in notes if note.startswith("in ")), str(path))
    return f"{name}: {exc}"


# ---------------------------------------------------------------- inspect


def cmd_inspect(args: argparse.Namespace) -> int:
    from ..batch import BatchSummary, summarize_batch

    files = _files(args.file)
    endpoint = _endpoint(args.endpoint)
    total = BatchSummary()
    parts: list[dict[str, Any]] = []
    for path in files:
        update, close = progress_bar(path.stat().st_size, f"reading {path.name}")
        try:
            summary = summarize_batch(
                path, endpoint=endpoint, progress=update, failed_ids=args.failed
            )
        finally:
            close()
        for bad in summary.bad_lines[:10]:
            print(f"{path}: line {bad.line} (byte {bad.offset}): {bad.reason}", file=sys.stderr)
        parts.append(
            {"file": str(path), **{k: getattr(summary, k) for k in ("lines", "good", "bad")}}
        )
        total.merge(summary)
    if args.json:
        print_json({**total.to_dict(), "files": parts})
    else:
        _print_summary(parts, total, args.failed)
    return EXIT_DATA if total.bad else EXIT_OK


def _print_summary(parts: list[dict[str, Any]], summary: Any, failed: bool) -> None:
    for part in parts:
        print(f"{part['file']}: {part['lines']} lines, {part['good']} good, {part['bad']} bad")
    if len(parts) > 1:
        print(f"in all: {summary.lines} lines, {summary.good} good, {summary.bad} bad")
    if summary.endpoint is not None:
        print(f"endpoint: {summary.endpoint}")
    elif summary.endpoints:
        print(f"endpoints: {', '.join(summary.endpoints)}")
    else:
        print("endpoint: unknown (no successful line)")
    if summary.status_codes:
        table("status codes", ["status", "lines"], sorted(summary.status_codes.items()))
    if summary.error_codes:
        table("error codes", ["code", "lines"], sorted(summary.error_codes.items()))
    if summary.finish_reasons:
        table("finish reasons", ["reason", "choices"], sorted(summary.finish_reasons.items()))
    if summary.statuses:
        table("statuses", ["status", "bodies"], sorted(summary.statuses.items()))
    rows = [[model, *_counts(u)] for model, u in sorted(summary.usage.items())]
    if summary.no_model.requests:
        rows.append(["(no model)", *_counts(summary.no_model)])
    if rows:
        header = ["model", "requests", "in", "out", "total", "cached", "reasoning"]
        table("tokens by model", header, rows)
    if failed:
        print(f"failed requests ({len(summary.failed_ids)}):")
        for custom_id in summary.failed_ids:
            print(custom_id)


def _counts(usage: Any) -> list[int]:
    return [
        usage.requests,
        usage.input_tokens,
        usage.output_tokens,
        usage.total_tokens,
        usage.cached_tokens,
        usage.reasoning_tokens,
    ]


# ---------------------------------------------------------------- export


def cmd_export(args: argparse.Namespace) -> int:
    from ..batch import export_parquet

    files = _files(args.file)
    endpoint = _endpoint(args.endpoint)
    dest = Path(args.to)
    if not dest.parent.is_dir():
        fail(f"no such folder: {dest.parent}", EXIT_FILE)
    size = sum(path.stat().st_size for path in files)
    name = files[0].name if len(files) == 1 else f"{len(files)} files"
    update, close = progress_bar(size, f"exporting {name}")
    try:
        stats = export_parquet(
            files,
            dest,
            endpoint=endpoint,
            errors=args.errors,
            jobs=args.jobs,
            progress=update,
        )
    except BatchLineError as exc:
        fail(_located(exc, files[0]), EXIT_DATA)
    except ValueError as exc:  # files of different endpoints
        fail(str(exc), EXIT_USAGE)
    finally:
        close()
    bad = stats.bad
    skipped = f"; skipped {bad} bad line{'s' * (bad != 1)}" if bad else ""
    print(f"wrote {stats.rows} rows ({stats.endpoint or 'error lines only'}) to {dest}{skipped}")
    return EXIT_OK


# ---------------------------------------------------------------- join


def cmd_join(args: argparse.Namespace) -> int:
    from ..batch import BatchJoin, join_parquet

    request = existing_file(args.input)
    outputs = [existing_file(name) for name in args.output]
    endpoint = _endpoint(args.endpoint)
    size = sum(path.stat().st_size for path in [request, *outputs])
    update, close = progress_bar(size, f"joining {request.name}")
    try:
        if args.to:
            joined = join_parquet(request, outputs, args.to, endpoint=endpoint, progress=update)
            print(f"wrote {joined.matched + len(joined.unmatched_requests)} rows to {args.to}")
        else:
            joined = BatchJoin[Any, Any](
                request, outputs, endpoint=endpoint, errors="raise", progress=update
            )
            joined.run()  # pair everything, to report what did not pair
    except BatchLineError as exc:
        fail(_located(exc, request), EXIT_DATA)
    finally:
        close()

    ids = joined.custom_ids  # a result may have none
    report = {
        "matched": joined.matched,
        "unmatched_requests": ids(joined.unmatched_requests),
        "unmatched_results": ids(joined.unmatched_results),
        "duplicate_requests": ids(joined.duplicate_requests),
        "duplicate_results": ids(joined.duplicate_results),
    }
    if args.json:
        print_json(report)
    else:
        for key, value in report.items():
            shown = value if isinstance(value, int) else f"{len(value)} {value[:5]}"
            print(f"{key}: {shown}")
    return EXIT_OK


# ---------------------------------------------------------------- validate


def cmd_validate(args: argparse.Namespace) -> int:
    from ..batch import validate_batch_input

    path = existing_file(args.file)
    update, close = progress_bar(path.stat().st_size, f"checking {path.name}")
    try:
        stats = validate_batch_input(path, progress=update)
    except BatchInputError as exc:
        fail(f"{path}: {exc}", EXIT_DATA)
    finally:
        close()
    result = {"file": str(path), "ok": True, **_builtins(stats)}
    if args.json:
        print_json(result)
    else:
        print(f"{path}: ok, {stats.lines} requests to {stats.endpoint}, {stats.bytes} bytes")
    return EXIT_OK


def _builtins(value: Any) -> dict[str, Any]:
    import msgspec

    return msgspec.to_builtins(value)


def add_batch_commands(commands: Any) -> None:
    batch = commands.add_parser("batch", help="Batch API files: inspect, export, join, validate")
    sub = batch.add_subparsers(dest="batch_command", required=True, metavar="COMMAND")
    endpoints = f"the endpoint the file answers (default: inferred); one of {', '.join(ENDPOINTS)}"

    inspect = sub.add_parser("inspect", help="count lines, statuses, errors, models and tokens")
    inspect.add_argument("file", nargs="+", help="output or error files (globs allowed)")
    inspect.add_argument("--endpoint", help=endpoints)
    inspect.add_argument("--failed", action="store_true", help="list the failed custom_ids")
    inspect.add_argument("--json", action="store_true", help="print one JSON document")
    inspect.set_defaults(run=cmd_inspect)

    export = sub.add_parser("export", help="write one Parquet row per line")
    export.add_argument("file", nargs="+", help="output or error files (globs allowed)")
    export.add_argument("--to", required=True, help="the Parquet file to write")
    export.add_argument("--endpoint", help=endpoints)
    export.add_argument("--jobs", type=int, default=1, help="processes to split the files over")
    export.add_argument(
        "--errors",
        choices=["raise", "skip"],
        default="raise",
        help="stop at a corrupt line (default) or skip it",
    )
    export.set_defaults(run=cmd_export)

    join = sub.add_parser("join", help="pair requests with results by custom_id")
    join.add_argument("input", help="the batch input file")
    join.add_argument("output", nargs="+", help="the output file (and the error file)")
    join.add_argument("--to", help="write the pairs as Parquet (result columns plus request)")
    join.add_argument("--endpoint", help=endpoints)
    join.add_argument("--json", action="store_true", help="print one JSON document")
    join.set_defaults(run=cmd_join)

    validate = sub.add_parser("validate", help="run the pre-upload checks on an input file")
    validate.add_argument("file")
    validate.add_argument("--json", action="store_true", help="print one JSON document")
    validate.set_defaults(run=cmd_validate)
