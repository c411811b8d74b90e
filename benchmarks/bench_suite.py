"""Every case of ``cases.py`` under pytest-benchmark: one group per payload, one test per peer.

CI runs this with ``--benchmark-disable``: each runner then runs once, and its result is
checked (``Case.check``), so a broken decoder or peer fails the build without any timing.
A peer that cannot run here (say, the stream reader before it lands) is skipped with its
reason; a failure of ours is never turned into a skip. For the ratio table use
``python benchmarks/report.py``, which times the same registry.
"""

from __future__ import annotations

from typing import Any

import pytest
from cases import Case, Unavailable, cases, prepare

CASES = cases()
PARAMS = [pytest.param(c, p.name, id=f"{c.name} | {p.name}") for c in CASES for p in c.peers]


@pytest.mark.parametrize(("case", "peer"), PARAMS)
def test_case(benchmark: Any, case: Case, peer: str) -> None:
    benchmark.group = f"{case.kind}: {case.name}"
    found = case.peer(peer)
    assert found is not None
    try:
        run = prepare(case, found)  # runs once and checks the result
    except Unavailable as exc:
        pytest.skip(f"not measured: {exc}")
    case.check(peer, benchmark(run))
