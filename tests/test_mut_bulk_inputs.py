"""Bulk inputs (``_bulk_inputs``): a threaded input tells the loop of every item it reads,
not only the first; an async input is read by one worker at a time; and an input thread
still reading when its loop has closed reads on quietly."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator

import anyio

from piggy_async import BulkRun
from piggy_async._bulk_inputs import Inputs

BOUND = 5  # seconds: every run here ends in milliseconds unless the runner misses a wake-up


async def echo(i: int) -> int:
    await asyncio.sleep(0)
    return i


async def test_each_item_a_paused_input_reads_is_handed_over_not_only_the_first() -> None:
    first_seen, go_on = threading.Event(), threading.Event()

    def pipe() -> Iterator[int]:  # one line, a pause, a second line, then a longer pause
        yield 0
        first_seen.wait(4 * BOUND)
        yield 1
        go_on.wait(4 * BOUND)
        yield 2

    try:
        with anyio.fail_after(BOUND):
            run = BulkRun(echo, pipe(), concurrency=4)
            first = await run.__anext__()
            await asyncio.sleep(0.05)  # every worker back to waiting: only a tell can wake one
            first_seen.set()
            second = await run.__anext__()  # (not held until the read of 64 is over)
            go_on.set()
            rest = await run.collect()
    finally:
        first_seen.set()
        go_on.set()
    assert [r.value for r in [first, second, *rest]] == [0, 1, 2]


async def test_an_async_input_is_awaited_by_one_worker_at_a_time() -> None:
    inside = 0
    most = 0

    async def source() -> AsyncIterator[int]:  # each item takes a few turns of the loop
        nonlocal inside, most
        for i in range(20):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            inside -= 1
            yield i

    with anyio.fail_after(BOUND):
        results = await BulkRun(echo, source(), concurrency=4).collect()
    assert [r.value for r in results] == list(range(20))
    assert [r.error for r in results] == [None] * 20
    assert most == 1


def test_a_read_that_outlives_its_loop_goes_on_without_telling_it() -> None:
    loop = asyncio.new_event_loop()
    loop.close()  # (as when the run's loop ended while the input thread was in next())
    told: list[int] = []
    inputs = Inputs(iter(x for x in range(5)))  # a generator: read in a thread
    assert inputs.threaded
    assert inputs._read(loop, 3, lambda: told.append(1)) == (False, None)
    assert list(inputs.buffer) == [0, 1, 2]
    assert told == []
