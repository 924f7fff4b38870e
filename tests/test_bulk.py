"""Bulk lookups: order, bounded concurrency, adaptive back-off, laziness and cleanup."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator

import anyio
import backoff
import pytest

from piggy_async import (
    APIConnectionError,
    APIStatusError,
    AsyncPiggy,
    AuthenticationError,
    BulkResult,
    BulkRun,
    ConfigurationError,
    Contact,
    ContactNotFoundError,
    CreditBalance,
    InternalServerError,
    InvalidArgumentError,
    MaintenanceError,
    PermissionDeniedError,
    RateLimitError,
)
from piggy_async._bulk_limits import (
    ITEM_RETRY_CAP,
    RUN_PAUSE_CAP,
    RunLimiter,
    classify,
    first_rate,
    item_retry_delay,
    rate_decrease,
    rate_increase,
)
from piggy_async._rate import RateLimiter, max_rate_burst
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


def test_rate_rules() -> None:
    assert rate_decrease(200.0) == 190.0
    assert rate_decrease(0.5) == 0.5  # never below the floor
    # one admitted answer at 200/s adds 5 % of 200 over 200: about 10 req/s per second of answers
    assert rate_increase(200.0, 200.0) == pytest.approx(200.0 + 10.0 / 200.0)
    assert rate_increase(40.0, 40.0) == pytest.approx(40.0 + 4.0 / 40.0)  # at least RATE_STEP
    assert rate_increase(1000.0, 100.0) == 1000.0  # far above what the run achieves: hold
    assert first_rate(90, 0.2) == pytest.approx(90 / 0.2 * 0.95)  # 0.2 s into the run
    assert first_rate(250, 5.0) == pytest.approx(237.5)
    assert first_rate(0, 3.0) == 0.5


def test_classify_failures() -> None:
    def status(cls: type[APIStatusError], code: int, method: str = "GET") -> APIStatusError:
        return cls("x", status_code=code, method=method, url="http://127.0.0.1/x")

    assert classify(status(RateLimitError, 429)) == "pushback"
    assert classify(status(MaintenanceError, 503)) == "pushback"
    assert classify(status(InternalServerError, 500)) == "retry"
    assert classify(status(InternalServerError, 500, "POST")) == "final"  # outcome unknown
    assert classify(status(ContactNotFoundError, 400)) == "final"  # not push-back
    assert classify(status(AuthenticationError, 401)) == "run"
    assert classify(status(PermissionDeniedError, 403)) == "run"
    assert classify(ConfigurationError("closed")) == "run"
    assert classify(APIConnectionError("refused", method="GET", url="u")) == "retry"
    assert classify(InvalidArgumentError("bad", argument="x")) == "final"


def test_item_retry_delay_is_capped() -> None:
    huge = RateLimitError("x", status_code=429, retry_after=1e9)
    assert item_retry_delay(huge, 1) == ITEM_RETRY_CAP
    assert item_retry_delay(RateLimitError("x", status_code=429, retry_after=1.0), 1) == 1.0
    for n in range(1, 12):
        assert 0 <= item_retry_delay(APIConnectionError("x"), n) <= ITEM_RETRY_CAP


async def test_limiter_learns_a_rate_once_per_round_and_caps_pauses() -> None:
    now = [100.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    limiter = RunLimiter(8, sleep=sleep, clock=lambda: now[0])
    for _ in range(20):
        await limiter.acquire()
        now[0] += 0.01
        limiter.release()
        limiter.admitted()
    assert limiter.rate is None
    assert waits == []
    sent = now[0]
    admits = limiter.admits
    for _ in range(5):  # five attempts of the same round pushed back, nothing got through
        assert limiter.pushback(admits, sent, retry_after=1e9) is False
    assert limiter.rate == pytest.approx(20 / 0.2 * 0.95)  # learned once, not five times
    assert limiter.resume_at == now[0] + RUN_PAUSE_CAP  # the pause is capped
    await limiter.acquire()  # a new attempt waits for the end of the pause...
    limiter.release()
    assert waits[0] == pytest.approx(RUN_PAUSE_CAP)  # ...no longer than the cap
    limiter.resume_at = 0.0
    limiter.admitted()
    assert limiter.pushback(admits, sent, retry_after=1.0) is True  # progress meanwhile
    assert limiter.resume_at == 0.0  # ...so the run is not paused
    rate = limiter.rate
    now[0] += 1
    limiter.pushback(limiter.admits, now[0], None)  # a later round: 5 % slower
    assert limiter.rate == pytest.approx(rate * 0.95)
    waits.clear()
    for _ in range(10):
        await limiter.acquire()
        limiter.release()
    assert sum(waits) == pytest.approx(9 / limiter.rate, rel=0.01)  # paced at the rate
    assert limiter.peak == 1


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


async def test_429_storm_paces_the_run_and_every_item_completes(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, uuids: list[str]
) -> None:
    # The first 40 requests are refused with 429 and Retry-After: 1.
    fake.faults.status(429, times=40, headers={"Retry-After": "1"}, path="/contacts/*")
    run = piggy.contacts.get_many(uuids, concurrency=16)
    results = await run.collect()
    assert [r.input for r in results] == uuids
    assert all(r.ok or isinstance(r.error, ContactNotFoundError) for r in results)
    assert run.limiter.pushbacks == 40
    assert run.limiter.resume_at > 0  # nothing got through at first: the run paused...
    assert run.limiter.waited > 0  # ...and new attempts waited for the pause
    assert 1.0 in sleeps.calls  # Retry-After was honoured (on the fake clock)
    assert max_overlap(fake) <= 16  # retries included: never more than concurrency
    assert len([r for r in fake.requests if r.status != 429]) == len(uuids)


async def test_429_counts_against_an_item_only_without_progress(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Item 1 is refused 5 times, more than max_retries (2). While the other worker gets
    # items through between its refusals, no refusal counts against it and it succeeds;
    # alone, with nothing else to do, its third refusal in a row is its result. Time is a
    # fake clock (the run's limiter and every wait): the interleaving is the event loop's,
    # the same on a loaded machine (with real 10 ms sleeps it once failed under load).
    monkeypatch.setattr(backoff, "full_jitter", lambda ceiling: ceiling / 2)  # no randomness
    refusals = {1: 5}
    now = [100.0]
    admits_at_refusal: list[int] = []

    async def lookup(i: int) -> int:
        await asyncio.sleep(0)
        if refusals.get(i, 0) > 0:
            refusals[i] -= 1
            admits_at_refusal.append(run.limiter.admits)
            raise RateLimitError("slow down", status_code=429, method="GET", url="u")
        return i

    async def wait(seconds: float) -> None:
        now[0] += seconds
        for _ in range(3):  # a few loop turns: the other worker gets an item through
            await asyncio.sleep(0)

    def limited(run: BulkRun[int, int]) -> BulkRun[int, int]:
        run.limiter = RunLimiter(run.concurrency, sleep=wait, clock=lambda: now[0])
        return run

    with anyio.fail_after(10):
        run = limited(BulkRun(lookup, range(50), concurrency=2, sleep=wait))
        results = await run.collect()
        assert [r.value for r in results] == list(range(50))  # item 1 retried, not failed
        assert results[1].ok
        assert len(admits_at_refusal) == 5
        # what the test relies on: something was admitted between any two refusals
        assert admits_at_refusal == sorted(set(admits_at_refusal))  # strictly increasing
        refusals[0] = 5
        run = limited(BulkRun(lookup, [0], sleep=wait))  # nothing else to do
        alone = await run.collect()
    assert isinstance(alone[0].error, RateLimitError)
    assert alone[0].error.attempts == 3  # max_retries (2) + 1 in a row without progress


async def test_items_that_exhaust_retries_are_errors(
    piggy: AsyncPiggy, fake: FakePiggy, uuids: list[str]
) -> None:
    fake.faults.status(500, times=3, path=f"/contacts/{uuids[1]}")
    results = await piggy.contacts.get_many(uuids[:5], concurrency=2).collect()
    assert isinstance(results[1].error, InternalServerError)
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
    run = BulkRun(double, numbers(), concurrency=32, window=64)
    with anyio.fail_after(20):  # a missed wake-up fails here, not at the suite's timeout
        async for result in run:
            assert result.value == 2 * result.input
            assert result.index == consumed
            consumed += 1
            peak_held = max(peak_held, produced - consumed)
    assert consumed == 100_000
    assert peak_held <= 64 + 1  # bounded by the window, not the input


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
    with pytest.raises(InvalidArgumentError, match=r"^contact_uuids must be an iterable") as info:
        piggy.contacts.get_many("abc")
    assert info.value.argument == "contact_uuids"
    with pytest.raises(
        InvalidArgumentError, match=r"^emails must be an iterable of items, not int"
    ):
        piggy.contacts.find_many(1)  # type: ignore[arg-type]
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


@pytest.mark.parametrize("source", ["list", "generator", "async"])
async def test_empty_and_failing_inputs_end_the_run(source: str) -> None:
    def sync_items(fail: bool) -> Iterator[int]:
        if fail:
            raise LookupError("unreadable")
        yield from ()

    async def async_items(fail: bool) -> AsyncIterator[int]:
        if fail:
            raise LookupError("unreadable")
        for i in ():
            yield i

    async def identity(x: int) -> int:
        return x

    def make(fail: bool) -> Iterable[int] | AsyncIterable[int]:
        if source == "list":
            return [] if not fail else sync_items(fail)
        return sync_items(fail) if source == "generator" else async_items(fail)

    with anyio.fail_after(10):
        assert await BulkRun(identity, make(False)).collect() == []
        with pytest.raises(LookupError, match="unreadable"):
            await BulkRun(identity, make(True)).collect()


async def test_aclose_closes_an_async_generator_input() -> None:
    closed = asyncio.Event()

    async def source() -> AsyncIterator[int]:
        try:
            for i in range(1000):
                yield i
        finally:
            closed.set()

    async def identity(x: int) -> int:
        return x

    with anyio.fail_after(10):
        async with BulkRun(identity, source(), concurrency=4) as run:
            async for result in run:
                assert result.value == 0
                break
        assert closed.is_set()


def test_a_blocked_key_pauses_but_sets_no_rate() -> None:
    now = [0.0]
    limiter = RunLimiter(4, clock=lambda: now[0])
    now[0] = 0.5
    assert limiter.pushback(0, 0.1, retry_after=2.0) is False  # nothing admitted at all
    assert limiter.rate is None  # no pace to learn from...
    assert limiter.resume_at == 2.5  # ...the pause is what waits


def test_rate_limiter_spaces_requests() -> None:
    now = [10.0]
    limiter = RateLimiter(100, burst=3, clock=lambda: now[0])
    waits = [limiter.reserve() for _ in range(6)]
    assert waits[:3] == [0.0, 0.0, 0.0]  # the burst goes at once...
    assert waits[3:] == pytest.approx([0.01, 0.02, 0.03])  # ...then one every 1/rate
    now[0] += 10.0  # idle: the burst is back, never more than it
    assert [limiter.reserve() for _ in range(4)] == pytest.approx([0, 0, 0, 0.01])
    assert max_rate_burst(200) == 4
    assert max_rate_burst(5) == 1


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan"), "10", True])
def test_bad_max_rate(bad: object) -> None:
    with pytest.raises(ConfigurationError, match="max_rate"):
        AsyncPiggy(api_key="k", max_rate=bad)  # type: ignore[arg-type]


async def test_a_retrying_head_does_not_stall_the_others() -> None:
    reached = asyncio.Event()
    failed = False

    async def lookup(i: int) -> int:
        nonlocal failed
        if i == 0 and not failed:
            failed = True
            raise InternalServerError("x", status_code=500, method="GET", url="u")
        if i == 300:
            reached.set()
        return i

    async def until_item_300(seconds: float) -> None:
        await reached.wait()  # item 0's retry waits until the run got 300 items further

    with anyio.fail_after(10):
        run = BulkRun(lookup, range(400), concurrency=4, sleep=until_item_300)
        results = await run.collect()
    assert [r.value for r in results] == list(range(400))
    assert run.window == 512


def test_max_rate_is_shared_by_every_copy() -> None:
    piggy = AsyncPiggy(api_key="k", max_rate=5)
    limiter = piggy._transport.rate_limiter
    assert limiter is not None
    assert limiter.rate == 5.0
    assert piggy.with_options(max_retries=0)._transport.rate_limiter is limiter
    assert piggy.with_options(extra_headers={"X-A": "1"})._transport.rate_limiter is limiter
    assert AsyncPiggy(api_key="k")._transport.rate_limiter is None


async def test_a_call_over_max_rate_waits_on_the_clients_clock(fake: FakePiggy) -> None:
    """Past the burst, each call waits its turn (1 s apart at 1 request/s), through the
    client's sleep: a fake clock in tests, so no real second passes."""
    sleeps = SleepRecorder()
    async with fake.client(max_rate=1) as piggy:
        piggy._transport.sleep = sleeps
        uuid = next(iter(fake.store.contacts))
        with anyio.fail_after(5):
            for _ in range(3):
                await piggy.contacts.get(uuid)
    assert len(sleeps.calls) == 2
    assert sleeps.calls[0] == pytest.approx(1.0, abs=0.2)
    assert sleeps.calls[1] == pytest.approx(2.0, abs=0.2)  # booked behind the previous one
