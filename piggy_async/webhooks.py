"""Receiving Piggy's webhooks: verify the signature, parse the event.

Piggy POSTs JSON ``{"type": <event type>, "data": {...}}`` to a subscription's URL, with a
``signature`` header: the hex HMAC-SHA256 of the raw body, keyed with the subscription's
secret. ::

    from piggy_async.webhooks import parse_event

    event = parse_event(raw_body, request.headers.get("signature"), secret=SECRET)
    if event.type == "credit_reception_created":
        ...

In an aiohttp service, :func:`aiohttp_handler` does the verifying and answering for you.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

import msgspec

from .errors import ConfigurationError, PiggyError

__all__ = [
    "SIGNATURE_HEADER",
    "WebhookError",
    "WebhookEvent",
    "WebhookPayloadError",
    "WebhookSignatureError",
    "aiohttp_handler",
    "parse_event",
    "sign",
    "verify_signature",
]

#: The request header that carries the signature.
SIGNATURE_HEADER = "signature"


class WebhookError(PiggyError):
    """A webhook request that must not be trusted or cannot be read."""


class WebhookSignatureError(WebhookError):
    """The ``signature`` header is missing or does not match the body and secret."""


class WebhookPayloadError(WebhookError):
    """The body is not a JSON object with a string ``type`` and an object ``data``."""


class WebhookEvent(msgspec.Struct, frozen=True):
    """A Piggy event: ``type`` (an open set: ``contact_created``, ``voucher_redeemed``, ...,
    and types this client does not know yet) and its ``data``."""

    type: str
    data: dict[str, Any] = {}


_event_decoder = msgspec.json.Decoder(WebhookEvent)


def _secret_bytes(secret: str | bytes) -> bytes:
    if isinstance(secret, str):
        try:
            secret = secret.encode()
        except UnicodeEncodeError:
            raise ConfigurationError("the webhook secret must be valid Unicode text") from None
    if not isinstance(secret, bytes):
        raise ConfigurationError("the webhook secret must be text or bytes")
    if not secret:
        raise ConfigurationError("the webhook secret must not be empty")
    return secret


def sign(body: bytes, secret: str | bytes) -> str:
    """The signature Piggy sends for ``body``: hex HMAC-SHA256 keyed with ``secret``."""
    return hmac.new(_secret_bytes(secret), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, signature: str | bytes | None, secret: str | bytes) -> bool:
    """Whether ``signature`` is right for ``body`` (constant-time comparison).

    Anything that is not a hex digest (non-ASCII text, wrong type) is simply wrong.
    """
    if not signature:
        return False
    if isinstance(signature, str):
        try:
            signature = signature.encode("ascii")
        except UnicodeEncodeError:
            return False
    if not isinstance(signature, bytes):
        return False
    expected = sign(body, secret).encode("ascii")
    return hmac.compare_digest(expected, signature.strip().lower())


def parse_event(body: bytes, signature: str | bytes | None, *, secret: str | bytes) -> WebhookEvent:
    """Verify and parse a webhook request's raw body.

    Raises :class:`WebhookSignatureError` for a missing or wrong signature (checked before
    the body is looked at) and :class:`WebhookPayloadError` for a malformed body.
    """
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise WebhookPayloadError(f"the webhook body must be bytes, not {type(body).__name__}")
    if not verify_signature(bytes(body), signature, secret):
        raise WebhookSignatureError("the webhook's signature does not match its body")
    try:
        return _event_decoder.decode(body)
    except RecursionError:
        raise WebhookPayloadError("malformed webhook body: nested too deeply") from None
    except (msgspec.DecodeError, msgspec.ValidationError, ValueError) as exc:
        raise WebhookPayloadError(f"malformed webhook body: {exc}") from None


def aiohttp_handler(
    secret: str | bytes, on_event: Callable[[WebhookEvent], Awaitable[None]]
) -> Callable[[Any], Awaitable[Any]]:
    """An aiohttp request handler that verifies each webhook and awaits ``on_event``.

    Answers 200 once ``on_event`` returns, 401 for a bad signature and 400 for a malformed
    body (Piggy retries deliveries that do not get a 2xx)::

        app.router.add_post("/piggy/webhooks", aiohttp_handler(SECRET, handle_event))
    """
    from aiohttp import web

    key = _secret_bytes(secret)

    async def handler(request: web.Request) -> web.Response:
        body = await request.read()
        try:
            event = parse_event(body, request.headers.get(SIGNATURE_HEADER), secret=key)
        except WebhookSignatureError:
            return web.json_response({"error": "bad signature"}, status=401)
        except WebhookError:  # a signed body that is not a webhook event: never a 500
            return web.json_response({"error": "malformed body"}, status=400)
        await on_event(event)
        return web.json_response({"ok": True})

    return handler
