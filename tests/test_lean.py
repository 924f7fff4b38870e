"""The short way out (``piggy_async._lean``): when it is taken, and that it answers as
``session.request`` does (the wire's hostile-server modules run on both ways too)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import anyio
import pytest

from piggy_async import APIConnectionError, AsyncPiggy, Timeout, _lean

from .rawserver import CONTACT, RawRequest, RawServer, api_client, response

pytestmark = pytest.mark.timeout(30)


def test_taken_only_on_the_aiohttp_releases_it_mirrors() -> None:
    assert _lean._checked("3.14.0")
    assert _lean._checked("3.14.5")
    assert not _lean._checked("3.15.0")
    assert not _lean._checked("3.13.2")
    assert not _lean._checked("4.0.0a1")
    assert not _lean._checked("dev")
    assert aiohttp.__version__.startswith("3.14.") == _lean.ENABLED


def test_a_changed_signature_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    async def connect(self: Any, req: Any, traces: Any, limit: Any, extra: Any) -> None: ...

    monkeypatch.setattr(aiohttp.BaseConnector, "connect", connect)
    assert not _lean._checked("3.14.5")


@pytest.fixture
def starts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL of each attempt that took the short way."""
    seen: list[str] = []
    real = _lean.start

    async def start(session: Any, method: str, url: Any, *args: Any) -> Any:
        seen.append(f"{method} {url.name}")
        return await real(session, method, url, *args)

    monkeypatch.setattr(_lean, "start", start)
    return seen


@pytest.fixture
async def lean_srv() -> AsyncIterator[RawServer]:
    if not _lean.ENABLED:
        pytest.skip(f"aiohttp {aiohttp.__version__} takes session.request only")
    async with RawServer() as server:
        yield server


async def test_the_clients_own_session_takes_it(lean_srv: RawServer, starts: list[str]) -> None:
    async with api_client(lean_srv) as piggy:
        assert (await piggy.contacts.get("c-1")).uuid == "c-1"
        assert starts == ["GET c-1"]
        # an overall deadline is aiohttp's total timeout: session.request keeps it
        bounded = piggy.with_options(timeout=Timeout(total=10))
        assert (await bounded.contacts.get("c-1")).uuid == "c-1"
    assert starts == ["GET c-1"]
    assert lean_srv.count("/contacts/c-1") == 2


async def test_a_users_session_and_a_proxy_do_not(lean_srv: RawServer, starts: list[str]) -> None:
    async with aiohttp.ClientSession() as session:
        async with AsyncPiggy(api_key="k", base_url=lean_srv.base_url, session=session) as piggy:
            assert (await piggy.contacts.get("c-1")).uuid == "c-1"
        assert not _lean.is_lean(session, aiohttp.ClientTimeout(total=None))
    own = aiohttp.ClientSession(auto_decompress=False)
    try:
        _lean.register(own, "http://proxy.invalid:3128")
        assert not _lean.is_lean(own, aiohttp.ClientTimeout(total=None))
        _lean.register(own, None)
        assert _lean.is_lean(own, aiohttp.ClientTimeout(total=None))
        assert not _lean.is_lean(own, aiohttp.ClientTimeout(total=5))
    finally:
        await own.close()
    assert starts == []


def _closing_reused(srv: RawServer) -> Any:
    """Answers a connection's first request; a second one on it finds the server gone (a
    keep-alive connection it had closed in the meantime)."""
    served: list[asyncio.StreamWriter] = []  # kept alive: an id() could be reused

    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        if any(w is writer for w in served):
            writer.transport.abort()
            return
        served.append(writer)
        writer.write(response(201 if request.method == "POST" else 200, CONTACT))

    return handler


@pytest.mark.usefixtures("wire_path")
async def test_a_reused_connection_the_server_closed_is_tried_once_more(srv: RawServer) -> None:
    # aiohttp sends an idempotent request again on a fresh connection when the pooled one
    # turns out closed, without it counting as an attempt (max_retries=0 here): so does the
    # short way. A POST is not sent again: its outcome is unknown.
    srv.handler = _closing_reused(srv)
    with anyio.fail_after(10):
        async with api_client(srv, max_retries=0) as piggy:
            assert (await piggy.contacts.get("c-1")).uuid == "c-1"
            assert (await piggy.contacts.get("c-1")).uuid == "c-1"
            assert srv.count("/contacts/c-1") == 3  # the second on a fresh connection
            with pytest.raises(APIConnectionError) as caught:
                await piggy.contacts.create(email="jane@example.com")
            assert caught.value.outcome_unknown
            assert srv.count("/contacts") == 4  # sent once
            assert (await piggy.contacts.get("c-1")).uuid == "c-1"


@pytest.mark.usefixtures("wire_path")
async def test_a_closed_session_is_aiohttps_error(srv: RawServer) -> None:
    from piggy_async import _wire

    async with aiohttp.ClientSession(auto_decompress=False) as session:
        _lean.register(session, None)
    call = _wire.Call("GET", srv.base_url + "/contacts/c-1", "/contacts/c-1", None, None)
    timeout = aiohttp.ClientTimeout(total=None)
    with pytest.raises(RuntimeError, match="Session is closed"):
        await _wire.send(session, call, {}, timeout, 1000)
    assert srv.count() == 0
