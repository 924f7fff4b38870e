"""The connection pool's decisions a user meets: typed errors for a misused client (wrong
loop, closed or forked session, no loop at all), pool timeouts, and slots handed on."""

from __future__ import annotations

import asyncio
import collections
import sys

import aiohttp
import anyio
import pytest

from piggy_async import _pool
from piggy_async.errors import ClientClosedError, ConfigurationError, PoolTimeoutError
from piggy_async.testing import FakePiggy

URL = "https://api.piggy.eu/api/v3/oauth/clients/contacts"


def test_outside_any_loop_the_error_points_to_the_sync_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for trio_loaded in (False, True):
        if trio_loaded:
            pytest.importorskip("trio")  # imported, but not running: still "no loop"
        else:
            monkeypatch.delitem(sys.modules, "trio", raising=False)
        error = _pool.outside_asyncio_error()
        assert isinstance(error, ConfigurationError)
        assert "inside a running asyncio event loop" in str(error)
        assert "piggy_sync.Piggy" in str(error)


def test_a_pool_used_without_a_loop_raises_configuration_error() -> None:
    pool = _pool.Pool(None, 2)
    with pytest.raises(ConfigurationError, match="running asyncio event loop"):
        pool.get()


async def test_a_closed_session_of_the_user_is_a_configuration_error() -> None:
    async with FakePiggy(contacts=1) as fake:
        session = aiohttp.ClientSession()
        await session.close()
        client = fake.client(session=session)
        with pytest.raises(ConfigurationError, match="session passed to the client is closed"):
            await client.contacts.get(next(iter(fake.store.contacts)))
        await client.aclose()
        assert not fake.requests  # nothing was sent


async def test_a_closed_pool_creates_no_session() -> None:
    pool = _pool.Pool(None, 1)
    await pool.aclose()
    with pytest.raises(ClientClosedError, match="has been closed"):
        pool.get()


async def test_a_client_in_use_by_another_running_loop_is_refused() -> None:
    pool = _pool.Pool(None, 1)
    first = pool.get()
    errors: list[BaseException] = []

    def other_thread() -> None:
        async def use() -> None:
            pool.get()

        try:
            asyncio.run(use())
        except BaseException as exc:  # collected for the assertion below
            errors.append(exc)

    with anyio.fail_after(10):
        await asyncio.to_thread(other_thread)  # a second loop, while this one runs
    assert len(errors) == 1
    assert isinstance(errors[0], ConfigurationError)
    assert "in use by another running event loop" in str(errors[0])
    assert pool.get() is first  # still ours, in this loop
    await pool.aclose()
    assert first.closed


def test_outside_a_loop_the_session_of_a_closed_loop_is_still_visible() -> None:
    pool = _pool.Pool(None, 1)

    async def create() -> aiohttp.ClientSession:
        return pool.get()

    session = asyncio.run(create())
    assert pool.get() is session  # looked at from outside any loop: no new session

    async def again() -> tuple[aiohttp.ClientSession, aiohttp.ClientSession]:
        fresh = pool.get()  # a new loop: the old session is abandoned, a new one made
        try:
            return fresh, pool.get()
        finally:
            await pool.aclose()

    fresh, same = asyncio.run(again())
    assert fresh is same
    assert fresh is not session
    assert fresh.closed


async def test_after_fork_our_session_is_replaced_and_the_parents_calls_forgotten(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pool = _pool.Pool(None, 1)
    parent_session = pool.get()
    pool.calls[asyncio.current_task()] = object()  # type: ignore[index]
    monkeypatch.setattr(_pool, "_fork_generation", _pool.fork_generation() + 1)
    child_session = pool.get()
    assert child_session is not parent_session
    assert pool.calls == {}
    await pool.aclose()
    assert child_session.closed


async def test_after_fork_a_users_session_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    session = aiohttp.ClientSession()
    try:
        pool = _pool.Pool(session, 1)
        assert pool.get() is session
        monkeypatch.setattr(_pool, "_fork_generation", _pool.fork_generation() + 1)
        with pytest.raises(ConfigurationError, match="inherited through fork"):
            pool.get()
    finally:
        await session.close()


async def test_no_free_slot_and_no_wait_is_a_pool_timeout_at_once() -> None:
    pool = _pool.Pool(None, 1)
    await pool.slots.acquire(None, "GET", URL)
    for wait in (0, -1.0):
        with pytest.raises(PoolTimeoutError) as caught:
            await pool.slots.acquire(wait, "GET", URL)
        assert str(caught.value).startswith("no free connection within 0 s (pool of 1 busy)")
        assert caught.value.request_sent is False
        assert caught.value.method == "GET"
        assert caught.value.url == URL
        assert pool.slots.waiters == collections.deque()  # it did not queue: no wait at all


async def test_a_waiter_without_limit_gets_the_released_slot() -> None:
    pool = _pool.Pool(None, 1)
    await pool.slots.acquire(None, "GET", URL)
    waiting = asyncio.ensure_future(pool.slots.acquire(None, "GET", URL))
    await asyncio.sleep(0)
    assert not waiting.done()
    pool.slots.release()
    with anyio.fail_after(5):
        await waiting
    assert pool.slots.free == 0  # handed over, never counted free


async def test_a_slot_handed_to_a_cancelled_waiter_goes_to_the_next_one() -> None:
    pool = _pool.Pool(None, 1)
    await pool.slots.acquire(None, "GET", URL)
    first = asyncio.ensure_future(pool.slots.acquire(5.0, "GET", URL))
    second = asyncio.ensure_future(pool.slots.acquire(5.0, "GET", URL))
    await asyncio.sleep(0)
    pool.slots.release()  # the slot goes to `first` ...
    first.cancel()  # ... which is cancelled before it runs again
    with anyio.fail_after(5):
        with pytest.raises(asyncio.CancelledError):
            await first
        await second  # the slot was passed on, not lost
    assert pool.slots.free == 0
    pool.slots.release()
    assert pool.slots.free == 1


async def test_a_timer_firing_after_the_handover_keeps_the_slot() -> None:
    waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    waiter.set_result(None)
    _pool._expire(waiter)  # the wait's timer, firing late
    assert waiter.result() is None
