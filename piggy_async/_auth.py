"""Credentials: a fixed API key, or OAuth2 client credentials with a cached token.

The token is fetched on first use, kept until ``TOKEN_RENEW_MARGIN`` seconds before Piggy
says it expires, and fetched by one request at a time however many calls wait for it; a
failed request fails every call that waited for it (each then retries or not on its own).
Secrets live in private attributes and never appear in a repr.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import time
from collections.abc import Awaitable, Callable

from . import _config
from .errors import PiggyError

__all__ = ["ApiKeyAuth", "ClientCredentialsAuth", "Token"]


class Token:
    """An access token and the monotonic time at which it should be renewed."""

    __slots__ = ("_value", "renew_at")

    def __init__(self, value: str, expires_in: float, now: float) -> None:
        self._value = value
        margin = min(_config.TOKEN_RENEW_MARGIN, expires_in / 10)
        self.renew_at = now + max(0.0, expires_in - margin)

    @property
    def header(self) -> str:
        return f"Bearer {self._value}"

    def __repr__(self) -> str:
        return "Token(<redacted>)"


class ApiKeyAuth:
    """A personal access token sent as ``Authorization: Bearer <key>``."""

    __slots__ = ("_header",)
    kind = "api_key"

    def __init__(self, api_key: str) -> None:
        self._header = f"Bearer {api_key}"

    @property
    def static_header(self) -> str | None:
        return self._header

    def __repr__(self) -> str:
        return "ApiKeyAuth(<redacted>)"


FetchToken = Callable[[str, str], Awaitable[tuple[str, float]]]


def _retrieve(flight: asyncio.Task[str]) -> None:
    """Mark a flight's failure as seen even when every waiter gave up waiting for it."""
    if not flight.cancelled():
        flight.exception()


class ClientCredentialsAuth:
    """OAuth2 client credentials; the token cache is shared by ``with_options`` copies.

    At most one token request is in flight per client: every call that needs a token while
    it flies waits for it and gets its outcome, a token or (a copy of) its error. Each
    waiter waits at most its own deadline; the request itself is not cut by one waiter
    giving up.
    """

    __slots__ = ("_client_id", "_client_secret", "_flight", "_token", "clock")
    kind = "client_credentials"
    static_header = None

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._token: Token | None = None
        self._flight: asyncio.Task[str] | None = None
        self.clock = clock

    def __repr__(self) -> str:
        return "ClientCredentialsAuth(<redacted>)"

    def cached_header(self) -> str | None:
        """The current token's header if it is still fresh, else None."""
        token = self._token
        if token is not None and self.clock() < token.renew_at:
            return token.header
        return None

    async def header(self, fetch: FetchToken, wait: float | None = None) -> str:
        """A fresh ``Bearer`` header: the cached token, or the outcome of the one token
        request in flight (started if none is). ``asyncio.TimeoutError`` after ``wait``
        seconds (None: no limit); a failed request's error is raised to every waiter."""
        cached = self.cached_header()
        if cached is not None:
            return cached
        loop = asyncio.get_running_loop()
        flight = self._flight
        if flight is None or flight.done() or flight.get_loop() is not loop:
            flight = loop.create_task(self._fly(fetch))
            flight.add_done_callback(_retrieve)
            self._flight = flight
        try:
            if wait is None:
                return await asyncio.shield(flight)
            # (not wait_for: on 3.11 it drops a cancel that lands as the flight ends)
            done, _ = await asyncio.wait({flight}, timeout=wait)
            if not done:
                raise asyncio.TimeoutError
            return flight.result()
        except PiggyError as err:
            raise copy.copy(err) from None  # each waiter annotates its own copy

    async def _fly(self, fetch: FetchToken) -> str:
        value, expires_in = await fetch(self._client_id, self._client_secret)
        self._token = Token(value, expires_in, self.clock())
        return self._token.header

    def cancel_flight(self) -> None:
        """Stop a token request in flight (the client is closing)."""
        flight = self._flight
        if flight is not None and not flight.done():
            with contextlib.suppress(RuntimeError):  # its loop is already closed
                flight.cancel()

    def invalidate(self, header: str) -> None:
        """Forget the token behind ``header`` (Piggy refused it) so the next call fetches."""
        if self._token is not None and self._token.header == header:
            self._token = None
