"""Bulk calls: an ordered, bounded, lazily fed concurrent map with adaptive concurrency.

``BulkRun(func, inputs, ...)`` calls ``func`` on every input with at most ``concurrency``
calls in flight and yields one :class:`BulkResult` per input, in input order. Inputs are
pulled only as the window frees up (a generator of millions is fine); a failed item is a
result carrying its error, never the end of the run.

When Piggy pushes back (429 or 503 on any attempt), the run halves its concurrency and
pauses new calls for the ``Retry-After`` it was given; every success adds back a little
(additive increase, multiplicative decrease: at most one decrease per round of requests).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Generic, TypeVar, cast

from ._transport import attempt_observer
from ._validate import check_int
from .errors import (
    APIStatusError,
    InvalidArgumentError,
    MaintenanceError,
    PiggyError,
    RateLimitError,
)

__all__ = [
    "DEFAULT_CONCURRENCY",
    "AdaptiveLimiter",
    "BulkResult",
    "BulkRun",
    "ProgressCallback",
    "aimd_decrease",
    "aimd_increase",
]

I = TypeVar("I")  # noqa: E741 - the conventional name for an input type
T = TypeVar("T")

#: Calls in flight at once when the caller does not say.
DEFAULT_CONCURRENCY = 16

#: ``on_progress(done, total, errors)``: ``total`` is None when the input has no length.
ProgressCallback = Callable[[int, "int | None", int], None]


@dataclass(frozen=True)
class BulkResult(Generic[I, T]):
    """The outcome for one input of a bulk call: ``value`` or ``error``, never both.

    ``index`` is the input's position, ``input`` the input itself.
    """

    __slots__ = ("error", "index", "input", "value")

    index: int
    input: I
    value: T | None
    error: PiggyError | None

    @property
    def ok(self) -> bool:
        """True when the call succeeded."""
        return self.error is None

    def unwrap(self) -> T:
        """The value, or raise the item's error."""
        if self.error is not None:
            raise self.error
        return cast(T, self.value)


def aimd_increase(limit: float, maximum: int) -> float:
    """After a success: grow by about one slot per ``limit`` successes, up to ``maximum``."""
    return min(float(maximum), limit + 1.0 / limit)


def aimd_decrease(limit: float, minimum: int = 1) -> float:
    """After push-back: halve, not below ``minimum``."""
    return max(float(minimum), limit / 2.0)


def is_pushback(error: PiggyError) -> bool:
    """Does this failure mean "slow down"? (429 Too Many Requests, 503 maintenance)"""
    return isinstance(error, (RateLimitError, MaintenanceError))


class AdaptiveLimiter:
    """Admits calls while fewer than ``int(limit)`` are in flight and no pause is active.

    ``limit`` starts at ``maximum``, is halved on push-back (once per round: only an
    attempt that started after the last decrease can cause another) and grows back on
    success.
    """

    def __init__(
        self,
        maximum: int,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.maximum = maximum
        self.limit = float(maximum)
        self.lowest = float(maximum)
        self.in_flight = 0
        self.decreased_at = float("-inf")
        self.resume_at = 0.0
        self._sleep = sleep
        self._clock = clock
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self) -> None:
        """Wait for a slot (and for the end of any pause Piggy asked for)."""
        waited_until = float("-inf")
        while True:
            # Sleep once per pause Piggy asked for (re-checked only if it was extended).
            if self.resume_at > waited_until:
                waited_until = self.resume_at
                pause = waited_until - self._clock()
                if pause > 0:
                    await self._sleep(pause)
                    continue
            if self.in_flight < int(self.limit):
                self.in_flight += 1
                return
            waiter = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            finally:
                if not waiter.done():
                    waiter.cancel()
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)

    def release(self, succeeded: bool) -> None:
        """A call is done; grow the limit after a success and wake whoever now fits."""
        self.in_flight -= 1
        if succeeded:
            self.limit = aimd_increase(self.limit, self.maximum)
        free = int(self.limit) - self.in_flight
        for waiter in list(self._waiters)[: max(free, 0)]:
            if not waiter.done():
                waiter.set_result(None)

    def pushback(self, started: float, retry_after: float | None) -> None:
        """Piggy said "slow down" to an attempt sent at ``started`` (monotonic time)."""
        if started >= self.decreased_at:
            self.limit = aimd_decrease(self.limit)
            self.lowest = min(self.lowest, self.limit)
            self.decreased_at = time.monotonic()
        if retry_after:
            self.resume_at = max(self.resume_at, self._clock() + retry_after)


class _Progress:
    """Counts results and reports them to the caller's ``on_progress``."""

    __slots__ = ("callback", "done", "errors", "total")

    def __init__(self, total: int | None, callback: ProgressCallback | None) -> None:
        self.total = total
        self.callback = callback
        self.done = 0
        self.errors = 0

    def record(self, succeeded: bool) -> None:
        self.done += 1
        if not succeeded:
            self.errors += 1
        if self.callback is not None:
            self.callback(self.done, self.total, self.errors)


async def _one(
    func: Callable[[I], Awaitable[T]],
    limiter: AdaptiveLimiter,
    progress: _Progress,
    index: int,
    item: I,
) -> BulkResult[I, T]:
    """Run one item under the limiter; its failed attempts feed the limiter's back-off."""
    await limiter.acquire()
    succeeded = False

    def observe(error: PiggyError, started: float) -> None:
        if is_pushback(error):
            retry_after = error.retry_after if isinstance(error, APIStatusError) else None
            limiter.pushback(started, retry_after)

    attempt_observer.set(observe)
    try:
        value = await func(item)
        succeeded = True
        result: BulkResult[I, T] = BulkResult(index, item, value, None)
    except PiggyError as error:
        result = BulkResult(index, item, None, error)
    finally:
        limiter.release(succeeded)
    progress.record(succeeded)
    return result


def _length(inputs: object) -> int | None:
    try:
        return len(inputs)  # type: ignore[arg-type]
    except TypeError:
        return None


class BulkRun(Generic[I, T]):
    """An async iterator of :class:`BulkResult`, one per input, in input order.

    ``async for result in run`` streams; ``await run.collect()`` returns the list.
    Breaking out, ``await run.aclose()``, or leaving ``async with run`` cancels the calls
    still in flight. ``limiter`` exposes the adaptive concurrency (``limiter.lowest`` is the
    lowest concurrency the run went down to).
    """

    def __init__(
        self,
        func: Callable[[I], Awaitable[T]],
        inputs: Iterable[I] | AsyncIterable[I],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_progress: ProgressCallback | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        window: int | None = None,
    ) -> None:
        check_int(concurrency, "concurrency", 1, 10_000)
        if on_progress is not None and not callable(on_progress):
            raise InvalidArgumentError("on_progress must be callable", argument="on_progress")
        self._func = func
        self._sync_inputs: Iterator[I] | None = None
        self._async_inputs: AsyncIterator[I] | None = None
        if isinstance(inputs, AsyncIterable):
            self._async_inputs = aiter(inputs)
        elif isinstance(inputs, Iterable) and not isinstance(inputs, (str, bytes)):
            self._sync_inputs = iter(inputs)
        else:
            raise InvalidArgumentError(
                f"inputs must be an iterable of items, not {type(inputs).__name__}",
                argument="inputs",
            )
        self.total = _length(inputs)
        self.limiter = AdaptiveLimiter(concurrency, sleep=sleep)
        # How far ahead of the oldest unfinished item calls may run (keeps order, bounds memory).
        self.window = window or max(2 * concurrency, concurrency + 8)
        self._progress = _Progress(self.total, on_progress)
        self._pending: deque[asyncio.Task[BulkResult[I, T]]] = deque()
        self._next_index = 0
        self._exhausted = False
        self._closed = False

    @property
    def done(self) -> int:
        """How many inputs have a result so far."""
        return self._progress.done

    @property
    def errors(self) -> int:
        """How many of those results are errors."""
        return self._progress.errors

    # -- iteration -------------------------------------------------------------------------

    def __aiter__(self) -> BulkRun[I, T]:
        return self

    async def __anext__(self) -> BulkResult[I, T]:
        if self._closed:
            raise StopAsyncIteration
        try:
            await self._fill()
            if not self._pending:
                self._closed = True
                raise StopAsyncIteration
            head = self._pending[0]
            result = await head
            self._pending.popleft()
            await self._fill()
            return result
        except (asyncio.CancelledError, GeneratorExit):
            self._cancel_all()
            raise
        except StopAsyncIteration:
            raise
        except BaseException:
            self._cancel_all()
            raise

    async def collect(self) -> list[BulkResult[I, T]]:
        """Run to the end and return every result, in input order."""
        return [result async for result in self]

    async def next_batch(self, max_items: int = 256) -> list[BulkResult[I, T]]:
        """The next result (waiting for it) plus those right behind it that are already
        done, up to ``max_items``; ``[]`` at the end. Lets a consumer in another thread
        (the sync facade) take results in batches instead of one hop per item."""
        try:
            batch = [await self.__anext__()]
        except StopAsyncIteration:
            return []
        pending = self._pending
        while len(batch) < max_items and pending and pending[0].done():
            batch.append(await self.__anext__())
        return batch

    async def _fill(self) -> None:
        while not self._exhausted and len(self._pending) < self.window:
            try:
                if self._sync_inputs is not None:
                    item = next(self._sync_inputs)
                else:
                    assert self._async_inputs is not None
                    item = await anext(self._async_inputs)
            except (StopIteration, StopAsyncIteration):
                self._exhausted = True
                return
            index = self._next_index
            self._next_index += 1
            # The task must not reference self: an abandoned run is then freed (and its
            # __del__ cancels the tasks) even while they are still running.
            coro = _one(self._func, self.limiter, self._progress, index, item)
            self._pending.append(asyncio.ensure_future(coro))

    # -- shutdown --------------------------------------------------------------------------

    def _cancel_all(self) -> None:
        self._closed = True
        for task in self._pending:
            if not task.done():
                task.cancel()

    async def aclose(self) -> None:
        """Cancel the calls still in flight and wait until they are gone."""
        self._closed = True
        pending = list(self._pending)
        self._pending.clear()
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        closer: Any = getattr(self._async_inputs, "aclose", None)
        if closer is not None:
            await closer()

    async def __aenter__(self) -> BulkRun[I, T]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __del__(self) -> None:
        # Dropped after an early `break` without aclose(): cancel what is still running.
        for task in getattr(self, "_pending", ()):
            if not task.done():
                with contextlib.suppress(RuntimeError):  # the loop is already closed
                    task.cancel()
