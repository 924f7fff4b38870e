"""Credentials: a fixed API key, or OAuth2 client credentials with a cached token.

The token is fetched on first use, kept until ``TOKEN_RENEW_MARGIN`` seconds before Piggy
says it expires, and fetched by one request at a time however many calls wait for it.
Secrets live in private attributes and never appear in a repr.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from . import _config

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


class ClientCredentialsAuth:
    """OAuth2 client credentials; the token cache is shared by ``with_options`` copies."""

    __slots__ = ("_client_id", "_client_secret", "_lock", "_lock_loop", "_token", "clock")
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
        self._lock: asyncio.Lock | None = None
        self._lock_loop: asyncio.AbstractEventLoop | None = None
        self.clock = clock

    def __repr__(self) -> str:
        return "ClientCredentialsAuth(<redacted>)"

    def cached_header(self) -> str | None:
        """The current token's header if it is still fresh, else None."""
        token = self._token
        if token is not None and self.clock() < token.renew_at:
            return token.header
        return None

    async def header(self, fetch: FetchToken) -> str:
        """A fresh ``Bearer`` header, fetching a token (once, for all waiters) if needed."""
        cached = self.cached_header()
        if cached is not None:
            return cached
        loop = asyncio.get_running_loop()
        if self._lock is None or self._lock_loop is not loop:
            # One lock per loop: a client may outlive its loop (a forked child, a new portal).
            self._lock, self._lock_loop = asyncio.Lock(), loop
        async with self._lock:
            cached = self.cached_header()
            if cached is not None:
                return cached
            value, expires_in = await fetch(self._client_id, self._client_secret)
            self._token = Token(value, expires_in, self.clock())
            return self._token.header

    def invalidate(self, header: str) -> None:
        """Forget the token behind ``header`` (Piggy refused it) so the next call fetches."""
        if self._token is not None and self._token.header == header:
            self._token = None
