"""Webhook verification as a receiver sees it: which signatures are accepted or refused,
which secrets are configuration errors, what a malformed body says, and what the aiohttp
handler answers (status and JSON body), without a network."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import anyio
import pytest
from multidict import CIMultiDict

from piggy_async import ConfigurationError
from piggy_async.webhooks import (
    SIGNATURE_HEADER,
    WebhookEvent,
    WebhookPayloadError,
    WebhookSignatureError,
    aiohttp_handler,
    parse_event,
    sign,
    verify_signature,
)

SECRET = "whsec-mut-42"
BODY = json.dumps({"type": "voucher_redeemed", "data": {"uuid": "v-1"}}).encode()


def expected(body: bytes, secret: bytes) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def test_signature_is_hex_hmac_sha256_of_the_body_keyed_with_the_secret() -> None:
    assert sign(BODY, SECRET) == expected(BODY, SECRET.encode())
    assert sign(BODY, SECRET.encode()) == expected(BODY, SECRET.encode())
    assert sign(BODY, "sécret") == expected(BODY, "sécret".encode())


GOOD = expected(BODY, SECRET.encode())


@pytest.mark.parametrize(
    ("signature", "accepted"),
    [
        (GOOD, True),
        (GOOD.upper(), True),
        (GOOD.encode(), True),
        (f"  {GOOD}\n", True),  # a header value's surrounding blanks
        (f" {GOOD.upper()} ".encode(), True),
        (None, False),
        ("", False),
        (b"", False),
        (GOOD[:-1], False),
        (GOOD + "0", False),
        ("é" * 64, False),  # not ASCII
        (b"\xff" * 64, False),
        (12345, False),  # not text
        (["a"], False),
        (expected(BODY, b"other"), False),
    ],
)
def test_which_signatures_are_accepted(signature: Any, accepted: bool) -> None:
    assert verify_signature(BODY, signature, SECRET) is accepted
    if accepted:
        assert parse_event(BODY, signature, secret=SECRET).type == "voucher_redeemed"
    else:
        with pytest.raises(WebhookSignatureError) as info:
            parse_event(BODY, signature, secret=SECRET)
        assert str(info.value) == "the webhook's signature does not match its body"


@pytest.mark.parametrize(
    ("secret", "words"),
    [
        ("", "must not be empty"),
        (b"", "must not be empty"),
        ("\ud800", "must be valid Unicode text"),
        (42, "must be text or bytes"),
        (None, "must be text or bytes"),
    ],
)
def test_bad_secrets_are_configuration_errors(secret: Any, words: str) -> None:
    for call in (
        lambda: sign(BODY, secret),
        lambda: verify_signature(BODY, GOOD, secret),
        lambda: aiohttp_handler(secret, _ignore),
    ):
        with pytest.raises(ConfigurationError) as info:
            call()
        assert str(info.value) == f"the webhook secret {words}"


async def _ignore(event: WebhookEvent) -> None:
    return None


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"not json", "malformed webhook body: JSON is malformed"),
        (b'{"data": {}}', "malformed webhook body: Object missing required field `type`"),
        (b'{"type": "x", "data": []}', "malformed webhook body: Expected `object`"),
        (b"[" * 100_000 + b"]" * 100_000, "malformed webhook body: "),
        (b'{"type": "x", "data": {"a": "\xff"}}', "malformed webhook body: "),
    ],
)
def test_malformed_body_says_what_is_wrong(body: bytes, words: str) -> None:
    with pytest.raises(WebhookPayloadError) as info:
        parse_event(body, sign(body, SECRET), secret=SECRET)
    assert str(info.value).startswith(words)


def test_deeply_nested_body_is_named() -> None:
    body = b'{"type": "x", "data": {"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    with pytest.raises(WebhookPayloadError) as info:
        parse_event(body, sign(body, SECRET), secret=SECRET)
    assert str(info.value) == "malformed webhook body: nested too deeply"


@pytest.mark.parametrize("wrap", [bytes, bytearray, memoryview])
def test_body_may_be_any_bytes_like(wrap: Any) -> None:
    event = parse_event(wrap(BODY), GOOD, secret=SECRET)
    assert event == WebhookEvent(type="voucher_redeemed", data={"uuid": "v-1"})


@pytest.mark.parametrize(("body", "kind"), [(BODY.decode(), "str"), (None, "NoneType")])
def test_body_that_is_not_bytes_is_a_payload_error(body: Any, kind: str) -> None:
    with pytest.raises(WebhookPayloadError) as info:
        parse_event(body, GOOD, secret=SECRET)
    assert str(info.value) == f"the webhook body must be bytes, not {kind}"


def test_event_without_data_has_empty_data() -> None:
    body = b'{"type": "contact_created"}'
    assert parse_event(body, sign(body, SECRET), secret=SECRET).data == {}


class FakeRequest:
    def __init__(self, body: bytes, headers: dict[str, str]) -> None:
        self.body = body
        self.headers = CIMultiDict(headers)

    async def read(self) -> bytes:
        return self.body


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    return {"Signature": sign(body, secret)}


@pytest.mark.parametrize(
    ("body", "headers", "status", "answer", "events"),
    [
        (BODY, signed(BODY), 200, {"ok": True}, ["voucher_redeemed"]),
        (BODY, {SIGNATURE_HEADER: GOOD}, 200, {"ok": True}, ["voucher_redeemed"]),
        (BODY, {}, 401, {"error": "bad signature"}, []),
        (BODY, signed(BODY, "guess"), 401, {"error": "bad signature"}, []),
        (BODY, {"X-Signature": GOOD}, 401, {"error": "bad signature"}, []),
        (b"[1]", signed(b"[1]"), 400, {"error": "malformed body"}, []),
    ],
)
async def test_aiohttp_handler_answers(
    body: bytes, headers: dict[str, str], status: int, answer: Any, events: list[str]
) -> None:
    assert SIGNATURE_HEADER == "signature"
    seen: list[str] = []

    async def on_event(event: WebhookEvent) -> None:
        seen.append(event.type)

    handler = aiohttp_handler(SECRET.encode(), on_event)
    with anyio.fail_after(10):
        response = await handler(FakeRequest(body, headers))
    assert response.status == status
    assert response.content_type == "application/json"
    assert json.loads(response.text) == answer
    assert seen == events
