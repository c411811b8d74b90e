"""A tool loop on the Responses API: tools and answer typed by msgspec Structs.

The model gets a strict function tool and a strict answer format, both written
from Structs. While it calls tools, each call's arguments are decoded into the
tool's Struct, the function runs, and its output goes back as an input item
beside the model's own items; once it answers, the answer is parsed into its
Struct.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal

import httpx
import msgspec

from openai_structs import (
    CreateResponse,
    EasyInputMessage,
    FunctionCallOutputItemParam,
    FunctionToolCall,
    Response,
    ResponseTextParam,
    decode,
    encode,
    function_tool,
    parse_arguments,
    parse_output,
    text_format,
)

URL = "https://api.openai.com/v1/responses"


class GetWeather(msgspec.Struct):
    """The current weather in a city."""

    city: str
    units: Literal["c", "f"]


class Forecast(msgspec.Struct):
    """The answer: a line per city asked about."""

    lines: list[str]


def get_weather(args: GetWeather) -> dict[str, Any]:
    """Stands in for a real weather service."""
    return {"city": args.city, "temperature": 21 if args.units == "c" else 70, "sky": "clear"}


#: tool name -> (its arguments' Struct, the function to run)
TOOLS: dict[str, tuple[type[Any], Callable[[Any], Any]]] = {
    "get_weather": (GetWeather, get_weather),
}


def ask(client: httpx.Client, question: str, model: str = "gpt-5") -> Forecast:
    """Ask, run the tools the model calls until it answers, return the answer."""
    inputs: list[Any] = [EasyInputMessage(role="user", content=question)]
    while True:
        request = CreateResponse(
            model=model,
            input=inputs,
            tools=[function_tool(args) for args, _ in TOOLS.values()],
            text=ResponseTextParam(format=text_format(Forecast)),
        )
        reply = client.post(
            URL, content=encode(request), headers={"content-type": "application/json"}
        )
        reply.raise_for_status()
        response = decode(reply.content, Response)
        calls = [item for item in response.output if isinstance(item, FunctionToolCall)]
        if not calls:
            return parse_output(response, Forecast)
        inputs += response.output  # the model's reasoning and calls, as it sent them
        for call in calls:
            args, run = TOOLS[call.name]
            result = run(parse_arguments(call, args))
            inputs.append(
                FunctionCallOutputItemParam(call_id=call.call_id, output=json.dumps(result))
            )
