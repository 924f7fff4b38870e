"""Bulk runs against a rate-limited model Piggy (tests/ratelimited_server.py, real sockets).

Small N, generous bounds, no timing assertions: what is checked is completeness, order,
how many requests and 429s the server saw, and the most requests it had in flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import anyio
import pytest

from piggy_async import (
    APIConnectionError,
    AsyncPiggy,
    AuthenticationError,
    BulkRun,
    Contact,
    ContactNotFoundError,
    RateLimitError,
)
from piggy_async._bulk_limits import ITEM_RETRY_CAP, RUN_PAUSE_CAP

from .conftest import SleepRecorder
from .ratelimited_server import API_KEY, FixedWindow, RateLimitedPiggy, TokenBucket


def client(server: RateLimitedPiggy, **options: object) -> AsyncPiggy:
    return AsyncPiggy(api_key=API_KEY, base_url=server.base_url, **options)  # type: ignore[arg-type]


def inputs(n: int, unknown_every: int = 0) -> list[str]:
    return [
        f"unknown-{i}" if unknown_every and i % unknown_every == 0 else f"c-{i:05d}"
        for i in range(n)
    ]


def bulk_tasks_left() -> list[asyncio.Task[object]]:
    return [
        t
        for t in asyncio.all_tasks()
        if not t.done() and getattr(t.get_coro(), "__qualname__", "") in ("_worker", "State._due")
    ]


@pytest.mark.parametrize(
    "limit", [TokenBucket(150, 10), FixedWindow(60, 0.5)], ids=["token-bucket", "fixed-window"]
)
async def test_complete_in_order_and_429_items_retried(limit: TokenBucket | FixedWindow) -> None:
    uuids = inputs(240, unknown_every=20)
    with anyio.fail_after(60):
        async with (
            RateLimitedPiggy(limit, latency=(0.002, 0.01)) as server,
            client(server) as piggy,
        ):
            run = piggy.contacts.get_many(uuids, concurrency=16)
            results = await run.collect()
    assert [r.input for r in results] == uuids
    for r in results:
        if r.input.startswith("unknown"):
            assert isinstance(r.error, ContactNotFoundError)  # 400 + 55031, per item
        else:
            assert isinstance(r.value, Contact)
            assert r.value.uuid == r.input
    assert server.count(429) > 0  # the limit was reached...
    assert not any(isinstance(r.error, RateLimitError) for r in results)  # ...and no item lost
    assert server.count(200) + server.count(400) == len(uuids)  # each answered exactly once
    assert run.limiter.rate is not None  # it learned a pace...
    assert run.limiter.waited > 0  # ...and kept it
    assert server.peak <= 16


async def test_max_rate_keeps_429s_under_one_percent() -> None:
    uuids = inputs(150)
    with anyio.fail_after(60):
        async with (
            RateLimitedPiggy(TokenBucket(100, 10), latency=(0.002, 0.01)) as server,
            client(server, max_rate=100) as piggy,
        ):
            # A single call and a bulk run share the client's budget.
            await piggy.contacts.get(uuids[0])
            results = await piggy.contacts.get_many(uuids[1:], concurrency=32).collect()
    assert all(r.ok for r in results)
    assert server.count(429) <= len(server.seen) // 100


async def test_retry_after_is_capped(sleeps: SleepRecorder) -> None:
    uuids = inputs(30)
    forced: dict[str, list[tuple[int, str | None]]] = {uuids[3]: [(429, "1000000000")]}
    with anyio.fail_after(30):
        async with RateLimitedPiggy(None, forced=forced) as server, client(server) as piggy:
            piggy._transport.sleep = sleeps
            results = await piggy.contacts.get_many(uuids, concurrency=1).collect()
    assert all(r.ok for r in results)  # the item was retried, not lost
    assert len(server.seen) == 31
    assert sleeps.calls  # it did wait...
    assert max(sleeps.calls) <= max(ITEM_RETRY_CAP, RUN_PAUSE_CAP)  # ...never uncapped
    assert ITEM_RETRY_CAP in sleeps.calls  # the item waited its capped Retry-After


async def test_limiter_bounds_in_flight_including_retries() -> None:
    uuids = inputs(80)
    # Every item is refused once (Retry-After: 1) before it is answered: a herd of retries.
    forced: dict[str, list[tuple[int, str | None]]] = {u: [(429, "1")] for u in uuids}
    recorder = SleepRecorder()
    with anyio.fail_after(60):
        async with (
            RateLimitedPiggy(None, forced=forced, latency=(0.005, 0.02)) as server,
            client(server) as piggy,
        ):
            piggy._transport.sleep = recorder
            run = piggy.contacts.get_many(uuids, concurrency=6)
            results = await run.collect()
    assert all(r.ok for r in results)
    assert len(server.seen) == 160
    assert 1 < server.peak <= 6  # retries waited at the run's limiter like new calls
    assert run.limiter.peak <= 6


async def test_not_found_items_are_not_pushback() -> None:
    uuids = inputs(100, unknown_every=2)
    with anyio.fail_after(30):
        async with RateLimitedPiggy(None) as server, client(server) as piggy:
            run = piggy.contacts.get_many(uuids, concurrency=8)
            results = await run.collect()
    assert sum(isinstance(r.error, ContactNotFoundError) for r in results) == 50
    assert run.limiter.pushbacks == 0
    assert run.limiter.rate is None  # not slowed down by answers about the items themselves
    assert len(server.seen) == 100


async def test_wrong_key_ends_the_run_at_once() -> None:
    with anyio.fail_after(30):
        async with (
            RateLimitedPiggy(None) as server,
            AsyncPiggy(api_key="wrong", base_url=server.base_url) as piggy,
        ):
            run = piggy.contacts.get_many(inputs(500), concurrency=8)
            with pytest.raises(AuthenticationError):
                await run.collect()
            await run.aclose()
            assert bulk_tasks_left() == []
    assert len(server.seen) <= 8  # one wave, not 500 items, no retries


async def test_unreachable_host_ends_the_run(sleeps: SleepRecorder) -> None:
    async with RateLimitedPiggy(None) as server:
        base_url = server.base_url
    # the port is closed now: every connection is refused
    with anyio.fail_after(30):
        async with AsyncPiggy(api_key=API_KEY, base_url=base_url) as piggy:
            piggy._transport.sleep = sleeps
            run = piggy.contacts.get_many(inputs(2000), concurrency=4)
            with pytest.raises(APIConnectionError):
                await run.collect()
            await run.aclose()
    assert len(sleeps.calls) < 40  # a handful of retries, not 2,000 items' worth


class Boom(Exception):
    pass


async def count_until_error(run: BulkRun[str, Contact]) -> tuple[int, BaseException | None]:
    got = 0
    try:
        async for _ in run:
            got += 1
    except Boom as exc:
        return got, exc
    return got, None


async def test_raising_progress_callbacks_end_the_run() -> None:
    def sync_callback(done: int, total: int | None, errors: int) -> None:
        if done == 5:
            raise Boom("sync callback")

    async def async_callback(done: int, total: int | None, errors: int) -> None:
        await asyncio.sleep(0)
        if done == 7:
            raise Boom("async callback")

    with anyio.fail_after(30):
        async with RateLimitedPiggy(None) as server, client(server) as piggy:
            for callback, text in ((sync_callback, "sync"), (async_callback, "async")):
                run = piggy.contacts.get_many(inputs(100), on_progress=callback)
                with pytest.raises(Boom, match=text):
                    await run.collect()
                await run.aclose()
                assert bulk_tasks_left() == []
                assert run.done in (5, 7)


async def test_raising_inputs_end_the_run() -> None:
    def sync_source() -> Iterator[str]:
        yield from inputs(10)
        raise Boom("sync input")

    async def async_source() -> AsyncIterator[str]:
        for u in inputs(10):
            yield u
        raise Boom("async input")

    with anyio.fail_after(30):
        async with RateLimitedPiggy(None) as server, client(server) as piggy:
            for source, text in ((sync_source(), "sync"), (async_source(), "async")):
                run = piggy.contacts.get_many(source)
                got, error = await count_until_error(run)
                assert got == 10  # everything before the failure was delivered...
                assert isinstance(error, Boom)  # ...then the input's own error
                assert text in str(error)
                await run.aclose()
                assert bulk_tasks_left() == []


async def test_a_sync_input_is_read_off_the_event_loop() -> None:
    loop = asyncio.get_running_loop()

    def source() -> Iterator[int]:
        for i in range(3):
            # Needs the loop to run meanwhile: on the loop's own thread this would deadlock.
            yield asyncio.run_coroutine_threadsafe(asyncio.sleep(0, result=i), loop).result(10)

    async def identity(x: int) -> int:
        return x

    with anyio.fail_after(30):
        results = await BulkRun(identity, source(), concurrency=2).collect()
    assert [r.value for r in results] == [0, 1, 2]


async def test_unordered_delivery_does_not_wait_for_a_slow_item() -> None:
    released = asyncio.Event()

    async def lookup(i: int) -> int:
        if i == 0:
            await released.wait()
        elif i == 5:
            released.set()
        return i

    with anyio.fail_after(30):
        unordered = await BulkRun(lookup, range(20), concurrency=4, ordered=False).collect()
        released.clear()
        ordered = await BulkRun(lookup, range(20), concurrency=4, window=8).collect()
    assert sorted(r.index for r in unordered) == list(range(20))
    assert all(r.value == r.index for r in unordered)
    assert [r.index for r in unordered].index(0) > [r.index for r in unordered].index(5)
    assert [r.index for r in ordered] == list(range(20))
