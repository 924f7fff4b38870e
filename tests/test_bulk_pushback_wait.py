"""How long an item refused with push-back (429) waits before its retry in a bulk run:
briefly while the rest of the run gets through (the run's learned pace keeps it under the
limit), its whole Retry-After (capped) when nothing else does."""

from __future__ import annotations

import asyncio
import collections

import anyio
import backoff
import pytest

from piggy_async import BulkRun, InternalServerError, PiggyError, RateLimitError
from piggy_async._bulk_limits import (
    ITEM_RETRY_CAP,
    PROGRESSING_RETRY_CAP,
    item_retry_delay,
    pushback_retry_delay,
)

from .conftest import SleepRecorder


def _429(retry_after: float | None) -> RateLimitError:
    return RateLimitError("slow down", status_code=429, retry_after=retry_after, method="GET")


@pytest.mark.parametrize(
    ("error", "progressing", "expected"),
    [
        (_429(5.0), True, PROGRESSING_RETRY_CAP),
        (_429(0.1), True, 0.1),  # a shorter Retry-After is kept
        (_429(5.0), False, 5.0),
        (_429(1e9), False, ITEM_RETRY_CAP),
    ],
)
def test_the_wait_of_a_pushed_back_item(
    error: PiggyError, progressing: bool, expected: float
) -> None:
    assert pushback_retry_delay(error, 1, progressing) == expected


def test_without_progress_the_wait_is_the_items_own() -> None:
    error = InternalServerError("boom", status_code=500, method="GET")
    for n in range(1, 6):
        delay = pushback_retry_delay(error, n, False)
        assert 0 <= delay <= ITEM_RETRY_CAP
        assert pushback_retry_delay(_429(3.0), n, False) == item_retry_delay(_429(3.0), n)


async def _run(
    concurrency: int, error: PiggyError | None = None
) -> tuple[list[int], SleepRecorder]:
    """Four items; item 0's first attempt fails with ``error`` (a 429 by default), after
    item 2 got through when other workers run."""
    sleeps = SleepRecorder()
    others_done = asyncio.Event()
    calls: collections.Counter[int] = collections.Counter()

    async def func(x: int) -> int:
        calls[x] += 1
        if x == 0 and calls[x] == 1:
            if concurrency > 1:
                await others_done.wait()  # others get through while this attempt is out
            raise error or _429(5.0)
        if x == 2:
            others_done.set()
        return x * 10

    with anyio.fail_after(10):
        run = BulkRun(func, range(4), concurrency=concurrency, sleep=sleeps)
        results = [r.unwrap() for r in await run.collect()]
    assert calls[0] == 2  # retried, not failed
    return results, sleeps


async def test_a_run_that_gets_through_retries_the_item_soon() -> None:
    results, sleeps = await _run(concurrency=3)
    assert results == [0, 10, 20, 30]
    assert PROGRESSING_RETRY_CAP in sleeps.calls
    assert 5.0 not in sleeps.calls  # neither the item nor the run waited the Retry-After


async def test_a_run_that_does_not_get_through_waits_the_retry_after() -> None:
    results, sleeps = await _run(concurrency=1)
    assert results == [0, 10, 20, 30]
    assert 5.0 in sleeps.calls


async def test_a_server_error_waits_its_own_backoff_even_while_the_run_gets_through(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Only push-back is retried soon: a 500 keeps its exponential backoff (jitter made exact).
    monkeypatch.setattr(backoff, "full_jitter", lambda value: value)
    error = InternalServerError("boom", status_code=500, method="GET")
    results, sleeps = await _run(concurrency=3, error=error)
    assert results == [0, 10, 20, 30]
    first_wait = item_retry_delay(error, 1)
    assert first_wait > PROGRESSING_RETRY_CAP
    assert first_wait in sleeps.calls
    assert PROGRESSING_RETRY_CAP not in sleeps.calls
