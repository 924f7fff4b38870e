"""Bulk calls: a bounded, lazily fed, rate-aware concurrent map, in input order or not.

``BulkRun(func, inputs, ...)`` calls ``func`` on every input with at most ``concurrency``
attempts in flight and yields one :class:`BulkResult` per input. Inputs are pulled only as
the window frees up (a generator of millions is fine); a failed item is a result carrying
its error, never the end of the run.

The run owns the retries of its items: a retry waits at the run's limiter like a new call.
When Piggy pushes back (429, 503) the run paces itself at the rate Piggy admits (see
:mod:`piggy_async._bulk_limits`) and retries the item; a push-back counts against the
item's ``max_retries`` only when the run made no progress meanwhile. An error that will fail
every item (authentication, permission, configuration, or a run of connection failures
with no answer) ends the run at once with that error.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterable, Awaitable, Callable, Iterable
from types import TracebackType
from typing import Generic, TypeVar, cast

import msgspec

from . import _config
from ._bulk_inputs import Inputs, length_of
from ._bulk_limits import RunLimiter
from ._bulk_worker import Done, State, _worker
from ._rate import Deferred
from ._validate import check_flag, check_int
from .errors import InvalidArgumentError, PiggyError

__all__ = ["DEFAULT_CONCURRENCY", "BulkResult", "BulkRun", "ProgressCallback", "default_window"]

I = TypeVar("I")  # noqa: E741 - the conventional name for an input type
T = TypeVar("T")

#: Attempts in flight at once when the caller does not say.
DEFAULT_CONCURRENCY = 16

#: ``on_progress(done, total, errors)``: ``total`` is None when the input has no length.
#: It may also be an ``async def``; if it raises, the run ends with that error.
ProgressCallback = Callable[[int, "int | None", int], "Awaitable[None] | None"]


def default_window(concurrency: int) -> int:
    """How far ahead of the oldest undelivered item the run may go while that item waits
    for its retry: wide enough that a second's wait does not stall the others at Piggy's
    pace. (Otherwise it goes ``max(64, 4 * concurrency)`` ahead at most: parked results
    cost memory.)"""
    return max(512, 32 * concurrency)


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


class BulkRun(Generic[I, T]):
    """An async iterator of :class:`BulkResult`, one per input, in input order
    (``ordered=False``: in the order they finish).

    ``async for result in run`` streams; ``await run.collect()`` returns the list.
    ``await run.aclose()`` or leaving ``async with run`` cancels the calls still in flight;
    so does breaking out once the run is dropped (a run kept in a variable goes on until
    closed). ``limiter`` shows how the run paced itself (``limiter.rate``: the requests/s
    it settled on after Piggy pushed back while others got through, None if it never did;
    ``limiter.peak``: the most attempts in flight at once).

    ``window``: how many inputs may be taken ahead of the oldest result not yet handed out
    (bounds memory; default :func:`default_window`). ``max_retries``: failed attempts of one
    item, in a row, before it is given up (a push-back while other items get through does
    not count). ``decode_at_delivery``: ``func`` returns raw bodies that are decoded when
    their result is handed out (used by ``get_many``: keeps parked results small).
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
        ordered: bool = True,
        max_retries: int = _config.DEFAULT_MAX_RETRIES,
        decode_at_delivery: bool = False,
    ) -> None:
        check_int(concurrency, "concurrency", 1, 10_000)
        if window is not None:
            check_int(window, "window", 1, 10_000_000)
        check_int(max_retries, "max_retries", 0, 1000)
        if on_progress is not None and not callable(on_progress):
            raise InvalidArgumentError("on_progress must be callable", argument="on_progress")
        self._inputs = Inputs(inputs)
        self.total = length_of(inputs)
        self.concurrency = concurrency
        self.ordered = check_flag(ordered, "ordered")
        self.max_retries = max_retries
        self.limiter = RunLimiter(concurrency, sleep=sleep)
        self.window = max(window or default_window(concurrency), concurrency)
        self._on_progress = on_progress
        self._func = func
        self._sleep = sleep
        self._deferred = decode_at_delivery
        self._state: State | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._closed = False
        #: What ``on_progress`` raised: the run ended there (its workers are cancelled); the
        #: result in hand was handed out, and the next call for a result raises this.
        self._progress_error: Exception | None = None
        self._done = 0
        self._errors = 0

    @property
    def done(self) -> int:
        """How many results have been handed out so far."""
        return self._done

    @property
    def errors(self) -> int:
        """How many of those results are errors."""
        return self._errors

    # -- iteration -------------------------------------------------------------------------

    def __aiter__(self) -> BulkRun[I, T]:
        return self

    def _start(self) -> State:
        state = State(
            self._func,
            self._inputs,
            self.limiter,
            window=self.window,
            ordered=self.ordered,
            max_retries=self.max_retries,
            deferred=self._deferred,
            sleep=self._sleep,
        )
        self._state = state
        self._workers = [asyncio.ensure_future(_worker(state)) for _ in range(self.concurrency)]
        for task in self._workers:
            task.add_done_callback(state.worker_ended)
        return state

    def _result(self, entry: Done) -> BulkResult[I, T]:
        index, item, value, error = entry
        if isinstance(value, Deferred):
            try:
                value = value()
            except PiggyError as exc:
                value, error = None, exc
        self._done += 1
        if error is not None:
            self._errors += 1
        return BulkResult(index, item, value, error)

    async def _report(self, callback: ProgressCallback) -> None:
        """Tell ``callback`` the progress. If it raises, the run ends: its workers are
        cancelled now, and the next call for a result raises what it raised."""
        try:
            outcome = callback(self._done, self.total, self._errors)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception as exc:
            self._progress_error = exc
            self._cancel_all()

    async def __anext__(self) -> BulkResult[I, T]:
        if self._closed:  # (what on_progress raised closed it: raised once, here)
            error, self._progress_error = self._progress_error, None
            if error is not None:
                raise error
            raise StopAsyncIteration
        state = self._state or self._start()
        try:
            while True:
                entry = state.pop_ready()
                if entry is not None:
                    state.delivered += 1
                    state.wake.set()
                    result = self._result(entry)
                    if self._on_progress is not None:  # (no coroutine per result without)
                        await self._report(self._on_progress)
                    return result
                if state.failure is not None:
                    raise state.failure
                if state.finished:
                    self._closed = True
                    if self._inputs.error is not None:  # raised by the input, after its items
                        raise self._inputs.error
                    raise StopAsyncIteration
                state.head_ready.clear()
                await state.head_ready.wait()
        except StopAsyncIteration:
            raise
        except BaseException:
            self._cancel_all()
            raise

    async def collect(self) -> list[BulkResult[I, T]]:
        """Run to the end and return every result (in input order unless ``ordered=False``)."""
        return [result async for result in self]

    async def next_batch(self, max_items: int = 256) -> list[BulkResult[I, T]]:
        """The next result (waiting for it) plus those right behind it that are already
        done, up to ``max_items``; ``[]`` at the end. Lets a consumer in another thread
        (the sync facade) take results in batches instead of one hop per item."""
        return [self.deliver(entry) for entry in await self.next_batch_lazy(max_items)]

    async def next_batch_lazy(self, max_items: int = 256) -> list[BulkResult[I, T] | Done]:
        """:meth:`next_batch`, except that without ``on_progress`` the results after the
        first are handed over as they are parked (a ``get_many`` body not decoded yet):
        the consumer passes each to :meth:`deliver` as it reaches it, so that at most one
        decoded result is new at a time (the sync facade's batches)."""
        try:
            batch: list[BulkResult[I, T] | Done] = [await self.__anext__()]
        except StopAsyncIteration:
            return []
        state = self._state
        assert state is not None
        report = self._on_progress
        try:
            while len(batch) < max_items and not self._closed:
                entry = state.pop_ready()
                if entry is None:
                    break
                state.delivered += 1
                if report is None:
                    batch.append(entry)
                    continue
                batch.append(self._result(entry))
                await self._report(report)
        except BaseException:
            self._cancel_all()
            raise
        state.wake.set()
        return batch

    def deliver(self, entry: BulkResult[I, T] | Done) -> BulkResult[I, T]:
        """The result of an entry of :meth:`next_batch_lazy` (decoded now if it was not;
        counted in ``done`` and ``errors`` here)."""
        return entry if isinstance(entry, BulkResult) else self._result(entry)

    def take_finished(self) -> list[BulkResult[I, T]]:
        """Every result already finished but not handed out yet, in any order (without
        waiting): for a consumer that is stopping and wants to save what is done."""
        state = self._state
        if state is None:
            return []
        entries = [*state.done.values(), *state.done_unordered]
        state.done.clear()
        state.done_unordered.clear()
        state.delivered += len(entries)
        return [self._result(entry) for entry in entries]

    # -- shutdown --------------------------------------------------------------------------

    def _tasks(self) -> list[asyncio.Task[None]]:
        timers = list(self._state.timers) if self._state is not None else []
        return [*self._workers, *timers]

    def _cancel_all(self) -> None:
        self._closed = True
        for task in self._tasks():
            if not task.done():
                task.cancel()

    async def aclose(self) -> None:
        """Cancel the calls still in flight and wait until they are gone."""
        self._closed = True
        tasks = self._tasks()
        self._workers = []
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        await self._inputs.aclose()

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
        state = getattr(self, "_state", None)
        timers = list(state.timers) if state is not None else []
        for task in [*getattr(self, "_workers", ()), *timers]:
            if not task.done():
                with contextlib.suppress(RuntimeError):  # the loop is already closed
                    task.get_loop().call_soon_threadsafe(task.cancel)
