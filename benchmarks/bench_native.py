"""Native-speed targets: openai_structs.decode against a bare msgspec Decoder and orjson.loads.

One group per payload of ``payloads.py``, three peers each:

- ``openai_structs.decode``: what users call;
- ``bare msgspec``: ``msgspec.json.Decoder(T, dec_hook=openai_structs.dec_hook)`` on the same
  generated types, the most a typed decode of these types can get;
- ``orjson.loads``: untyped dicts, the yardstick of the targets (``Case.target``).

Cases with several documents (stream chunks, Realtime events) decode them one by one. Each
body checks what it decoded, so a broken decoder fails under ``--benchmark-disable`` too.
``python benchmarks/ratios.py`` prints the same comparison as a table of ratios.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import msgspec
import pytest
from payloads import Case, cases, validate

import openai_structs

CASES = cases()
IMPLS = ["openai_structs.decode", "bare msgspec", "orjson.loads"]


def decoder(case: Case, impl: str) -> Callable[[bytes], Any]:
    """A one-argument function decoding one document of ``case`` with ``impl``."""
    if impl == "openai_structs.decode":
        tp, decode = case.type, openai_structs.decode
        return lambda doc: decode(doc, tp)
    if impl == "bare msgspec":
        bare = msgspec.json.Decoder(case.type, dec_hook=openai_structs.dec_hook).decode
        try:
            for doc in case.docs:
                bare(doc)
        except msgspec.ValidationError as exc:  # e.g. input items that omit `type`
            pytest.skip(f"msgspec alone cannot decode this payload: {exc}")
        return bare
    return pytest.importorskip("orjson").loads


def run_all(fn: Callable[[bytes], Any], docs: tuple[bytes, ...]) -> list[Any]:
    return [fn(doc) for doc in docs]


@pytest.mark.parametrize("impl", IMPLS)
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_decode(benchmark: Any, case: Case, impl: str) -> None:
    benchmark.group = f"native: {case.name} ({case.nbytes} B)"
    fn = decoder(case, impl)
    if len(case.docs) == 1:
        doc = case.docs[0]
        out = [benchmark(fn, doc)]
    else:
        out = benchmark(run_all, fn, case.docs)
    if impl == "orjson.loads":
        assert out == [json.loads(doc) for doc in case.docs]
    else:
        case.check(out)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_payload_fits_spec(case: Case) -> None:
    """Strict decode, and encoding gives back the same JSON value."""
    validate(case)
