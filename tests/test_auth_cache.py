"""The OAuth token cache on its own: freshness at the renewal instant, one flight shared by
every waiter, a failure seen by every waiter and retrieved even when all gave up, and a
flight stopped when the client closes. A fake clock; no server."""

from __future__ import annotations

import asyncio
import gc

import pytest

from piggy_async._auth import ClientCredentialsAuth
from piggy_async.errors import APIConnectionError, PiggyError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_token_is_renewed_at_its_renewal_instant_not_after() -> None:
    clock = Clock()
    auth = ClientCredentialsAuth("id", "secret", clock=clock)
    fetched: list[str] = []

    async def fetch(client_id: str, secret: str) -> tuple[str, float]:
        fetched.append(f"t{len(fetched)}")
        return fetched[-1], 600.0  # renewed 60 s early: at now + 540

    assert await auth.header(fetch) == "Bearer t0"
    assert await auth.header(fetch) == "Bearer t0"  # cached: no second request
    assert fetched == ["t0"]
    clock.now += 539.999
    assert auth.cached_header() == "Bearer t0"
    clock.now = 1000.0 + 540.0
    assert auth.cached_header() is None  # due exactly now
    assert await auth.header(fetch) == "Bearer t1"
    auth.invalidate("Bearer t1")
    assert auth.cached_header() is None


async def test_every_waiter_shares_one_flight_and_its_failure() -> None:
    auth = ClientCredentialsAuth("id", "secret", clock=Clock())
    started = 0
    release = asyncio.Event()

    async def fetch(client_id: str, secret: str) -> tuple[str, float]:
        nonlocal started
        started += 1
        await release.wait()
        raise APIConnectionError("token endpoint down", method="POST", url="https://x/token")

    waiters = [asyncio.ensure_future(auth.header(fetch)) for _ in range(20)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.wait_for(asyncio.gather(*waiters, return_exceptions=True), 5)
    assert started == 1
    assert all(isinstance(r, APIConnectionError) for r in results)
    assert len({id(r) for r in results}) == 20  # each waiter has its own copy


async def test_a_failed_flight_nobody_waits_for_any_more_is_still_retrieved() -> None:
    auth = ClientCredentialsAuth("id", "secret", clock=Clock())
    loop = asyncio.get_running_loop()
    reported: list[str] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context["message"]))
    fail = asyncio.Event()

    async def fetch(client_id: str, secret: str) -> tuple[str, float]:
        await fail.wait()
        raise APIConnectionError("down", method="POST", url="https://x/token")

    with pytest.raises(asyncio.TimeoutError):
        await auth.header(fetch, wait=0.01)  # the only waiter gives up
    fail.set()
    for _ in range(5):
        await asyncio.sleep(0)
    gc.collect()
    await asyncio.sleep(0)
    assert reported == []  # no "Task exception was never retrieved", no callback error


async def test_closing_stops_the_flight_and_a_done_one_is_left_alone() -> None:
    auth = ClientCredentialsAuth("id", "secret", clock=Clock())
    hold = asyncio.Event()

    async def fetch(client_id: str, secret: str) -> tuple[str, float]:
        await hold.wait()
        return "t", 600.0

    waiter = asyncio.ensure_future(auth.header(fetch))
    await asyncio.sleep(0)
    auth.cancel_flight()
    with pytest.raises((asyncio.CancelledError, PiggyError)):
        await asyncio.wait_for(waiter, 5)
    # A finished flight is not touched: its token stays.
    hold.set()
    assert await asyncio.wait_for(auth.header(fetch), 5) == "Bearer t"
    auth.cancel_flight()
    assert auth.cached_header() == "Bearer t"
