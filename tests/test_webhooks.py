"""Receiving Piggy's webhooks: signatures, parsing, and the aiohttp handler end to end."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import anyio
import pytest
from aiohttp import web

from piggy_async import AsyncPiggy, PiggyError
from piggy_async.testing import FakePiggy
from piggy_async.webhooks import (
    WebhookEvent,
    WebhookPayloadError,
    WebhookSignatureError,
    aiohttp_handler,
    parse_event,
    sign,
    verify_signature,
)

SECRET = "whsec-test-123"
BODY = json.dumps({"type": "contact_created", "data": {"uuid": "c-1", "email": "a@b.c"}}).encode()


def test_valid_signature_is_accepted() -> None:
    signature = sign(BODY, SECRET)
    assert len(signature) == 64
    assert verify_signature(BODY, signature, SECRET)
    assert verify_signature(BODY, signature.upper(), SECRET)  # hex case does not matter
    event = parse_event(BODY, signature, secret=SECRET)
    assert event == WebhookEvent(type="contact_created", data={"uuid": "c-1", "email": "a@b.c"})


@pytest.mark.parametrize(
    ("body", "signature"),
    [
        (BODY.replace(b"c-1", b"c-2"), sign(BODY, SECRET)),  # tampered body
        (BODY, sign(BODY, SECRET)[:-1] + "0"),  # tampered signature
        (BODY, sign(BODY, "another-secret")),  # wrong secret
        (BODY, None),  # no signature header
        (BODY, ""),
    ],
)
def test_bad_signatures_are_rejected(body: bytes, signature: str | None) -> None:
    with pytest.raises(WebhookSignatureError) as info:
        parse_event(body, signature, secret=SECRET)
    assert isinstance(info.value, PiggyError)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1,2]",
        b'{"data": {}}',
        b'{"type": 5, "data": {}}',
        b'{"type": "x", "data": []}',
    ],
)
def test_malformed_bodies_are_rejected(body: bytes) -> None:
    with pytest.raises(WebhookPayloadError):
        parse_event(body, sign(body, SECRET), secret=SECRET)


def test_unknown_event_type_is_a_generic_event() -> None:
    body = b'{"type": "brand_new_event", "data": {"anything": [1, 2]}, "extra": true}'
    event = parse_event(body, sign(body, SECRET), secret=SECRET)
    assert event.type == "brand_new_event"
    assert event.data == {"anything": [1, 2]}


def test_empty_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="secret"):
        sign(BODY, "")


async def test_aiohttp_handler_receives_signed_webhooks_from_the_fake(
    fake: FakePiggy, piggy: AsyncPiggy, contact_uuid: str
) -> None:
    received: list[WebhookEvent] = []

    async def on_event(event: WebhookEvent) -> None:
        received.append(event)

    app = web.Application()
    app.router.add_post("/piggy/webhooks", aiohttp_handler(SECRET, on_event))
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}/piggy/webhooks"
    try:
        await piggy.webhook_subscriptions.create(
            name="mine", url=url, event_type="credit_reception_created", secret=SECRET
        )
        reception = await piggy.credit_receptions.create(
            contact_uuid=contact_uuid, shop_uuid=fake.store.shop["uuid"], credits=7
        )
        await fake.flush_webhooks()
        assert [e.type for e in received] == ["credit_reception_created"]
        assert received[0].data["uuid"] == reception.uuid
        assert received[0].data["credits"] == 7
        assert fake.store.sent_webhooks[-1]["status"] == 200
        # A sender that does not know the secret is turned away.
        status = await fake.send_webhook(
            url, "credit_reception_created", {"uuid": "forged"}, secret="guess"
        )
        assert status == 401
        assert len(received) == 1
    finally:
        await runner.cleanup()


# -- hostile requests (issue 13 item 7): never a 500, on a real socket ---------------------------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
BAD_UTF8 = b'{"type": "contact_created", "data": {"a": "\xff\xfe"}}'


async def _raw_post(port: int, body: bytes, signature: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + b"Content-Length: "
        + str(len(body)).encode()
        + b"\r\nsignature: "
        + signature
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )
    await writer.drain()
    status_line = await reader.readline()
    writer.close()
    return int(status_line.split()[1])


async def test_webhook_handler_never_answers_500(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    seen: list[str] = []

    async def on_event(event: Any) -> None:
        seen.append(event.type)

    app = web.Application()
    app.router.add_post("/hook", aiohttp_handler(SECRET, on_event))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    good = json.dumps({"type": "contact_created", "data": {"uuid": "c"}}).encode()
    try:
        with anyio.fail_after(10):
            assert await _raw_post(port, good, "é".encode()) == 401
            assert await _raw_post(port, good, b"\xff\xfe") == 401
            for body in (DEEP, BAD_UTF8, b"[1]", b'{"type": 5}'):
                assert await _raw_post(port, body, sign(body, SECRET).encode()) == 400
            assert await _raw_post(port, good, sign(good, SECRET).encode()) == 200
    finally:
        await runner.cleanup()
    assert seen == ["contact_created"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_parse_event_types_every_malformed_input() -> None:
    with pytest.raises(WebhookSignatureError):
        parse_event(b"{}", "é", secret=SECRET)
    for body in (DEEP, BAD_UTF8):
        with pytest.raises(WebhookPayloadError):
            parse_event(body, sign(body, SECRET), secret=SECRET)
