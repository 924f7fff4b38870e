"""Hostile servers, OAuth part (issue 13 items 4-6): real sockets on 127.0.0.1.

One deadline covers the token fetch and the wait for it; the token flight is shared for
failure as for success (never two token requests at once); a token failure during a POST
is retried as the POST never left. Each test asserts the typed error, a bound (requests,
seconds: generous) and that the client works afterwards; each is bounded in time.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import anyio
import pytest

from piggy_async import APITimeoutError, InternalServerError, Timeout

from .rawserver import (
    CONTACT,
    RawRequest,
    RawServer,
    answer,
    oauth_client,
    response,
    silent,
    token_answers,
    works_afterwards,
)

# Every test here runs on both ways an attempt goes out (conftest's ``wire_path``).
pytestmark = pytest.mark.usefixtures("wire_path")

# -- 4. one deadline covers the OAuth token too ----------------------------------------------


async def _trickle(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
    for _ in range(600):
        writer.write(b"X-Pad: 1\r\n")
        await writer.drain()
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("token_endpoint", [silent, _trickle], ids=["silent", "trickle"])
async def test_total_timeout_bounds_the_token_fetch_and_its_wait(
    srv: RawServer, token_endpoint: Any
) -> None:
    srv.token_handler = token_endpoint
    async with oauth_client(srv, timeout=Timeout(connect=5, read=30, total=0.5)) as piggy:
        started = time.monotonic()
        with anyio.fail_after(10):
            results = await asyncio.gather(
                *(piggy.contacts.get("c-1") for _ in range(5)), return_exceptions=True
            )
        elapsed = time.monotonic() - started
        assert all(isinstance(r, APITimeoutError) for r in results), results
        assert all(not r.request_sent for r in results if isinstance(r, APITimeoutError))
        assert elapsed < 5.0  # total=0.5 (generous bound: the trickle alone would take 30 s)
        assert srv.count("/oauth/token") == 1  # the five waited for one shared flight
        assert srv.count("/contacts") == 0
        with anyio.fail_after(10):
            await works_afterwards(piggy, srv)


# -- 5. the token flight is shared, for failure as for success --------------------------------


async def test_token_failure_is_shared_by_every_waiter(srv: RawServer) -> None:
    async def failing(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(0.05)
        writer.write(response(500, {"message": "down"}))

    srv.token_handler = failing
    async with oauth_client(srv) as piggy:
        with anyio.fail_after(20):
            results = await asyncio.gather(
                *(piggy.contacts.get("c-1") for _ in range(50)), return_exceptions=True
            )
        assert all(isinstance(r, InternalServerError) for r in results), results[:3]
        assert srv.count("/oauth/token") <= 3  # one flight per attempt round, not 150
        assert srv.token_peak == 1  # never two token requests at once
        assert srv.count("/contacts") == 0
        with anyio.fail_after(10):
            await works_afterwards(piggy, srv)


async def test_revoked_token_is_fetched_again_once(srv: RawServer) -> None:
    srv.token_handler = token_answers("revoked", "fresh")

    async def api(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        if request.headers["authorization"] == "Bearer revoked":
            writer.write(response(401, {"message": "Unauthenticated."}))
        else:
            writer.write(response(200, CONTACT))

    srv.handler = api
    async with oauth_client(srv) as piggy:
        with anyio.fail_after(20):
            contacts = await asyncio.gather(*(piggy.contacts.get("c-1") for _ in range(100)))
        assert {c.uuid for c in contacts} == {"c-1"}
        assert srv.count("/oauth/token") == 2
        assert srv.token_peak == 1


# -- 6. a token failure during a POST: the POST never left --------------------------------------


async def test_token_failure_during_post_is_retried_and_not_in_doubt(srv: RawServer) -> None:
    tokens = token_answers("t1")
    failures = 1

    async def token(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        nonlocal failures
        if failures:
            failures -= 1
            writer.write(response(500, {"message": "down"}))
        else:
            await tokens(request, writer)

    srv.token_handler = token
    srv.handler = answer(response(200, {"data": {"uuid": "new"}}))
    async with oauth_client(srv) as piggy:
        with anyio.fail_after(10):
            created = await piggy.contacts.create(email="new@example.com")
        assert created.uuid == "new"
        assert srv.count("/oauth/token") == 2
        assert srv.count("/contacts") == 1

    srv.requests.clear()
    srv.token_handler = answer(response(500, {"message": "down"}))
    async with oauth_client(srv) as piggy:
        with anyio.fail_after(10):
            with pytest.raises(InternalServerError) as info:
                await piggy.contacts.create(email="new@example.com")
        assert not info.value.outcome_unknown
        assert "outcome unknown" not in str(info.value)
        assert info.value.attempts == 3
        assert srv.count("/contacts") == 0
        with anyio.fail_after(10):
            await works_afterwards(piggy, srv)
