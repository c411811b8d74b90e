"""``openai-structs batch ...``: inspect, export, join and validate batch files."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec

from ..batch._export import (
    COLUMNS,
    check_ranges,
    columns_for,
    concat_parquet,
    export_file,
    export_row,
    first_endpoint,
    write_parquet,
)
from ..core._codec import Encoder
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
    if name is not None and name not in COLUMNS:
        fail(f"unknown endpoint {name!r}; one of: {', '.join(COLUMNS)}", EXIT_USAGE)
    return name


# ---------------------------------------------------------------- inspect


def cmd_inspect(args: argparse.Namespace) -> int:
    from ..batch._summary import summarize_batch

    path = existing_file(args.file)
    update, close = progress_bar(path.stat().st_size, f"reading {path.name}")
    try:
        summary = summarize_batch(path, endpoint=_endpoint(args.endpoint), progress=update)
    finally:
        close()
    if args.json:
        print_json(msgspec.to_builtins(summary))
    else:
        _print_summary(path, summary)
    for line, offset, reason in summary.bad_lines[:10]:
        print(f"{path}: line {line} (byte {offset}): {reason}", file=sys.stderr)
    return EXIT_DATA if summary.bad else EXIT_OK


def _print_summary(path: Path, summary: Any) -> None:
    print(f"{path}: {summary.lines} lines, {summary.good} good, {summary.bad} bad")
    print(f"endpoint: {summary.endpoint or 'unknown (no successful line)'}")
    if summary.status_codes:
        table("status codes", ["status", "lines"], sorted(summary.status_codes.items()))
    if summary.error_codes:
        table("error codes", ["code", "lines"], sorted(summary.error_codes.items()))
    if summary.finish_reasons:
        table("finish reasons", ["reason", "choices"], sorted(summary.finish_reasons.items()))
    if summary.statuses:
        table("statuses", ["status", "bodies"], sorted(summary.statuses.items()))
    if summary.usage:
        rows = [
            [model, u.requests, u.input_tokens, u.output_tokens, u.total_tokens]
            for model, u in sorted(summary.usage.items())
        ]
        table("tokens by model", ["model", "requests", "input", "output", "total"], rows)


# ---------------------------------------------------------------- export


def _export_part(
    path: str, start: int, end: int, endpoint: str | None, fixed: bool, errors: str, out: str
) -> tuple[int, int]:
    """Worker of ``--jobs``: write the rows of one byte range to ``out``;
    return the rows written and the bad lines skipped."""
    return export_file(path, out, endpoint, fixed=fixed, errors=errors, start=start, end=end)


def _lines_before(path: Path, offset: int) -> int:
    """How many lines of the file at ``path`` end before byte ``offset``."""
    import mmap

    from ..batch._source import _count_newlines  # pyright: ignore[reportPrivateUsage]

    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return _count_newlines(view, 0, offset)


def _export_parallel(
    path: Path, dest: Path, endpoint: str | None, fixed: bool, errors: str, jobs: int
) -> tuple[int, int]:
    """Export with ``jobs`` processes, each on its own byte range, into one
    file; return the rows written and the bad lines skipped. Interrupted,
    the workers are stopped before their part files are removed."""
    import pyarrow as pa  # pyright: ignore[reportMissingTypeStubs]
    import pyarrow.parquet  # pyright: ignore[reportMissingTypeStubs, reportUnusedImport]

    # pyarrow loads pandas (when installed) on first use; do it here, once, so that
    # the forked workers inherit it instead of each paying for it
    pa.array([0])  # pyright: ignore[reportUnknownMemberType]

    from ..batch._jobs import WorkerDied, run_tasks
    from ..batch._source import batch_ranges
    from ..errors import BatchLineError

    ranges = batch_ranges(path, jobs * 4)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".export-") as tmp:
        parts = [str(Path(tmp) / f"part-{i:05d}.parquet") for i in range(len(ranges))]
        tasks = [
            (str(path), a, b, endpoint, fixed, errors, out) for (a, b), out in zip(ranges, parts)
        ]
        try:
            counts = run_tasks(_export_part, tasks, jobs)
        except BatchLineError as exc:
            a = max(a for a, _ in ranges if a <= exc.offset)
            line = _lines_before(path, a) + (exc.line or 0)
            fail(f"{path}: line {line} (byte {exc.offset}): {exc.reason}", EXIT_DATA)
        except WorkerDied as exc:
            fail(str(exc), EXIT_DATA if exc.signal is None else 128 + exc.signal)
        count = concat_parquet(parts, dest, endpoint)
    return count, sum(bad for _, bad in counts)


def cmd_export(args: argparse.Namespace) -> int:
    path = existing_file(args.file)
    given = _endpoint(args.endpoint)
    endpoint = given or first_endpoint(path)
    fixed = given is not None  # else typed as inspect types them: inferred
    dest = Path(args.to)
    if not dest.parent.is_dir():
        fail(f"no such folder: {dest.parent}", EXIT_FILE)
    if args.jobs > 1:
        count, bad = _export_parallel(path, dest, endpoint, fixed, args.errors, args.jobs)
    else:
        update, close = progress_bar(path.stat().st_size, f"exporting {path.name}")
        try:
            count, bad = export_file(
                path, dest, endpoint, fixed=fixed, errors=args.errors, progress=update
            )
        finally:
            close()
    skipped = f"; skipped {bad} bad line{'s' * (bad != 1)}" if bad else ""
    print(f"wrote {count} rows ({endpoint or 'error lines only'}) to {dest}{skipped}")
    return EXIT_OK


# ---------------------------------------------------------------- join


def cmd_join(args: argparse.Namespace) -> int:
    from ..batch._join import BatchJoin

    request = existing_file(args.input)
    outputs = [existing_file(name) for name in args.output]
    given = _endpoint(args.endpoint)
    endpoint = given or first_endpoint(outputs[0])
    # typed as inspect and export type them, and held to the export's columns
    joined = BatchJoin(request, outputs, endpoint=given, errors="raise", check=check_ranges)
    encode = Encoder().encode  # writes unknown variants back as they came

    def rows() -> Iterator[dict[str, Any]]:
        for req, result in joined:
            row = export_row(result, endpoint)
            row["request"] = encode(req.body).decode()
            yield row
        for req in joined.unmatched_requests:  # no result: only the request's columns
            row = dict.fromkeys(columns_for(endpoint))
            row["custom_id"] = req.custom_id
            row["request"] = encode(req.body).decode()
            yield row

    if args.to:
        count = write_parquet(rows(), args.to, endpoint, extra={"request": "string"})
        print(f"wrote {count} rows to {args.to}")
    else:
        for _ in joined:  # pair everything, to report what did not pair
            pass

    def ids(lines: list[Any]) -> list[str | None]:  # a result may have no custom_id
        return [line.custom_id if isinstance(line.custom_id, str) else None for line in lines]

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


class _Discard:
    """A binary sink: validation writes the file nowhere."""

    def write(self, data: bytes) -> int:
        return len(data)


def cmd_validate(args: argparse.Namespace) -> int:
    from ..batch._read import iter_batch_input
    from ..batch._write import write_batch_input
    from ..errors import BatchInputError

    path = existing_file(args.file)
    try:
        stats = write_batch_input(iter_batch_input(path), _Discard())  # type: ignore[arg-type]
    except BatchInputError as exc:
        fail(f"{path}: {exc}", EXIT_DATA)
    result = {"file": str(path), "ok": True, **msgspec.to_builtins(stats)}
    if args.json:
        print_json(result)
    else:
        print(f"{path}: ok, {stats.lines} requests to {stats.endpoint}, {stats.bytes} bytes")
    return EXIT_OK


def add_batch_commands(commands: Any) -> None:
    batch = commands.add_parser("batch", help="Batch API files: inspect, export, join, validate")
    sub = batch.add_subparsers(dest="batch_command", required=True, metavar="COMMAND")
    endpoints = f"the endpoint the file answers (default: inferred); one of {', '.join(COLUMNS)}"

    inspect = sub.add_parser("inspect", help="count lines, statuses, errors, models and tokens")
    inspect.add_argument("file")
    inspect.add_argument("--endpoint", help=endpoints)
    inspect.add_argument("--json", action="store_true", help="print one JSON document")
    inspect.set_defaults(run=cmd_inspect)

    export = sub.add_parser("export", help="write one Parquet row per line")
    export.add_argument("file")
    export.add_argument("--to", required=True, help="the Parquet file to write")
    export.add_argument("--endpoint", help=endpoints)
    export.add_argument("--jobs", type=int, default=1, help="processes to split the file over")
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
