"""Scale-out of the Parquet export: 1, 2 and all cores, local processes and Dask.

    python benchmarks/scaling.py [--lines N] [--repeat R] [--write]

Builds (or reuses) a seeded chat-completions output file in the cache folder,
then times ``openai-structs batch export --jobs N`` and
``openai_structs.dask.read_batch_output(...).to_parquet`` on a ``LocalCluster``
of N single-threaded workers, for N in 1, 2 and ``os.cpu_count()``. Prints a
Markdown table of wall times and speed-ups over one core; each figure is the
best of ``--repeat`` runs. Every run's output is checked to hold every line.
``--write`` also puts the table in the "Scale-out" section of BENCHMARKS.md,
which ``report.py`` keeps when it rewrites the file.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))


def time_cli(path: Path, jobs: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            dest = Path(tmp) / "out.parquet"
            argv = [
                sys.executable,
                "-m",
                "openai_structs",
                "batch",
                "export",
                str(path),
            ]
            start = time.perf_counter()
            subprocess.run([*argv, "--to", str(dest), "--jobs", str(jobs)], check=True,
                           capture_output=True)  # fmt: skip
            best = min(best, time.perf_counter() - start)
    return best


def time_dask(path: Path, workers: int, repeat: int, lines: int) -> float:
    import pyarrow.parquet as pq
    from distributed import Client, LocalCluster

    from openai_structs.dask import read_batch_output

    best = float("inf")
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
    with cluster, Client(cluster):
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as tmp:
                start = time.perf_counter()
                frame = read_batch_output(str(path), blocksize=8 << 20)
                frame.to_parquet(tmp, write_index=False)
                best = min(best, time.perf_counter() - start)
                assert pq.read_table(tmp).num_rows == lines
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=60_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = parser.parse_args()
    import batch_files

    path = batch_files.build("chat_output", args.lines)
    size = path.stat().st_size / 1e6
    cores = sorted({1, 2, os.cpu_count() or 1})
    lines = [
        (
            f"{path.name}: {args.lines} lines, {size:.0f} MB; {os.cpu_count()} cores; "
            f"Python {sys.version.split()[0]}; best of {args.repeat}; "
            f"{time.strftime('%Y-%m-%d', time.gmtime())}."
        ),
        "",
        "| engine | cores | seconds | MB/s | speed-up |",
        "|---|---|---|---|---|",
    ]
    print("\n".join(lines))
    for engine in ("--jobs", "dask"):
        base = None
        for n in cores:
            if engine == "--jobs":
                seconds = time_cli(path, n, args.repeat)
            else:
                seconds = time_dask(path, n, args.repeat, args.lines)
            base = base or seconds
            row = (
                f"| {engine} | {n} | {seconds:.2f} | {size / seconds:.0f} | {base / seconds:.2f}x |"
            )
            lines.append(row)
            print(row)
    if args.write:
        write_section(lines)


def write_section(lines: list[str]) -> None:
    out = ROOT / "BENCHMARKS.md"
    text = out.read_text(encoding="utf-8")
    at = text.find("## Scale-out")
    text = (text if at < 0 else text[:at]).rstrip("\n") + "\n\n"
    text += "## Scale-out\n\n" + SCALE_OUT_INTRO + "\n\n" + "\n".join(lines) + "\n"
    out.write_text(text, encoding="utf-8")


SCALE_OUT_INTRO = (
    "`python benchmarks/scaling.py --write`: the Parquet export of one chat output file with "
    "`openai-structs batch export --jobs N` (processes, started by the command) and with "
    "`openai_structs.dask.read_batch_output(...).to_parquet` on a `LocalCluster` of N "
    "single-threaded workers (cluster start-up not counted). Wall time includes each "
    "command's interpreter start and imports."
)

if __name__ == "__main__":
    main()
