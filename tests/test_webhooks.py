"""Webhooks: the generated ``WebhookEvent`` union, and ``verify``/``unwrap`` checked
against the official SDK's ``verify_signature`` as an oracle."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from pathlib import Path
from typing import Any, get_args

import pytest

import openai_structs
from openai_structs import (
    MalformedJSONError,
    UnknownType,
    WebhookEvent,
    WebhookResponseCompleted,
    WebhookVerificationError,
    decode,
    encode,
    unwrap,
    verify,
)

SPEC_PATH = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "openapi.json"
needs_spec = pytest.mark.skipif(not SPEC_PATH.exists(), reason=f"spec not found at {SPEC_PATH}")


def _webhook_examples() -> dict[str, Any]:
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    out = {}
    for hook in spec["webhooks"].values():
        ref = hook["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        name = ref.rsplit("/", 1)[-1]
        example = spec["components"]["schemas"][name]["x-oaiMeta"]["example"]
        # two examples (the incoming calls) list their SIP headers with a trailing comma
        out[name] = re.sub(r",(\s*\])", r"\1", example)
    return out


@needs_spec
def test_webhook_event_holds_every_webhook_of_the_spec() -> None:
    examples = _webhook_examples()
    assert len(examples) == 16
    members = {m.__name__ for m in get_args(WebhookEvent)}
    assert members == {*examples, "UnknownType"}
    for name, example in examples.items():
        event = decode(example, WebhookEvent, strict=True)
        assert type(event) is getattr(openai_structs, name)
        assert json.loads(encode(event)) == json.loads(example)


def test_a_new_event_type_is_an_unknown_variant_kept_whole() -> None:
    body = b'{"id":"evt_1","type":"video.completed","created_at":1,"data":{"id":"v"}}'
    event = decode(body, WebhookEvent)
    assert isinstance(event, UnknownType) and event.tag == "video.completed"
    assert encode(event) == body


# ---------------------------------------------------------------------------
# verify and unwrap

SECRET = "whsec_" + base64.b64encode(b"a secret of 32 bytes, or so!....").decode()
BODY = b'{"id":"evt_1","type":"response.completed","created_at":1719168000,"data":{"id":"resp_1"}}'


def sign(body: bytes, secret: str, msg_id: str, timestamp: str) -> str:
    key = (
        base64.b64decode(secret.removeprefix("whsec_"))
        if secret.startswith("whsec_")
        else secret.encode()
    )
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def headers_for(
    body: bytes, secret: str = SECRET, at: float | None = None, **extra: str
) -> dict[str, str]:
    timestamp = str(int(time.time() if at is None else at))
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": timestamp,
        "webhook-signature": sign(body, secret, "msg_1", timestamp),
        **extra,
    }


def test_every_name_is_also_at_the_top_level() -> None:
    from openai_structs import webhooks

    for name in webhooks.__all__:
        assert getattr(openai_structs, name) is getattr(webhooks, name)
        assert name in openai_structs.__all__


def test_unwrap_gives_the_typed_event() -> None:
    event = unwrap(BODY, headers_for(BODY), SECRET)
    assert isinstance(event, WebhookResponseCompleted)
    assert event.data.id == "resp_1"
    assert unwrap(BODY.decode(), headers_for(BODY), SECRET) == event  # str body too


def _case(name: str) -> tuple[bytes, dict[str, str], str]:
    """(payload, headers, secret) for one oracle case."""
    now = time.time()
    good = headers_for(BODY)
    other_secret = "whsec_" + base64.b64encode(b"another secret entirely.........").decode()
    if name == "valid":
        return BODY, good, SECRET
    if name == "tampered body":
        return BODY.replace(b"resp_1", b"resp_2"), good, SECRET
    if name == "tampered timestamp":
        return BODY, {**good, "webhook-timestamp": str(int(now) - 1)}, SECRET
    if name == "tampered id":
        return BODY, {**good, "webhook-id": "msg_2"}, SECRET
    if name == "wrong secret":
        return BODY, good, other_secret
    if name == "several signatures, one good":
        wrong = headers_for(BODY, other_secret)["webhook-signature"]
        both = f"v1,{'A' * 43}= {wrong} {good['webhook-signature']}"
        return BODY, {**good, "webhook-signature": both}, SECRET
    if name == "several signatures, none good":
        wrong = headers_for(BODY, other_secret)["webhook-signature"]
        return BODY, {**good, "webhook-signature": f"{wrong} v1,{'A' * 43}="}, SECRET
    if name == "old":
        return BODY, headers_for(BODY, at=now - 600), SECRET
    if name == "future":
        return BODY, headers_for(BODY, at=now + 600), SECRET
    if name == "raw secret (no whsec_ prefix)":
        return BODY, headers_for(BODY, "plain-secret"), "plain-secret"
    raise KeyError(name)


ORACLE_CASES = [
    "valid",
    "tampered body",
    "tampered timestamp",
    "tampered id",
    "wrong secret",
    "several signatures, one good",
    "several signatures, none good",
    "old",
    "future",
    "raw secret (no whsec_ prefix)",
]


@pytest.mark.parametrize("name", ORACLE_CASES)
def test_verify_agrees_with_the_official_sdk(name: str) -> None:
    openai = pytest.importorskip("openai")
    payload, headers, secret = _case(name)
    client = openai.OpenAI(api_key="unused", webhook_secret=secret)
    try:
        client.webhooks.verify_signature(payload, headers, secret=secret)
        sdk_ok = True
    except openai.InvalidWebhookSignatureError:
        sdk_ok = False
    try:
        verify(payload, headers, secret)
        ours_ok = True
    except WebhookVerificationError:
        ours_ok = False
    assert ours_ok == sdk_ok
    assert ours_ok == (
        name in ("valid", "several signatures, one good", "raw secret (no whsec_ prefix)")
    )


def test_tolerance_in_both_directions() -> None:
    at = 1_800_000_000
    headers = headers_for(BODY, at=at)
    for now in (at - 300, at, at + 300):
        verify(BODY, headers, SECRET, now=now)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify(BODY, headers, SECRET, now=at + 301)
    with pytest.raises(WebhookVerificationError, match="future"):
        verify(BODY, headers, SECRET, now=at - 301)
    verify(BODY, headers, SECRET, now=at + 3000, tolerance=3600)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"webhook-id": None}, "webhook-id header is missing"),
        ({"webhook-timestamp": None}, "webhook-timestamp header is missing"),
        ({"webhook-signature": None}, "webhook-signature header is missing"),
        ({"webhook-timestamp": "17e8"}, "not Unix seconds"),
        ({"webhook-timestamp": " 1800000000"}, "not Unix seconds"),
        ({"webhook-timestamp": "1_800_000_000"}, "not Unix seconds"),
        ({"webhook-signature": "v2,abc v1a,xyz"}, "no webhook-signature entry matches"),
        ({"webhook-signature": "v1,not base64!"}, "no webhook-signature entry matches"),
    ],
)
def test_every_failure_is_a_webhook_verification_error(change: dict[str, Any], says: str) -> None:
    headers = {**headers_for(BODY)}
    for key, value in change.items():
        if value is None:
            del headers[key]
        else:
            headers[key] = value
    with pytest.raises(WebhookVerificationError, match=says) as info:
        unwrap(BODY, headers, SECRET)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("secret", "says"), [("whsec_***", "not valid base64"), ("", "empty"), ("whsec_", "empty")]
)
def test_unusable_secrets(secret: str, says: str) -> None:
    with pytest.raises(WebhookVerificationError, match=says):
        verify(BODY, headers_for(BODY), secret)


def test_the_body_is_not_read_before_the_signature_is_checked() -> None:
    garbage = b"\xff not json at all"
    with pytest.raises(WebhookVerificationError):
        unwrap(garbage, headers_for(BODY), SECRET)  # signed for another body
    with pytest.raises(MalformedJSONError):  # genuine, but not JSON: the decoder says so
        unwrap(garbage, headers_for(garbage), SECRET)


def test_header_names_match_without_regard_to_case() -> None:
    httpx = pytest.importorskip("httpx")
    headers = headers_for(BODY)
    verify(BODY, {k.title(): v for k, v in headers.items()}, SECRET)
    verify(BODY, httpx.Headers({k.upper(): v for k, v in headers.items()}), SECRET)
    starlette = pytest.importorskip("starlette.datastructures")
    verify(BODY, starlette.Headers(headers={k.title(): v for k, v in headers.items()}), SECRET)


def test_every_signature_entry_is_compared(monkeypatch: pytest.MonkeyPatch) -> None:
    """No early exit: a good first entry costs as many comparisons as a bad one."""
    from openai_structs.webhooks import _verify

    calls = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append(len(b))
        return real(a, b)

    monkeypatch.setattr(_verify.hmac, "compare_digest", counting)
    headers = headers_for(BODY)
    good = headers["webhook-signature"]
    headers["webhook-signature"] = f"{good} v1,{'A' * 43}= v1,{'B' * 43}="
    verify(BODY, headers, SECRET)
    assert calls == [32, 32, 32]
