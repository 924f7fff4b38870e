"""The hand-written runtime under the generated sync facade: where each call runs.

``run(factory)`` runs ``await factory()`` and returns its result (or raises its error):

- in a thread with no running event loop, on a loop owned by that thread (no thread hop),
  unless other threads are in calls at that moment: then on the shared loop thread, which
  serves many threads for less CPU than as many loops competing for the GIL;
- in a thread that runs an event loop already (a notebook cell, inside ``asyncio.run``),
  on the shared loop thread, after a one-time :class:`BlockingCallWarning`;
- under gevent's monkey-patching, on the shared loop thread (a real OS thread), the
  greenlet waiting cooperatively;
- from code that runs on one of piggy_sync's own loops (a callback of a call in progress):
  :class:`ReentrantCallError` at once, never a deadlock.

A new process is noticed by its pid on every call (``os.fork()`` or a C-level fork). Ctrl-C
while waiting cancels the call. At interpreter exit after an uncaught exception (Ctrl-C),
calls still running in other threads are cancelled; connection pools are closed at exit,
and calls made by ``atexit`` handlers that run after ours still work.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import concurrent.futures.thread  # its exit hook must run after ours
import contextlib
import os
import sys
import threading
import time
import warnings
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp

from piggy_async._pool import Pool, Slots
from piggy_async.errors import ConfigurationError

from . import _green
from ._executor import EXECUTOR
from ._loops import SHUTDOWN_TIMEOUT, CallCancelledError, Host, Portal, host_of

__all__ = [
    "BlockingCallWarning",
    "CallCancelledError",
    "ReentrantCallError",
    "SyncBulkRun",
    "SyncIterator",
    "SyncPager",
    "register_client",
    "run",
]

T = TypeVar("T")

#: How often a thread waiting on the shared loop wakes up to let signal handlers run (s).
_WAKE_INTERVAL = 0.2
_EXIT_REASON = "the call was cancelled: the interpreter is exiting"
_getpid = os.getpid
_running_loop = asyncio._get_running_loop


class BlockingCallWarning(RuntimeWarning):
    """A piggy_sync call blocked a running event loop (a notebook cell, ``asyncio.run``).

    Given once per process; the call still runs. Use ``piggy_async`` with ``await`` there,
    or silence it: ``warnings.filterwarnings("ignore", category=BlockingCallWarning)``.
    """


class ReentrantCallError(ConfigurationError):
    """A piggy_sync call was made from code running on piggy_sync's own event loop.

    For instance from a callback that runs inside a call in progress: that call's loop
    cannot run a second call while it waits for the first. Use the async client there.
    """


class _Retire:
    """Kept in a thread's locals: when the thread ends, its loop goes to the next thread."""

    __slots__ = ("host",)

    def __init__(self, host: Host) -> None:
        self.host = host

    def __del__(self) -> None:
        host = self.host
        if host.pid == _getpid() and not _state.exited:
            _state.idle.append(host)


class _State:
    """The process's loops. ``lock`` guards only non-blocking bookkeeping, never a wait."""

    def __init__(self) -> None:
        self.pid = _getpid()
        self.lock = threading.Lock()
        self.local = threading.local()
        self.hosts: set[Host] = set()
        self.idle: list[Host] = []
        self.portal: Portal | None = None
        self.cancelling = False  # exit after an uncaught exception: other threads' calls end
        self.exited = False  # our atexit hook ran: later calls close their pools after them
        self.warned = False
        self.busy: set[int] = set()  # threads in a call right now
        self.orphans: list[object] = []

    def host(self) -> Host:
        """This thread's loop (a retired thread's loop if one is free)."""
        host: Host | None = self.local.__dict__.get("host")
        if host is not None and not host.closed:
            return host
        try:
            host = self.idle.pop()
            host.thread = threading.get_ident()
        except IndexError:
            host = Host()
        host.close_after_call = self.exited
        self.hosts.add(host)
        if not self.exited:
            self.local.host = host
            self.local.retire = _Retire(host)
        return host

    def get_portal(self) -> Portal:
        portal = self.portal
        if portal is not None and not portal.stopping:
            return portal
        with self.lock:  # nothing in here waits: creating the loop and starting its thread
            if self.portal is None or self.portal.stopping:
                self.portal = Portal()
            return self.portal

    def reset_after_fork(self) -> None:
        """In a child process: forget the parent's loops without touching them."""
        if self.pid == _getpid():
            return
        old = [*self.hosts, *self.idle]
        if self.portal is not None:
            old.append(self.portal.host)
        for host in old:
            self.orphans.extend(host.abandon())
        EXECUTOR.reset_after_fork()
        self.lock = threading.Lock()
        self.local = threading.local()
        self.hosts = set()
        self.idle = []
        self.portal = None
        self.cancelling = False
        self.busy = set()
        self.pid = _getpid()

    def before_fork(self) -> None:
        """Stop an idle loop thread, so that the process forks with no thread of ours."""
        if self.pid != _getpid() or self.exited:
            return
        before = _os_thread_count()
        ended = EXECUTOR.end_idle_threads()
        portal = self.portal
        if portal is not None and portal.pid == self.pid and portal.idle:
            if not portal.stopping and portal.stop():  # stopped at an earlier fork: not again
                ended += 1
            self.portal = None  # the next call from a running loop starts a new one
        if ended and before is not None:
            _wait_for_os_threads(before - ended)

    def cancel_other_threads(self) -> None:
        """At exit after an uncaught exception (Ctrl-C): end calls still running elsewhere."""
        if self.pid != _getpid() or getattr(sys, "last_value", None) is None:
            return
        self.cancelling = True
        for host in list(self.hosts):  # this thread's own loop is idle: nothing to cancel
            host.cancel_call(_EXIT_REASON)
        if self.portal is not None:
            self.portal.cancel_all(_EXIT_REASON)

    def shutdown(self) -> None:
        """Close the pools at exit; later calls (atexit handlers) close theirs after them."""
        if self.pid != _getpid():
            return
        self.exited = True
        portal, self.portal = self.portal, None
        if portal is not None:
            portal.stop()
        mine = self.local.__dict__.pop("host", None)
        self.local.__dict__.pop("retire", None)
        for host in [*self.idle, *([mine] if mine is not None else [])]:
            host.close()
            self.hosts.discard(host)
        self.idle.clear()
        for host in self.hosts:
            host.close_after_call = True


def _os_thread_count() -> int | None:
    """This process's thread count as the OS sees it (Linux), or None."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            return int(stat.read().rsplit(b")", 1)[1].split()[17])
    except (OSError, ValueError, IndexError):
        return None


def _wait_for_os_threads(expected: int) -> None:
    """Give an ending thread the moment it needs to leave the OS's thread count."""
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        count = _os_thread_count()
        if count is None or count <= expected:
            return
        time.sleep(0.001)


_state = _State()
atexit.register(_state.shutdown)
threading._register_atexit(_state.cancel_other_threads)  # type: ignore[attr-defined]
if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_state.before_fork, after_in_child=_state.reset_after_fork)


def run(factory: Callable[[], Awaitable[T]]) -> T:
    """Run ``await factory()`` on a loop of piggy_sync's (see the module docstring)."""
    state = _state
    if state.pid != _getpid():
        state.reset_after_fork()
    if _own_loop(state):
        return _run_here(state.host(), factory)
    return _run_elsewhere(factory)


def _own_loop(state: _State) -> bool:
    """Whether this thread runs the call on a loop of its own.

    Yes when it runs no event loop and no other thread is in a call; when others are, the
    shared loop serves them all (one loop thread beats many competing for the GIL).
    """
    return (
        _running_loop() is None
        and (not state.busy or state.exited)
        and not state.cancelling
        and not _green.green_active()
    )


def target() -> Host | None:
    """The loop ``run()`` would use in this thread now (None: the shared loop thread)."""
    state = _state
    if state.pid != _getpid():
        state.reset_after_fork()
    return state.host() if _own_loop(state) else None


def run_at(where: Host | None, factory: Callable[[], Awaitable[T]]) -> T:
    """Run the call where an iterator's first call ran (``target()`` then)."""
    if where is None:
        return _run_elsewhere(factory, shared=True)
    return _run_here(where, factory)


def _run_here(host: Host, factory: Callable[[], Awaitable[T]]) -> T:
    me = threading.get_ident()
    busy = _state.busy
    busy.add(me)
    try:
        return host.run(factory)
    finally:
        busy.discard(me)


def _run_elsewhere(factory: Callable[[], Awaitable[T]], *, shared: bool = False) -> T:
    loop = _running_loop()
    if loop is not None and host_of(loop) is not None:
        raise ReentrantCallError(
            "a piggy_sync call was made from code running on piggy_sync's event loop (for "
            "instance a callback of a call in progress); it would wait for itself forever. "
            "Use piggy_async with await there, or make the call after the first one returns"
        )
    if _state.cancelling and threading.current_thread() is not threading.main_thread():
        raise CallCancelledError(_EXIT_REASON)
    green = _green.green_active()
    if loop is None and _state.exited and not shared:
        return _state.host().run(factory)  # late at exit: no new thread
    if loop is not None and not _state.warned and not (green and _green.is_hub_loop(loop)):
        _state.warned = True
        warnings.warn(
            "a piggy_sync call blocks the running event loop of this thread until it returns; "
            "use piggy_async with await inside async code",
            BlockingCallWarning,
            stacklevel=4,
        )
    future: concurrent.futures.Future[T] = _green.future()
    portal = _state.get_portal()
    if green:
        _green.wait_cooperatively(lambda wake: portal.submit(factory, future, wake))
        return future.result()  # done: wake() runs once the outcome is set
    me = threading.get_ident()
    _state.busy.add(me)
    cancel = portal.submit(factory, future, None)
    try:
        while True:
            # Wake up now and then so that a signal (Ctrl-C) is handled promptly.
            with contextlib.suppress(concurrent.futures.TimeoutError):
                return future.result(timeout=_WAKE_INTERVAL)
    except BaseException:
        if not future.done():
            cancel()
            concurrent.futures.wait([future], timeout=SHUTDOWN_TIMEOUT)
        raise
    finally:
        _state.busy.discard(me)


class LoopPool(Pool):
    """A sync client's pool: the session of whichever piggy_sync loop runs the call.

    Sessions belong to the loop, one per ``max_connections`` value, shared by every client
    there: a client created per call and never closed leaves nothing open behind it.
    """

    def __init__(self, max_connections: int) -> None:
        super().__init__(None, max_connections)

    def get(self) -> aiohttp.ClientSession:
        if self.closed:
            raise ConfigurationError("this Piggy client has been closed")
        return self._host().session(self.max_connections, self.proxy)

    def slots_here(self) -> Slots:
        """The slots of this loop's session: each loop (each calling thread, and the shared
        loop) counts its own connections, as its session holds its own."""
        return self._host().slots_of(self.max_connections, self.proxy)

    def _host(self) -> Host:
        host = host_of(_running_loop())
        if host is None:
            raise ConfigurationError("a piggy_sync client runs only through piggy_sync's calls")
        return host

    async def aclose(self) -> None:
        self.closed = True


def register_client(client: Any) -> None:
    """Give a new sync client's async core the per-loop pool (unless it was given a session)."""
    transport = client._transport
    if transport.pool.owned and not isinstance(transport.pool, LoopPool):
        pool = LoopPool(transport.pool.max_connections)
        pool.proxy = transport.pool.proxy  # HTTPS_PROXY/NO_PROXY, as the async client has it
        transport.pool = pool


from ._iterators import SyncBulkRun, SyncIterator, SyncPager  # noqa: E402 - they use run()
