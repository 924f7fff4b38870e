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
from types import TracebackType
from typing import Any, Generic, Literal, TypeVar, cast

import msgspec

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


class BulkResult(msgspec.Struct, Generic[I, T], frozen=True):
    """The outcome for one input of a bulk call: ``value`` or ``error``, never both.

    ``index`` is the input's position, ``input`` the input itself.
    """

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

    def try_acquire(self) -> bool:
        """Take a slot without waiting, if one is free and no pause is on."""
        if (
            self.in_flight < int(self.limit)
            and not self._waiters
            and (self.resume_at == 0.0 or self.resume_at <= self._clock())
        ):
            self.in_flight += 1
            return True
        return False

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
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._wake_one()  # pass on the wake-up this waiter got but cannot use
                with contextlib.suppress(ValueError):
                    self._waiters.remove(waiter)
                raise

    def release(self, succeeded: bool) -> None:
        """A call is done; grow the limit after a success and wake whoever now fits."""
        self.in_flight -= 1
        if succeeded:
            self.limit = aimd_increase(self.limit, self.maximum)
        waiters = self._waiters
        free = int(self.limit) - self.in_flight
        while free > 0 and waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                free -= 1

    def _wake_one(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return

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


def _length(inputs: object) -> int | None:
    try:
        return len(inputs)  # type: ignore[arg-type]
    except TypeError:
        return None


class _State(Generic[I, T]):
    """What a run's workers share. It holds no reference to the BulkRun, so that a run
    abandoned by its consumer is freed (and cancels its workers) even while they run."""

    def __init__(
        self,
        func: Callable[[I], Awaitable[T]],
        limiter: AdaptiveLimiter,
        progress: _Progress,
        window: int,
        sync_inputs: Iterator[I] | None,
        async_inputs: AsyncIterator[I] | None,
    ) -> None:
        self.func = func
        self.limiter = limiter
        self.progress = progress
        self.window = window
        self.sync_inputs = sync_inputs
        self.async_inputs = async_inputs
        self.input_lock = asyncio.Lock() if async_inputs is not None else None
        self.results: dict[int, BulkResult[I, T]] = {}
        self.next_index = 0  # inputs taken so far
        self.yielded = 0  # results handed to the consumer so far
        self.exhausted = False
        self.failure: BaseException | None = None
        self.head_ready = asyncio.Event()  # the result the consumer waits for may be in
        self.room = asyncio.Event()  # the window moved: workers may take more inputs

    def observe(self, error: PiggyError, started: float) -> None:
        """Told of every failed attempt (through the transport's attempt observer)."""
        if is_pushback(error):
            retry_after = error.retry_after if isinstance(error, APIStatusError) else None
            self.limiter.pushback(started, retry_after)

    def take_now(self) -> tuple[int, I] | Literal[False] | None:
        """The next input and its index; None when none is left; False when the window is
        full or the input is asynchronous (then use ``take``)."""
        if self.exhausted:
            return None
        if self.sync_inputs is None or self.next_index - self.yielded >= self.window:
            return False
        try:
            item = next(self.sync_inputs)
        except StopIteration:
            self.finish(None)
            return None
        except Exception as exc:  # the input itself failed (an unreadable file, ...)
            self.finish(exc)
            return None
        index = self.next_index
        self.next_index += 1
        return index, item

    async def take(self) -> tuple[int, I] | None:
        """The next input and its index, once the window has room; None when none is left."""
        while not self.exhausted and self.next_index - self.yielded >= self.window:
            self.room.clear()
            await self.room.wait()
        if self.sync_inputs is not None:
            taken = self.take_now()
            assert taken is not False
            return taken
        if self.exhausted:
            return None
        assert self.async_inputs is not None
        assert self.input_lock is not None
        try:
            async with self.input_lock:
                if self.exhausted:
                    return None
                item = await anext(self.async_inputs)
        except StopAsyncIteration:
            self.finish(None)
            return None
        except Exception as exc:
            self.finish(exc)
            return None
        index = self.next_index
        self.next_index += 1
        return index, item

    def finish(self, failure: BaseException | None) -> None:
        self.exhausted = True
        if failure is not None and self.failure is None:
            self.failure = failure
        self.head_ready.set()
        self.room.set()


async def _worker(state: _State[I, T]) -> None:
    """Take inputs in order and call ``func`` on each, until the input runs out."""
    attempt_observer.set(state.observe)
    limiter, func, results, progress = state.limiter, state.func, state.results, state.progress
    while True:
        taken = state.take_now()
        if taken is False:
            taken = await state.take()
        if taken is None:
            return
        index, item = taken
        if not limiter.try_acquire():
            await limiter.acquire()
        succeeded = False
        try:
            value = await func(item)
            succeeded = True
            result: BulkResult[I, T] = BulkResult(index, item, value, None)
        except PiggyError as error:
            result = BulkResult(index, item, None, error)
        except Exception as exc:  # a bug in func: end the run with it, as the consumer's error
            state.finish(exc)
            return
        finally:
            limiter.release(succeeded)
        results[index] = result
        progress.record(succeeded)
        if index == state.yielded:
            state.head_ready.set()


class BulkRun(Generic[I, T]):
    """An async iterator of :class:`BulkResult`, one per input, in input order.

    ``async for result in run`` streams; ``await run.collect()`` returns the list.
    Breaking out, ``await run.aclose()``, or leaving ``async with run`` cancels the calls
    still in flight. ``limiter`` exposes the adaptive concurrency (``limiter.lowest`` is the
    lowest concurrency the run went down to).

    Underneath, ``concurrency`` worker tasks take inputs in order (at most ``window`` ahead
    of the oldest result not yet handed out) and park results until their turn.
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
        sync_inputs: Iterator[I] | None = None
        async_inputs: AsyncIterator[I] | None = None
        if isinstance(inputs, AsyncIterable):
            async_inputs = aiter(inputs)
        elif isinstance(inputs, Iterable) and not isinstance(inputs, (str, bytes)):
            sync_inputs = iter(inputs)
        else:
            raise InvalidArgumentError(
                f"inputs must be an iterable of items, not {type(inputs).__name__}",
                argument="inputs",
            )
        self.total = _length(inputs)
        self.concurrency = concurrency
        self.limiter = AdaptiveLimiter(concurrency, sleep=sleep)
        # How far ahead of the oldest unfinished item calls may run (keeps order, bounds memory).
        self.window = window or max(2 * concurrency, concurrency + 8)
        self._progress = _Progress(self.total, on_progress)
        self._func = func
        self._inputs = (sync_inputs, async_inputs)
        self._state: _State[I, T] | None = None
        self._workers: list[asyncio.Task[None]] = []
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

    def _start(self) -> _State[I, T]:
        state = _State(self._func, self.limiter, self._progress, self.window, *self._inputs)
        self._state = state
        self._workers = [asyncio.ensure_future(_worker(state)) for _ in range(self.concurrency)]
        return state

    async def __anext__(self) -> BulkResult[I, T]:
        if self._closed:
            raise StopAsyncIteration
        state = self._state or self._start()
        try:
            while True:
                result = state.results.pop(state.yielded, None)
                if result is not None:
                    state.yielded += 1
                    state.room.set()
                    return result
                if state.failure is not None:
                    raise state.failure
                if state.exhausted and state.yielded >= state.next_index:
                    self._closed = True
                    raise StopAsyncIteration
                state.head_ready.clear()
                await state.head_ready.wait()
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
        state = self._state
        assert state is not None
        results = state.results
        while len(batch) < max_items and state.yielded in results:
            batch.append(results.pop(state.yielded))
            state.yielded += 1
        state.room.set()
        return batch

    # -- shutdown --------------------------------------------------------------------------

    def _cancel_all(self) -> None:
        self._closed = True
        for task in self._workers:
            if not task.done():
                task.cancel()

    async def aclose(self) -> None:
        """Cancel the calls still in flight and wait until they are gone."""
        self._closed = True
        workers, self._workers = self._workers, []
        for task in workers:
            task.cancel()
        if workers:
            await asyncio.gather(*workers, return_exceptions=True)
        closer: Any = getattr(self._inputs[1], "aclose", None)
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
        # Dropped after an early `break` without aclose(): cancel the workers. The loop may
        # run in another thread (the sync facade), so cancel through call_soon_threadsafe.
        for task in getattr(self, "_workers", ()):
            if not task.done():
                with contextlib.suppress(RuntimeError):  # the loop is already closed
                    task.get_loop().call_soon_threadsafe(task.cancel)
