"""The inside of a bulk run: the state its workers share, and the worker loop.

See :mod:`piggy_async._bulk` for what a run promises; this module decides, for each failed
attempt, whether the item is retried (and when), given up, or ends the whole run.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from ._bulk_inputs import Inputs
from ._bulk_limits import (
    MAX_ITEM_ATTEMPTS,
    RunLimiter,
    classify,
    connection_failure_limit,
    pushback_retry_delay,
)
from ._rate import defer_decode, single_attempt
from .errors import APIConnectionError, APIStatusError, PiggyError

__all__ = ["Done", "State", "_worker", "steady_window"]


def steady_window(concurrency: int) -> int:
    """How far ahead a run goes while its oldest result is not waiting for a retry."""
    return max(64, 4 * concurrency)


class _Item:
    __slots__ = ("attempts", "index", "input", "mark", "strikes")

    def __init__(self, index: int, value: Any) -> None:
        self.index = index
        self.input = value
        self.attempts = 0
        self.strikes = 0  # failed attempts that count against max_retries
        self.mark = -1  # admits counted at this item's last push-back (-1: none yet)


#: A finished item until it is delivered: (index, input, value or Deferred body, error).
Done = tuple[int, Any, Any, "PiggyError | None"]


class State:
    """What a run's workers share. It holds no reference to the BulkRun, so that a run
    abandoned by its consumer is freed (and cancels its workers) even while they run."""

    def __init__(
        self,
        func: Callable[[Any], Awaitable[Any]],
        inputs: Inputs[Any],
        limiter: RunLimiter,
        *,
        window: int,
        ordered: bool,
        max_retries: int,
        deferred: bool,
        sleep: Callable[[float], Awaitable[None]],
    ) -> None:
        self.func = func
        self.limiter = limiter
        self.window = window
        # Ahead of the oldest undelivered result the run goes only this far, unless that
        # result waits for a retry (then up to ``window``): parked results cost memory.
        self.base_window = min(window, steady_window(limiter.concurrency))
        self.retrying: set[int] = set()  # indexes of the items waiting for a retry
        self.ordered = ordered
        self.max_retries = max_retries
        self.deferred = deferred
        self.sleep = sleep
        self.inputs = inputs
        self.connection_limit = connection_failure_limit(limiter.concurrency)
        self.done: dict[int, Done] = {}
        self.done_unordered: deque[Done] = deque()
        self.retry_ready: deque[_Item] = deque()
        self.timers: set[asyncio.Task[None]] = set()
        self.taken = 0  # inputs taken so far
        self.completed = 0  # items with a final outcome
        self.delivered = 0  # results handed to the consumer
        self.failure: BaseException | None = None
        self.head_ready = asyncio.Event()  # a result the consumer can take may be in
        self.wake = asyncio.Event()  # workers: a retry is due, the window moved, or the end

    @property
    def finished(self) -> bool:
        return self.failure is not None or (
            self.inputs.exhausted and not self.inputs.buffer and self.completed >= self.taken
        )

    def room(self) -> int:
        stalled = self.ordered and self.delivered in self.retrying
        return (self.window if stalled else self.base_window) - (self.taken - self.delivered)

    def finish(self, failure: BaseException) -> None:
        if self.failure is None:
            self.failure = failure
        self.head_ready.set()
        self.wake.set()

    def worker_ended(self, task: asyncio.Task[None]) -> None:
        """A worker that dies of an exception (say a ``BaseException`` from ``func``) ends
        the run with it, instead of leaving the consumer waiting for its items."""
        error = None if task.cancelled() else task.exception()
        if error is not None:
            self.finish(error)

    def complete(self, item: _Item, value: Any, error: PiggyError | None) -> None:
        entry: Done = (item.index, item.input, value, error)
        self.completed += 1
        if self.ordered:
            self.done[item.index] = entry
            if item.index == self.delivered:
                self.head_ready.set()
        else:
            self.done_unordered.append(entry)
            self.head_ready.set()
        if self.finished:
            self.wake.set()
            self.head_ready.set()

    def pop_ready(self) -> Done | None:
        if self.ordered:
            return self.done.pop(self.delivered, None)
        return self.done_unordered.popleft() if self.done_unordered else None

    def take(self) -> _Item | None:
        """A retry that is due, else the next input at hand if the window has room; None:
        nothing without waiting (``next_item`` then reads more input, or sees the end)."""
        if self.retry_ready:
            item = self.retry_ready.popleft()
            self.retrying.discard(item.index)
            return item
        if self.room() <= 0:
            return None
        found, value = self.inputs.take_now()
        if not found:
            return None
        item = _Item(self.taken, value)
        self.taken += 1
        return item

    async def next_item(self) -> _Item | None:
        """When ``take()`` found nothing: read more input if the window has room, then take
        again; None: wait (when the input has run out after the last result, everyone is
        told)."""
        if self.room() <= 0:
            return None
        inputs = self.inputs
        item = None
        if not inputs.exhausted and not inputs.busy:
            await inputs.fetch(self.room(), self.wake.set)  # a thread's items come later
            self.wake.set()  # other workers may take what was read
            item = self.take()
        if item is None and self.finished:
            self.wake.set()
            self.head_ready.set()
        return item

    def retry_later(self, item: _Item, delay: float) -> None:
        self.retrying.add(item.index)
        if item.index == self.delivered:
            self.wake.set()  # the head waits: the others may now go further ahead
        if delay <= 0:
            self.retry_ready.append(item)
            self.wake.set()
            return
        task = asyncio.ensure_future(self._due(item, delay))
        self.timers.add(task)
        task.add_done_callback(self.timers.discard)

    async def _due(self, item: _Item, delay: float) -> None:
        await self.sleep(delay)
        self.retry_ready.append(item)
        self.wake.set()

    def failed_attempt(self, item: _Item, error: PiggyError, admits: int, started: float) -> None:
        """Decide what one failed attempt means: retry the item, fail it, or end the run."""
        outcome = classify(error)
        limiter = self.limiter
        if outcome == "run":
            self.finish(error)
            return
        progressing = False
        if outcome == "pushback":
            retry_after = error.retry_after if isinstance(error, APIStatusError) else None
            progressing = limiter.pushback(admits, started, retry_after)
            # A push-back counts against the item only when nothing else got through since
            # the item's previous push-back (or since this attempt was sent, the first time):
            # its wait before this attempt counts, not only the attempt's own flight.
            since = item.mark if item.mark >= 0 else admits
            if limiter.admits <= since:
                item.strikes += 1
            item.mark = limiter.admits
        elif outcome == "retry":
            item.strikes += 1
            if isinstance(error, APIConnectionError):
                if self._unreachable(error):
                    return
            else:
                limiter.answered()
        else:
            if isinstance(error, APIStatusError):
                limiter.admitted()
            elif isinstance(error, APIConnectionError) and self._unreachable(error):
                return  # (a POST's connection, broken after it was sent)
            self.settle(item, error)
            return
        if item.strikes > self.max_retries or item.attempts >= MAX_ITEM_ATTEMPTS:
            self.settle(item, error)
        else:
            self.retry_later(item, pushback_retry_delay(error, item.strikes, progressing))

    def _unreachable(self, error: APIConnectionError) -> bool:
        """Count a connection failure; at ``connection_limit`` in a row Piggy is
        unreachable: the run ends with ``error`` (True)."""
        if self.limiter.connection_failed() < self.connection_limit:
            return False
        self.finish(error)
        return True

    def settle(self, item: _Item, error: PiggyError) -> None:
        error.attempts = item.attempts
        self.complete(item, None, error)


async def _worker(state: State) -> None:
    """Take due retries and new inputs and make one attempt at a time, until the run ends."""
    single_attempt.set(True)
    if state.deferred:
        defer_decode.set(True)
    limiter, func = state.limiter, state.func
    while True:
        if state.failure is not None:
            return
        item = state.take() or await state.next_item()  # no coroutine when one is at hand
        if item is None:
            if state.finished:
                return
            state.wake.clear()
            await state.wake.wait()
            continue
        if not limiter.enter_now():
            await limiter.acquire()
        if state.failure is not None:  # the run ended while this worker waited
            limiter.release()
            return
        admits, started = limiter.admits, limiter.now()
        item.attempts += 1
        try:
            value = await func(item.input)
        except PiggyError as error:
            limiter.release()
            state.failed_attempt(item, error, admits, started)
            continue
        except Exception as exc:  # a bug in func: end the run with it, as the consumer's error
            limiter.release()
            state.finish(exc)
            return
        except BaseException:
            limiter.release()
            raise
        limiter.release()
        limiter.admitted()
        state.complete(item, value, None)
