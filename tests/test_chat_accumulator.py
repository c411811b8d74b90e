"""ChatCompletionAccumulator against the official SDK's ChatCompletionStreamState.

Every recorded chat stream and a set of synthetic ones (n > 1, logprobs of
content and refusal, tool calls by index, the usage chunk, finish reasons,
random streams from hypothesis) go through both; the results must be the same
JSON value, apart from the differences ``docs/accumulators.md`` lists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest
from _stream_events import captures
from hypothesis import given, settings, strategies as st

import openai_structs
from openai_structs import (
    ChatCompletionAccumulator,
    CreateChatCompletionResponse,
    CreateChatCompletionStreamResponse,
)

sdk_chat = pytest.importorskip("openai.types.chat")
sdk_streaming = pytest.importorskip("openai.lib.streaming.chat")

CHAT = captures("chat-sse")

# Fields only the SDK's result has: its parsed views, and the tool call's
# ``index`` that its generic delta merge keeps.
SDK_ONLY = {"parsed", "parsed_arguments"}


def typed(path: str) -> set[str] | None:
    """The keys our types define at ``path`` of a completion (of its chunk
    and of its result), for the top level and the choices; None deeper."""
    if path == "$":
        pair = (CreateChatCompletionStreamResponse, CreateChatCompletionResponse)
    elif re.fullmatch(r"\$\.choices\[\d+\]", path):
        pair = (
            openai_structs.CreateChatCompletionStreamResponseChoicesItem,
            openai_structs.CreateChatCompletionResponseChoicesItem,
        )
    else:
        return None
    return set(pair[0].__struct_fields__) | set(pair[1].__struct_fields__)


def diff(mine: Any, sdk: Any, path: str = "$") -> list[str]:
    """Where two JSON values differ. A key missing from ``mine`` matches an
    SDK ``None`` (the SDK's models default absent fields to ``None``; ours
    leave them out), and the SDK-only fields above are skipped. So are keys
    the SDK keeps that our chunk types do not define (the decoder drops
    them, which ``tests/test_captures.py`` tracks): once a type defines
    one, the accumulator must carry it."""
    out: list[str] = []
    if isinstance(mine, dict) and isinstance(sdk, dict):
        keys = typed(path)
        for key in sorted(set(mine) | set(sdk)):
            if key not in mine and (
                key in SDK_ONLY
                or (key == "index" and path.endswith("]") and "tool_calls" in path)
                or (keys is not None and key not in keys)
            ):
                continue
            if key not in mine:
                if sdk[key] is not None:
                    out.append(f"{path}.{key}: missing, SDK has {sdk[key]!r}")
            elif key not in sdk:
                out.append(f"{path}.{key}: SDK lacks it, we have {mine[key]!r}")
            else:
                out += diff(mine[key], sdk[key], f"{path}.{key}")
    elif isinstance(mine, list) and isinstance(sdk, list):
        if len(mine) != len(sdk):
            out.append(f"{path}: {len(mine)} entries, SDK {len(sdk)}")
        for i, (a, b) in enumerate(zip(mine, sdk)):
            out += diff(a, b, f"{path}[{i}]")
    elif (
        mine != sdk
        or type(mine) is not type(sdk)
        and not (isinstance(mine, (int, float)) and isinstance(sdk, (int, float)))
    ):
        out.append(f"{path}: {mine!r} != SDK {sdk!r}")
    return out


def sdk_chunk(data: bytes) -> Any:
    """A chunk as the SDK's own stream reads it (``Stream.__iter__``:
    ``construct_type``, no validation), so that payloads its models would
    refuse (Azure's first chunk has ``"object": ""``) reach its accumulator
    as they reach it in use."""
    from openai._models import construct_type

    return construct_type(type_=sdk_chat.ChatCompletionChunk, value=json.loads(data))


def as_json(value: Any) -> Any:
    return json.loads(openai_structs.encode(value))


def run_both(payloads: list[bytes]) -> tuple[ChatCompletionAccumulator, Any]:
    acc = ChatCompletionAccumulator()
    state = sdk_streaming.ChatCompletionStreamState()
    for data in payloads:
        acc.add(openai_structs.decode(data, CreateChatCompletionStreamResponse))
        state.handle_chunk(sdk_chunk(data))
    return acc, state


def sse_payloads(path: Path) -> list[bytes]:
    from _stream_events import sse_data

    return list(sse_data(path.read_bytes()))


# --- recorded streams ---------------------------------------------------------


def test_captures_present() -> None:
    if not CHAT:
        pytest.skip("no chat captures in ../shared/captures/chat-sse")
    assert len(CHAT) >= 5


@pytest.mark.parametrize("path", CHAT, ids=[p.name for p in CHAT])
def test_capture_matches_sdk(path: Path) -> None:
    payloads = sse_payloads(path)
    assert payloads
    acc, state = run_both(payloads)
    result = acc.result()
    assert type(result) is CreateChatCompletionResponse
    assert acc.chunks == len(payloads)
    sdk = state.get_final_completion().model_dump(mode="json")
    assert diff(as_json(result), sdk) == []
    # the result is a valid CreateChatCompletionResponse, strict
    body = openai_structs.encode(result)
    assert openai_structs.decode(body, CreateChatCompletionResponse, strict=True) == result


@pytest.mark.parametrize("path", CHAT, ids=[p.name for p in CHAT])
def test_capture_every_prefix_matches_sdk_snapshot(path: Path) -> None:
    """A stream cut after any chunk: the snapshot is the SDK's snapshot."""
    acc = ChatCompletionAccumulator()
    state = sdk_streaming.ChatCompletionStreamState()
    for i, data in enumerate(sse_payloads(path)):
        acc.add(openai_structs.decode(data, CreateChatCompletionStreamResponse))
        state.handle_chunk(sdk_chunk(data))
        sdk = state.current_completion_snapshot.model_dump(mode="json")
        assert diff(as_json(acc.snapshot()), sdk) == [], f"after chunk {i}"


AZURE = next((p for p in CHAT if "azure" in p.name), None)


@pytest.mark.skipif(AZURE is None, reason="no Azure chat capture in ../shared/captures")
def test_fields_the_types_share_are_carried_like_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    """A field that the chunk and the completion (or their choices) both
    define, beyond those folded, comes from the first chunk that sends it,
    as in the SDK's result: Azure's filter results, here with types that
    define them (subclasses standing in for the generated ones)."""
    from openai_structs.streams import _chat_accumulator as module

    Filters = Any | msgspec.UnsetType
    chunk_choice = msgspec.defstruct(
        "ChunkChoice",
        [("content_filter_results", Filters, msgspec.UNSET)],
        bases=(openai_structs.CreateChatCompletionStreamResponseChoicesItem,),
        kw_only=True,
        frozen=True,
    )
    result_choice = msgspec.defstruct(
        "ResultChoice",
        [("content_filter_results", Filters, msgspec.UNSET)],
        bases=(openai_structs.CreateChatCompletionResponseChoicesItem,),
        kw_only=True,
        frozen=True,
    )
    chunk_type = msgspec.defstruct(
        "Chunk",
        [("prompt_filter_results", Filters, msgspec.UNSET), ("choices", list[chunk_choice])],
        bases=(CreateChatCompletionStreamResponse,),
        kw_only=True,
        frozen=True,
    )
    result_type = msgspec.defstruct(
        "Result",
        [("prompt_filter_results", Filters, msgspec.UNSET)],
        bases=(CreateChatCompletionResponse,),
        kw_only=True,
        frozen=True,
    )
    extras = (module._shared(chunk_type, result_type), module._shared(chunk_choice, result_choice))
    assert extras == (("prompt_filter_results",), ("content_filter_results",))
    monkeypatch.setattr(module.types, "CreateChatCompletionResponse", result_type)
    monkeypatch.setattr(module.types, "CreateChatCompletionResponseChoicesItem", result_choice)
    monkeypatch.setattr(module, "_extras", lambda: extras)
    acc = ChatCompletionAccumulator()
    state = sdk_streaming.ChatCompletionStreamState()
    assert AZURE is not None
    for data in sse_payloads(AZURE):
        acc.add(openai_structs.decode(data, chunk_type))
        state.handle_chunk(sdk_chunk(data))
    mine = as_json(acc.result())
    sdk = state.get_final_completion().model_dump(mode="json")
    assert mine["prompt_filter_results"] == sdk["prompt_filter_results"]
    assert (
        mine["choices"][0]["content_filter_results"] == sdk["choices"][0]["content_filter_results"]
    )
    assert diff(mine, sdk) == []


# --- synthetic streams ----------------------------------------------------------


def chunk(choices: list[dict[str, Any]], **extra: Any) -> bytes:
    doc = {
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "gpt-test",
        "system_fingerprint": "fp_1",
        "choices": choices,
        **extra,
    }
    return json.dumps(doc).encode()


def choice(index: int, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> dict:
    return {"index": index, "delta": delta, "finish_reason": finish, **extra}


def tok(text: str) -> dict[str, Any]:
    return {"token": text, "logprob": -0.5, "bytes": list(text.encode()), "top_logprobs": []}


USAGE = {"prompt_tokens": 5, "completion_tokens": 7, "total_tokens": 12}

SYNTHETIC = {
    "n2-interleaved-usage": [
        chunk([choice(0, {"role": "assistant", "content": ""})]),
        chunk([choice(1, {"role": "assistant", "content": ""})]),
        chunk([choice(0, {"content": "Hel"}), choice(1, {"content": "Bon"})]),
        chunk([choice(1, {"content": "jour"})]),
        chunk([choice(0, {"content": "lo"}, "stop")]),
        chunk([choice(1, {}, "length")]),
        chunk([], usage=USAGE),
    ],
    "logprobs-content": [
        chunk(
            [
                choice(
                    0,
                    {"role": "assistant", "content": ""},
                    logprobs={"content": [], "refusal": None},
                )
            ]
        ),
        chunk([choice(0, {"content": "a"}, logprobs={"content": [tok("a")], "refusal": None})]),
        chunk(
            [
                choice(
                    0,
                    {"content": "bc"},
                    logprobs={"content": [tok("b"), tok("c")], "refusal": None},
                )
            ]
        ),
        chunk([choice(0, {}, "stop", logprobs=None)]),
    ],
    "logprobs-refusal": [
        chunk(
            [
                choice(
                    0,
                    {"role": "assistant", "refusal": ""},
                    logprobs={"content": None, "refusal": []},
                )
            ]
        ),
        chunk([choice(0, {"refusal": "No"}, logprobs={"content": None, "refusal": [tok("No")]})]),
        chunk([choice(0, {"refusal": "pe"}, logprobs={"content": None, "refusal": [tok("pe")]})]),
        chunk([choice(0, {}, "stop")]),
    ],
    "tool-calls-by-index": [
        chunk([choice(0, {"role": "assistant", "content": None})]),
        chunk(
            [
                choice(
                    0,
                    {
                        "tool_calls": [
                            {
                                "index": 0,
                                "id": "call_a",
                                "type": "function",
                                "function": {"name": "get", "arguments": ""},
                            },
                            {"index": 0, "function": {"arguments": '{"x"'}},
                        ]
                    },
                )
            ]
        ),
        chunk(
            [
                choice(
                    0,
                    {
                        "tool_calls": [
                            {
                                "index": 1,
                                "id": "call_b",
                                "type": "function",
                                "function": {"name": "put", "arguments": "{"},
                            },
                            {"index": 0, "function": {"arguments": ": 1}"}},
                        ]
                    },
                )
            ]
        ),
        chunk([choice(0, {"tool_calls": [{"index": 1, "function": {"arguments": "}"}}]})]),
        chunk([choice(0, {}, "tool_calls")]),
        chunk([], usage=USAGE),
    ],
    "legacy-function-call": [
        chunk([choice(0, {"role": "assistant", "function_call": {"name": "f", "arguments": ""}})]),
        chunk([choice(0, {"function_call": {"arguments": '{"a":'}})]),
        chunk([choice(0, {"function_call": {"arguments": "2}"}})]),
        chunk([choice(0, {}, "function_call")]),
    ],
    "content-filter": [
        chunk([choice(0, {"role": "assistant", "content": "x", "refusal": None})]),
        chunk([choice(0, {"content": "y"}, "content_filter")]),
    ],
}


@pytest.mark.parametrize("name", sorted(SYNTHETIC))
def test_synthetic_matches_sdk(name: str) -> None:
    acc, state = run_both(SYNTHETIC[name])
    # get_final_completion() raises on "length" and "content_filter"; the
    # snapshot is what it parses
    sdk = state.current_completion_snapshot.model_dump(mode="json")
    assert diff(as_json(acc.result()), sdk) == []


def test_synthetic_values() -> None:
    """The values themselves, not only agreement with the SDK."""
    acc, _ = run_both(SYNTHETIC["n2-interleaved-usage"])
    result = acc.result()
    assert [c.message.content for c in result.choices] == ["Hello", "Bonjour"]
    assert [c.finish_reason for c in result.choices] == ["stop", "length"]
    assert result.usage is not msgspec.UNSET and result.usage.total_tokens == 12
    assert result.object == "chat.completion" and result.system_fingerprint == "fp_1"

    acc, _ = run_both(SYNTHETIC["tool-calls-by-index"])
    calls = acc.result().choices[0].message.tool_calls
    assert isinstance(calls, list)
    assert [(c.id, c.function.name, c.function.arguments) for c in calls] == [
        ("call_a", "get", '{"x": 1}'),
        ("call_b", "put", "{}"),
    ]
    acc, _ = run_both(SYNTHETIC["logprobs-refusal"])
    first = acc.result().choices[0]
    assert first.message.refusal == "Nope" and first.message.content is None
    assert first.logprobs is not None and first.logprobs.content is None
    assert [t.token for t in first.logprobs.refusal or []] == ["No", "pe"]


def test_later_choice_logprobs_not_doubled() -> None:
    """The SDK counts the first logprobs of a choice that first appears after
    the first chunk twice; we count them once (a documented difference)."""
    payloads = [
        chunk(
            [
                choice(
                    0,
                    {"role": "assistant", "content": "a"},
                    logprobs={"content": [tok("a")], "refusal": None},
                )
            ]
        ),
        chunk(
            [
                choice(
                    1,
                    {"role": "assistant", "content": "b"},
                    logprobs={"content": [tok("b")], "refusal": None},
                )
            ]
        ),
        chunk(
            [choice(1, {"content": "c"}, "stop", logprobs={"content": [tok("c")], "refusal": None})]
        ),
    ]
    acc, state = run_both(payloads)
    ours = [[t.token for t in c.logprobs.content] for c in acc.result().choices]
    assert ours == [["a"], ["b", "c"]]
    sdk = state.get_final_completion()
    assert [t.token for t in sdk.choices[1].logprobs.content] == ["b", "b", "c"]


def test_choices_out_of_order() -> None:
    """Choices are placed by ``index``, whatever order they first come in."""
    acc = ChatCompletionAccumulator()
    for data in [
        chunk([choice(2, {"content": "two"})]),
        chunk([choice(0, {"content": "zero"})]),
        chunk([choice(1, {"content": "one"}, "stop")]),
    ]:
        acc.add(openai_structs.decode(data, CreateChatCompletionStreamResponse))
    result = acc.result()
    assert [(c.index, c.message.content) for c in result.choices] == [
        (0, "zero"),
        (1, "one"),
        (2, "two"),
    ]
    assert [c.finish_reason for c in result.choices] == [None, "stop", None]


def test_empty_and_usage_only() -> None:
    acc = ChatCompletionAccumulator()
    empty = acc.result()
    assert empty.id == "" and empty.choices == [] and acc.chunks == 0
    acc.add(openai_structs.decode(chunk([], usage=USAGE), CreateChatCompletionStreamResponse))
    result = acc.result()
    assert result.id == "chatcmpl-1" and result.choices == []
    assert result.usage is not msgspec.UNSET and result.usage.prompt_tokens == 5


def test_usage_kept_when_later_chunk_has_none() -> None:
    acc = ChatCompletionAccumulator()
    for data in [chunk([], usage=USAGE), chunk([choice(0, {"content": "x"})], usage=None)]:
        acc.add(openai_structs.decode(data, CreateChatCompletionStreamResponse))
    usage = acc.result().usage
    assert usage is not msgspec.UNSET and usage.total_tokens == 12


def test_hostile_indexes() -> None:
    """Huge or negative indexes cost nothing and sort in place."""
    acc = ChatCompletionAccumulator()
    calls = [
        {"index": 10**15, "id": "big", "function": {"name": "b", "arguments": "1"}},
        {"index": -3, "id": "neg", "function": {"name": "n", "arguments": "2"}},
    ]
    for data in [
        chunk([choice(10**12, {"content": "far"})]),
        chunk([choice(0, {"tool_calls": calls})]),
    ]:
        acc.add(openai_structs.decode(data, CreateChatCompletionStreamResponse))
    result = acc.result()
    assert [c.index for c in result.choices] == [0, 10**12]
    assert [c.id for c in result.choices[0].message.tool_calls or []] == ["neg", "big"]


def test_snapshot_reuses_unchanged_choices() -> None:
    acc = ChatCompletionAccumulator()
    acc.add(
        openai_structs.decode(
            SYNTHETIC["n2-interleaved-usage"][0], CreateChatCompletionStreamResponse
        )
    )
    acc.add(
        openai_structs.decode(
            SYNTHETIC["n2-interleaved-usage"][1], CreateChatCompletionStreamResponse
        )
    )
    first = acc.snapshot()
    acc.add(
        openai_structs.decode(
            chunk([choice(1, {"content": "x"})]), CreateChatCompletionStreamResponse
        )
    )
    second = acc.snapshot()
    assert second.choices[0] is first.choices[0]  # choice 0 unchanged: not rebuilt
    assert second.choices[1] is not first.choices[1]
    assert second.choices[1].message.content == "x"


class Spy(str):
    """A delta that counts how often it takes part in ``+`` (``+=``)."""

    adds = 0

    def __add__(self, other: str) -> str:  # type: ignore[override]
        Spy.adds += 1
        return str.__add__(self, other)

    def __radd__(self, other: str) -> str:
        Spy.adds += 1
        return str.__add__(other, self)


def test_text_is_joined_not_concatenated() -> None:
    """No delta is ever concatenated with ``+``: the cost stays linear."""
    acc = ChatCompletionAccumulator()
    acc.add(
        openai_structs.decode(
            chunk([choice(0, {"content": ""})]), CreateChatCompletionStreamResponse
        )
    )
    template = openai_structs.decode(
        chunk(
            [
                choice(
                    0,
                    {"content": "x", "tool_calls": [{"index": 0, "function": {"arguments": "y"}}]},
                )
            ]
        ),
        CreateChatCompletionStreamResponse,
    )
    Spy.adds = 0
    for i in range(2000):
        delta = template.choices[0].delta
        call = delta.tool_calls[0]  # type: ignore[index]
        new_delta = msgspec.structs.replace(
            delta,
            content=Spy(f"{i},"),
            tool_calls=[
                msgspec.structs.replace(
                    call, function=msgspec.structs.replace(call.function, arguments=Spy("a"))
                )
            ],
        )
        new_choice = msgspec.structs.replace(template.choices[0], delta=new_delta)
        acc.add(msgspec.structs.replace(template, choices=[new_choice]))
        if i % 500 == 0:
            acc.snapshot()
    message = acc.result().choices[0].message
    assert Spy.adds == 0
    assert message.content == "".join(f"{i}," for i in range(2000))
    assert (message.tool_calls or [])[0].function.arguments == "a" * 2000  # type: ignore[union-attr]
    # a second result joins nothing: the same string object comes back
    assert acc.result().choices[0].message.content is message.content


@st.composite
def streams(draw: st.DrawFn) -> list[bytes]:
    """Random chat streams, shaped the way the API sends them: choices appear
    in index order, each opens with its role, tool calls appear in order."""
    n = draw(st.integers(1, 3))
    text = st.text(max_size=4)
    payloads: list[bytes] = []
    opened: list[int] = []
    tool_counts = [0] * n
    for _ in range(draw(st.integers(1, 12))):
        if len(opened) < n and (not opened or draw(st.booleans())):
            index = len(opened)
            opened.append(index)
            delta: dict[str, Any] = {"role": "assistant", "content": draw(text)}
        else:
            index = draw(st.sampled_from(opened))
            kind = draw(st.sampled_from(["content", "refusal", "tool", "finish"]))
            delta = {}
            if kind == "content":
                delta["content"] = draw(text)
            elif kind == "refusal":
                delta["refusal"] = draw(text)
            elif kind == "tool":
                new = tool_counts[index] == 0 or draw(st.booleans())
                tool_index = tool_counts[index] if new else tool_counts[index] - 1
                call: dict[str, Any] = {"index": tool_index, "function": {"arguments": draw(text)}}
                if new:
                    tool_counts[index] += 1
                    call.update(id=f"call_{tool_index}", type="function")
                    call["function"]["name"] = draw(st.sampled_from(["f", "g"]))
                delta["tool_calls"] = [call]
        finish = draw(st.sampled_from([None, "stop", "length"])) if delta == {} else None
        logprobs = None
        if index == 0 and draw(st.booleans()):
            logprobs = {"content": [tok(draw(text))], "refusal": None}
        payloads.append(chunk([choice(index, delta, finish, logprobs=logprobs)]))
    if draw(st.booleans()):
        payloads.append(chunk([], usage=USAGE))
    return payloads


@settings(max_examples=150, deadline=None)
@given(streams())
def test_random_streams_match_sdk(payloads: list[bytes]) -> None:
    acc, state = run_both(payloads)
    # get_final_completion() raises on "length" and "content_filter"; the
    # snapshot is what it parses
    sdk = state.current_completion_snapshot.model_dump(mode="json")
    assert diff(as_json(acc.result()), sdk) == []


def test_data_sample_matches_sdk() -> None:
    """``data/chat_completion_chunks.jsonl`` (a tool call stream) too."""
    path = Path(__file__).resolve().parents[1] / "data" / "chat_completion_chunks.jsonl"
    payloads = [line for line in path.read_bytes().splitlines() if line.strip()]
    assert payloads
    acc, state = run_both(payloads)
    sdk = state.current_completion_snapshot.model_dump(mode="json")
    assert diff(as_json(acc.result()), sdk) == []
    assert acc.result().choices[0].finish_reason == "tool_calls"


def per_delta_times(run: Any, streams: dict[int, list[Any]], rounds: int = 5) -> dict[int, float]:
    """Best time per delta of ``run(stream)`` for each stream length; the
    lengths take turns in each round (so load on the machine hits them alike)
    and the garbage collector is off while timing."""
    import gc
    import time

    best = dict.fromkeys(streams, float("inf"))
    enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(rounds):
            for n, stream in streams.items():
                start = time.perf_counter()
                run(stream)
                best[n] = min(best[n], (time.perf_counter() - start) / n)
    finally:
        if enabled:
            gc.enable()
    return best


PAD = "x" * 88  # makes each delta 100 characters


def test_cost_per_delta_does_not_grow() -> None:
    """20,000 deltas cost about ten times 2,000, not a hundred: the time per
    delta may grow by 5x at most, where joining by ``+=`` grows by 20x at
    these sizes (100-character deltas)."""
    t = CreateChatCompletionStreamResponse

    def stream(n: int) -> list[Any]:
        make = [chunk([choice(0, {"content": f"word{i:07d} " + PAD})]) for i in range(n)]
        return [openai_structs.decode(data, t) for data in make]

    def run(chunks: list[Any]) -> None:
        acc = ChatCompletionAccumulator()
        for c in chunks:
            acc.add(c)
        text = acc.result().choices[0].message.content
        assert text is not None and len(text) == 100 * len(chunks)

    best = per_delta_times(run, {2000: stream(2000), 20000: stream(20000)})
    assert best[20000] < 5 * best[2000]
