"""What a bulk run's user sees, in process and on a fake clock: how a run ends (the error the
caller gets, nothing left running, nothing handed out twice), batches, the results saved on
the way out, and how failures of each kind count.

Every wait is bounded (``anyio.fail_after``): a missed wake-up in the runner is one failing
test, not a stalled suite.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator, Set
from typing import Any

import anyio
import backoff
import pytest

from piggy_async import (
    APIConnectionError,
    AuthenticationError,
    BulkResult,
    BulkRun,
    ClientClosedError,
    ConfigurationError,
    ContactNotFoundError,
    InternalServerError,
    InvalidArgumentError,
    MaintenanceError,
    PiggyError,
    RateLimitError,
    ResponseDecodeError,
)
from piggy_async._bulk import default_window
from piggy_async._bulk_inputs import Inputs
from piggy_async._bulk_limits import (
    ITEM_RETRY_CAP,
    RunLimiter,
    classify,
    connection_failure_limit,
    first_rate,
    item_retry_delay,
    rate_increase,
)
from piggy_async._bulk_worker import State, _Item, steady_window
from piggy_async._rate import Deferred, defer_decode, single_attempt

BOUND = 5  # seconds: every run here ends in milliseconds unless the runner misses a wake-up


def bulk_tasks_left() -> list[asyncio.Task[object]]:
    """The run's workers and retry timers still pending."""
    return [
        t
        for t in asyncio.all_tasks()
        if not t.done() and getattr(t.get_coro(), "__qualname__", "") in ("_worker", "State._due")
    ]


async def identity(x: int) -> int:
    await asyncio.sleep(0)
    return x


class Counted:
    """A generator of ``0..n-1`` as input, counting the items read from it (``read``)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.read = 0

    def numbers(self) -> Iterator[int]:
        for i in range(self.n):
            self.read += 1
            yield i


async def never(seconds: float) -> None:
    """A retry wait that never ends (the run must be closed around it)."""
    await asyncio.Event().wait()


def status(cls: type[PiggyError], code: int, **kw: object) -> PiggyError:
    return cls("x", status_code=code, method="GET", url="http://127.0.0.1/x", **kw)  # type: ignore[call-arg]


# -- how a run ends --------------------------------------------------------------------------


class CountingSet(Set[int]):
    """An in-memory collection (read on the loop) over an iterator that counts its reads."""

    def __init__(self, items: Iterator[int]) -> None:
        self.items = items

    def __iter__(self) -> Iterator[int]:
        return self.items

    def __len__(self) -> int:
        return 1000

    def __contains__(self, value: object) -> bool:
        return False


async def test_a_run_wide_error_ends_the_run_at_once_with_that_error() -> None:
    calls = 0

    async def wrong_key(x: int) -> int:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0)
        raise status(AuthenticationError, 401)

    source = Counted(1000)
    with anyio.fail_after(BOUND):
        run = BulkRun(wrong_key, list(range(1000)), concurrency=4)
        with pytest.raises(AuthenticationError):
            await run.collect()
        await run.aclose()
        assert calls == 4  # one wave, not 1,000 items
        run = BulkRun(wrong_key, CountingSet(source.numbers()), concurrency=4)
        with pytest.raises(AuthenticationError):
            await run.collect()
        await run.aclose()
    assert source.read == 4  # nothing more is taken from the input once the run has ended
    assert bulk_tasks_left() == []
    assert [r async for r in run] == []  # ended: nothing more, no hang


async def test_a_bug_in_func_ends_the_run_with_the_bug() -> None:
    async def buggy(x: int) -> int:
        await asyncio.sleep(0)
        if x == 3:
            raise KeyError("bug")
        return x

    with anyio.fail_after(BOUND):
        run = BulkRun(buggy, range(100), concurrency=2)
        with pytest.raises(KeyError, match="bug"):
            await run.collect()
        await run.aclose()
    assert bulk_tasks_left() == []


@pytest.mark.parametrize("how", ["aclose", "callback", "never-started"])
async def test_an_ended_run_hands_out_nothing_more(how: str) -> None:
    class Boom(Exception):
        pass

    def callback(done: int, total: int | None, errors: int) -> None:
        if how == "callback" and done == 2:
            raise Boom

    with anyio.fail_after(BOUND):
        run = BulkRun(identity, range(50), concurrency=4, on_progress=callback)
        if how == "never-started":
            await run.aclose()  # closing a run never iterated is fine...
        elif how == "aclose":
            assert (await run.__anext__()).value == 0
            await run.aclose()
        else:
            with pytest.raises(Boom):
                await run.collect()
        assert [r async for r in run] == []  # ...and no result comes after the end
        assert await run.next_batch() == []
        await run.aclose()
    assert run.done == {"aclose": 1, "callback": 2, "never-started": 0}[how]
    assert bulk_tasks_left() == []


@pytest.mark.parametrize("take", ["anext", "next_batch"])
async def test_a_raising_progress_callback_ends_the_run_after_handing_out_its_result(
    take: str,
) -> None:
    # The callback fails when told about the third result: that result was counted as
    # handed out, so the consumer gets it; the next call for a result raises the error, and
    # nothing more is started meanwhile.
    class Boom(Exception):
        pass

    started: list[int] = []

    async def tracked(i: int) -> int:
        started.append(i)
        await asyncio.sleep(0)
        return i

    def callback(done: int, total: int | None, errors: int) -> None:
        if done == 3:
            raise Boom

    got: list[int] = []
    with anyio.fail_after(BOUND):
        run = BulkRun(tracked, range(500), concurrency=2, on_progress=callback)

        async def take_all() -> None:
            while True:
                if take == "anext":
                    got.append((await run.__anext__()).index)
                else:
                    got.extend(r.index for r in await run.next_batch())

        with pytest.raises(Boom):
            await take_all()
        launched = len(started)
        await asyncio.sleep(0.01)
        assert len(started) == launched  # the workers were stopped when it raised
        assert [r async for r in run] == []
    assert got == [0, 1, 2]
    assert run.done == 3
    assert launched < 500
    assert bulk_tasks_left() == []


async def test_closing_cancels_pending_retry_waits() -> None:
    async def flaky(x: int) -> int:
        await asyncio.sleep(0)
        if x == 1:
            raise status(InternalServerError, 500)
        return x

    waiting = asyncio.Event()

    async def retry_wait(seconds: float) -> None:
        waiting.set()
        await never(seconds)

    with anyio.fail_after(BOUND):
        async with BulkRun(flaky, range(5), concurrency=2, sleep=retry_wait) as run:
            assert (await run.__anext__()).value == 0
            await waiting.wait()  # item 1 now waits for its retry
            assert [t for t in bulk_tasks_left() if "_due" in str(t)]
        assert bulk_tasks_left() == []  # the wait is cancelled with the run


class Flaky:
    """An input that raises once at item 3, then would go on (a cursor after a lost
    connection): the run ends with the error and takes nothing after it."""

    def __init__(self) -> None:
        self.n = 0
        self.threads: set[str] = set()

    def _next(self) -> int:
        self.threads.add(threading.current_thread().name)
        self.n += 1
        if self.n == 4:
            raise LookupError("cursor lost")
        if self.n > 8:
            raise StopIteration
        return self.n - 1

    def __iter__(self) -> Flaky:
        return self

    def __next__(self) -> int:
        return self._next()


class AsyncFlaky:
    """The same input, awaited."""

    def __init__(self, source: Flaky) -> None:
        self.source = source

    def __aiter__(self) -> AsyncFlaky:
        return self

    async def __anext__(self) -> int:
        try:
            return self.source._next()
        except StopIteration:
            raise StopAsyncIteration from None


class FlakySet(Set[int]):
    """An in-memory collection (read on the event loop) whose iterator is a :class:`Flaky`."""

    def __init__(self, source: Flaky) -> None:
        self.source = source

    def __iter__(self) -> Iterator[int]:
        return self.source

    def __len__(self) -> int:
        return 8

    def __contains__(self, value: object) -> bool:
        return False


async def drain(run: BulkRun[int, int], got: list[int]) -> None:
    async for r in run:
        got.append(r.unwrap())


@pytest.mark.parametrize("kind", ["in-memory", "sync", "async"])
async def test_an_input_that_raises_ends_the_run_after_its_items(kind: str) -> None:
    source = Flaky()
    inputs = {"in-memory": FlakySet(source), "sync": source, "async": AsyncFlaky(source)}[kind]
    got: list[int] = []
    with anyio.fail_after(BOUND):
        run = BulkRun(identity, inputs, concurrency=2)  # type: ignore[arg-type]
        with pytest.raises(LookupError, match="cursor lost"):
            await drain(run, got)
        assert [r async for r in run] == []  # raised once: then the run is over
        await run.aclose()
    assert got == [0, 1, 2]
    assert source.n == 4  # nothing read after the failure
    on_loop = source.threads == {threading.current_thread().name}
    assert on_loop is (kind != "sync")  # in-memory and async inputs are read on the loop


# -- how failures count ----------------------------------------------------------------------


def scripted(
    script: dict[int, list[PiggyError]],
) -> tuple[Callable[[int], Awaitable[int]], list[int]]:
    """``func`` failing item i with script[i] in turn, then answering i; and the call log."""
    calls: list[int] = []

    async def func(i: int) -> int:
        calls.append(i)
        await asyncio.sleep(0)
        if script.get(i):
            raise script[i].pop(0)
        return i

    return func, calls


def refused() -> APIConnectionError:
    return APIConnectionError("refused", method="GET", url="http://127.0.0.1/x")


async def test_connection_failures_in_a_row_end_the_run_at_the_limit() -> None:
    # concurrency 1: the limit is 10 failures in a row with no answer in between
    func, calls = scripted({i: [refused()] * 3 for i in range(100)})
    with anyio.fail_after(BOUND):
        run = BulkRun(func, range(100), concurrency=1, sleep=lambda s: asyncio.sleep(0))
        with pytest.raises(APIConnectionError):
            await run.collect()
        await run.aclose()
    assert len(calls) == 10


async def test_connection_failures_of_sent_posts_end_the_run_at_the_limit_too() -> None:
    # A POST whose connection broke after it was sent is not retried (its outcome is
    # unknown: each is that item's result), but a run of them still means Piggy is
    # unreachable: the run ends at the same limit instead of sending every item.
    def reset() -> APIConnectionError:
        return APIConnectionError("reset", method="POST", url="http://x/y", request_sent=True)

    func, calls = scripted({i: [reset()] for i in range(100)})
    with anyio.fail_after(BOUND):
        run = BulkRun(func, range(100), concurrency=1, sleep=lambda s: asyncio.sleep(0))
        got: list[BulkResult[int, int]] = []

        async def take_all() -> None:
            async for r in run:
                got.append(r)

        with pytest.raises(APIConnectionError):
            await take_all()
        await run.aclose()
    assert len(calls) == 10
    assert len(got) == 9  # the results before the one that ended the run
    assert all(isinstance(r.error, APIConnectionError) and r.error.attempts == 1 for r in got)


async def test_an_answer_between_connection_failures_resets_the_count() -> None:
    # 9 refused connections, a 500 (Piggy answered: the connection works), 9 more: never
    # 10 in a row, so the item is retried until it gets through.
    func, calls = scripted(
        {0: [*[refused()] * 9, status(InternalServerError, 500), *[refused()] * 9]}
    )
    with anyio.fail_after(BOUND):
        run = BulkRun(
            func, range(3), concurrency=1, max_retries=30, sleep=lambda s: asyncio.sleep(0)
        )
        results = await run.collect()
    assert [r.value for r in results] == [0, 1, 2]
    assert len(calls) == 22


# -- batches and what is saved on the way out ------------------------------------------------


async def test_next_batch_hands_out_every_result_once_in_order() -> None:
    seen: list[tuple[int, int | None, int]] = []

    async def odd_fails(i: int) -> int:
        await asyncio.sleep(0)
        if i % 2:
            raise status(ContactNotFoundError, 400)
        return i

    with anyio.fail_after(BOUND):
        run = BulkRun(odd_fails, range(10), concurrency=4, on_progress=lambda *a: seen.append(a))
        batches = []
        while batch := await run.next_batch(max_items=3):
            batches.append(batch)
        assert await run.next_batch() == []
    assert [r.index for b in batches for r in b] == list(range(10))
    assert all(1 <= len(b) <= 3 for b in batches)
    assert max(len(b) for b in batches) > 1  # results already done come along
    assert seen == [(n, 10, n // 2) for n in range(1, 11)]  # one report per result
    assert (run.done, run.errors) == (10, 5)


async def test_take_finished_saves_what_is_done_but_not_handed_out() -> None:
    head = asyncio.Event()
    three_done = asyncio.Event()
    finished: list[int] = []

    async def slow_head(i: int) -> int:
        if i == 0:
            await head.wait()
        else:
            await asyncio.sleep(0)
            finished.append(i)
            if len(finished) == 3:
                three_done.set()
        return i

    with anyio.fail_after(BOUND):
        run = BulkRun(slow_head, range(4), concurrency=4)
        assert run.take_finished() == []  # not started
        waiting = asyncio.ensure_future(run.__anext__())
        await three_done.wait()
        await asyncio.sleep(0)
        waiting.cancel()  # the consumer stops (Ctrl-C) while the head is still running
        await asyncio.gather(waiting, return_exceptions=True)
        saved = run.take_finished()
        assert sorted(r.value for r in saved) == [1, 2, 3]  # type: ignore[type-var]
        assert run.take_finished() == []  # each result once
        assert run.done == 3
        assert [r async for r in run] == []  # the run has ended
        await run.aclose()


@pytest.mark.parametrize(
    ("concurrency", "window", "expected"),
    [(4, None, 512), (100, None, 3200), (8, 2, 8), (8, 100, 100)],
)
def test_window_defaults_and_bounds(concurrency: int, window: int | None, expected: int) -> None:
    run = BulkRun(identity, [1], concurrency=concurrency, window=window)
    assert run.window == expected  # never below concurrency
    assert run.total == 1


# -- the pacing rules, as tables --------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "throughput", "expected"),
    [
        (60.0, 60.0, 60.0 + 4.0 / 60.0),  # at least RATE_STEP per second of answers
        (200.0, 200.0, 200.0 + 10.0 / 200.0),  # or 5 % of the rate when that is more
        (1000.0, 1000.0, 1000.0 + 50.0 / 1000.0),
        (129.0, 100.0, 129.0 + 6.45 / 129.0),  # at 1.25 x throughput + RATE_STEP: still grows
        (125.0, 100.0, 125.0 + 6.25 / 125.0),
        (130.0, 100.0, 130.0),  # above it: held (pacing far above the run's pace is moot)
        (5.0, 0.0, 5.0),
    ],
)
def test_rate_increase(rate: float, throughput: float, expected: float) -> None:
    assert rate_increase(rate, throughput) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("admits", "elapsed", "expected"),
    [
        (5, 0.0, 4.75),
        (5, -1.0, 4.75),
        (90, 0.2, 427.5),
        (90, 1.0, 85.5),
        (250, 5.0, 237.5),
        (0, 2.0, 0.5),
    ],
)
def test_first_rate(admits: int, elapsed: float, expected: float) -> None:
    assert first_rate(admits, elapsed) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("concurrency", "connections", "steady"),
    [(1, 10, 64), (5, 10, 64), (6, 12, 64), (16, 32, 64), (17, 34, 68), (100, 200, 400)],
)
def test_limits_that_scale_with_concurrency(
    concurrency: int, connections: int, steady: int
) -> None:
    assert connection_failure_limit(concurrency) == connections
    assert steady_window(concurrency) == steady
    assert default_window(concurrency) == max(512, 32 * concurrency)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (RateLimitError("x", status_code=429), "pushback"),  # no method known: a GET
        (MaintenanceError("x", status_code=503), "pushback"),
        (
            RateLimitError("x", status_code=429, method="POST", url="u"),
            "pushback",
        ),  # refused unread
        (InternalServerError("x", status_code=500), "retry"),
        (InternalServerError("x", status_code=500, method="DELETE", url="u"), "retry"),
        (InternalServerError("x", status_code=500, method="PUT", url="u"), "retry"),
        (InternalServerError("x", status_code=500, method="POST", url="u"), "final"),
        (APIConnectionError("x"), "retry"),
        (ContactNotFoundError("x", status_code=400, code=55031), "final"),
        (ClientClosedError("closed"), "run"),
        (ConfigurationError("bad"), "run"),
    ],
)
def test_classify(error: PiggyError, expected: str) -> None:
    assert classify(error) == expected


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [(None, None), (0.5, 0.5), (-3.0, 0.0), (0.0, 0.0), (ITEM_RETRY_CAP + 1, ITEM_RETRY_CAP)],
)
def test_item_retry_delay_follows_retry_after(
    retry_after: float | None, expected: float | None
) -> None:
    error = RateLimitError("x", status_code=429, retry_after=retry_after)
    if expected is not None:
        assert item_retry_delay(error, 1) == expected
        assert item_retry_delay(error, 7) == expected  # whatever the retry number


def test_item_retry_delay_backs_off_exponentially(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backoff, "full_jitter", lambda value: value)  # the jitter's upper end
    ceilings = [item_retry_delay(APIConnectionError("x"), n) for n in range(0, 9)]
    assert ceilings == [0.5, 0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0]  # from 0.5 s, capped
    assert item_retry_delay(status(InternalServerError, 500), 60) == ITEM_RETRY_CAP
    monkeypatch.setattr(backoff, "full_jitter", lambda value: 0.0)
    assert item_retry_delay(APIConnectionError("x"), 3) == 0.0  # full jitter: 0 .. ceiling


class FakeClock:
    """``now`` and a ``sleep`` that advances it, recording each wait."""

    def __init__(self, start: float = 100.0) -> None:
        self.now = start
        self.waits: list[float] = []
        self.during_sleep: Callable[[], object] | None = None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds
        if self.during_sleep is not None:
            hook, self.during_sleep = self.during_sleep, None
            hook()


def test_the_learned_rate_follows_the_last_second_of_answers() -> None:
    clock = FakeClock()
    limiter = RunLimiter(8, sleep=clock.sleep, clock=clock)
    for _ in range(100):  # 100 answers over the run's first second
        clock.now += 0.01
        limiter.admitted()
    assert limiter.rate is None  # nothing learned before Piggy pushes back
    assert limiter.pushback(limiter.admits, clock.now, None) is False
    assert limiter.rate == pytest.approx(95.0)  # 100/s admitted, less 5 %
    assert limiter.lowest_rate == pytest.approx(95.0)
    assert limiter.resume_at == 0.0  # no Retry-After: no pause
    limiter.admitted()  # 101 answers in the last second: the run can go faster
    assert limiter.rate == pytest.approx(95.0 + 4.75 / 95.0)
    grown = limiter.rate
    assert grown is not None
    clock.now += 1.5
    limiter.admitted()  # after an idle spell only this answer is recent: held
    assert limiter.rate == grown
    assert limiter.lowest_rate == pytest.approx(95.0)  # the slowest pace it went to
    sent = clock.now
    clock.now += 0.1
    limiter.pushback(limiter.admits, sent, None)  # a new round: 5 % off
    assert limiter.rate == pytest.approx(grown * 0.95)
    limiter.pushback(limiter.admits, sent, None)  # the same round: once only
    assert limiter.rate == pytest.approx(grown * 0.95)
    assert limiter.lowest_rate == pytest.approx(grown * 0.95)
    assert limiter.pushbacks == 3
    assert limiter.admits == 102


async def test_a_blocked_key_pauses_new_attempts_until_the_last_retry_after() -> None:
    clock = FakeClock()
    limiter = RunLimiter(4, sleep=clock.sleep, clock=clock)
    assert limiter.pushback(0, clock.now, retry_after=2.0) is False
    assert limiter.resume_at == 102.0
    assert limiter.pushback(0, clock.now, retry_after=1.0) is False  # a shorter one...
    assert limiter.resume_at == 102.0  # ...does not cut the pause
    limiter.pushback(0, clock.now, retry_after=0.0)  # "0": no pause asked
    assert limiter.resume_at == 102.0
    # While the first attempt waits, another refusal extends the pause: it waits again.
    clock.during_sleep = lambda: limiter.pushback(0, clock.now, retry_after=3.0)
    await limiter.acquire()
    assert clock.waits == [2.0, 3.0]
    assert clock.now == 105.0
    await limiter.acquire()  # the pause is over: no wait
    assert clock.waits == [2.0, 3.0]
    assert limiter.waited == 5.0
    assert (limiter.in_flight, limiter.peak) == (2, 2)
    limiter.release()
    limiter.admitted()
    assert limiter.pushback(0, clock.now, retry_after=30.0) is True  # others got through
    assert limiter.resume_at == 102.0 + 3.0  # not paused again
    assert limiter.rate is not None  # an answer was admitted: there is a pace to learn


async def test_in_flight_and_peak_count_attempts() -> None:
    clock = FakeClock()
    limiter = RunLimiter(4, sleep=clock.sleep, clock=clock)
    for _ in range(3):
        await limiter.acquire()
    limiter.release()
    limiter.release()
    await limiter.acquire()
    assert (limiter.in_flight, limiter.peak) == (2, 3)
    assert clock.waits == []


def test_connection_failures_count_in_a_row() -> None:
    limiter = RunLimiter(4, clock=FakeClock())
    assert [limiter.connection_failed() for _ in range(3)] == [1, 2, 3]
    limiter.answered()  # a 5xx: the connection works
    assert limiter.connection_failed() == 1
    limiter.admitted()
    assert limiter.connection_failed() == 1
    limiter.pushback(0, 0.0, None)
    assert limiter.connection_failed() == 1


def head_done_last(n: int) -> Callable[[int], Awaitable[int]]:
    """A call on ``range(n)`` whose first item ends only once all the others have."""
    others_done = asyncio.Event()
    count = 0

    async def head_last(i: int) -> int:
        nonlocal count
        if i == 0:
            await others_done.wait()
        else:
            await asyncio.sleep(0)
            count += 1
            if count == n - 1:
                others_done.set()
        return i

    return head_last


async def test_the_items_of_an_input_that_pauses_are_looked_up_while_it_waits() -> None:
    go_on = threading.Event()

    def pipe() -> Iterator[int]:  # a pipe that sends three lines, then nothing for a while
        yield from range(3)
        go_on.wait(4 * BOUND)
        yield from range(3, 5)

    async def echo(i: int) -> int:
        await asyncio.sleep(0)
        return i

    with anyio.fail_after(BOUND):
        run = BulkRun(echo, pipe(), concurrency=4)
        first = [await run.__anext__() for _ in range(3)]  # (not held for a full chunk)
        go_on.set()
        rest = await run.collect()
    assert [r.value for r in first + rest] == [0, 1, 2, 3, 4]


async def test_closing_a_run_does_not_wait_for_an_input_stuck_in_next() -> None:
    release, inside = threading.Event(), threading.Event()
    reads: list[int] = []

    def pipe() -> Iterator[int]:  # a pipe left open: after two lines, next() does not return
        yield from range(2)
        inside.set()
        release.wait(4 * BOUND)
        reads.append(2)
        yield 2
        reads.append(3)  # never asked for: the run is over
        yield 3

    with anyio.fail_after(BOUND):
        run = BulkRun(identity, pipe(), concurrency=4)
        first = [await run.__anext__() for _ in range(2)]
        while not inside.is_set():  # noqa: ASYNC110 - a thread's event
            await asyncio.sleep(0.001)  # (else the read may start after the end: asks nothing)
        await run.aclose()  # at once, the input thread still in next()
        assert run._inputs.busy
        release.set()
        while run._inputs.busy:  # noqa: ASYNC110 - set by the thread's done-callback
            await asyncio.sleep(0.01)
    assert [r.value for r in first] == [0, 1]
    assert reads == [2]
    assert not run._inputs.buffer  # what it read after the end is dropped


async def test_a_read_that_starts_after_the_run_ended_asks_the_input_nothing() -> None:
    # The read is handed to the executor before the run ends and starts after: the input
    # thread must not call next() at all (it could wait there forever: a pipe left open).
    loop = asyncio.get_running_loop()
    gate = threading.Event()
    asked: list[int] = []

    def source() -> Iterator[int]:
        asked.append(0)
        yield 0

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as one_thread:
        loop.set_default_executor(one_thread)
        busy = loop.run_in_executor(None, gate.wait, BOUND)  # its only thread taken
        try:
            with anyio.fail_after(BOUND):
                run = BulkRun(identity, source(), concurrency=1)
                first = asyncio.ensure_future(run.__anext__())
                while not run._inputs.busy:  # noqa: ASYNC110 - the read is queued
                    await asyncio.sleep(0.01)
                await run.aclose()
        finally:
            gate.set()
        with anyio.fail_after(BOUND):
            await busy
            while run._inputs.busy:  # noqa: ASYNC110 - set by the read's done-callback
                await asyncio.sleep(0.01)
    first.cancel()
    await asyncio.gather(first, return_exceptions=True)
    assert asked == []


class InputStopped(BaseException):
    """Not an ``Exception`` (like ``GeneratorExit`` or a framework's own stop signal)."""


async def test_what_a_threaded_input_raises_ends_the_run_after_its_items() -> None:
    def broken() -> Iterator[int]:
        yield from range(3)
        raise InputStopped

    async def echo(i: int) -> int:
        await asyncio.sleep(0)
        return i

    got: list[int | None] = []

    async def consume() -> None:
        async for result in BulkRun(echo, broken(), concurrency=2):
            got.append(result.value)

    with anyio.fail_after(BOUND), pytest.raises(InputStopped):
        await consume()
    assert got == [0, 1, 2]


async def batches_of(take: Callable[[], Awaitable[list[Any]]]) -> list[list[Any]]:
    """Every batch ``take()`` hands out until it hands out ``[]`` (20 at most: a runner
    that never ends need not ever wait, which no timeout would catch)."""
    batches = []
    with anyio.fail_after(BOUND):
        while len(batches) < 20 and (batch := await take()):
            batches.append(batch)
    return batches


async def test_next_batch_takes_at_most_256_by_default() -> None:
    run = BulkRun(head_done_last(300), range(300), concurrency=300)
    batches = await batches_of(run.next_batch)  # all 300 are done when the head is
    assert [len(batch) for batch in batches] == [256, 44]
    assert [r.index for batch in batches for r in batch] == list(range(300))


async def test_next_batch_lazy_takes_at_most_256_by_default() -> None:
    # The sync facade's batch size: it calls next_batch_lazy() with no argument.
    run = BulkRun(head_done_last(300), range(300), concurrency=300)
    batches = await batches_of(run.next_batch_lazy)
    assert [len(batch) for batch in batches] == [256, 44]
    results = [run.deliver(entry) for batch in batches for entry in batch]
    assert [(r.index, r.value) for r in results] == [(i, i) for i in range(300)]
    assert (run.done, run.errors) == (300, 0)


async def no_wait(seconds: float) -> None:
    await asyncio.sleep(0)


@pytest.mark.parametrize("max_retries", [0, 1, 3])
async def test_an_item_failing_every_time_gets_max_retries_plus_one_attempts(
    max_retries: int,
) -> None:
    func, calls = scripted({1: [status(InternalServerError, 500)] * 100})
    with anyio.fail_after(BOUND):
        run = BulkRun(func, range(3), concurrency=2, max_retries=max_retries, sleep=no_wait)
        results = await run.collect()
    assert isinstance(results[1].error, InternalServerError)
    assert results[1].error.attempts == max_retries + 1
    assert calls.count(1) == max_retries + 1
    assert [r.value for r in results[::2]] == [0, 2]
    assert run.limiter.admits == 2  # the 500s were not answers about the item


async def test_a_pushed_back_item_is_given_up_after_50_attempts_even_with_progress() -> None:
    func, calls = scripted({0: [status(RateLimitError, 429, retry_after=0.0)] * 1000})
    with anyio.fail_after(BOUND):
        run = BulkRun(func, range(400), concurrency=2, max_retries=1000, sleep=no_wait)
        results = await run.collect()
    assert isinstance(results[0].error, RateLimitError)
    assert results[0].error.attempts == 50
    assert calls.count(0) == 50
    assert all(r.ok for r in results[1:])


async def test_item_errors_are_answers_not_push_back() -> None:
    func, calls = scripted({i: [status(ContactNotFoundError, 400)] for i in range(0, 20, 2)})
    with anyio.fail_after(BOUND):
        run = BulkRun(func, range(20), concurrency=4)
        results = await run.collect()
    assert [r.ok for r in results] == [i % 2 == 1 for i in range(20)]
    assert all(r.error.attempts == 1 for r in results if r.error is not None)
    assert len(calls) == 20  # never retried
    assert (run.limiter.admits, run.limiter.pushbacks, run.limiter.rate) == (20, 0, None)
    assert (run.done, run.errors) == (20, 10)


async def test_an_items_retry_waits_its_retry_after() -> None:
    clock = FakeClock()
    func, calls = scripted({0: [status(RateLimitError, 429, retry_after=7.0)]})
    with anyio.fail_after(BOUND):
        run = BulkRun(func, range(1), concurrency=1, sleep=clock.sleep)
        results = await run.collect()
    assert results[0].value == 0
    assert calls == [0, 0]
    assert 7.0 in clock.waits


async def test_a_429_counts_against_an_item_only_when_nothing_got_through_since_its_last() -> None:
    # The decision itself, on a fake clock: progress is counted from the item's previous
    # push-back (its wait before the retry included), or from when the attempt was sent.
    clock = FakeClock()
    limiter = RunLimiter(2, sleep=clock.sleep, clock=clock)
    state = State(
        identity, Inputs([0]), limiter, window=8, ordered=True, max_retries=5,
        deferred=False, sleep=clock.sleep,
    )  # fmt: skip
    item = _Item(0, 0)

    def refuse(sent_at_admits: int) -> int:
        state.failed_attempt(item, status(RateLimitError, 429), sent_at_admits, clock.now)
        return item.strikes

    assert refuse(0) == 1  # the first attempt: nothing got through while it was out
    assert item.mark == 0
    for _ in range(3):  # others get through while the item waits for its retry...
        limiter.admitted()
    assert refuse(3) == 1  # ...so its retry's refusal does not count, though sent at 3
    assert item.mark == 3
    assert refuse(3) == 2  # nothing since the previous refusal: it counts
    limiter.admitted()
    assert refuse(3) == 2  # one answer since the previous refusal is enough
    assert item.strikes <= state.max_retries  # still retried, not settled
    assert state.completed == 0
    for task in state.timers:
        task.cancel()


def test_an_answer_exactly_one_second_old_still_counts() -> None:
    clock = FakeClock(100.0)
    limiter = RunLimiter(4, clock=clock)
    limiter.admitted()  # at 100.0
    clock.now = 100.5
    limiter.admitted()
    clock.now = 101.0
    limiter.pushback(limiter.admits, clock.now, None)
    assert limiter.rate == pytest.approx(2 * 0.95)  # both answers are of the last second


def test_answers_older_than_a_second_do_not_set_the_pace() -> None:
    clock = FakeClock(100.0)
    limiter = RunLimiter(4, clock=clock)
    limiter.admitted()  # at 100.0: 1.4 s old at the push-back
    clock.now = 100.5
    limiter.admitted()
    clock.now = 101.4
    limiter.pushback(limiter.admits, clock.now, None)
    assert limiter.rate == pytest.approx(0.95)


async def test_a_head_that_fails_late_widens_the_window_for_every_worker() -> None:
    fail_head = asyncio.Event()
    window_full = asyncio.Event()
    reached = asyncio.Event()
    in_flight = peak_behind = 0
    failed = False

    async def lookup(i: int) -> int:
        nonlocal in_flight, peak_behind, failed
        if i == 0 and not failed:
            await fail_head.wait()
            failed = True
            raise status(InternalServerError, 500)
        in_flight += 1
        if 100 <= i < 300:  # beyond the steady window, before the head's retry
            peak_behind = max(peak_behind, in_flight)
        await asyncio.sleep(0)
        in_flight -= 1
        if i == 63:
            window_full.set()  # the others filled the steady window (64)...
        if i == 300:
            reached.set()
        return i

    async def until_item_300(seconds: float) -> None:
        await reached.wait()

    with anyio.fail_after(BOUND):
        run = BulkRun(lookup, range(400), concurrency=4, sleep=until_item_300)
        collecting = asyncio.ensure_future(run.collect())
        await window_full.wait()
        for _ in range(10):
            await asyncio.sleep(0)  # ...and wait for a wake-up
        fail_head.set()  # now the head fails: it waits for its retry until item 300
        results = await collecting
    assert [r.value for r in results] == list(range(400))
    assert peak_behind > 1  # every worker went on past the steady window, not one


# -- settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "bad", "edges"),
    [
        ("concurrency", [0, 10_001, 2.0], [1, 10_000]),
        ("window", [0, 10_000_001, "8"], [1, 10_000_000]),
        ("max_retries", [-1, 1001, None], [0, 1000]),
    ],
)
def test_bulk_settings_are_checked_with_their_bounds(
    setting: str, bad: list[object], edges: list[int]
) -> None:
    for value in bad:
        with pytest.raises(InvalidArgumentError, match=rf"^{setting} must be ") as caught:
            BulkRun(identity, [1], **{setting: value})  # type: ignore[arg-type]
        assert caught.value.argument == setting
    for value in edges:
        run = BulkRun(identity, [1], **{setting: value})  # type: ignore[arg-type]
        assert getattr(run, setting) == value or setting == "window"


def test_bad_inputs_and_callbacks_name_the_argument() -> None:
    with pytest.raises(InvalidArgumentError, match=r"^on_progress must be callable$") as caught:
        BulkRun(identity, [1], on_progress="print")  # type: ignore[arg-type]
    assert caught.value.argument == "on_progress"
    for inputs in ("abc", b"abc", 42):
        with pytest.raises(InvalidArgumentError, match="inputs must be an iterable") as caught:
            BulkRun(identity, inputs)  # type: ignore[arg-type]
        assert caught.value.argument == "inputs"
        assert type(inputs).__name__ in str(caught.value)


@pytest.mark.parametrize("ordered", [True, False])
async def test_ordered_is_a_flag(ordered: bool) -> None:
    with anyio.fail_after(BOUND):
        run = BulkRun(identity, range(3), ordered=ordered)
        assert run.ordered is ordered
        assert sorted(r.value for r in await run.collect()) == [0, 1, 2]  # type: ignore[type-var]


@pytest.mark.parametrize("ordered", [1, 0, "no", None])
def test_ordered_that_is_not_a_bool_is_refused(ordered: object) -> None:
    # ("no" would read as True: a flag is a bool, not a truthy value)
    with pytest.raises(InvalidArgumentError, match="ordered must be True or False") as caught:
        BulkRun(identity, range(3), ordered=ordered)  # type: ignore[arg-type]
    assert caught.value.argument == "ordered"


# -- what the workers tell the transport, and what they count ---------------------------------


@pytest.mark.parametrize("decode_at_delivery", [None, False, True])
async def test_workers_make_single_attempts_and_defer_decoding_when_asked(
    decode_at_delivery: bool | None,
) -> None:
    async def hooks(i: int) -> tuple[bool, bool]:
        await asyncio.sleep(0)
        return single_attempt.get(), defer_decode.get()

    with anyio.fail_after(BOUND):
        if decode_at_delivery is None:
            run = BulkRun(hooks, range(3))
        else:
            run = BulkRun(hooks, range(3), decode_at_delivery=decode_at_delivery)
        results = await run.collect()
    assert [r.value for r in results] == [(True, bool(decode_at_delivery))] * 3  # off by default
    assert (single_attempt.get(), defer_decode.get()) == (False, False)  # not the caller's


async def test_deferred_bodies_are_decoded_when_handed_out() -> None:
    def decode(model: object, body: bytes) -> int:
        if body == b"bad":
            raise ResponseDecodeError("not JSON", method="GET", url="http://127.0.0.1/x")
        return int(body)

    async def raw(i: int) -> object:
        await asyncio.sleep(0)
        return Deferred(decode, int, b"bad" if i == 1 else str(i).encode())

    with anyio.fail_after(BOUND):
        run = BulkRun(raw, range(3), decode_at_delivery=True)
        results = await run.collect()
    assert [r.value for r in results] == [0, None, 2]
    assert isinstance(results[1].error, ResponseDecodeError)  # the item's error, not the run's
    assert (run.done, run.errors) == (3, 1)


@pytest.mark.parametrize("progress", [False, True])
async def test_a_lazy_batch_holds_bodies_until_delivered_unless_progress_is_reported(
    progress: bool,
) -> None:
    decoded: list[int] = []

    def decode(model: object, body: bytes) -> int:
        decoded.append(int(body))
        return int(body)

    async def raw(i: int) -> object:
        await asyncio.sleep(0.05 if i == 0 else 0)  # the others are done behind the head
        return Deferred(decode, int, str(i).encode())

    reports: list[tuple[int, int | None, int]] = []
    with anyio.fail_after(BOUND):
        run = BulkRun(
            raw,
            range(5),
            concurrency=5,
            decode_at_delivery=True,
            on_progress=(lambda *a: reports.append(a)) if progress else None,
        )
        batch = await run.next_batch_lazy()
        assert len(batch) == 5
        assert decoded == ([0, 1, 2, 3, 4] if progress else [0])  # progress needs them counted
        assert run.done == (5 if progress else 1)
        results = [run.deliver(entry) for entry in batch]
        assert await run.next_batch_lazy() == []
    assert [r.value for r in results] == [0, 1, 2, 3, 4]
    assert decoded == [0, 1, 2, 3, 4]  # each decoded once
    assert (run.done, run.errors) == (5, 0)
    assert reports == ([(n, 5, 0) for n in range(1, 6)] if progress else [])


async def test_every_attempt_is_counted_in_and_out_including_retries() -> None:
    running = peak = 0

    async def tracked(i: int) -> int:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0)
        running -= 1
        if i % 3 == 0 and script.get(i, True):
            script[i] = False
            raise status(InternalServerError, 500)
        return i

    script: dict[int, bool] = {}
    with anyio.fail_after(BOUND):
        run = BulkRun(tracked, range(60), concurrency=4, sleep=no_wait)
        results = await run.collect()
    assert [r.value for r in results] == list(range(60))
    assert peak == run.limiter.peak == 4  # retries included: never more than concurrency
    assert run.limiter.in_flight == 0
    assert run.limiter.admits == 60


async def test_dropping_a_run_without_closing_it_cancels_its_workers_and_retry_waits() -> None:
    waiting = asyncio.Event()

    async def retry_wait(seconds: float) -> None:
        waiting.set()
        await never(seconds)

    async def flaky(x: int) -> int:
        await asyncio.sleep(0)
        if x == 1:
            raise status(InternalServerError, 500)
        return x

    with anyio.fail_after(BOUND):
        run = BulkRun(flaky, range(50), concurrency=2, sleep=retry_wait)
        async for _ in run:
            await waiting.wait()  # item 1 waits for its retry...
            break  # ...when the consumer walks away without aclose()
        assert any("_due" in str(t) for t in bulk_tasks_left())
        del run
        gc.collect()
        for _ in range(10):
            await asyncio.sleep(0)
        assert bulk_tasks_left() == []  # the workers and the retry wait are cancelled


async def test_func_raising_a_base_exception_ends_the_run_instead_of_hanging() -> None:
    class Abort(BaseException):
        pass

    async def aborts(i: int) -> int:
        await asyncio.sleep(0)
        if i == 2:
            raise Abort
        return i

    with anyio.fail_after(BOUND):
        run = BulkRun(aborts, range(10), concurrency=2)
        with pytest.raises(Abort):
            await run.collect()
        await run.aclose()
    assert run.limiter.in_flight == 0
    assert bulk_tasks_left() == []


@pytest.mark.parametrize("window", [1, 2, 5, None])
async def test_a_generator_is_read_no_further_ahead_than_the_window(window: int | None) -> None:
    source = Counted(200)
    ahead = []
    with anyio.fail_after(BOUND):
        run = BulkRun(identity, source.numbers(), concurrency=1, window=window)
        async for r in run:
            while run._inputs.busy:  # noqa: ASYNC110 - the input thread's read: no event to wait on
                await asyncio.sleep(0)
            ahead.append(source.read - r.index - 1)  # read but not handed out yet
    assert len(ahead) == 200
    # Never further than the window; and it is used (the input thread hands its items over
    # one by one, so whether the place the last result freed is taken yet is a race).
    assert (window or 64) - 1 <= max(ahead) <= (window or 64)


@pytest.mark.parametrize("concurrency", [1, 3])
async def test_a_consumer_that_stops_taking_stops_the_reading_at_the_window(
    concurrency: int,
) -> None:
    # One result taken, then none: the run reads its window's worth past that one and not
    # an item more, however long the workers keep looking for work.
    source = Counted(1000)
    run = BulkRun(identity, source.numbers(), concurrency=concurrency, window=5)
    with anyio.fail_after(BOUND):
        assert (await run.__anext__()).index == 0
        for _ in range(2000):  # reads are thread hops: poll until they stop, and a while more
            if source.read >= 1 + 5:
                break
            await asyncio.sleep(0.001)
        for _ in range(20):
            await asyncio.sleep(0.002)
        assert source.read == 1 + 5
        await run.aclose()


async def test_a_run_with_nothing_to_do_reports_nothing() -> None:
    with anyio.fail_after(BOUND):
        run: BulkRun[int, int] = BulkRun(identity, [], concurrency=4)
        assert await run.collect() == []
    limiter = run.limiter
    assert (limiter.peak, limiter.in_flight, limiter.admits, limiter.pushbacks) == (0, 0, 0, 0)
    assert (limiter.rate, limiter.lowest_rate, limiter.waited) == (None, None, 0.0)
    assert (run.total, run.done, run.errors) == (0, 0, 0)


async def test_a_run_logs_no_error_however_it_ends(caplog: pytest.LogCaptureFixture) -> None:
    func, _ = scripted({i: [status(InternalServerError, 500)] for i in range(0, 50, 5)})
    with anyio.fail_after(BOUND):
        for stop_after in (0, 1, 50):
            run = BulkRun(func, range(50), concurrency=4, sleep=no_wait)  # with retries
            async for r in run:
                if r.index + 1 >= stop_after:
                    break
            await run.aclose()
            await asyncio.sleep(0)
    assert [r for r in caplog.records if r.levelname == "ERROR"] == []


def test_the_pace_grows_with_the_answers_of_the_last_second_only() -> None:
    clock = FakeClock(100.0)
    limiter = RunLimiter(4, clock=clock)
    for t in (100.0, 100.1, 100.2, 100.3, 100.4, 100.45, 100.46, 100.47):
        clock.now = t
        limiter.admitted()
    clock.now = 100.5
    limiter.pushback(limiter.admits, clock.now, None)
    assert limiter.rate == pytest.approx(15.2)  # 8 answers in the run's first 0.5 s, less 5 %
    clock.now = 101.0
    limiter.admitted()  # 9 answers of the last second (the one at 100.0 too): 15.2 may grow
    assert limiter.rate == pytest.approx(15.2 + 4.0 / 15.2)
    grown = limiter.rate
    clock.now = 101.8
    limiter.admitted()  # only the answers at 101.0 and 101.8 are recent: held
    assert limiter.rate == grown


def test_dropping_a_run_after_its_loop_closed_is_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    loop = asyncio.new_event_loop()

    async def start() -> BulkRun[int, int]:
        run = BulkRun(identity, range(100), concurrency=2)
        assert (await run.__anext__()).value == 0
        return run

    run = loop.run_until_complete(asyncio.wait_for(start(), BOUND))
    loop.close()  # the loop is gone with the workers still pending
    del run
    gc.collect()
    assert unraisable == []


async def test_a_first_push_back_after_another_answer_is_not_held_against_the_item() -> None:
    refused = False

    async def lookup(i: int) -> int:
        nonlocal refused
        if i == 0 and not refused:
            for _ in range(5):
                await asyncio.sleep(0)  # item 1 is answered meanwhile (the run's first answer)
            refused = True
            raise status(RateLimitError, 429, retry_after=0.0)
        await asyncio.sleep(0)
        return i

    with anyio.fail_after(BOUND):
        run = BulkRun(lookup, range(2), concurrency=2, max_retries=0, sleep=no_wait)
        results = await run.collect()
    assert [r.value for r in results] == [0, 1]  # retried although max_retries=0: progress
    assert run.limiter.pushbacks == 1


async def test_waited_adds_up_pauses_and_pacing() -> None:
    clock = FakeClock(100.0)
    limiter = RunLimiter(4, sleep=clock.sleep, clock=clock)
    limiter.admitted()
    clock.now = 100.5
    limiter.pushback(0, clock.now, retry_after=1.0)  # learns 1.8/s; no pause (progress)
    limiter.pushback(limiter.admits, clock.now, retry_after=1.0)  # pause 1 s
    for _ in range(4):
        await limiter.acquire()
        limiter.release()
    assert clock.waits[0] == 1.0  # the pause...
    assert len(clock.waits) == 4  # ...then one wait per slot after the first
    assert limiter.waited == pytest.approx(sum(clock.waits))
    assert limiter.waited > 2.0


async def test_the_run_goes_only_the_steady_window_ahead_unless_the_head_waits() -> None:
    seen_during_retry = 0
    highest = 0
    failed = False

    async def lookup(i: int) -> int:
        nonlocal highest, failed, seen_during_retry
        highest = max(highest, i)
        if i == 0:
            if not failed:
                failed = True
                raise status(InternalServerError, 500)
            highest = 0
            for _ in range(300):  # the head's retry is in flight: it no longer waits
                await asyncio.sleep(0)
            seen_during_retry = highest
        await asyncio.sleep(0)
        return i

    with anyio.fail_after(BOUND):
        run = BulkRun(lookup, range(1000), concurrency=2, sleep=no_wait)
        results = await run.collect()
    assert [r.value for r in results] == list(range(1000))
    assert 0 < seen_during_retry < 64  # steady_window(2): not the wide window (512)
