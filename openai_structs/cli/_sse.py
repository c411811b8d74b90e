"""``openai-structs sse decode``: a recorded stream, one typed event per line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from ..errors import APIStreamError, SSEError
from ._common import EXIT_DATA, EXIT_OK, EXIT_USAGE, existing_file, fail

if TYPE_CHECKING:
    from ..streams import ChatCompletionAccumulator, ResponseAccumulator

__all__ = ["add_sse_commands"]

#: --kind -> name of the iter_* function in openai_structs.streams
KINDS = {
    "chat": "iter_chat_completion_chunks",
    "responses": "iter_response_events",
    "assistants": "iter_assistant_events",
    "completions": "iter_completion_chunks",
    "speech": "iter_speech_events",
    "transcription": "iter_transcription_events",
    "images": "iter_image_generation_events",
    "image-edits": "iter_image_edit_events",
    "realtime": "iter_realtime_events",
}
_CHUNK = 1 << 16


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(_CHUNK):
        yield chunk


def _messages(handle: BinaryIO) -> Iterator[bytes]:
    """Realtime recordings hold one WebSocket message per line."""
    for line in handle:
        if line.strip():
            yield line


def _accumulator(kind: str) -> ChatCompletionAccumulator | ResponseAccumulator:
    from .. import streams

    if kind == "chat":
        return streams.ChatCompletionAccumulator()
    if kind == "responses":
        return streams.ResponseAccumulator()
    fail("--accumulate works with --kind chat and --kind responses", EXIT_USAGE)


def cmd_decode(args: argparse.Namespace) -> int:
    from .. import streams
    from ..core import encode

    stream: Callable[..., Iterator[Any]] = getattr(streams, KINDS[args.kind])
    accumulator = _accumulator(args.kind) if args.accumulate else None
    if args.file == "-":
        handle: BinaryIO = sys.stdin.buffer
    else:
        handle = open(existing_file(args.file), "rb")  # noqa: SIM115
    source = _messages(handle) if args.kind == "realtime" else _chunks(handle)
    out = sys.stdout.buffer
    try:
        for event in stream(source, strict=args.strict):
            if accumulator is not None:
                accumulator.add(event)
            else:
                out.write(encode(event) + b"\n")
    except APIStreamError as exc:
        out.flush()
        print(f"openai-structs: the stream carried an API error: {exc}", file=sys.stderr)
        return EXIT_DATA
    except SSEError as exc:  # the bytes cannot be framed: an event over the size bound
        out.flush()
        print(f"openai-structs: bad input: {exc}", file=sys.stderr)
        return EXIT_DATA
    finally:
        if handle is not sys.stdin.buffer:
            handle.close()
    if accumulator is not None:
        out.write(encode(accumulator.result()) + b"\n")
    out.flush()
    return EXIT_OK


def add_sse_commands(commands: Any) -> None:
    sse = commands.add_parser("sse", help="server-sent event streams")
    sub = sse.add_subparsers(dest="sse_command", required=True, metavar="COMMAND")
    decode = sub.add_parser(
        "decode",
        help="print each event of a recorded stream as one line of JSON",
        description="Decode a recorded stream (raw SSE bytes; for realtime, one "
        "WebSocket message per line) and print each typed event as JSON.",
    )
    decode.add_argument("file", help="the recorded stream, or - for stdin")
    decode.add_argument("--kind", required=True, choices=list(KINDS), help="which API's stream")
    decode.add_argument(
        "--accumulate", action="store_true", help="print only the final object (chat, responses)"
    )
    decode.add_argument(
        "--strict", action="store_true", help="fail on event types and values the spec lacks"
    )
    decode.set_defaults(run=cmd_decode)
