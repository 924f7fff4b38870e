"""The OAuth2 token request: client credentials in, an access token and its lifetime out.

One request on the wire (through the pool's connection slots); the sharing of one flight
among every call that needs a token is :class:`~piggy_async._auth.ClientCredentialsAuth`'s.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

import aiohttp
import msgspec

from . import _config, _policy, _wire
from ._attempt import answer_error
from ._decode import DECODE_FAILURES
from ._pool import Pool
from .errors import ResponseDecodeError

__all__ = ["fetch_token", "token_timeout"]

log = logging.getLogger("piggy_async")


class _TokenAnswer(msgspec.Struct):
    access_token: str
    expires_in: float = 3600.0
    token_type: str = "Bearer"

    def __post_init__(self) -> None:
        token = self.access_token
        if not token or not token.isascii() or not token.isprintable() or " " in token:
            # (it goes into a header: a line break there would be an injected header)
            raise ValueError("the access_token is not one header-safe word")


_token_decoder = msgspec.json.Decoder(_TokenAnswer)


def token_timeout(timeout: _config.Timeout) -> aiohttp.ClientTimeout:
    """A token request is bounded as a whole, even without ``total`` (a trickling server)."""
    total = timeout.total
    if total is None and timeout.connect is not None and timeout.read is not None:
        total = timeout.connect + timeout.read
    return aiohttp.ClientTimeout(
        total=total, connect=timeout.connect, sock_connect=timeout.connect, sock_read=timeout.read
    )


async def fetch_token(
    pool: Pool,
    url: str,
    headers: Mapping[str, str],
    timeout: _config.Timeout,
    limit: int,
    client_id: str,
    client_secret: str,
) -> tuple[str, float]:
    """POST the client credentials to ``url``; the token and its lifetime in seconds.

    Failures are typed like any call's (status classes, connection errors, a malformed or
    too large answer); the secret never appears in them.
    """
    session = pool.get()
    form = {
        "grant_type": "client_credentials",
        "client_id": client_id,
        "client_secret": client_secret,
    }
    call = _wire.Call("POST", url, _config.TOKEN_PATH, None, None, secret=client_secret)
    slots = pool.slots_here()
    await slots.acquire(_config.least(timeout.pool, timeout.total), "POST", url)
    try:
        answer = await _wire.send(session, call, headers, token_timeout(timeout), limit, form)
    except (aiohttp.ClientError, asyncio.TimeoutError) as exc:
        raise _policy.error_from_exception(exc, method="POST", url=url) from None
    finally:
        slots.release()
    log.debug("POST /oauth/token -> %d", answer.status)
    if not 200 <= answer.status < 300:
        raise answer_error(answer, call)  # with its RawResponse, as any call's
    try:
        token = _token_decoder.decode(answer.body)
    except DECODE_FAILURES:
        raise ResponseDecodeError(
            "the OAuth token endpoint did not answer a usable access_token (one word of "
            "visible ASCII, to go into the Authorization header)",
            method="POST",
            url=url,
            body=b"<redacted>",
        ) from None
    return token.access_token, token.expires_in
