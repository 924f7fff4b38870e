"""Async services (issue 21) against a raw loopback server that is not the project's fake:
the pool timeout, honest ``outcome_unknown``, close with calls in flight, trio.

Bounds on seconds are generous (the machine is shared); every test is bounded in time.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from piggy_async import (
    APIConnectionError,
    AsyncPiggy,
    ClientClosedError,
    ConfigurationError,
    MaintenanceError,
    PoolTimeoutError,
    Timeout,
)

from .rawserver import CONTACT, RawRequest, RawServer, response


async def no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


def slow(seconds: float, body: dict[str, Any] = CONTACT) -> Any:
    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(seconds)
        writer.write(response(200, body))

    return handler


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(2000):  # at most ~10 s
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the server never saw the expected requests")


async def timed(call: Awaitable[Any]) -> tuple[Any, float]:
    started = time.monotonic()
    try:
        result: Any = await call
    except Exception as exc:
        result = exc
    return result, time.monotonic() - started


# -- the pool timeout ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_busy_pool_fails_with_pool_timeout_error_and_nothing_sent(
    srv: RawServer, method: str
) -> None:
    srv.handler = slow(5.0)
    async with AsyncPiggy(
        api_key="k", base_url=srv.base_url, timeout=0.5, max_connections=1
    ) as piggy:
        piggy._transport.sleep = no_wait
        patient = piggy.with_options(timeout=30)  # same pool, holds its only connection
        busy = asyncio.create_task(patient.contacts.get("c-1"))
        await until(lambda: srv.count() == 1)
        call = (
            piggy.contacts.get("c-2")
            if method == "GET"
            else piggy.contacts.create(email="x@example.com")
        )
        with anyio.fail_after(10):
            err, elapsed = await timed(call)
        assert isinstance(err, PoolTimeoutError), err
        assert "no free connection within 0.5 s (pool of 1 busy)" in str(err)
        assert not err.request_sent
        assert not err.outcome_unknown  # Piggy received nothing
        assert err.attempts == 1  # a busy pool is not retried
        assert 0.4 <= elapsed < 1.5  # timeout=0.5 bounds the pool wait (generous upper bound)
        assert srv.count() == 1  # only the call that held the connection reached the server
        busy.cancel()
        with pytest.raises(asyncio.CancelledError):
            await busy
        srv.handler = slow(0.0)
        with anyio.fail_after(10):
            assert (await piggy.contacts.get("c-1")).uuid == "c-1"


def _refused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed on exit: nothing listens there


async def test_refused_post_never_left_so_it_is_retried_and_not_in_doubt() -> None:
    base = f"http://127.0.0.1:{_refused_port()}/api"
    async with AsyncPiggy(api_key="k", base_url=base) as piggy:
        piggy._transport.sleep = no_wait
        with anyio.fail_after(10):
            err, _ = await timed(piggy.contacts.create(email="x@example.com"))
    assert isinstance(err, APIConnectionError), err
    assert not err.request_sent
    assert not err.outcome_unknown
    assert err.attempts == 3


async def test_post_that_reached_the_server_is_in_doubt(srv: RawServer) -> None:
    async def hang_up(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.close()

    srv.handler = hang_up
    async with AsyncPiggy(api_key="k", base_url=srv.base_url) as piggy:
        piggy._transport.sleep = no_wait
        with anyio.fail_after(10):
            err, _ = await timed(piggy.contacts.create(email="x@example.com"))
    assert isinstance(err, APIConnectionError), err
    assert err.outcome_unknown  # bytes reached Piggy: it may have processed them
    assert err.attempts == 1
    assert srv.count("/contacts") == 1


# -- closing with calls in flight --------------------------------------------------------------


async def test_aclose_cuts_calls_after_the_grace_period_and_retries_none(srv: RawServer) -> None:
    srv.handler = slow(30.0)
    piggy = AsyncPiggy(api_key="k", base_url=srv.base_url, close_grace=0.3)
    piggy._transport.sleep = no_wait
    calls = [asyncio.create_task(piggy.contacts.get(f"c-{i}")) for i in range(5)]
    await until(lambda: srv.count() == 5)
    with anyio.fail_after(10):
        _, closing = await timed(piggy.aclose())
        results = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(r, ClientClosedError) for r in results), results
    assert "grace period of 0.3 s" in str(results[0])
    assert closing < 3.0  # grace 0.3 s, then cancelled (generous bound)
    assert srv.count() == 5  # none retried
    with anyio.fail_after(10):
        err, _ = await timed(piggy.contacts.get("c-1"))
    assert isinstance(err, ClientClosedError)
    assert srv.count() == 5  # refused at once, nothing sent


async def test_aclose_lets_calls_in_flight_finish_within_the_grace(srv: RawServer) -> None:
    srv.handler = slow(0.2)
    piggy = AsyncPiggy(api_key="k", base_url=srv.base_url, close_grace=10)
    calls = [asyncio.create_task(piggy.contacts.get("c-1")) for _ in range(3)]
    await until(lambda: srv.count() == 3)
    with anyio.fail_after(10):
        await piggy.aclose()
        results = await asyncio.gather(*calls)
    assert [c.uuid for c in results] == ["c-1"] * 3
    assert srv.count() == 3


async def test_aclose_ends_a_retry_wait_at_once_without_retrying(srv: RawServer) -> None:
    srv.handler = _answer(response(503, b"{}"))
    waiting = asyncio.Event()

    async def long_wait(seconds: float) -> None:
        waiting.set()
        await asyncio.sleep(60)

    piggy = AsyncPiggy(api_key="k", base_url=srv.base_url, close_grace=30)
    piggy._transport.sleep = long_wait
    call = asyncio.create_task(piggy.contacts.get("c-1"))
    with anyio.fail_after(10):
        await waiting.wait()
        _, closing = await timed(piggy.aclose())
        err, _ = await timed(call)
    assert isinstance(err, ClientClosedError), err
    assert "not retried" in str(err)
    assert isinstance(err.__cause__, MaintenanceError)
    assert closing < 5.0  # not the 30 s grace: a call waiting to retry ends at once
    assert srv.count() == 1


def _answer(raw: bytes) -> Any:
    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(raw)

    return handler


async def test_total_timeout_covers_retries_and_waits(srv: RawServer) -> None:
    srv.handler = _answer(response(503, b"{}", {"Retry-After": "0.2"}))
    timeout = Timeout(connect=5, read=5, total=0.5)
    async with AsyncPiggy(
        api_key="k", base_url=srv.base_url, timeout=timeout, max_retries=50
    ) as piggy:
        with anyio.fail_after(10):
            err, elapsed = await timed(piggy.contacts.get("c-1"))
    assert isinstance(err, MaintenanceError), err
    assert elapsed < 3.0  # 50 retries of 0.2 s would be 10 s
    assert 1 <= srv.count() <= 4


# -- outside asyncio -----------------------------------------------------------------------------


async def test_under_trio_the_first_call_names_cause_and_way_out(srv: RawServer) -> None:
    pytest.importorskip("trio")
    piggy = AsyncPiggy(api_key="k", base_url=srv.base_url)

    async def main() -> None:
        await piggy.contacts.get("c-1")

    def run_under_trio() -> BaseException | None:
        try:
            anyio.run(main, backend="trio")
        except BaseException as exc:  # what the user would see
            return exc
        return None

    with anyio.fail_after(20):
        err = await asyncio.to_thread(run_under_trio)
    assert isinstance(err, ConfigurationError), err
    assert "trio" in str(err)
    assert "asyncio" in str(err)
    assert "trio-asyncio" in str(err)
    assert srv.count() == 0


# -- per-call options are cheap ----------------------------------------------------------------


async def test_with_options_builds_nothing_until_used(srv: RawServer) -> None:
    async with AsyncPiggy(api_key="k", base_url=srv.base_url) as piggy:
        quick = piggy.with_options(timeout=2)
        assert set(vars(quick)) == {"_transport", "_owns_pool", "_copies"}  # no 34 resources
        assert quick._transport.pool is piggy._transport.pool
        assert piggy.with_options(timeout=2) is quick  # the same settings: the same copy
        assert piggy.with_options(timeout=3) is not quick
        with anyio.fail_after(10):
            assert (await quick.contacts.get("c-1")).uuid == "c-1"
        assert quick.timeout == Timeout(connect=2, read=2, pool=2)


async def test_two_concurrent_acloses_share_the_grace_period(srv: RawServer) -> None:
    srv.handler = slow(30.0)
    piggy = AsyncPiggy(api_key="k", base_url=srv.base_url, close_grace=0.3)
    calls = [asyncio.create_task(piggy.contacts.get("c-1")) for _ in range(2)]
    await until(lambda: srv.count() == 2)
    with anyio.fail_after(10):
        _, closing = await timed(asyncio.gather(piggy.aclose(), piggy.aclose()))
        results = await asyncio.gather(*calls, return_exceptions=True)
    assert all(isinstance(r, ClientClosedError) for r in results), results
    assert closing < 3.0  # both end with the one grace period (generous bound)
    assert srv.count() == 2


async def test_pool_slots_are_handed_over_in_order_and_never_leak(srv: RawServer) -> None:
    srv.handler = slow(0.05)
    async with AsyncPiggy(api_key="k", base_url=srv.base_url, max_connections=1) as piggy:
        with anyio.fail_after(10):
            contacts = await asyncio.gather(*(piggy.contacts.get("c-1") for _ in range(5)))
        assert [c.uuid for c in contacts] == ["c-1"] * 5
        assert srv.peak_in_flight == 1  # one connection, handed from call to call
        srv.handler = slow(5.0)
        busy = asyncio.create_task(piggy.contacts.get("c-1"))
        await until(lambda: srv.in_flight == 1)
        waiting = asyncio.create_task(piggy.contacts.get("c-2"))
        await asyncio.sleep(0.05)
        waiting.cancel()  # cancelled while waiting for a slot
        busy.cancel()
        for task in (waiting, busy):
            with pytest.raises(asyncio.CancelledError):
                await task
        pool = piggy._transport.pool
        assert pool.slots.free == 1  # every slot came back
        assert not pool.calls
        srv.handler = slow(0.0)
        with anyio.fail_after(10):
            assert (await piggy.contacts.get("c-3")).uuid == "c-1"
