"""Where the bytes come from: each HTTP client's byte iterator, and a file,
feeds the typed streams directly. No network: httpx and the openai client run
over a mock transport, aiohttp talks to a server on localhost."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import msgspec
import pytest

import openai_structs as o
from openai_structs.streams import (
    aiter_chat_completion_chunks,
    aiter_response_events,
    aiter_sse,
    iter_chat_completion_chunks,
    iter_response_events,
    iter_sse,
)

ROOT = Path(__file__).resolve().parent.parent
RESPONSES = ROOT.parent / "shared" / "captures" / "responses-sse" / "pai-file-search.sse"


def chat_body() -> tuple[bytes, list[Any]]:
    """An SSE chat stream made of the sample chunks, and what it decodes to."""
    lines = (ROOT / "data" / "chat_completion_chunks.jsonl").read_bytes().splitlines()
    body = b"".join(b"data: " + line + b"\n\n" for line in lines) + b"data: [DONE]\n\n"
    return body, [o.decode(line, o.CreateChatCompletionStreamResponse) for line in lines]


BODY, CHUNKS = chat_body()
assert len(CHUNKS) > 5


def pieces(raw: bytes, size: int) -> Iterator[bytes]:
    return (raw[i : i + size] for i in range(0, len(raw), size))


# --------------------------------------------------------------------------
# httpx


def httpx_client(body: bytes, *, is_async: bool = False) -> Any:
    httpx = pytest.importorskip("httpx")

    def handler(request: Any) -> Any:
        assert request.url.path == "/v1/chat/completions"
        stream = pieces(body, 37) if not is_async else _apieces(body, 37)
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=stream)

    transport = httpx.MockTransport(handler)
    return (httpx.AsyncClient if is_async else httpx.Client)(transport=transport)


async def _apieces(raw: bytes, size: int) -> Any:
    for piece in pieces(raw, size):
        yield piece


@pytest.mark.parametrize("chunk_size", [None, 1, 5, 4096])
def test_httpx_iter_bytes(chunk_size: int | None) -> None:
    with (
        httpx_client(BODY) as client,
        client.stream("POST", "http://api.test/v1/chat/completions") as resp,
    ):
        assert list(iter_chat_completion_chunks(resp.iter_bytes(chunk_size))) == CHUNKS


@pytest.mark.parametrize("chunk_size", [None, 3, 4096])
def test_httpx_aiter_bytes(chunk_size: int | None) -> None:
    async def main() -> list[Any]:
        url = "http://api.test/v1/chat/completions"
        async with httpx_client(BODY, is_async=True) as client, client.stream("POST", url) as resp:
            return [c async for c in aiter_chat_completion_chunks(resp.aiter_bytes(chunk_size))]

    assert asyncio.run(main()) == CHUNKS


def test_httpx_raw_events() -> None:
    with (
        httpx_client(BODY) as client,
        client.stream("POST", "http://api.test/v1/chat/completions") as resp,
    ):
        events = list(iter_sse(resp.iter_bytes()))
    assert [e.data for e in events[:-1]] == [o.encode(c) for c in CHUNKS] or len(events) == len(
        CHUNKS
    ) + 1
    assert events[-1].data == b"[DONE]"


# --------------------------------------------------------------------------
# aiohttp, against a server on localhost


def test_aiohttp_iter_any() -> None:
    web = pytest.importorskip("aiohttp.web")
    aiohttp = pytest.importorskip("aiohttp")

    async def handler(request: Any) -> Any:
        resp = web.StreamResponse(headers={"content-type": "text/event-stream"})
        await resp.prepare(request)
        for piece in pieces(BODY, 61):  # small writes, flushed one by one
            await resp.write(piece)
        await resp.write_eof()
        return resp

    async def main() -> tuple[list[Any], list[Any]]:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        try:
            async with aiohttp.ClientSession() as session:
                async with session.post(url) as resp:
                    typed = [c async for c in aiter_chat_completion_chunks(resp.content.iter_any())]
                async with session.post(url) as resp:
                    raw = [e async for e in aiter_sse(resp.content.iter_any())]
        finally:
            await runner.cleanup()
        return typed, raw

    typed, raw = asyncio.run(main())
    assert typed == CHUNKS
    assert len(raw) == len(CHUNKS) + 1 and raw[-1].data == b"[DONE]"


# --------------------------------------------------------------------------
# The official openai client's raw bytes (with_streaming_response)


def openai_clients(body: bytes) -> tuple[Any, Any]:
    openai = pytest.importorskip("openai")
    # The openai package talks through the httpx it depends on: the real httpx
    # in older releases, its fork httpx2 in newer ones. Mock whichever it uses.
    from openai import _base_client

    httpx = getattr(_base_client, "httpx2", None) or _base_client.httpx  # type: ignore[attr-defined]

    def handler(request: Any) -> Any:
        assert request.headers["authorization"] == "Bearer sk-test"
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body)

    async def ahandler(request: Any) -> Any:
        return handler(request)

    sync = openai.OpenAI(
        api_key="sk-test",
        base_url="http://api.test/v1",
        http_client=httpx.Client(transport=httpx.MockTransport(handler)),
    )
    asynchronous = openai.AsyncOpenAI(
        api_key="sk-test",
        base_url="http://api.test/v1",
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(ahandler)),
    )
    return sync, asynchronous


def test_openai_client_chat() -> None:
    client, aclient = openai_clients(BODY)
    create = client.chat.completions.with_streaming_response.create
    with create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
    ) as resp:
        assert list(iter_chat_completion_chunks(resp.iter_bytes())) == CHUNKS

    async def main() -> list[Any]:
        acreate = aclient.chat.completions.with_streaming_response.create
        async with acreate(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}], stream=True
        ) as resp:
            return [c async for c in aiter_chat_completion_chunks(resp.iter_bytes())]

    assert asyncio.run(main()) == CHUNKS


@pytest.mark.skipif(not RESPONSES.is_file(), reason=f"{RESPONSES} not found")
def test_openai_client_responses_matches_the_sdk() -> None:
    """Our events and the SDK's own parsed events hold the same JSON."""
    body = RESPONSES.read_bytes()
    client, _ = openai_clients(body)
    with client.responses.with_streaming_response.create(
        model="gpt-4o", input="hi", stream=True
    ) as resp:
        ours = list(iter_response_events(resp.iter_bytes()))
    sdk = list(client.responses.create(model="gpt-4o", input="hi", stream=True))
    assert len(ours) == len(sdk) == 21
    for mine, theirs in zip(ours, sdk):
        assert mine.type == theirs.type
        assert msgspec.json.decode(o.encode(mine)) == theirs.model_dump(
            mode="json", exclude_unset=True
        )


# --------------------------------------------------------------------------
# A stream recorded to disk


def test_file_on_disk(tmp_path: Path) -> None:
    path = tmp_path / "chat.sse"
    path.write_bytes(BODY)
    with path.open("rb") as f:  # a binary file iterates by lines: chunks as good as any
        assert list(iter_chat_completion_chunks(f)) == CHUNKS
    with path.open("rb") as f:
        assert list(iter_chat_completion_chunks(iter(partial(f.read, 100), b""))) == CHUNKS


@pytest.mark.skipif(not RESPONSES.is_file(), reason=f"{RESPONSES} not found")
def test_capture_file_async(tmp_path: Path) -> None:
    async def read() -> Any:
        with RESPONSES.open("rb") as f:
            while chunk := f.read(512):
                yield chunk
                await asyncio.sleep(0)

    async def main() -> list[Any]:
        return [e async for e in aiter_response_events(read())]

    events = asyncio.run(main())
    assert events == list(iter_response_events([RESPONSES.read_bytes()]))
    assert type(events[-1]) is o.ResponseCompletedEvent


# --------------------------------------------------------------------------
# Relaying a stream (starlette), with format_sse


def test_starlette_relay() -> None:
    """A service reads an upstream stream and relays its events to its own
    client; the client reads the same chunks."""
    pytest.importorskip("starlette")
    from starlette.applications import Starlette
    from starlette.responses import StreamingResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from openai_structs.streams import format_sse

    def relay(request: Any) -> Any:
        def body() -> Iterator[bytes]:
            yield format_sse(comment="relayed")
            for event in iter_sse(pieces(BODY, 50)):
                yield format_sse(event.data, event=event.event)

        return StreamingResponse(body(), media_type="text/event-stream")

    app = Starlette(routes=[Route("/relay", relay)])
    with TestClient(app) as client, client.stream("GET", "/relay") as resp:
        assert resp.headers["content-type"].startswith("text/event-stream")
        assert list(iter_chat_completion_chunks(resp.iter_bytes())) == CHUNKS
