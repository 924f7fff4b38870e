"""The client's own aiohttp session: its connector and settings.

One way a server could make aiohttp hand back wrong answers is closed here (an answer sent
on an idle pooled connection), and the connector tells the read timeout's watchdog when an
attempt's new connection is open (:mod:`piggy_async._watchdog`).
"""

from __future__ import annotations

import inspect
from typing import Any

import aiohttp

from . import _lean, _watchdog

__all__ = ["new_session"]

_SESSION_PROXY = "proxy" in inspect.signature(aiohttp.ClientSession.__init__).parameters


def _proxy_settings(proxy: str | None) -> dict[str, Any]:
    if proxy is None:
        return {}
    if _SESSION_PROXY:  # aiohttp >= 3.10
        return {"proxy": proxy}
    return {"trust_env": True}  # pragma: no cover - older aiohttp


class _Connector(aiohttp.TCPConnector):
    """aiohttp's connector, minus one way a server can make it return wrong answers.

    aiohttp keeps parsing a pooled keep-alive connection while it is idle, and hands it out
    again without looking at what arrived meanwhile: an answer a server sends with no
    request outstanding would be taken as the answer of the next request on it, and every
    later answer there as the one of the request before (aio-libs/aiohttp#13656). A pooled
    connection that holds anything it was not asked for is closed here instead of reused.
    """

    def _get(self, key: Any, traces: Any) -> Any:
        pooled = self._conns.get(key)
        while pooled and _answered_unasked(pooled[0][0]):  # (the one aiohttp hands out next)
            pooled.popleft()[0].close()
        # aiohttp's coroutine, handed back (no frame of ours on it; exact arguments, no
        # super(): a plain pass-through cost 2 µs a call in this client's benchmark).
        return _TCP_GET(self, key, traces)

    async def _create_connection(self, req: Any, traces: Any, timeout: Any) -> Any:
        # A new connection (DNS, TCP, TLS) for a watched attempt: nothing of it can reach
        # Piggy until the connection is open, and its read timeout starts counting then.
        call = _watchdog.watched_call()
        if call is None:
            return await _TCP_CREATE(self, req, traces, timeout)
        call.sent = False
        proto = await _TCP_CREATE(self, req, traces, timeout)
        _watchdog.connection_opened(call)
        return proto


_TCP_GET = aiohttp.TCPConnector._get
_TCP_CREATE = aiohttp.TCPConnector._create_connection


def _answered_unasked(proto: Any) -> bool:
    """An idle connection that holds an answer (parsed: ``_buffer``) or bytes (``_tail``).

    (Cheaper than ``should_close``, a property of seven tests that cost 1 µs a call in this
    client's benchmark; a stray answer still short of its headers makes the next answer on
    the connection unreadable, a typed error, not a wrong one.)"""
    return bool(getattr(proto, "_buffer", None) or getattr(proto, "_tail", None))


def new_session(max_connections: int, proxy: str | None) -> aiohttp.ClientSession:
    """A session of the client's own (the async client's pool, the sync facade's loops):
    ``max_connections`` connections (a pooled one that received an answer nobody asked for
    is closed, not reused), no cookies, bodies inflated by ``_wire.read_decoded`` with a
    bound on the output, the proxy from the environment (None: none)."""
    session = aiohttp.ClientSession(
        connector=_Connector(limit=max_connections, limit_per_host=0, ttl_dns_cache=300),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
        raise_for_status=False,
        **_proxy_settings(proxy),
    )
    _lean.register(session, proxy)
    return session
