"""The hand-written runtime under the generated sync facade: one anyio blocking portal.

One event-loop thread per process, started on first use and shared by every sync client;
their aiohttp sessions live on that loop. Safe to call from many threads at once and from
inside a running event loop (a Jupyter cell). After ``os.fork()`` the child starts a
portal of its own. Ctrl-C (or any exception) while waiting cancels the call in the loop.
At interpreter exit, clients that were never closed are closed and the loop is stopped.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import os
import threading
import weakref
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, Generic, Protocol, TypeVar

import anyio
from anyio.from_thread import BlockingPortal

from piggy_async import BulkResult, BulkRun

__all__ = ["SyncBulkRun", "SyncIterator", "SyncPager", "register_client", "run"]

T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - input type of a bulk run

#: How often a waiting caller wakes up to let signal handlers run (seconds).
_WAKE_INTERVAL = 0.2
#: How long exit and fork clean-up may wait for the loop (seconds).
_SHUTDOWN_TIMEOUT = 5.0


class _Closable(Protocol):
    async def aclose(self) -> None: ...


class _Runtime:
    """The process's portal: lazily started, restarted after fork, stopped at exit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._portal: BlockingPortal | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._clients: weakref.WeakSet[Any] = weakref.WeakSet()
        self._orphans: list[object] = []

    def portal(self) -> BlockingPortal:
        portal = self._portal
        if portal is not None:
            return portal
        with self._lock:
            if self._portal is None:
                self._start()
            assert self._portal is not None
            return self._portal

    def loop(self) -> asyncio.AbstractEventLoop:
        """The portal's event loop (started on first use)."""
        loop = self._loop
        if loop is not None and self._portal is not None:
            return loop
        self.portal()
        assert self._loop is not None
        return self._loop

    @property
    def thread_ident(self) -> int | None:
        thread = self._thread
        return None if thread is None else thread.ident

    def _start(self) -> None:
        ready = threading.Event()
        box: dict[str, Any] = {}

        async def serve() -> None:
            async with BlockingPortal() as portal:
                box["portal"] = portal
                box["loop"] = asyncio.get_running_loop()
                ready.set()
                await portal.sleep_until_stopped()

        def main() -> None:
            try:
                anyio.run(serve, backend="asyncio")
            except BaseException as exc:  # pragma: no cover - reported to the starter
                box["error"] = exc
            finally:
                ready.set()

        thread = threading.Thread(target=main, name="piggy-sync-loop", daemon=True)
        thread.start()
        ready.wait()
        if "portal" not in box:  # pragma: no cover - the loop could not start
            raise RuntimeError("piggy_sync could not start its event loop") from box.get("error")
        self._thread = thread
        self._pid = os.getpid()
        self._loop = box["loop"]
        self._portal = box["portal"]

    def register(self, client: _Closable) -> None:
        self._clients.add(client)

    def after_fork_in_child(self) -> None:
        # The loop thread does not exist in the child: keep the parent's objects alive (and
        # untouched) and start afresh on first use.
        self._orphans.append((self._portal, self._thread))
        self._lock = threading.Lock()
        self._portal = None
        self._loop = None
        self._thread = None
        self._pid = os.getpid()

    def shutdown(self) -> None:
        """Close clients left open and stop the loop (registered with atexit)."""
        portal = self._portal
        if portal is None or self._pid != os.getpid():
            return
        for client in list(self._clients):
            with contextlib.suppress(Exception):  # best effort at exit
                portal.start_task_soon(client.aclose).result(timeout=_SHUTDOWN_TIMEOUT)
        with contextlib.suppress(Exception):
            portal.start_task_soon(portal.stop, True).result(timeout=_SHUTDOWN_TIMEOUT)
        thread = self._thread
        if thread is not None:
            thread.join(timeout=_SHUTDOWN_TIMEOUT)
        self._portal = None
        self._loop = None
        self._thread = None


_runtime = _Runtime()
atexit.register(_runtime.shutdown)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_runtime.after_fork_in_child)


def register_client(client: _Closable) -> None:
    """Have ``client.aclose()`` run at interpreter exit if it is still open then."""
    _runtime.register(client)


def run(factory: Callable[[], Awaitable[T]]) -> T:
    """Run ``await factory()`` on the portal loop and return its result (or raise its error).

    If waiting is interrupted (Ctrl-C, or any exception in this thread), the call is
    cancelled in the loop before the interruption propagates.

    The hand-off uses the portal's loop directly (``call_soon_threadsafe`` and one task):
    anyio's ``BlockingPortal.start_task_soon`` costs about 90 µs a call on this path, this
    about a third of that; the portal still owns the loop, its thread and its shutdown.
    """
    loop = _runtime.loop()
    future: concurrent.futures.Future[T] = concurrent.futures.Future()
    tasks: list[asyncio.Task[T]] = []

    def finished(task: asyncio.Task[T]) -> None:
        if task.cancelled():
            future.set_exception(CancelledInLoop("the call was cancelled in the event loop"))
        elif (error := task.exception()) is not None:
            future.set_exception(error)
        else:
            future.set_result(task.result())

    def start() -> None:
        if not future.set_running_or_notify_cancel():
            return  # the caller gave up before the loop got to it
        task: asyncio.Task[T] = loop.create_task(_await(factory))
        tasks.append(task)
        task.add_done_callback(finished)

    loop.call_soon_threadsafe(start)
    try:
        while True:
            # Wake up now and then so that a signal (Ctrl-C) is handled promptly even where
            # it cannot interrupt the wait itself.
            try:
                return future.result(timeout=_WAKE_INTERVAL)
            except concurrent.futures.TimeoutError:
                if future.done():
                    raise
    except BaseException:
        if not future.cancel():  # already running in the loop: cancel the task there
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(lambda: tasks[0].cancel())
            concurrent.futures.wait([future], timeout=_SHUTDOWN_TIMEOUT)
        raise


async def _await(factory: Callable[[], Awaitable[T]]) -> T:
    return await factory()


class CancelledInLoop(Exception):
    """The call was cancelled inside the event loop (for instance at interpreter exit)."""


class SyncIterator(Generic[T]):
    """A blocking iterator over an async iterator that lives on the portal loop.

    Items are fetched one ``next()`` at a time. ``close()``, leaving a ``with`` block, or
    dropping the iterator (``break`` out of a ``for``) stops the async iterator.
    """

    def __init__(self, source: AsyncIterator[T]) -> None:
        self._source = source
        self._closed = False

    def __iter__(self) -> Iterator[T]:
        return self

    def __next__(self) -> T:
        if self._closed:
            raise StopIteration
        try:
            return run(self._source.__anext__)
        except StopAsyncIteration:
            self._closed = True
            raise StopIteration from None
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Stop the underlying async iterator (cancelling whatever it still runs)."""
        if self._closed:
            return
        self._closed = True
        closer = getattr(self._source, "aclose", None)
        if closer is not None:
            run(closer)

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
        if getattr(self, "_closed", True):
            return
        self._closed = True
        closer = getattr(self._source, "aclose", None)
        portal = _runtime._portal
        if closer is None or portal is None or threading.get_ident() == _runtime.thread_ident:
            return
        # Do not block the thread that happens to collect us; the loop may be gone already.
        with contextlib.suppress(Exception):
            portal.start_task_soon(closer)


class SyncPager(SyncIterator[T]):
    """Every item of a Piggy list, fetching pages through the portal as iteration needs."""


class SyncBulkRun(SyncIterator[BulkResult[I, T]]):
    """The results of a bulk call, in input order; the calls run concurrently in the loop.

    Results that are already done are handed over in batches, so iterating costs about one
    thread hop per batch, not per item.
    """

    def __init__(self, source: BulkRun[I, T]) -> None:
        super().__init__(source)
        self._run = source
        self._buffer: deque[BulkResult[I, T]] = deque()

    def __next__(self) -> BulkResult[I, T]:
        if self._buffer:
            return self._buffer.popleft()
        if self._closed:
            raise StopIteration
        try:
            batch = run(self._run.next_batch)
        except BaseException:
            self.close()
            raise
        if not batch:
            self._closed = True
            raise StopIteration
        self._buffer.extend(batch)
        return self._buffer.popleft()

    def collect(self) -> list[BulkResult[I, T]]:
        """Run to the end and return every result, in input order (one thread hop)."""
        if self._closed:
            return list(self._buffer)
        results = list(self._buffer) + run(self._run.collect)
        self._buffer.clear()
        self._closed = True
        return results
