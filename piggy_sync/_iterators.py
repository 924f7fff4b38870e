"""Blocking iterators over the async client's pagers and bulk runs.

An iterator runs on the loop of the thread that first iterates it (or on the shared loop
thread when started inside a running event loop or under gevent), and must be iterated
there: its async side (pages in flight, a bulk run's workers) lives on that loop.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

from piggy_async import BulkResult, BulkRun
from piggy_async._bulk_worker import Done
from piggy_async.errors import ConfigurationError

from . import _runtime
from ._loops import Host

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - input type of a bulk run

_NOT_STARTED: Any = object()
_ident = threading.get_ident


class SyncIterator(Generic[T]):
    """A blocking iterator over an async iterator that lives on one of piggy_sync's loops.

    Items are fetched one ``next()`` at a time. ``close()``, leaving a ``with`` block, or
    dropping the iterator (``break`` out of a ``for``) stops the async iterator.
    """

    #: Started at interpreter exit (where a loop closes after each call): the loop kept
    #: open for this iterator's calls, closed when it ends.
    _exit_loop: Host | None = None

    def __init__(self, source: AsyncIterator[T]) -> None:
        self._source = source
        self._closed = False
        self._where: Host | None = _NOT_STARTED

    def _check_thread(self) -> None:
        """Pin the iterator to the loop that runs its first call; refuse any other."""
        if self._where is _NOT_STARTED:
            where = self._where = _runtime.target()
            if where is not None and where.close_after_call:  # at exit: keep it for us
                where.close_after_call = False
                self._exit_loop = where
        elif self._where is not None and (
            self._where.thread != _ident() or _runtime._running_loop() is not None
        ):
            raise ConfigurationError(
                "this piggy_sync iterator was started in another thread (its calls run on "
                "that thread's event loop): iterate it in the thread that started it"
            )

    def _run(self, factory: Callable[[], Awaitable[Any]]) -> Any:
        return _runtime.run_at(self._where, factory)

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._closed:
            raise StopIteration
        self._check_thread()
        try:
            item: T = self._run(self._source.__anext__)
            return item
        except StopAsyncIteration:
            self._ended()
            raise StopIteration from None
        except BaseException:
            self.close()
            raise

    def _ended(self) -> None:
        """Done: nothing more to fetch (the loop kept open at exit, if any, is closed)."""
        self._closed = True
        host, self._exit_loop = self._exit_loop, None
        if host is not None and not host.closed:
            host.close()

    def close(self) -> None:
        """Stop the underlying async iterator (cancelling whatever it still runs)."""
        if self._closed:
            return
        where = self._where
        if where is not _NOT_STARTED and where is not None and where.thread != _ident():
            self._close_later()  # its loop belongs to another thread: closed on its next run
            return
        self._closed = True
        closer = getattr(self._source, "aclose", None)
        try:
            if closer is not None and where is not _NOT_STARTED:
                self._run(closer)
        finally:
            self._ended()

    def __enter__(self) -> SyncIterator[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        if not getattr(self, "_closed", True):
            self._close_later()

    def _close_later(self) -> None:
        """Close without waiting: now if this thread owns the idle loop, else scheduled."""
        self._closed = True
        closer = getattr(self._source, "aclose", None)
        where = self._where
        if closer is None or where is _NOT_STARTED or where is None:
            return  # the shared loop's iterators are cancelled by their own finalizers
        if where.closed or where.pid != _runtime._getpid():
            return
        loop = where.loop
        if where.thread == _ident() and _runtime._running_loop() is None:
            with contextlib.suppress(BaseException):  # best effort (maybe being collected)
                where.run(closer)
            return
        # Another thread, or inside a call: schedule it for the loop's next run.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(lambda: loop.create_task(_close(closer)))


async def _close(closer: Callable[[], Awaitable[Any]]) -> None:
    with contextlib.suppress(Exception):
        await closer()


class SyncPager(SyncIterator[T]):
    """Every item of a Piggy list, fetching pages as iteration needs."""


class SyncBulkRun(SyncIterator[BulkResult[I, T]]):
    """The results of a bulk call, in input order; the calls run concurrently in the loop.

    Results that are already done are handed over in batches, so iterating costs about one
    loop run per batch, not per item; a ``get_many`` result is decoded as ``next()`` reaches
    it, so a batch holds bodies, not decoded models.
    """

    def __init__(self, source: BulkRun[I, T]) -> None:
        super().__init__(source)
        self._run_source = source
        self._buffer: deque[BulkResult[I, T] | Done] = deque()

    def __next__(self) -> BulkResult[I, T]:
        if self._buffer:
            return self._run_source.deliver(self._buffer.popleft())
        if self._closed:
            raise StopIteration
        self._check_thread()
        try:
            batch: list[BulkResult[I, T] | Done] = self._run(self._run_source.next_batch_lazy)
        except BaseException:
            self.close()
            raise
        if not batch:
            self._ended()
            raise StopIteration
        self._buffer.extend(batch)
        return self._run_source.deliver(self._buffer.popleft())

    def collect(self) -> list[BulkResult[I, T]]:
        """Run to the end and return every result, in input order."""
        if self._closed:
            return [self._run_source.deliver(entry) for entry in self._buffer]
        self._check_thread()
        try:
            rest: list[BulkResult[I, T]] = self._run(self._run_source.collect)
        except BaseException:
            self.close()
            raise
        results = [self._run_source.deliver(entry) for entry in self._buffer] + rest
        self._buffer.clear()
        self._ended()
        return results
