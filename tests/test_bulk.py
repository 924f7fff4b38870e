"""Bulk lookups: order, bounded concurrency, adaptive back-off, laziness and cleanup."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator, Iterator

import pytest

from piggy_async import (
    AsyncPiggy,
    BulkResult,
    BulkRun,
    Contact,
    ContactNotFoundError,
    CreditBalance,
    InvalidArgumentError,
    RateLimitError,
)
from piggy_async._bulk import AdaptiveLimiter, aimd_decrease, aimd_increase
from piggy_async.testing import FakePiggy

from .conftest import SleepRecorder


def bulk_tasks_left() -> list[asyncio.Task[object]]:
    """Bulk item tasks still pending (the fake server's own handler tasks do not count)."""
    return [
        t
        for t in asyncio.all_tasks()
        if not t.done() and getattr(t.get_coro(), "__qualname__", "") == "_worker"
    ]


def max_overlap(fake: FakePiggy) -> int:
    """The most requests the fake server had in flight at once, from its log."""
    events = []
    for r in fake.requests:
        assert r.finished is not None
        events.append((r.started, 1))
        events.append((r.finished, -1))
    events.sort(key=lambda e: (e[0], e[1]))
    now = peak = 0
    for _, delta in events:
        now += delta
        peak = max(peak, now)
    return peak


# -- pure rules ----------------------------------------------------------------------------


def test_aimd_rules() -> None:
    assert aimd_decrease(16.0) == 8.0
    assert aimd_decrease(1.5) == 1.0
    assert aimd_increase(4.0, 16) == 4.25
    assert aimd_increase(16.0, 16) == 16.0
    limit = 1.0
    for _ in range(100):
        limit = aimd_increase(limit, 16)
    assert 13 < limit < 15  # about one slot per `limit` successes: grows like sqrt(2n)


async def test_limiter_one_decrease_per_round_and_pause() -> None:
    now = [100.0]
    limiter = AdaptiveLimiter(8, clock=lambda: now[0])
    for _ in range(8):
        await limiter.acquire()
    assert limiter.in_flight == 8
    sent = time.monotonic()
    for _ in range(8):  # eight attempts sent in the same round were told "slow down"
        limiter.pushback(sent, retry_after=2.0)
    assert limiter.limit == 4.0  # halved once, not eight times
    assert limiter.resume_at == 102.0
    limiter.pushback(time.monotonic(), None)  # an attempt sent after the decrease
    assert limiter.limit == 2.0
    for _ in range(8):
        limiter.release(succeeded=True)
    assert limiter.in_flight == 0
    assert limiter.limit > 2.0


# -- against the fake server ---------------------------------------------------------------


@pytest.fixture
def uuids(fake: FakePiggy) -> list[str]:
    known = [fake.store.add_contact(f"bulk{i}@example.com")["uuid"] for i in range(200)]
    mixed: list[str] = []
    for i, u in enumerate(known):
        mixed.append(u)
        if i % 40 == 0:
            mixed.append(f"unknown-{i}")
    return mixed


async def test_get_many_in_order_with_not_found_results(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    known = [fake.store.add_contact(f"k{i}@example.com")["uuid"] for i in range(975)]
    inputs = list(known)
    for i in range(25):
        inputs.insert(i * 40, f"missing-{i}")
    assert len(inputs) == 1000
    results = await piggy.contacts.get_many(inputs, concurrency=20).collect()
    assert len(results) == 1000
    assert [r.index for r in results] == list(range(1000))
    assert [r.input for r in results] == inputs
    for r in results:
        if r.input.startswith("missing-"):
            assert isinstance(r.error, ContactNotFoundError)
            assert r.value is None
            assert not r.ok
        else:
            assert isinstance(r.value, Contact)
            assert r.value.uuid == r.input
            assert r.ok
            assert r.unwrap() is r.value
    assert fake.max_in_flight <= 20
    assert max_overlap(fake) <= 20
    assert len(fake.requests) == 1000  # nothing retried, dropped or duplicated


async def test_find_many_and_balances(piggy: AsyncPiggy, fake: FakePiggy, uuids: list[str]) -> None:
    emails = ["bulk3@example.com", "nobody@example.com", "not-an-email", "bulk7@example.com"]
    results = [r async for r in piggy.contacts.find_many(emails, concurrency=2)]
    assert [type(r.value).__name__ if r.ok else type(r.error).__name__ for r in results] == [
        "Contact",
        "ContactNotFoundError",
        "InvalidArgumentError",
        "Contact",
    ]
    assert results[0].value is not None
    assert results[0].value.email == "bulk3@example.com"
    assert len(fake.requests) == 3  # the malformed email never left
    fake.requests.clear()
    balances = await piggy.contacts.get_many_credit_balances(uuids[:10], concurrency=4).collect()
    assert [r.input for r in balances] == uuids[:10]
    for r in balances:
        if r.input in fake.store.contacts:
            assert r.value == CreditBalance(
                fake.store.contacts[r.input]["credit_balance"]["balance"]
            )


async def test_progress_callback(piggy: AsyncPiggy, uuids: list[str]) -> None:
    seen: list[tuple[int, int | None, int]] = []
    await piggy.contacts.get_many(
        uuids, concurrency=8, on_progress=lambda *a: seen.append(a)
    ).collect()
    assert [s[0] for s in seen] == list(range(1, len(uuids) + 1))
    assert all(s[1] == len(uuids) for s in seen)
    assert seen[-1][2] == sum(1 for u in uuids if u.startswith("unknown-"))
    seen.clear()
    await piggy.contacts.get_many(iter(uuids[:5]), on_progress=lambda *a: seen.append(a)).collect()
    assert seen[-1] == (5, None, 1)  # uuids[1] is unknown


async def test_429_storm_lowers_concurrency_and_every_item_completes(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, uuids: list[str]
) -> None:
    # The first 40 requests are refused with 429 and Retry-After: 1.
    fake.faults.status(429, times=40, headers={"Retry-After": "1"}, path="/contacts/*")
    run = piggy.with_options(max_retries=6).contacts.get_many(uuids, concurrency=16)
    results = await run.collect()
    assert [r.input for r in results] == uuids
    assert all(r.ok or isinstance(r.error, ContactNotFoundError) for r in results)
    assert run.limiter.lowest <= 4  # halved at least twice
    # Retry-After was honoured for everyone: waits of 1 s (on the fake clock).
    assert 1.0 in sleeps.calls
    # In flight after the storm: fewer than before it, then growing back.
    storm_end = max(i for i, r in enumerate(fake.requests) if r.status == 429)
    after = fake.requests[storm_end + 1 :]
    peaks = []
    for r in after[:20]:
        peaks.append(
            sum(1 for o in after if o.started <= r.started and (o.finished or 0) > r.started)
        )
    assert max(peaks) < 16
    assert len([r for r in fake.requests if r.status != 429]) == len(uuids)


async def test_items_that_exhaust_retries_are_errors(
    piggy: AsyncPiggy, fake: FakePiggy, uuids: list[str]
) -> None:
    fake.faults.status(429, times=3, path=f"/contacts/{uuids[1]}")
    results = await piggy.contacts.get_many(uuids[:5], concurrency=2).collect()
    assert isinstance(results[1].error, RateLimitError)
    assert results[1].error.attempts == 3
    assert sum(r.ok for r in results) == 4


async def test_generic_building_block_is_lazy_on_a_huge_generator() -> None:
    produced = 0

    def numbers() -> Iterator[int]:
        nonlocal produced
        for i in range(100_000):
            produced += 1
            yield i

    async def double(x: int) -> int:
        return 2 * x

    consumed = 0
    peak_held = 0
    run = BulkRun(double, numbers(), concurrency=32)
    async for result in run:
        assert result.value == 2 * result.input
        assert result.index == consumed
        consumed += 1
        peak_held = max(peak_held, produced - consumed)
    assert consumed == 100_000
    assert peak_held <= 2 * 32 + 1  # bounded by the window, not the input


async def test_requests_start_before_input_is_exhausted(
    piggy: AsyncPiggy, fake: FakePiggy, uuids: list[str]
) -> None:
    pulled = 0

    async def slow_source() -> AsyncIterator[str]:
        nonlocal pulled
        for u in uuids[:30]:
            pulled += 1
            yield u

    run = piggy.contacts.get_many(slow_source(), concurrency=4)
    first = await run.__anext__()
    assert first.input == uuids[0]
    assert pulled < 30
    rest = [r async for r in run]
    assert len(rest) == 29


async def test_early_break_cancels_and_leaves_nothing(fake: FakePiggy, uuids: list[str]) -> None:
    fake.faults.latency(0.2, times=1000, path="/contacts/*")
    piggy = fake.client()
    async with piggy.contacts.get_many(uuids, concurrency=8) as run:
        async for _ in run:
            assert bulk_tasks_left()
            break
    assert bulk_tasks_left() == []  # ...and none are left after the break
    connector = piggy._transport.pool.get().connector
    assert connector is not None
    assert not connector._acquired  # no connection left checked out
    await piggy.aclose()
    assert connector.closed


async def test_break_without_aclose_still_cancels(fake: FakePiggy, uuids: list[str]) -> None:
    fake.faults.latency(0.5, times=1000, path="/contacts/*")
    async with fake.client() as piggy:
        async for _ in piggy.contacts.get_many(uuids, concurrency=8):
            assert len(bulk_tasks_left()) == 8  # the probe sees the run's workers...
            break
        gc.collect()
        await asyncio.sleep(0.05)
        assert bulk_tasks_left() == []


async def test_cancelling_the_consumer_cancels_requests(fake: FakePiggy, uuids: list[str]) -> None:
    fake.faults.latency(5.0, times=1000, path="/contacts/*")
    async with fake.client() as piggy:
        run = piggy.contacts.get_many(uuids, concurrency=8)
        task = asyncio.create_task(run.collect())
        await asyncio.sleep(0.1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0)
        assert bulk_tasks_left() == []
        connector = piggy._transport.pool.get().connector
        assert connector is not None
        assert not connector._acquired


def test_bad_bulk_arguments(piggy: AsyncPiggy) -> None:
    with pytest.raises(InvalidArgumentError, match="concurrency"):
        piggy.contacts.get_many(["a"], concurrency=0)
    with pytest.raises(InvalidArgumentError, match="inputs"):
        piggy.contacts.get_many("abc")
    with pytest.raises(InvalidArgumentError, match="on_progress"):
        piggy.contacts.get_many(["a"], on_progress=3)  # type: ignore[arg-type]


async def test_bad_item_does_not_stop_the_run(piggy: AsyncPiggy, uuids: list[str]) -> None:
    results = await piggy.contacts.get_many([uuids[0], "", 42, uuids[2]]).collect()  # type: ignore[list-item]
    assert [r.ok for r in results] == [True, False, False, True]
    assert isinstance(results[1].error, InvalidArgumentError)
    assert isinstance(results[2].error, InvalidArgumentError)


def test_result_unwrap_raises_the_error() -> None:
    err = ContactNotFoundError("Contact not found.", status_code=404, code=55031)
    result: BulkResult[str, Contact] = BulkResult(0, "x", None, err)
    with pytest.raises(ContactNotFoundError):
        result.unwrap()
