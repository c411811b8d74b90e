"""Time every case of ``cases.py`` against its peers, print the ratios, write BENCHMARKS.md.

    python benchmarks/report.py            # full run: prints, writes BENCHMARKS.md + chart
    python benchmarks/report.py --quick    # under a minute; prints only
    python benchmarks/report.py --check    # exits 1 if a ratio is below its floor

Timing is in-process with ``timeit`` (which turns the garbage collector off while it times):
each peer is calibrated to about ``--budget`` seconds a repeat, the peers run interleaved in
each repeat (the order rotates, so the machine's noise falls on all of them alike), and the
best repeat is kept. A ratio is a peer's time over ours: 3.0 means we are 3 times faster.
"of limit" is the bare msgspec decoder's time over ours: 1.00 means our API adds nothing.

Floors for ``--check`` live in ``benchmarks/thresholds.json``: ratios, never times, so they
hold on any machine. A ratio under its floor is measured again, longer, before it fails (a
burst of load from other jobs can slow one peer in a short run; a regression shows twice).
A case whose peer cannot run here is printed "not measured" with its reason, and a floor on
it is reported as unchecked, not as passed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import platform
import statistics
import sys
import timeit
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __name__ == "__main__":  # this checkout's package, then the benchmark modules
    sys.path[:0] = [str(ROOT), str(HERE)]

from cases import (
    ADAPTER,
    DUMP,
    JSON,
    LIMIT,
    ORJSON,
    OURS,
    SDK,
    UNTYPED,
    VALIDATE,
    Case,
    Unavailable,
    cases,
    prepare,
)

THRESHOLDS = HERE / "thresholds.json"
OUTPUT = ROOT / "BENCHMARKS.md"
CHART = ROOT / "docs" / "benchmarks.png"


@dataclass
class Result:
    """The best time per run (seconds) of each peer of one case, or why it was not measured."""

    name: str
    kind: str
    nbytes: int
    nobjects: int
    times: dict[str, float] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def ratio(self, peer: str) -> float | None:
        """``peer``'s time over ours (above 1: we are faster); None if either is missing."""
        if OURS in self.times and peer in self.times:
            return self.times[peer] / self.times[OURS]
        return None


def measure(case: Case, repeat: int, budget: float) -> Result:
    """Time every peer of ``case``: calibrated loops, interleaved, best of ``repeat``."""
    res = Result(case.name, case.kind, len(case.data), case.nobjects)
    timers: dict[str, tuple[timeit.Timer, int]] = {}
    for peer in case.peers:
        try:
            run = prepare(case, peer)
        except Unavailable as exc:
            res.missing[peer.name] = str(exc)
            continue
        timer = timeit.Timer(run)
        one = min(timer.repeat(3, 1))
        number = max(1, int(budget / max(one, 1e-7)))
        timers[peer.name] = (timer, number)
    order = list(timers)
    best = dict.fromkeys(order, math.inf)
    for i in range(repeat):
        k = i % max(1, len(order))
        for name in order[k:] + order[:k]:
            timer, number = timers[name]
            best[name] = min(best[name], timer.timeit(number) / number)
    res.times = best
    return res


def geomean(values: Iterable[float]) -> float | None:
    vals = list(values)
    return math.exp(statistics.fmean(math.log(v) for v in vals)) if vals else None


def geomeans(results: Sequence[Result]) -> dict[str, tuple[float | None, int]]:
    """Geometric mean of our speed-up over each pydantic-side peer, and how many cases
    it spans (cases where ours or the peer was not measured are left out)."""
    out = {}
    for label, peers, kinds in (
        ("vs model_validate_json", (VALIDATE,), ("decode", "stream", "batch")),
        ("vs SDK default path", (SDK,), ("decode", "stream", "batch")),
        ("vs pydantic TypeAdapter", (ADAPTER,), ("decode", "stream", "batch")),
        ("encode vs model_dump_json", (DUMP,), ("encode",)),
    ):
        ratios = [
            r
            for res in results
            if res.kind in kinds
            for p in peers
            if (r := res.ratio(p)) is not None
        ]
        out[label] = (geomean(ratios), len(ratios))
    return out


# --------------------------------------------------------------------------
# Floors


@dataclass(frozen=True)
class Floor:
    case: str
    peer: str
    floor: float
    target: float | None
    note: str


def load_floors(path: Path = THRESHOLDS) -> list[Floor]:
    """The floors of the thresholds file: ``{"floors": [{"case", "peer", "floor",
    "target"?, "note"?}, ...]}``; a floor must be a positive ratio."""
    raw = json.loads(path.read_text())
    out = []
    for i, f in enumerate(raw["floors"]):
        floor = f["floor"]
        if not isinstance(floor, (int, float)) or floor <= 0:
            raise ValueError(f"{path}: floors[{i}].floor must be a positive ratio, got {floor!r}")
        out.append(Floor(f["case"], f["peer"], float(floor), f.get("target"), f.get("note", "")))
    return out


def check(results: Sequence[Result], floors: Sequence[Floor]) -> tuple[list[str], list[str]]:
    """(failures, notes): a failure per ratio below its floor, or per floor naming a case or
    peer that does not exist; a note per floor left unchecked and per target, met or not."""
    by_name = {r.name: r for r in results}
    failures: list[str] = []
    notes: list[str] = []
    for f in floors:
        res = by_name.get(f.case)
        if res is None:
            failures.append(f"{f.case}: no such case")
            continue
        ratio = res.ratio(f.peer)
        if ratio is None:
            why = res.missing.get(OURS) or res.missing.get(f.peer)
            if why is None and f.peer not in res.times:
                failures.append(f"{f.case}: no peer {f.peer!r}")
            else:
                notes.append(f"unchecked {f.case} vs {f.peer}: not measured ({why})")
            continue
        if ratio < f.floor:
            failures.append(f"{f.case} vs {f.peer}: {ratio:.3f}x is below the floor {f.floor}x")
        elif f.target is not None and ratio < f.target:
            notes.append(f"target not met: {f.case} vs {f.peer}: {ratio:.3f}x < {f.target}x")
        elif f.target is not None:
            notes.append(f"target met: {f.case} vs {f.peer}: {ratio:.3f}x >= {f.target}x")
    return failures, notes


def confirm(
    results: Sequence[Result], failures: Sequence[str], repeat: int, budget: float
) -> list[Result]:
    """Measure again the cases named in ``failures`` and keep each peer's best time of both
    runs: a burst of load from other jobs can slow one peer's every repeat in a short run,
    a real regression shows in both runs."""
    named = {f.split(" vs ", 1)[0].split(": ", 1)[0] for f in failures}
    registry = {c.name: c for c in cases() if c.name in named}
    out = []
    for res in results:
        case = registry.get(res.name)
        if case is None:
            out.append(res)
            continue
        print(f"confirming {res.name}", file=sys.stderr)
        again = measure(case, repeat, budget)
        for peer, t in res.times.items():
            again.times[peer] = min(t, again.times.get(peer, math.inf))
        out.append(again)
    return out


# --------------------------------------------------------------------------
# Tables

DECODE_COLUMNS = (VALIDATE, SDK, ADAPTER, ORJSON, JSON, UNTYPED)
ENCODE_COLUMNS = (DUMP, ADAPTER, ORJSON, JSON)


def _cell(res: Result, peer: str, notes: dict[str, int]) -> str:
    ratio = res.ratio(peer)
    if ratio is not None:
        return f"{ratio:.2f}x"
    if peer in res.times:  # ours was not measured: show the peer's own time
        return f"({res.times[peer] * 1e6:,.0f} us)"
    why = res.missing.get(peer)
    if why is None:
        return "-"
    key = f"{res.name} / {peer}: {why}"
    return f"n/m [{notes.setdefault(key, len(notes) + 1)}]"


def _label(res: Result) -> str:
    return f"{res.name} ({res.kind})" if res.kind in ("stream", "batch") else res.name


def table(results: Sequence[Result], kind: str, notes: dict[str, int]) -> str:
    """One markdown table for the decode-side cases (``kind="decode"``) or the encode ones."""
    encode = kind == "encode"
    cols = ENCODE_COLUMNS if encode else DECODE_COLUMNS
    head = ["payload", "KB", "ours us", "MB/s", "objects/s", "of limit"]
    names = {VALIDATE: "vs pydantic model_validate_json", DUMP: "vs pydantic model_dump_json"}
    head += [names.get(c, f"vs {c}") for c in cols]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for res in results:
        if (res.kind == "encode") != encode:
            continue
        ours = res.times.get(OURS)
        if ours is None:
            why = res.missing.get(OURS, "")
            lead = [_label(res), f"{res.nbytes / 1024:.1f}", "not measured"]
            lead += ["", "", ""]
            key = f"{res.name} / {OURS}: {why}"
            lead[2] = f"not measured [{notes.setdefault(key, len(notes) + 1)}]"
        else:
            limit = res.times.get(LIMIT)
            lead = [
                _label(res),
                f"{res.nbytes / 1024:.1f}",
                f"{ours * 1e6:,.1f}",
                f"{res.nbytes / ours / 1e6:,.0f}",
                f"{res.nobjects / ours:,.0f}",
                f"{limit / ours:.2f}" if limit else _cell(res, LIMIT, notes),
            ]
        lines.append("| " + " | ".join(lead + [_cell(res, c, notes) for c in cols]) + " |")
    return "\n".join(lines)


def machine() -> str:
    import msgspec

    versions = [f"Python {platform.python_version()}", f"msgspec {msgspec.__version__}"]
    for mod in ("pydantic", "openai", "orjson"):
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except ImportError:
            versions.append(f"{mod} missing")
    try:
        import os

        cpus = os.cpu_count()
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor() or platform.machine(),
        )
    except OSError:
        cpus, model = None, platform.machine()
    return f"{model}, {cpus} CPUs, {platform.system()}; " + ", ".join(versions)


def render(
    results: Sequence[Result],
    extra: dict[str, Any],
    quick: bool,
    failures: Sequence[str],
    notes_out: Sequence[str],
) -> str:
    """The whole report in markdown."""
    notes: dict[str, int] = {}
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        f"Measured {date} on {machine()}; {'--quick' if quick else 'full'} run.",
        "",
        (
            "Ratios are the peer's time over ours (above 1: openai_structs is faster). "
            '"of limit" is a bare `msgspec.json.Decoder` (or `Encoder`) on the same types over '
            "ours (1.00: our API adds nothing). MB/s and objects/s are ours. Where ours is not "
            "measured, a peer's own time is shown in parentheses."
        ),
        "",
        "### Decoding",
        "",
        table(results, "decode", notes),
        "",
        "### Encoding",
        "",
        table(results, "encode", notes),
        "",
        "### Geometric means of our speed-up",
        "",
        "| over | geometric mean | cases |",
        "|---|---|---|",
    ]
    for label, (g, n) in geomeans(results).items():
        parts.append(f"| {label} | {'-' if g is None else f'{g:.2f}x'} | {n} |")
    export = extra.get("export")
    if export:
        parts += ["", "### Batch export and views", "", export]
    kept = extra.get("kept")
    if kept:
        parts += ["", "### Memory held per decoded object", "", kept]
    imp = extra.get("import")
    if imp:
        parts += ["", "### Import", "", imp]
    if notes:
        parts += ["", "### Not measured", ""]
        parts += [f"{i}. {text}" for text, i in sorted(notes.items(), key=lambda kv: kv[1])]
    if failures or notes_out:
        parts += ["", "### Floors (`benchmarks/thresholds.json`)", ""]
        parts += [f"- FAIL {f}" for f in failures] + [f"- {n}" for n in notes_out]
        if not failures:
            parts.append("- every measured ratio is at or above its floor")
    return "\n".join(parts) + "\n"


# --------------------------------------------------------------------------
# Import, chart


def import_section(runs: int) -> str:
    from procs import import_times

    t = import_times(runs)
    bare = t["bare python"]
    rows = [
        (
            "A fresh interpreter imports each package and touches every public type name, "
            f"after a warm-up run that wrote the bytecode caches; best of {runs}."
        ),
        "",
        "| what | ms | ms over bare python |",
        "|---|---|---|",
    ]
    rows += [f"| {k} | {v * 1e3:.0f} | {(v - bare) * 1e3:.0f} |" for k, v in t.items()]
    ours, sdk = t["openai_structs"] - bare, t["openai.types"] - bare
    rows += ["", f"The SDK's types take {sdk / ours:.1f}x as long as ours to import."]
    return "\n".join(rows)


def chart(results: Sequence[Result], path: Path) -> None:
    """A horizontal bar chart of our speed-up over each pydantic-side peer, per case."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    peers = (VALIDATE, SDK, ADAPTER, DUMP, ORJSON)
    colors = dict(zip(peers, ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:gray")))
    rows = [r for r in results if OURS in r.times]
    fig, ax = plt.subplots(figsize=(10, 0.75 * len(rows) + 1.5))
    height = 0.8 / 3
    seen: set[str] = set()
    for i, r in enumerate(rows):
        bars = [(p, x) for p in peers if (x := r.ratio(p)) is not None]
        for k, (peer, ratio) in enumerate(bars):
            y = i + (k - (len(bars) - 1) / 2) * height
            label = None if peer in seen else f"vs {peer}"
            seen.add(peer)
            ax.barh(y, ratio, height=height * 0.95, color=colors[peer], label=label)
            ax.text(
                ratio,
                y,
                f" {ratio:.1f}x" if ratio < 100 else f" {ratio:.0f}x",
                va="center",
                fontsize=7,
            )
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r.name for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xlabel("speed-up of openai_structs (peer time / our time, log scale)")
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


HEADER = """# Benchmarks

Generated by `python benchmarks/report.py` (do not edit by hand). The payloads come from the
seeded generator `benchmarks/datagen.py` (samples in `data/bench/`); the cases and their peers
are registered once in `benchmarks/cases.py`, which `bench_suite.py` (pytest-benchmark, run
once per case in CI with `--benchmark-disable`) shares.

Peers: `openai_structs` through its public API (`Decoder`, `Encoder`, the stream and batch
readers); the msgspec limit (a bare `msgspec.json.Decoder` on the same generated types; for
the `CreateResponse`, whose easy messages come without `type`, which bare msgspec cannot read,
the same request with `"type": "message"` added to each of them); the `openai` SDK's pydantic models with `model_validate_json`; the SDK's default path
(`json.loads` then `openai._models.construct_type`, which is what its client does when
`_strict_response_validation` is off, the default; its own SSE decoder for streams;
`construct_type_unchecked` for Realtime events as its connection does); a pydantic
`TypeAdapter` on the SDK's unions and request `TypedDict`s; and the untyped ceilings
`orjson.loads`, `json.loads`, `msgspec.json.decode`. The request `TypedDict`s declare their
lists as `Iterable`, which pydantic validates lazily: the `TypeAdapter` figures for requests
leave `tools` (and a chat request's `messages`) unvalidated, which flatters pydantic (listing
the 40 messages of the chat request makes it about 200x slower than ours, not 4x). Streams are fed as bytes in 8 KB pieces;
the limit and the untyped peers split them on blank lines in one go. Batch files: the SDK has
no reader, so its rows are `json.loads` per line with the body built by `model_validate`
(in the `model_validate_json` column) or `construct_type`.

Structured outputs (`benchmarks/structured.py`; not in the geometric means): a response or
chat completion holding a 5 KB plan, decoded and parsed into it (ours: `parse_output` /
`parse_message`; the limit: bare msgspec decoders for the body and the plan; the SDK: its
client's parse path, the body built by `construct_type`, or `model_validate_json`, then
`openai.lib._parsing`'s `parse_response` / `parse_chat_completion` with the same plan as
pydantic models); and a chat stream of the plan with the value read after every delta (ours:
`ChatCompletionAccumulator` and `PartialJSON`, then `parse_message`; the SDK:
`ChatCompletionStreamState(response_format=...)`, in the "SDK default" column). The
8,000-delta stream is ours alone: its time over the 2,000-delta one's is the cost of 4x the
deltas on a 4x longer output.

Guard: `python benchmarks/report.py --check --quick` exits 1 when a ratio falls below its floor
in `benchmarks/thresholds.json`. Earlier measurements: `docs/benchmarks-history.md`.

![speed-up of openai_structs per case](docs/benchmarks.png)

"""


def _kept_sections() -> str:
    """The sections of the current BENCHMARKS.md that no report run measures
    and so keeps: everything from its first ``## `` heading on (a before and
    after comparison of two checkouts, and the "Scale-out" section that
    ``benchmarks/scaling.py --write`` maintains, which stays last)."""
    old = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    at = old.find("\n## ")
    return "" if at < 0 else old[at:]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (< 60 s)")
    parser.add_argument("--check", action="store_true", help="exit 1 if a ratio is below its floor")
    parser.add_argument("--write", action="store_true", help="write BENCHMARKS.md and the chart")
    parser.add_argument("--no-write", action="store_true", help="only print")
    parser.add_argument("--only", default="", help="only cases whose name holds this text")
    parser.add_argument("--repeat", type=int, help="repeats per peer (best kept)")
    parser.add_argument("--thresholds", type=Path, default=THRESHOLDS)
    args = parser.parse_args(argv)

    quick = args.quick
    repeat = args.repeat or (5 if quick else 15)  # many short repeats: the best one is
    budget = 0.005 if quick else 0.03  # likelier to fall in a quiet moment of the machine
    write = args.write or not (quick or args.check or args.no_write)

    results = []
    for case in cases():
        if args.only.lower() not in case.name.lower():
            continue
        res = measure(case, repeat, budget)
        results.append(res)
        r = res.ratio(VALIDATE) or res.ratio(DUMP) or res.ratio(ADAPTER)
        ours = res.times.get(OURS)
        msg = "not measured" if ours is None else f"{ours * 1e6:9.1f} us"
        msg += "" if r is None else f"  {r:6.2f}x vs pydantic"
        print(f"{res.name:45} {msg}", file=sys.stderr)

    extra: dict[str, Any] = {}
    if not args.only or "export" in args.only.lower():
        from export_speed import section as export_section
        from memory_kept import section as kept_section

        extra["export"] = export_section(quick)
        extra["kept"] = kept_section(1_000 if quick else 5_000)
    if not args.only:
        extra["import"] = import_section(3 if quick else 7)

    failures: list[str] = []
    notes: list[str] = []
    if args.check or write:
        floors = load_floors(args.thresholds)
        if args.only:  # the floors of the cases measured
            floors = [f for f in floors if args.only.lower() in f.case.lower()]
        failures, notes = check(results, floors)
        if failures:  # confirm on a second, longer measurement before failing
            results = confirm(results, failures, repeat * 2, budget)
            failures, notes = check(results, floors)
    text = render(results, extra, quick, failures, notes)
    print(text)
    if write:
        OUTPUT.write_text(HEADER + text + _kept_sections())
        chart(results, CHART)
        print(f"wrote {OUTPUT} and {CHART}", file=sys.stderr)
    if args.check and failures:
        print(f"{len(failures)} ratio(s) below their floor", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
