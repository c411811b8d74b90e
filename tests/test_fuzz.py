"""Fuzzing the codec with hypothesis: raw bytes, and mutations of real payloads.

For any input, ``decode`` either returns a value or raises one of the
documented errors (:class:`~openai_structs.DecodeError` subclasses, all
``ValueError``). Whatever decodes re-encodes to valid JSON, and encoding is
stable: decode(encode(v)) encodes to the same bytes.

Bounded for CI (a few seconds, derandomised so a run is repeatable); set
``FUZZ_EXAMPLES`` to search longer, e.g. ``FUZZ_EXAMPLES=20000``.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import openai_structs as o
from openai_structs import DecodeError, decode, encode
from openai_structs.core._base import UNKNOWN_TAG

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize="FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=list(HealthCheck),
)

TARGETS: list[Any] = [
    o.Response,
    o.CreateResponse,
    o.ResponseStreamEvent,
    o.CreateChatCompletionResponse,
    o.CreateChatCompletionRequest,
    o.CreateChatCompletionStreamResponse,
]


def _samples() -> list[tuple[Any, Any]]:
    chunk = (DATA / "chat_completion_chunks.jsonl").read_bytes().splitlines()[3]
    request = {
        "model": "gpt-4o",
        "input": [
            {"role": "user", "content": "hi"},
            {"type": "function_call", "call_id": "c", "name": "f", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "c", "output": "ok"},
        ],
        "tools": [
            {"type": "function", "name": "f", "parameters": {"type": "object"}, "strict": True},
            {
                "type": "file_search",
                "vector_store_ids": ["vs"],
                "filters": {"type": "and", "filters": [{"type": "eq", "key": "k", "value": 1}]},
            },
        ],
    }
    # unions nested in unions: an unknown member deep inside takes the
    # stand-in path of _unknown (_Fallback.holes)
    chain: Any = {"type": "eq", "key": "k", "value": 1}
    for op in ("and", "or", "and", "or"):
        chain = {"type": op, "filters": [chain, {"type": "gt", "key": "n", "value": 2}]}
    return [
        (json.loads((DATA / "response.json").read_bytes()), o.Response),
        (chain, o.Filters),
        (json.loads((DATA / "chat_completion.json").read_bytes()), o.CreateChatCompletionResponse),
        (json.loads(chunk), o.CreateChatCompletionStreamResponse),
        (request, o.CreateResponse),
    ]


SAMPLES = _samples()


def _check(data: bytes | str, T: Any) -> None:
    for strict in (False, True):
        try:
            value = decode(data, T, strict=strict)
        except DecodeError as exc:
            assert isinstance(exc, ValueError)
            continue
        out = encode(value)
        msgspec.json.decode(out)  # valid JSON (msgspec's parser is strict)
        json.loads(out)
        again = decode(out, T)
        assert encode(again) == out


# --------------------------------------------------------------------------
# Raw bytes


@FUZZ
@given(data=st.binary(max_size=300), target=st.sampled_from(TARGETS))
def test_raw_bytes(data: bytes, target: Any) -> None:
    _check(data, target)


@FUZZ
@given(
    sample=st.sampled_from(range(len(SAMPLES))),
    cut=st.integers(min_value=0, max_value=10_000),
    byte=st.integers(min_value=0, max_value=255),
)
def test_one_byte_changed_or_cut(sample: int, cut: int, byte: int) -> None:
    doc, T = SAMPLES[sample]
    raw = bytearray(json.dumps(doc).encode())
    i = cut % len(raw)
    _check(bytes(raw[:i]), T)
    raw[i] = byte
    _check(bytes(raw), T)


# --------------------------------------------------------------------------
# Structure-aware mutations

TAGS = st.sampled_from(
    ["message", "function_call", "brand_new", "", UNKNOWN_TAG, "mark", "web_search_2025_08_26"]
)
STRINGS = st.one_of(
    st.text(max_size=20),
    TAGS,
    st.just(' "mark": 3 ,"raw":'),
    st.just('"mark": 1 ,"raw":1}'),
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    STRINGS,
)
JSON = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.one_of(st.sampled_from(["type", "role", "mark", "raw", "n"]), st.text(max_size=8)),
            inner,
            max_size=4,
        ),
    ),
    max_leaves=12,
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*path, i))
    return out


def _mutate(doc: Any, path: tuple[Any, ...], action: int, value: Any) -> Any:
    doc = copy.deepcopy(doc)
    if not path:
        return value
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    if action == 0:  # replace the value
        parent[key] = value
    elif action == 1:  # drop the key or item
        del parent[key]
    elif action == 2 and isinstance(parent[key], dict):  # retag
        parent[key]["type"] = value if isinstance(value, str) else "brand_new"
    elif action == 3 and isinstance(parent[key], list):  # an unknown member
        parent[key].append({"type": "brand_new", "payload": value})
    elif isinstance(parent, dict):  # an extra key
        parent[f"extra_{key}"] = value
    return doc


@FUZZ
@given(
    sample=st.sampled_from(range(len(SAMPLES))),
    where=st.integers(min_value=0, max_value=10_000),
    action=st.integers(min_value=0, max_value=4),
    value=JSON,
    indent=st.sampled_from([None, 1]),
)
def test_mutated_payloads(sample: int, where: int, action: int, value: Any, indent: Any) -> None:
    doc, T = SAMPLES[sample]
    paths = _paths(doc)
    mutated = _mutate(doc, paths[where % len(paths)], action, value)
    _check(json.dumps(mutated, indent=indent), T)


@pytest.mark.parametrize("sample", range(len(SAMPLES)))
def test_samples_themselves_pass_the_check(sample: int) -> None:
    doc, T = SAMPLES[sample]
    _check(json.dumps(doc), T)
