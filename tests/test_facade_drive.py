"""``piggy_sync._drive.drive``: a piggy_sync loop run in the calling thread until one call's
task is done, with two I/O polls fewer than ``run_until_complete`` and the same state
around the loop (running loop, loop thread, async-generator hooks) set and put back."""

from __future__ import annotations

import asyncio
import selectors
import sys
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from piggy_sync import _drive
from piggy_sync._drive import drive


class _CountingSelector(selectors.DefaultSelector):  # type: ignore[misc,valid-type]
    def __init__(self) -> None:
        super().__init__()
        self.polls = 0

    def select(self, timeout: float | None = None) -> Any:
        self.polls += 1
        return super().select(timeout)


@pytest.fixture
def counted() -> Iterator[tuple[asyncio.AbstractEventLoop, _CountingSelector]]:
    selector = _CountingSelector()
    loop = asyncio.SelectorEventLoop(selector)
    try:
        yield loop, selector
    finally:
        loop.close()


async def _value(value: Any) -> Any:
    return value


async def _after_one_callback(value: Any) -> Any:
    future = asyncio.get_running_loop().create_future()
    asyncio.get_running_loop().call_soon(future.set_result, value)
    return await future


def test_the_result_comes_back_with_no_poll_for_a_call_that_never_waits(counted: Any) -> None:
    loop, selector = counted
    assert drive(loop, loop.create_task(_value(41))) == 41
    assert selector.polls == 0  # run_until_complete polls twice for this


def test_a_call_that_waits_for_one_callback_polls_twice_and_stops_when_its_task_is_done(
    counted: Any,
) -> None:
    loop, selector = counted
    later: list[str] = []

    async def call() -> str:
        value = await _after_one_callback("x")
        asyncio.get_running_loop().call_soon(later.append, "next iteration")
        return value

    assert drive(loop, loop.create_task(call())) == "x"
    assert selector.polls == 2  # the callback's iteration, then the task's
    assert later == []  # no iteration ran after the task ended
    loop.run_until_complete(_value(None))
    assert later == ["next iteration"]  # it stayed due and runs with the next call

    selector.polls = 0
    assert loop.run_until_complete(loop.create_task(_after_one_callback("y"))) == "y"
    assert selector.polls == 4  # one before the first step, one after the task ended


def test_the_calls_exception_is_raised(counted: Any) -> None:
    loop, _ = counted

    async def fails() -> None:
        await asyncio.sleep(0)
        raise LookupError("the call's own error")

    with pytest.raises(LookupError, match="the call's own error"):
        drive(loop, loop.create_task(fails()))
    assert asyncio._get_running_loop() is None


def test_inside_the_call_the_loop_runs_here_and_afterwards_nothing_is_left_set(
    counted: Any,
) -> None:
    loop, _ = counted
    seen: dict[str, Any] = {}

    def firstiter(agen: Any) -> None:
        pass

    def finalizer(agen: Any) -> None:
        pass

    async def look() -> None:
        seen["running"] = asyncio.get_running_loop()
        seen["is_running"] = loop.is_running()
        seen["hooks"] = sys.get_asyncgen_hooks()
        await asyncio.sleep(0)

    before = sys.get_asyncgen_hooks()
    sys.set_asyncgen_hooks(firstiter=firstiter, finalizer=finalizer)
    try:
        drive(loop, loop.create_task(look()))
        assert sys.get_asyncgen_hooks() == (firstiter, finalizer)
    finally:
        sys.set_asyncgen_hooks(*before)
    assert seen["running"] is loop
    assert seen["is_running"] is True
    assert seen["hooks"].firstiter == loop._asyncgen_firstiter_hook  # type: ignore[attr-defined]
    assert seen["hooks"].finalizer == loop._asyncgen_finalizer_hook  # type: ignore[attr-defined]
    assert asyncio._get_running_loop() is None
    assert not loop.is_running()


def test_state_is_put_back_when_the_loop_itself_raises(counted: Any) -> None:
    loop, _ = counted

    def interrupt() -> None:
        raise KeyboardInterrupt

    async def call() -> None:
        asyncio.get_running_loop().call_soon(interrupt)
        await asyncio.sleep(3600)

    task = loop.create_task(call())
    hooks = sys.get_asyncgen_hooks()
    with pytest.raises(KeyboardInterrupt):
        drive(loop, task)
    assert asyncio._get_running_loop() is None
    assert not loop.is_running()
    assert sys.get_asyncgen_hooks() == hooks
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        drive(loop, task)  # the loop is usable again


def test_an_async_generator_left_open_in_a_call_is_closed_by_shutdown_asyncgens(
    counted: Any,
) -> None:
    loop, _ = counted
    closed: list[bool] = []
    kept: list[AsyncIterator[int]] = []

    async def numbers() -> AsyncIterator[int]:
        try:
            yield 1
            yield 2
        finally:
            closed.append(True)

    async def call() -> int:
        agen = numbers()
        kept.append(agen)
        return await agen.__anext__()

    assert drive(loop, loop.create_task(call())) == 1
    assert closed == []
    loop.run_until_complete(loop.shutdown_asyncgens())
    assert closed == [True]


def test_loop_stop_inside_the_call_fails_like_run_until_complete_and_is_reset(
    counted: Any,
) -> None:
    loop, _ = counted

    async def stops() -> None:
        asyncio.get_running_loop().stop()
        await asyncio.sleep(0)
        await asyncio.sleep(0)

    task = loop.create_task(stops())
    with pytest.raises(RuntimeError, match=r"^Event loop stopped before Future completed\.$"):
        drive(loop, task)
    assert drive(loop, task) is None  # not stopped again: the call finishes


def test_a_lone_cancelled_callback_is_not_run(counted: Any) -> None:
    loop, _ = counted
    ran: list[str] = []
    handle = loop.call_soon(ran.append, "cancelled")
    handle.cancel()
    future = loop.create_future()
    loop.call_later(0.01, future.set_result, "done")
    assert drive(loop, future) == "done"  # type: ignore[arg-type]
    assert ran == []


def test_a_future_with_nothing_ready_waits_for_its_timer(counted: Any) -> None:
    loop, selector = counted
    future = loop.create_future()
    loop.call_later(0.01, future.set_result, "timer")
    assert drive(loop, future) == "timer"  # type: ignore[arg-type]
    assert selector.polls >= 1


def test_a_closed_or_busy_loop_is_refused(counted: Any) -> None:
    loop, _ = counted
    closed = asyncio.SelectorEventLoop()
    closed.close()
    coro = _value(1)
    with pytest.raises(RuntimeError, match=r"^Event loop is closed$"):
        drive(closed, coro)  # type: ignore[arg-type]
    coro.close()

    async def inside() -> None:
        future = loop.create_future()
        with pytest.raises(RuntimeError, match=r"^a loop is already running in this thread$"):
            drive(loop, future)

    other = asyncio.new_event_loop()
    try:
        other.run_until_complete(inside())
    finally:
        other.close()


@pytest.mark.parametrize("reason", ["debug", "no internals"])
def test_run_until_complete_itself_in_debug_mode_or_without_the_internals(
    counted: Any, monkeypatch: pytest.MonkeyPatch, reason: str
) -> None:
    loop, _ = counted
    used: list[Any] = []
    real = loop.run_until_complete

    def spy(future: Any) -> Any:
        used.append(future)
        return real(future)

    monkeypatch.setattr(loop, "run_until_complete", spy)
    if reason == "debug":
        loop.set_debug(True)
    else:
        monkeypatch.setattr(_drive, "FAST", False)
    task = loop.create_task(_value(7))
    assert drive(loop, task) == 7
    assert used == [task]


def test_this_asyncio_has_the_internals() -> None:
    assert _drive.FAST  # 3.10 to 3.13: the fast path is what CI measures
