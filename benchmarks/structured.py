"""Structured outputs in the benchmarks: the payloads, the twin types, and the peers.

The structured value is a travel plan (:class:`Plan`: days, each with a summary and
activities), drawn from a seeded ``random.Random`` to a target size, the shape a model
writes for an itinerary or an extraction: many short strings and numbers, nested objects
and lists. :class:`PlanModel` is the same type as pydantic models, for the SDK.

Two registry cases read it (``cases.py``):

- **parse**: a ``Response`` (and a chat completion) whose output message holds a 5 KB plan,
  decoded from bytes and parsed into the plan. Ours: ``Decoder(Response)`` then
  :func:`~openai_structs.parse_output`. The SDK's own parse path: what its client does for
  ``responses.parse(text_format=PlanModel)`` on the same bytes, ``json.loads`` then
  ``construct_type`` (or ``model_validate_json``) then ``openai.lib._parsing``'s
  ``parse_response`` (``parse_chat_completion`` for chat).
- **partial**: a chat stream of the plan in 2,000 deltas (20 KB), each chunk already decoded
  by each side into its own types; the value read after every delta. Ours:
  :class:`~openai_structs.ChatCompletionAccumulator` plus :class:`~openai_structs.PartialJSON`
  fed each delta, ``.value`` read, and at the end ``parse_message`` of the result. The SDK:
  ``ChatCompletionStreamState(response_format=PlanModel)``, whose ``handle_chunk`` parses the
  partial value and whose ``get_final_completion`` the plan. A 4x case (8,000 deltas, 80 KB)
  runs ours alone: its time over the 2,000-delta case's is the linearity figure.
"""

from __future__ import annotations

import json
import random
from functools import cache
from typing import Any

import msgspec

import openai_structs

WORDS = [
    "museum",
    "harbour",
    "tram",
    "castle",
    "market",
    "river",
    "garden",
    "tower",
    "bridge",
    "cathedral",
    "gallery",
    "tiles",
    "sunset",
    "viewpoint",
    "pastry",
    "seafood",
    "walk",
    "tour",
    "ferry",
    "beach",
    "palace",
    "monastery",
    "square",
    "lunch",
    "dinner",
    "train",
    "coffee",
    "wine",
    "fado",
    "bookshop",
    "park",
]
CITIES = ("Lisbon", "Porto", "Coimbra", "Sintra", "Braga", "Faro", "Évora", "Aveiro")


# --------------------------------------------------------------------------
# The structured type, both ways


class Activity(msgspec.Struct):
    time: str
    name: str
    cost: float
    booked: bool
    tags: list[str]


class Day(msgspec.Struct):
    day: int
    city: str
    summary: str
    activities: list[Activity]
    notes: str | None


class Plan(msgspec.Struct):
    """A day-by-day travel plan."""

    title: str
    days: list[Day]
    total_cost: float


def pydantic_plan() -> Any:
    """:class:`Plan` as pydantic models (built on first use: pydantic is a bench extra)."""
    return _pydantic_plan()


@cache
def _pydantic_plan() -> Any:
    from pydantic import BaseModel

    class ActivityModel(BaseModel):
        time: str
        name: str
        cost: float
        booked: bool
        tags: list[str]

    class DayModel(BaseModel):
        day: int
        city: str
        summary: str
        activities: list[ActivityModel]
        notes: str | None

    class PlanModel(BaseModel):
        """A day-by-day travel plan."""

        title: str
        days: list[DayModel]
        total_cost: float

    return PlanModel


# --------------------------------------------------------------------------
# Payloads


def plan_json(size: int, seed: int = 1) -> str:
    """The compact JSON of a plan of at least ``size`` characters."""
    rng = random.Random(seed)

    def words(lo: int, hi: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi))).capitalize()

    days: list[dict[str, Any]] = []
    plan = {"title": "Portugal in " + words(2, 3).lower(), "days": days, "total_cost": 0.0}
    length = len(json.dumps(plan, ensure_ascii=False, separators=(",", ":")))
    while length < size:
        activities = [
            {
                "time": f"{rng.randint(8, 21):02d}:{rng.choice((0, 15, 30, 45)):02d}",
                "name": words(2, 5),
                "cost": round(rng.uniform(0, 80), 2),
                "booked": rng.random() < 0.5,
                "tags": [rng.choice(WORDS) for _ in range(rng.randint(0, 3))],
            }
            for _ in range(rng.randint(2, 5))
        ]
        day = {
            "day": len(days) + 1,
            "city": rng.choice(CITIES),
            "summary": words(8, 20) + ".",
            "activities": activities,
            "notes": words(4, 10) + "." if rng.random() < 0.4 else None,
        }
        days.append(day)
        length += len(json.dumps(day, ensure_ascii=False, separators=(",", ":"))) + 1
        plan["total_cost"] = round(plan["total_cost"] + sum(a["cost"] for a in activities), 2)
    return json.dumps(plan, ensure_ascii=False, separators=(",", ":"))


def split(text: str, n: int, seed: int = 2) -> list[str]:
    """``text`` cut at ``n - 1`` random places: ``n`` deltas, as a model streams them."""
    cuts = sorted(random.Random(seed).sample(range(1, len(text)), n - 1))
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]


def response_body(plan: str) -> bytes:
    """A completed ``Response`` whose output is reasoning then a message holding ``plan``."""
    doc = json.loads((openai_structs_root() / "data" / "response.json").read_bytes())
    doc["output"] = [
        {"type": "reasoning", "id": "rs_0001", "summary": []},
        {
            "type": "message",
            "id": "msg_0001",
            "status": "completed",
            "role": "assistant",
            "content": [{"type": "output_text", "text": plan, "annotations": [], "logprobs": []}],
        },
    ]
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()


def chat_body(plan: str) -> bytes:
    """A chat completion whose one choice's content is ``plan``."""
    doc = json.loads((openai_structs_root() / "data" / "chat_completion.json").read_bytes())
    doc["choices"] = [
        {
            "index": 0,
            "message": {"role": "assistant", "content": plan, "refusal": None, "annotations": []},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ]
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode()


def chat_chunks(deltas: list[str]) -> list[bytes]:
    """The chunks of a chat stream carrying ``deltas`` as content, as the API frames them."""
    head = {
        "id": "chatcmpl-plan",
        "object": "chat.completion.chunk",
        "created": 1767225600,
        "model": "gpt-4o-2024-08-06",
        "system_fingerprint": "fp_plan",
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
        return json.dumps({**head, "choices": [choice]}, ensure_ascii=False).encode()

    out = [chunk({"role": "assistant", "content": "", "refusal": None})]
    out += [chunk({"content": d}) for d in deltas]
    out.append(chunk({}, "stop"))
    return out


def openai_structs_root() -> Any:
    from pathlib import Path

    return Path(openai_structs.__file__).resolve().parent.parent


# --------------------------------------------------------------------------
# Runners


def ours_parse_response(body: bytes) -> Any:
    dec = openai_structs.Decoder(openai_structs.Response).decode
    parse = openai_structs.parse_output

    def run() -> Any:
        response = dec(body)
        return response, parse(response, Plan)

    return run


def limit_parse_response(body: bytes) -> Any:
    """Bare msgspec decoders on the same types: the response, then its message's text."""
    dec = msgspec.json.Decoder(openai_structs.Response).decode
    plan = msgspec.json.Decoder(Plan).decode
    message, text = openai_structs.OutputMessage, openai_structs.OutputTextContent

    def run() -> Any:
        response = dec(body)
        for item in response.output:
            if isinstance(item, message):
                parts = [p.text for p in item.content if isinstance(p, text)]
        return response, plan(parts[0] if len(parts) == 1 else "".join(parts))

    return run


def sdk_parse_response(body: bytes, validate: bool) -> Any:
    """The SDK's ``responses.parse`` path: the body built, then ``parse_response``."""
    from openai.lib._parsing._responses import parse_response
    from openai.types.responses import Response

    return _sdk_parse(
        body,
        validate,
        Response,
        lambda model, r: parse_response(text_format=model, input_tools=_omit(), response=r),
    )


def _omit() -> Any:
    from openai._types import omit

    return omit


def _sdk_parse(body: bytes, validate: bool, tp: Any, parse: Any) -> Any:
    """Build the SDK's ``tp`` from ``body`` (validated, or as its client does by default)
    and hand it to ``parse`` with the plan's pydantic model."""
    from openai._models import construct_type

    model = pydantic_plan()
    loads = json.loads

    def run() -> Any:
        built = (
            tp.model_validate_json(body)
            if validate
            else construct_type(type_=tp, value=loads(body))
        )
        return parse(model, built)

    return run


def ours_parse_chat(body: bytes) -> Any:
    dec = openai_structs.Decoder(openai_structs.CreateChatCompletionResponse).decode
    parse = openai_structs.parse_message

    def run() -> Any:
        completion = dec(body)
        return completion, parse(completion, Plan)

    return run


def limit_parse_chat(body: bytes) -> Any:
    """Bare msgspec decoders on the same types: the completion, then its content."""
    tp = openai_structs.CreateChatCompletionResponse
    dec = msgspec.json.Decoder(tp).decode
    plan = msgspec.json.Decoder(Plan).decode

    def run() -> Any:
        completion = dec(body)
        return completion, plan(completion.choices[0].message.content)

    return run


def sdk_parse_chat(body: bytes, validate: bool) -> Any:
    """The SDK's ``chat.completions.parse`` path: the body built, then ``parse_chat_completion``."""
    from openai.lib._parsing._completions import parse_chat_completion
    from openai.types.chat import ChatCompletion

    return _sdk_parse(
        body,
        validate,
        ChatCompletion,
        lambda model, c: parse_chat_completion(
            response_format=model, input_tools=_omit(), chat_completion=c
        ),
    )


def ours_partial(chunks: list[bytes]) -> Any:
    """Accumulate, feed every content delta to a PartialJSON and read its value; parse at the end."""
    typed = [
        openai_structs.decode(c, openai_structs.CreateChatCompletionStreamResponse) for c in chunks
    ]
    Accumulator = openai_structs.ChatCompletionAccumulator
    PartialJSON = openai_structs.PartialJSON
    parse = openai_structs.parse_message

    def run() -> Any:
        acc = Accumulator()
        partial = PartialJSON()
        feed = partial.feed
        for chunk in typed:
            acc.add(chunk)
            for choice in chunk.choices:
                if choice.delta.content:
                    feed(choice.delta.content)
                    partial.value  # noqa: B018  (the value so far, read after every delta)
        completion = acc.result()
        return completion, parse(completion, Plan)

    return run


def sdk_partial(chunks: list[bytes]) -> Any:
    """The SDK's stream state with a response format: it parses the partial value on every
    chunk (read here too), and the plan at the end."""
    from openai._models import construct_type
    from openai.lib.streaming.chat import ChatCompletionStreamState
    from openai.types.chat import ChatCompletionChunk

    typed = [construct_type(type_=ChatCompletionChunk, value=json.loads(c)) for c in chunks]
    model = pydantic_plan()

    def run() -> Any:
        state: Any = ChatCompletionStreamState(response_format=model)
        for chunk in typed:
            state.handle_chunk(chunk)
            state.current_completion_snapshot.choices[0].message.parsed  # noqa: B018
        return state.get_final_completion()

    return run


def parsed_plan(result: Any) -> Any:
    """The plan a runner produced, as plain JSON values, whoever produced it."""
    if isinstance(result, tuple):  # ours: (response or completion, Plan)
        return msgspec.to_builtins(result[1])
    output_parsed = getattr(result, "output_parsed", None)
    if output_parsed is not None:  # the SDK's ParsedResponse
        return output_parsed.model_dump()
    return result.choices[0].message.parsed.model_dump()  # its ParsedChatCompletion
