"""Where a sync call runs: a loop owned by the calling thread, or the shared loop thread.

- A thread with no running event loop (the common case: scripts, Django/Flask views, pool
  threads, Celery tasks) runs the call on an event loop of its own, in that thread: no
  thread hop at all. The loop is kept for the thread's next calls; when the thread ends, the
  loop (and its warm connections) is handed to the next new thread.
- A thread that already runs an event loop (a notebook cell, code inside ``asyncio.run``),
  every greenlet under gevent, and threads that call while other threads are in calls hand
  the call to one shared loop on a real OS thread ("the portal"), started on first use.
- Connection pools (aiohttp sessions) belong to a loop, one per pool size and proxy:
  every client on that loop shares them, so a client created per call and never closed
  leaks nothing.
- A new process is noticed by its pid on every call (``os.fork()`` hooks or not, as after
  uWSGI's C-level fork): the parent's loops and sockets are left alone, new ones are made.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import signal
import threading
import types
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp

from piggy_async._pool import Slots
from piggy_async._session import new_session
from piggy_async.errors import PiggyError

from . import _green
from ._drive import drive
from ._executor import EXECUTOR
from ._signals import C_SIGNAL, SIGINT, set_from_c

T = TypeVar("T")

#: How long exit and fork clean-up may wait for the loop (seconds).
SHUTDOWN_TIMEOUT = 5.0
#: How often a call in the main thread wakes up to let signal handlers run (seconds).
WAKE_INTERVAL = 0.2
_MAIN_THREAD = threading.main_thread().ident
_getpid = os.getpid
_running_loop = asyncio._get_running_loop
_getsignal = C_SIGNAL.getsignal
_setsignal = C_SIGNAL.signal
_DEFAULT_SIGINT = signal.default_int_handler


class CallCancelledError(PiggyError):
    """A sync call was cancelled inside the event loop (for instance at interpreter exit)."""


class Host:
    """One event loop with the connection pools that live on it."""

    #: Close the loop once the call in progress ends (set by ``_State.host()`` on every host
    #: it hands out, before any call; the portal's host runs no ``Host.run``).
    close_after_call: bool

    def __init__(self) -> None:
        # A plain selector loop whatever the policy (an installed uvloop policy included),
        # with the platform's own selector: never gevent's or eventlet's, even when they
        # patched ``select`` but not threads (their selector waits on a hub of its own).
        self.loop: asyncio.AbstractEventLoop = asyncio.SelectorEventLoop(_green.selector())
        self.loop.set_default_executor(EXECUTOR)
        self.loop._piggy_host = self  # type: ignore[attr-defined]
        self.pid = _getpid()
        self.thread = threading.get_ident()
        self.sessions: dict[tuple[int, str | None], aiohttp.ClientSession] = {}
        #: The connection slots of each session (a pool's timeout counts this loop's calls).
        self.slots: dict[tuple[int, str | None], Slots] = {}
        self.task: asyncio.Task[Any] | None = None
        self.cancel_reason = ""
        self.closed = False
        self.ticking = False

    def session(self, max_connections: int, proxy: str | None = None) -> aiohttp.ClientSession:
        """This loop's session for that pool size and proxy (called inside the loop), made
        like the async client's own."""
        key = (max_connections, proxy)
        session = self.sessions.get(key)
        if session is None or session.closed:
            session = self.sessions[key] = new_session(max_connections, proxy)
        return session

    def slots_of(self, max_connections: int, proxy: str | None = None) -> Slots:
        """The connection slots of ``session(max_connections, proxy)`` (inside the loop)."""
        key = (max_connections, proxy)
        slots = self.slots.get(key)
        if slots is None:
            slots = self.slots[key] = Slots(max_connections)
        return slots

    async def close_sessions(self) -> None:
        sessions = list(self.sessions.values())
        self.sessions.clear()
        for session in sessions:
            with contextlib.suppress(Exception):
                await session.close()

    def run(self, factory: Callable[[], Awaitable[T]]) -> T:
        """Run the call on this (idle) loop in the calling thread."""
        loop = self.loop
        task: asyncio.Task[T] = loop.create_task(as_coroutine(factory))
        self.task = task
        guard = None
        if self.thread == _MAIN_THREAD:
            if not self.ticking:
                # Wake up now and then so that Ctrl-C is handled promptly even when the signal
                # cannot interrupt the wait (``_thread.interrupt_main``, delivery to a thread).
                # The timer re-arms itself and simply waits while the loop is idle.
                self.ticking = True
                _tick(loop)
            if _getsignal(SIGINT) is _DEFAULT_SIGINT and not set_from_c():
                guard = _Interrupts(task)
                _setsignal(SIGINT, guard)
        try:
            result = drive(loop, task)
            if guard is not None and guard.count:
                raise KeyboardInterrupt  # the call ended anyway: Ctrl-C still wins
            return result
        except BaseException:
            if not task.done():  # Ctrl-C (or another error) while waiting: cancel the call
                task.cancel()
                with contextlib.suppress(BaseException):
                    loop.run_until_complete(asyncio.wait_for(task, SHUTDOWN_TIMEOUT))
            if guard is not None and guard.count and task.cancelled():
                raise KeyboardInterrupt from None
            if task.cancelled() and self.cancel_reason:
                raise CallCancelledError(self.cancel_reason) from None
            raise
        finally:
            if guard is not None:
                _setsignal(SIGINT, _DEFAULT_SIGINT)
            self.task = None
            if self.close_after_call:
                self.close()

    def cancel_call(self, reason: str) -> None:
        """From another thread: cancel the call running on this loop, if any."""
        task = self.task
        if task is None:
            return
        self.cancel_reason = reason
        with contextlib.suppress(RuntimeError):  # the loop is closed already
            self.loop.call_soon_threadsafe(task.cancel)

    def close(self) -> None:
        """Close the pools and the loop (the loop must be idle, in the calling thread)."""
        self.closed = True
        loop = self.loop
        try:
            pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
            for task in pending:  # what is left of an unfinished pager or bulk run
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.wait(pending, timeout=SHUTDOWN_TIMEOUT))
            loop.run_until_complete(self.close_sessions())
            loop.run_until_complete(loop.shutdown_asyncgens())
        except BaseException:
            pass
        finally:
            with contextlib.suppress(BaseException):
                loop.close()

    def abandon(self) -> list[object]:
        """Forget this loop in a forked child: its sockets are the parent's, never touched.

        Returns what must stay referenced (never collected, so never closed or warned about).
        """
        kept: list[object] = [self.loop, *self.sessions.values()]
        for session in self.sessions.values():
            connector = session.connector
            session.detach()
            if connector is not None:
                kept.append(connector)
                connector._closed = True  # aiohttp has no public "forget" for a connector
        self.sessions.clear()
        return kept


class _Interrupts:
    """Python's SIGINT handler while a call runs on the main thread's loop: the first Ctrl-C
    cancels the call, which ends at an ``await`` (then ``KeyboardInterrupt``), like
    ``asyncio.run`` does on 3.11+; a second one raises at once. Python's default handler
    raises wherever the thread is, and inside aiohttp's ``data_received`` that is taken for a
    broken response (retried: Ctrl-C lost). Installed only over Python's default handler,
    never over one set from C (a server's: ``_signals``)."""

    __slots__ = ("count", "task")

    def __init__(self, task: asyncio.Task[Any]) -> None:
        self.task = task
        self.count = 0

    def __call__(self, signum: int, frame: types.FrameType | None) -> None:
        self.count += 1
        if self.count == 1 and not self.task.done():
            self.task.cancel()
            self.task.get_loop().call_soon_threadsafe(_nothing)  # wake the selector
            return
        raise KeyboardInterrupt


def _nothing() -> None:
    pass


def _tick(loop: asyncio.AbstractEventLoop) -> None:
    loop.call_later(WAKE_INTERVAL, _tick, loop)


def as_coroutine(factory: Callable[[], Awaitable[T]]) -> Any:
    awaitable = factory()
    if type(awaitable) is types.CoroutineType:
        return awaitable
    return _await(awaitable)


async def _await(awaitable: Awaitable[T]) -> T:
    return await awaitable


def host_of(loop: asyncio.AbstractEventLoop | None) -> Host | None:
    host: Host | None = getattr(loop, "_piggy_host", None)  # None for no loop, too
    return host


class Portal:
    """The shared loop on a real OS thread, for callers that cannot run a loop themselves."""

    def __init__(self) -> None:
        self.host = Host()
        self.pid = self.host.pid
        self.inflight: set[asyncio.Task[Any]] = set()
        self.stopping = False
        self.ended = _green.allocate_lock()
        self.ended.acquire()
        _green.start_thread(self._main)

    def _main(self) -> None:
        loop = self.host.loop
        try:
            loop.run_forever()
            loop.run_until_complete(self.host.close_sessions())
            loop.run_until_complete(loop.shutdown_asyncgens())
        finally:
            with contextlib.suppress(BaseException):
                loop.close()
            self.ended.release()

    @property
    def idle(self) -> bool:
        return not self.inflight

    def submit(
        self,
        factory: Callable[[], Awaitable[T]],
        future: concurrent.futures.Future[T],
        wake: Callable[[], None] | None,
    ) -> Callable[[], None]:
        """Start the call on the loop; ``future`` gets its outcome, then ``wake()`` runs."""
        loop = self.host.loop
        tasks: list[asyncio.Task[T]] = []

        def finished(task: asyncio.Task[T]) -> None:
            self.inflight.discard(task)
            if task.cancelled():
                reason = self.host.cancel_reason or "the call was cancelled in the event loop"
                future.set_exception(CallCancelledError(reason))
            elif (error := task.exception()) is not None:
                future.set_exception(error)
            else:
                future.set_result(task.result())
            if wake is not None:
                wake()

        def start() -> None:
            if not future.set_running_or_notify_cancel():
                if wake is not None:
                    wake()
                return
            task: asyncio.Task[T] = loop.create_task(as_coroutine(factory))
            tasks.append(task)
            self.inflight.add(task)
            task.add_done_callback(finished)

        def cancel() -> None:
            if not future.cancel():
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(lambda: tasks[0].cancel() if tasks else None)

        loop.call_soon_threadsafe(start)
        return cancel

    def cancel_all(self, reason: str) -> None:
        self.host.cancel_reason = reason

        def cancel() -> None:
            for task in list(self.inflight):
                task.cancel()

        with contextlib.suppress(RuntimeError):
            self.host.loop.call_soon_threadsafe(cancel)

    def stop(self) -> bool:
        """End the loop thread (its pools closed); True once it has ended."""
        self.stopping = True
        with contextlib.suppress(RuntimeError):
            self.host.loop.call_soon_threadsafe(self.host.loop.stop)
        ended: bool = self.ended.acquire(timeout=SHUTDOWN_TIMEOUT)
        return ended
