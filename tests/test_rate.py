"""``max_rate``'s limiter (``piggy_async._rate.RateLimiter``) on a fake clock: a turn whose
caller gives up before it comes (cancelled in its wait) is free again for the next caller."""

from __future__ import annotations

import asyncio
import math

import pytest

from piggy_async._rate import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def _take(limiter: RateLimiter, within: float | None = None) -> float | None:
    """The wait of the turn a caller gets (None: refused as further than ``within``)."""
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)

    if not await limiter.acquire(sleep, within):
        return None
    return waited[0] if waited else 0.0


async def _waiting(limiter: RateLimiter) -> tuple[asyncio.Task[bool], list[float]]:
    """A caller that has reserved its turn and waits for it (until cancelled)."""
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        await asyncio.Event().wait()

    task = asyncio.ensure_future(limiter.acquire(sleep))
    await asyncio.sleep(0)
    assert waited, "the caller has not reserved its turn"
    return task, waited


async def _give_up(task: asyncio.Task[bool]) -> None:
    task.cancel()
    (outcome,) = await asyncio.gather(task, return_exceptions=True)
    assert isinstance(outcome, asyncio.CancelledError)


async def _with_a_hole(clock: Clock) -> RateLimiter:
    """10 turns a second: turn 0 taken, turn 0.1 given back (its caller cancelled after
    turn 0.2 was taken)."""
    limiter = RateLimiter(10, clock=clock)
    assert await _take(limiter) == 0.0
    waiting, _ = await _waiting(limiter)  # turn 0.1
    assert limiter.reserve() == pytest.approx(0.2)
    await _give_up(waiting)
    return limiter


async def test_the_last_turn_given_back_is_the_next_callers() -> None:
    limiter = RateLimiter(10, clock=Clock())
    assert await _take(limiter) == 0.0
    waiting, waited = await _waiting(limiter)
    assert waited == [pytest.approx(0.1)]
    await _give_up(waiting)
    assert await _take(limiter) == pytest.approx(0.1)  # not 0.2
    assert await _take(limiter) == pytest.approx(0.2)


async def test_a_turn_given_back_between_others_is_taken_first() -> None:
    limiter = await _with_a_hole(Clock())
    assert limiter.reserve() == pytest.approx(0.1)  # the hole, first
    assert limiter.reserve() == pytest.approx(0.3)  # then the schedule goes on


async def test_turns_given_back_at_the_end_move_the_schedule_back_past_earlier_holes() -> None:
    limiter = RateLimiter(10, clock=Clock())
    assert await _take(limiter) == 0.0
    first, _ = await _waiting(limiter)  # turn 0.1
    second, _ = await _waiting(limiter)  # turn 0.2
    await _give_up(first)  # a hole before the last turn...
    await _give_up(second)  # ...then the last turn given back
    assert [limiter.reserve() for _ in range(3)] == pytest.approx([0.1, 0.2, 0.3])


async def test_a_hole_whose_time_has_passed_is_forgotten() -> None:
    clock = Clock()
    limiter = await _with_a_hole(clock)
    clock.now += 1.0  # past every turn reserved: no wait, the hole in the past not reused
    assert [limiter.reserve() for _ in range(2)] == pytest.approx([0.0, 0.1])


async def test_a_hole_further_than_the_callers_deadline_is_refused_and_kept() -> None:
    limiter = await _with_a_hole(Clock())
    assert await _take(limiter, within=0.05) is None  # the hole at 0.1 is too far
    assert limiter.reserve(0.05) == math.inf
    assert await _take(limiter, within=0.15) == pytest.approx(0.1)  # kept for this one


async def test_a_turn_given_back_after_its_time_changes_nothing() -> None:
    clock = Clock()
    limiter = RateLimiter(10, clock=clock)
    assert await _take(limiter) == 0.0
    waited: list[float] = []

    async def late_cancel(seconds: float) -> None:  # cancelled once its turn has come
        waited.append(seconds)
        clock.now += seconds
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await limiter.acquire(late_cancel)
    assert waited == [pytest.approx(0.1)]
    assert await _take(limiter) == pytest.approx(0.1)  # the schedule went on: turn 0.2
