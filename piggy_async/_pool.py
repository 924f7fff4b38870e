"""The connection pool: the aiohttp session shared by a client and its ``with_options`` copies.

Created lazily inside the running loop. A session the user passed in is used as is and never
closed by us. In a child process after ``fork()`` a session of ours is replaced.
"""

from __future__ import annotations

import asyncio
import os

import aiohttp

from .errors import ConfigurationError

__all__ = ["Pool", "fork_generation"]

_fork_generation = 0


def _after_fork_in_child() -> None:
    global _fork_generation
    _fork_generation += 1


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def fork_generation() -> int:
    """Bumped in a child process after ``os.fork()``: state from before is the parent's."""
    return _fork_generation


def _abandon(session: aiohttp.ClientSession) -> None:
    """Forget a session inherited through fork() without touching its (parent's) loop.

    Its sockets belong to the parent's connections: nothing may be sent on them, so the
    session is detached and its connector marked closed (no "Unclosed ..." warnings later).
    """
    connector = session.connector
    session.detach()
    if connector is not None:
        connector._closed = True  # aiohttp has no public "forget" for a forked connector


class Pool:
    """The aiohttp session behind a client and every ``with_options`` copy of it."""

    def __init__(self, session: aiohttp.ClientSession | None, max_connections: int) -> None:
        self._session = session
        self.owned = session is None
        self.max_connections = max_connections
        self.closed = False
        self._generation = _fork_generation

    def get(self) -> aiohttp.ClientSession:
        session = self._session
        if session is not None and self._generation == _fork_generation and not session.closed:
            return session
        if session is not None and self._generation != _fork_generation:
            if not self.owned:
                raise ConfigurationError(
                    "the aiohttp session passed to the client was inherited through fork(); "
                    "give the client in the child process a session of its own"
                )
            _abandon(session)
            self._session = None
        self._generation = _fork_generation
        if self.closed:
            raise ConfigurationError("this Piggy client has been closed")
        if not self.owned:
            raise ConfigurationError("the aiohttp session passed to the client is closed")
        try:
            asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - only reachable from sync misuse
            raise ConfigurationError("the async client must be used inside an event loop") from None
        connector = aiohttp.TCPConnector(
            limit=self.max_connections, limit_per_host=0, ttl_dns_cache=300
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=True,
            raise_for_status=False,
            trust_env=True,  # HTTP(S)_PROXY, NO_PROXY (and ~/.netrc) as every HTTP tool does
        )
        return self._session

    async def aclose(self) -> None:
        self.closed = True
        session, self._session = self._session, None
        if session is not None and self.owned and not session.closed:
            await session.close()
