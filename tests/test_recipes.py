"""The README's integration recipes (``examples/``), each run with no network.

The README quotes every file of ``examples/`` whole; the first test keeps the
two in step.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from openai_structs import (
    CreateChatCompletionStreamResponse,
    decode,
    encode,
    iter_batch_output,
    iter_sse,
)
from openai_structs.batch._export import export_row, write_parquet

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
DATA = ROOT / "data"
CHUNKS = (DATA / "chat_completion_chunks.jsonl").read_bytes().splitlines()
CHAT_STREAM = b"".join(b"data: " + line + b"\n\n" for line in CHUNKS) + b"data: [DONE]\n\n"
sys.path.insert(0, str(EXAMPLES))


def recipe(name: str) -> Any:
    return importlib.import_module(name)


def test_readme_quotes_every_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    files = sorted(EXAMPLES.glob("*.py"))
    assert len(files) == 7
    for path in files:
        assert path.read_text(encoding="utf-8") in readme, f"README does not quote {path.name}"


def expected_text() -> str:
    parts = []
    for line in CHUNKS:
        chunk = decode(line, CreateChatCompletionStreamResponse)
        parts += [c.delta.content for c in chunk.choices if c.delta.content]
    return "".join(parts)


def test_httpx_sync_and_async(capsys: pytest.CaptureFixture[str]) -> None:
    httpx = pytest.importorskip("httpx")
    module = recipe("httpx_chat_stream")
    sent: list[Any] = []

    def handler(request: Any) -> Any:
        sent.append(json.loads(request.content))
        pieces = [CHAT_STREAM[i : i + 7] for i in range(0, len(CHAT_STREAM), 7)]
        return httpx.Response(200, content=iter(pieces))

    client = httpx.Client(transport=httpx.MockTransport(handler))
    completion = module.stream_chat(client, {"model": "gpt-4o-mini", "messages": []})
    assert sent[0]["stream"] is True
    text = expected_text()
    assert text and capsys.readouterr().out == text
    assert completion.choices[0].message.content == text
    assert completion.usage is not None

    async def main() -> Any:
        async def body() -> AsyncIterator[bytes]:
            for i in range(0, len(CHAT_STREAM), 11):
                yield CHAT_STREAM[i : i + 11]

        async def ahandler(request: Any) -> Any:
            return httpx.Response(200, content=body())

        async with httpx.AsyncClient(transport=httpx.MockTransport(ahandler)) as aclient:
            return await module.astream_chat(aclient, {"model": "gpt-4o-mini", "messages": []})

    assert encode(asyncio.run(main())) == encode(completion)


def test_aiohttp_against_a_local_server(capsys: pytest.CaptureFixture[str]) -> None:
    aiohttp = pytest.importorskip("aiohttp")
    from aiohttp import web

    module = recipe("aiohttp_responses_stream")
    captures = ROOT.parent / "shared" / "captures" / "responses-sse"
    path = captures / "pai-output-text-logprobs.sse"
    if not path.exists():
        pytest.skip("../shared/captures is not beside the project")
    stream = path.read_bytes()

    async def handler(request: web.Request) -> web.StreamResponse:
        reply = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await reply.prepare(request)
        for i in range(0, len(stream), 500):
            await reply.write(stream[i : i + 500])
        return reply

    async def main() -> Any:
        app = web.Application()
        app.router.add_post("/v1/responses", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            async with aiohttp.ClientSession() as session:
                url = f"http://127.0.0.1:{port}/v1/responses"
                return await module.stream_response(session, url, {"model": "gpt-4o"})
        finally:
            await runner.cleanup()

    response = asyncio.run(main())
    completed = [
        json.loads(ev.data)
        for ev in iter_sse([stream])
        if ev.event == "response.completed" or b'"response.completed"' in ev.data
    ][-1]["response"]
    assert json.loads(encode(response.output)) == completed["output"]
    assert capsys.readouterr().out == completed["output"][-1]["content"][0]["text"]


def test_openai_client_raw_and_streaming() -> None:
    openai = pytest.importorskip("openai")
    from openai import _base_client

    httpx = getattr(_base_client, "httpx2", None) or _base_client.httpx  # type: ignore[attr-defined]
    module = recipe("openai_client")
    body = (DATA / "chat_completion.json").read_bytes()

    def handler(request: Any) -> Any:
        if json.loads(request.content).get("stream"):
            return httpx.Response(
                200, content=CHAT_STREAM, headers={"content-type": "text/event-stream"}
            )
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    client = openai.OpenAI(
        api_key="test",
        base_url="http://mock/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    completion = module.complete(client, "hi")
    assert json.loads(encode(completion)) == json.loads(body)
    chunks = list(module.stream(client, "hi"))
    assert [encode(c) for c in chunks] == [
        encode(decode(line, CreateChatCompletionStreamResponse)) for line in CHUNKS
    ]


def test_starlette_relay_types_the_stream_and_closes_upstream() -> None:
    httpx = pytest.importorskip("httpx")
    pytest.importorskip("starlette")
    module = recipe("starlette_relay")
    state = {"sent": 0, "closed": False}

    class Upstream(httpx.AsyncByteStream):
        async def __aiter__(self) -> AsyncIterator[bytes]:
            for line in CHUNKS * 50:  # far more than the client will read
                state["sent"] += 1
                yield b"data: " + line + b"\n\n"
                await asyncio.sleep(0)

        async def aclose(self) -> None:
            state["closed"] = True

    upstream = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, stream=Upstream()))
    )
    app = module.relay_app(upstream)

    async def whole() -> bytes:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://relay") as client:
            reply = await client.post("/v1/chat/completions", json={"model": "m", "messages": []})
            return reply.content

    # a client that reads everything gets every chunk as sent, then [DONE]
    state.update(sent=0, closed=False)
    relayed = [ev.data for ev in iter_sse([asyncio.run(whole())])]
    assert relayed[-1] == b"[DONE]"
    assert relayed[:-1] == CHUNKS * 50
    assert state["closed"]

    # a client that leaves after the first body chunk: upstream closes early.
    # ASGI servers tell it two ways: a disconnect message from receive() (spec
    # 2.3), or send() raising OSError once the client is gone (spec 2.4).
    for spec in ("2.3", "2.4"):
        state.update(sent=0, closed=False)
        messages = asyncio.run(leaves_early(app, spec))
        assert messages[0]["status"] == 200
        assert state["closed"]
        assert 0 < state["sent"] < len(CHUNKS) * 50


def relay(upstream_body: bytes, piece: int = 100) -> list[Any]:
    """The events the relay recipe's client reads (SSE name and JSON value)
    when upstream sends ``upstream_body`` in ``piece``-byte chunks."""
    httpx = pytest.importorskip("httpx")
    pytest.importorskip("starlette")
    module = recipe("starlette_relay")

    async def body() -> AsyncIterator[bytes]:
        for i in range(0, len(upstream_body), piece):
            yield upstream_body[i : i + piece]

    upstream = httpx.AsyncClient(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body()))
    )

    async def main() -> bytes:
        transport = httpx.ASGITransport(app=module.relay_app(upstream))
        async with httpx.AsyncClient(transport=transport, base_url="http://relay") as client:
            reply = await client.post("/v1/chat/completions", json={"model": "m", "messages": []})
            return reply.content

    return events_of(asyncio.run(main()))


def events_of(raw: bytes) -> list[Any]:
    """Each event's name and JSON value (``[DONE]`` as it is)."""
    return [
        (ev.event, ev.data if ev.data == b"[DONE]" else json.loads(ev.data))
        for ev in iter_sse([raw])
    ]


def test_relay_keeps_keys_no_type_defines() -> None:
    """Keys unknown at three depths (the chunk, a choice, its delta) reach
    the relay's client as upstream sent them, event by event."""
    docs = [json.loads(line) for line in CHUNKS]
    for n, doc in enumerate(docs):
        doc["x_top"] = {"n": n, "list": [1, "two", None]}
        for choice in doc["choices"]:
            choice["x_choice"] = [{"deep": True}]
            choice["delta"]["x_delta"] = {"nested": {"value": 1.5e300}}
    raw = b"".join(b"data: " + json.dumps(d).encode() + b"\n\n" for d in docs)
    raw += b"data: [DONE]\n\n"
    # the types drop them: this is what the relay must not do
    typed = decode(json.dumps(docs[1]), CreateChatCompletionStreamResponse)
    assert "x_top" not in json.loads(encode(typed))
    got = relay(raw)
    assert got == events_of(raw)
    assert len(got) == len(docs) + 1 and got[1][1]["choices"][0]["delta"]["x_delta"]


def test_relay_of_an_azure_stream() -> None:
    path = ROOT.parent / "shared" / "captures" / "chat-sse" / "oll-azure-content-filter.sse"
    if not path.exists():
        pytest.skip("../shared/captures is not beside the project")
    raw = path.read_bytes()
    for piece in (7, 100, len(raw)):
        got = relay(raw, piece)
        assert got == events_of(raw)
    assert "prompt_filter_results" in got[0][1]
    assert "content_filter_results" in got[2][1]["choices"][0]


def test_relay_passes_an_api_error_on_and_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    error = (
        b'{"error": {"message": "overloaded", "type": "server_error", "param": null, "code": "x"}}'
    )
    raw = b"data: " + CHUNKS[0] + b"\n\ndata: " + error + b"\n\ndata: " + CHUNKS[1] + b"\n\n"
    with caplog.at_level("WARNING", logger="relay"):
        got = relay(raw + b"data: [DONE]\n\n")
    assert got == events_of(raw + b"data: [DONE]\n\n")
    assert "upstream error x: overloaded" in caplog.text


async def leaves_early(app: Any, spec: str) -> list[dict[str, Any]]:
    """Drive the ASGI app as a server would for a client that leaves after
    the first body chunk; return the messages the app sent."""
    messages: list[dict[str, Any]] = []
    request_sent = False
    got_body = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal request_sent
        if not request_sent:
            request_sent = True
            return {"type": "http.request", "body": b'{"messages": []}', "more_body": False}
        await got_body.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if got_body.is_set() and spec == "2.4":
            raise OSError("client went away")
        messages.append(message)
        if message["type"] == "http.response.body" and message.get("body"):
            got_body.set()

    scope = {
        "type": "http", "asgi": {"version": "3.0", "spec_version": spec},
        "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": "/v1/chat/completions", "raw_path": b"/v1/chat/completions",
        "query_string": b"", "root_path": "", "headers": [(b"host", b"relay")],
        "client": ("127.0.0.1", 1), "server": ("relay", 80),
    }  # fmt: skip
    from starlette.requests import ClientDisconnect

    try:
        await asyncio.wait_for(app(scope, receive, send), timeout=30)
    except ClientDisconnect:
        pass  # what Starlette tells the server on spec 2.4: the client is gone
    return messages


def test_polars_and_duckdb_on_the_export(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    pytest.importorskip("polars")
    pytest.importorskip("duckdb")
    module = recipe("parquet_query")
    reader = iter_batch_output(DATA / "batch_output.jsonl")
    rows = [export_row(line, "/v1/chat/completions") for line in reader]
    dest = tmp_path / "out.parquet"
    write_parquet(rows, dest, "/v1/chat/completions")
    assert module.tokens_by_model_polars(str(dest)) == [
        {"model": "gpt-4o-mini-2024-07-18", "requests": 3, "total_tokens": 99}
    ]
    failures = module.failures_duckdb(str(dest))
    assert [(row[1], row[2]) for row in failures] == [
        (None, "batch_expired"),
        (400, "integer_below_min_value"),
    ] or sorted(row[2] for row in failures) == ["batch_expired", "integer_below_min_value"]


def _response_body(*output: dict[str, Any]) -> bytes:
    """A completed Response (the sample's envelope) holding ``output``."""
    doc = json.loads((DATA / "response.json").read_bytes())
    doc["output"] = list(output)
    return json.dumps(doc).encode()


def test_tool_loop_against_a_fake_api() -> None:
    httpx = pytest.importorskip("httpx")
    module = recipe("tool_loop")
    requests: list[dict[str, Any]] = []

    def fake_api(request: Any) -> Any:
        body = json.loads(request.content)
        requests.append(body)
        outputs = [i for i in body["input"] if i.get("type") == "function_call_output"]
        if not outputs:  # first turn: the model calls the tool twice
            calls = [
                {"type": "function_call", "id": f"fc_{i}", "call_id": f"call_{i}",
                 "name": "get_weather", "arguments": json.dumps({"city": city, "units": "c"}),
                 "status": "completed"}
                for i, city in enumerate(("Lisbon", "Porto"))
            ]  # fmt: skip
            reasoning = {"type": "reasoning", "id": "rs_1", "summary": []}
            return httpx.Response(200, content=_response_body(reasoning, *calls))
        results = [json.loads(o["output"]) for o in outputs]
        answer = {"lines": [f"{r['city']}: {r['temperature']} C, {r['sky']}" for r in results]}
        message = {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
                   "content": [{"type": "output_text", "text": json.dumps(answer),
                                "annotations": []}]}  # fmt: skip
        return httpx.Response(200, content=_response_body(message))

    with httpx.Client(transport=httpx.MockTransport(fake_api)) as client:
        forecast = module.ask(client, "Weather in Lisbon and Porto?")
    assert forecast == module.Forecast(lines=["Lisbon: 21 C, clear", "Porto: 21 C, clear"])

    first, second = requests
    tool = first["tools"][0]
    assert (tool["name"], tool["strict"], tool["parameters"]["required"]) == (
        "get_weather", True, ["city", "units"],
    )  # fmt: skip
    assert first["text"]["format"]["name"] == "Forecast"
    assert first["text"]["format"]["schema"]["additionalProperties"] is False
    # the second turn carries the model's items back, then one output per call
    kinds = [(i.get("type"), i.get("call_id")) for i in second["input"]]
    assert kinds == [
        (None, None), ("reasoning", None), ("function_call", "call_0"),
        ("function_call", "call_1"), ("function_call_output", "call_0"),
        ("function_call_output", "call_1"),
    ]  # fmt: skip


def test_starlette_webhooks_verify_then_type() -> None:
    httpx = pytest.importorskip("httpx")
    pytest.importorskip("starlette")
    import base64
    import hashlib
    import hmac
    import time

    from openai_structs import UnknownType, WebhookBatchCompleted

    module = recipe("starlette_webhooks")
    secret = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
    received: list[Any] = []
    app = module.webhook_app(secret, received.append)

    def signed(body: bytes, key: str = secret) -> dict[str, str]:
        stamp = str(int(time.time()))
        raw = base64.b64decode(key.removeprefix("whsec_"))
        mac = hmac.new(raw, f"msg_1.{stamp}.".encode() + body, hashlib.sha256).digest()
        signature = "v1," + base64.b64encode(mac).decode()
        return {"webhook-id": "msg_1", "webhook-timestamp": stamp, "webhook-signature": signature}

    async def post(body: bytes, headers: dict[str, str]) -> Any:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            return await client.post("/webhooks/openai", content=body, headers=headers)

    batch = b'{"id":"evt_1","type":"batch.completed","created_at":1,"data":{"id":"batch_1"}}'
    reply = asyncio.run(post(batch, signed(batch)))
    assert reply.status_code == 204
    assert isinstance(received[-1], WebhookBatchCompleted) and received[-1].data.id == "batch_1"

    newer = b'{"id":"evt_2","type":"video.completed","created_at":1,"data":{"id":"v_1"}}'
    assert asyncio.run(post(newer, signed(newer))).status_code == 204
    assert isinstance(received[-1], UnknownType) and received[-1].tag == "video.completed"

    other = "whsec_" + base64.b64encode(b"another key, thirty-two bytes...").decode()
    forged = asyncio.run(post(batch, signed(batch, other)))
    assert forged.status_code == 400 and "no webhook-signature entry matches" in forged.text
    assert asyncio.run(post(batch, {})).status_code == 400
    assert len(received) == 2
