"""The figures of docs/shared-tags.md: the two designs issue 17 weighed for members that share
a tag, measured in one run (ratios; the machine is shared and noisy).

    python benchmarks/shared_tags.py

Both designs decode the same bytes into the same generated class per shared tag value
(``ItemResourceMessage``), by msgspec alone, so the decode rows are the same for both; they
differ in what ``isinstance`` and ``match`` answer and cost:

- A (chosen): the decoded object's ``__class__`` is the spec's class its fields select, which
  Python's ``isinstance`` asks (worked out on the first question, then kept on the object);
- B: the decoded class is the public type at those union positions, the spec's classes only
  its documented views: ``isinstance(x, OutputMessage)`` is a plain class check, False for
  every decoded message.

(The first form of A, a metaclass ``View`` on the spec's classes whose ``__instancecheck__``
chose the class, answered the same at 1.4 us a question and slowed every other object's check
against those classes; ``git show 261c0ef:benchmarks/shared_tags.py`` measures it.)
"""

from __future__ import annotations

import json
import sys
import timeit
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import msgspec

import openai_structs as o


def best(stmt: Any, number: int, repeat: int = 7) -> float:
    """Seconds per call, best of ``repeat``."""
    return min(timeit.repeat(stmt, number=number, repeat=repeat)) / number


def main() -> None:
    body = (HERE.parent / "data" / "bench" / "response_item_list.json").read_bytes()
    ours = o.Decoder(o.ResponseItemList).decode
    bare = msgspec.json.Decoder(o.ResponseItemList).decode
    items = ours(body).data
    messages = [i for i in items if isinstance(i, o.ItemResourceMessage)]
    x = next(m for m in messages if m.role == "assistant")
    built = o.OutputMessage(id="m", status="completed", role="assistant", content=[])

    class Plain(msgspec.Struct, frozen=True):  # a class without the View metaclass
        a: int = 0

    plain = Plain()

    def match_view(v: Any) -> Any:
        match v:
            case o.OutputMessage(content=c):
                return c
        return None

    def match_shared(v: Any) -> Any:
        match v:
            case o.ItemResourceMessage(content=c):
                return c
        return None

    three = (o.OutputMessage, o.InputMessageResource, o.FunctionToolCallResource)

    def fresh() -> list[bool]:
        return [isinstance(i, three) for i in ours(body).data]

    t_ours, t_bare = best(lambda: ours(body), 200), best(lambda: bare(body), 200)
    rows = [
        (
            "decode ResponseItemList (A and B alike)",
            t_ours,
            f"{t_bare / t_ours:.2f} of bare msgspec",
        ),
        (
            "A: decode, then isinstance against 3 classes on each item",
            best(fresh, 200),
            "every view worked out",
        ),
        (
            "A: isinstance(decoded, OutputMessage), asked before",
            best(lambda: isinstance(x, o.OutputMessage), 200_000),
            "True",
        ),
        (
            "B: isinstance(decoded, ItemResourceMessage)",
            best(lambda: isinstance(x, o.ItemResourceMessage), 200_000),
            "True; isinstance(decoded, OutputMessage) is False",
        ),
        (
            "A: isinstance(built in Python, OutputMessage)",
            best(lambda: isinstance(built, o.OutputMessage), 200_000),
            "",
        ),
        (
            "   plain StructMeta class, same check",
            best(lambda: isinstance(plain, Plain), 200_000),
            "no metaclass",
        ),
        (
            "A: match decoded: case OutputMessage(content=c)",
            best(lambda: match_view(x), 200_000),
            "",
        ),
        (
            "B: match decoded: case ItemResourceMessage(content=c)",
            best(lambda: match_shared(x), 200_000),
            "",
        ),
        (
            f"A: isinstance on all {len(items)} items, 3 classes, asked before",
            best(lambda: [isinstance(i, three) for i in items], 2000),
            "",
        ),
    ]
    for name, t, note in rows:
        print(f"| {name} | {t * 1e9:,.0f} ns | {note} |")
    oracle = json.loads((HERE.parent / "tests" / "isinstance_oracle.json").read_text())
    n = sum(len(v) for v in oracle["payloads"].values())
    print(f"oracle: {n} shared-tag members over {len(oracle['payloads'])} payloads")


if __name__ == "__main__":
    main()
