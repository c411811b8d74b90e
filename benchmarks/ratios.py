"""Print decode speed against orjson.loads and a bare msgspec Decoder for each payload.

    python benchmarks/ratios.py [--repeat N]

No pytest: each payload is timed with ``timeit``, its peers interleaved within every repeat
(so machine noise hits them alike), and the best repeat kept. "ours" is a held
``openai_structs.Decoder(T).decode``; "decode() us" is the one-shot ``openai_structs.decode``.
Ratios are speeds: ``vs orjson`` = orjson time / ours (above 1 is faster than orjson);
``vs bare`` = bare msgspec time / ours (1.00 = the Decoder adds nothing).
Informational: always exits 0.
"""

from __future__ import annotations

import argparse
import platform
import sys
import timeit
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]  # this checkout's package, then payloads.py

import msgspec
import orjson
from payloads import Case, cases

import openai_structs


def measure(case: Case, repeat: int) -> dict[str, float]:
    """Best time per call (seconds) for each peer on ``case``."""
    tp, docs, decode = case.type, case.docs, openai_structs.decode
    ours = openai_structs.Decoder(tp).decode
    bare = msgspec.json.Decoder(tp, dec_hook=openai_structs.dec_hook).decode
    loads = orjson.loads
    peers = {
        "ours": lambda: [ours(d) for d in docs],
        "orjson": lambda: [loads(d) for d in docs],
        "bare": lambda: [bare(d) for d in docs],
        "decode": lambda: [decode(d, tp) for d in docs],
    }
    try:
        peers["bare"]()
    except msgspec.ValidationError:  # items that omit their tag: msgspec alone cannot
        del peers["bare"]
    case.check(peers["ours"]())
    case.check(peers["decode"]())
    timers = {name: timeit.Timer(fn) for name, fn in peers.items()}
    number, _ = timers["ours"].autorange()  # enough loops for 0.2 s of ours
    best = dict.fromkeys(peers, float("inf"))
    best.setdefault("bare", float("nan"))
    order = list(peers)
    for i in range(repeat):
        k = i % len(order)
        for name in order[k:] + order[:k]:  # rotate who goes first
            best[name] = min(best[name], timers[name].timeit(number) / number)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="repeats per peer (best kept)")
    args = parser.parse_args()
    print(
        f"openai_structs {Path(openai_structs.__file__).parent}, Python {platform.python_version()},"
        f" msgspec {msgspec.__version__}, orjson {orjson.__version__}, best of {args.repeat}"
    )
    head = (
        "payload",
        "bytes",
        "ours us",
        "orjson us",
        "vs orjson",
        "bare us",
        "vs bare",
        "decode() us",
        "target",
    )
    rows = []
    for case in cases():
        t = measure(case, args.repeat)
        ratio = t["orjson"] / t["ours"]
        if case.target is None:
            target = "no slower"
        else:
            target = f">= {case.target:.1f}x {'ok' if ratio >= case.target else 'MISS'}"
        rows.append(
            (
                case.name,
                str(case.nbytes),
                f"{t['ours'] * 1e6:.1f}",
                f"{t['orjson'] * 1e6:.1f}",
                f"{ratio:.2f}x",
                f"{t['bare'] * 1e6:.1f}",
                f"{t['bare'] / t['ours']:.2f}",
                f"{t['decode'] * 1e6:.1f}",
                target,
            )
        )
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    for r in [head, tuple("-" * w for w in widths), *rows]:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:-1], widths[1:-1])]
        print("  ".join([*cells, r[-1]]).rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
