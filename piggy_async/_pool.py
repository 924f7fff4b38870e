"""The connection pool: the aiohttp session shared by a client and its ``with_options`` copies.

- The session is created lazily inside the running loop, one per loop: a client used again
  from a new event loop (a second ``asyncio.run()``) gets a new pool there.
- A session the user passed in is used as is and never closed by us.
- In a child process after ``fork()`` a session of ours is replaced.
- ``max_connections`` slots: a call waits for a free one at most the pool timeout, then fails
  with :class:`PoolTimeoutError` (nothing was sent).
- Calls in flight are known, so that ``aclose()`` can refuse new calls at once, let running
  ones finish within a grace period and then cut them with :class:`ClientClosedError`.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import sys
from collections.abc import Coroutine
from typing import Any

import aiohttp

from ._session import new_session
from .errors import ClientClosedError, ConfigurationError, PoolTimeoutError

__all__ = ["Pool", "Slots", "fork_generation", "new_session", "outside_asyncio_error"]

_fork_generation = 0


def _after_fork_in_child() -> None:
    global _fork_generation
    _fork_generation += 1


if hasattr(os, "register_at_fork"):  # pragma: no branch - false on Windows only
    os.register_at_fork(after_in_child=_after_fork_in_child)


def fork_generation() -> int:
    """Bumped in a child process after ``os.fork()``: state from before is the parent's."""
    return _fork_generation


def outside_asyncio_error() -> ConfigurationError:
    """The error for a call made without a running asyncio loop (under trio, or sync code)."""
    library = _running_library()
    if library is not None:
        return ConfigurationError(
            f"piggy-client runs on asyncio (aiohttp), but this call runs under {library}, "
            "which has no asyncio event loop: run the client under asyncio (for instance "
            "anyio.run(main, backend='asyncio'), or hypercorn/uvicorn with an asyncio worker), "
            "or bridge to it with trio-asyncio"
        )
    return ConfigurationError(
        "the async client must be awaited inside a running asyncio event loop; "
        "from synchronous code use piggy_sync.Piggy"
    )


class _Expired(Exception):
    """A wait for a connection slot ran out (becomes PoolTimeoutError)."""


def _expire(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_exception(_Expired())


def _running_library() -> str | None:
    """The async library running the current code when it is not asyncio (trio), or None."""
    trio: Any = sys.modules.get("trio")
    if trio is not None:
        try:
            trio.lowlevel.current_task()
        except RuntimeError:
            return None
        return "trio"
    return None


def _abandon(session: aiohttp.ClientSession) -> None:
    """Forget a session whose loop is gone (closed, or the parent's after fork()).

    Nothing may be sent on its connections: the session is detached and its connector
    marked closed (no "Unclosed ..." warnings later); sockets of a closed loop are closed.
    """
    connector = session.connector
    session.detach()
    if connector is None:
        return
    connector._closed = True  # aiohttp has no public "forget" for a foreign connector
    loop = getattr(connector, "_loop", None)
    if loop is None or not loop.is_closed():
        return  # the parent's loop after fork(): its sockets are the parent's to close
    conns: dict[Any, Any] = getattr(connector, "_conns", {})
    for pooled in conns.values():
        for proto, _ in pooled:
            transport: Any = getattr(proto, "transport", None)
            sock = getattr(transport, "_sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.close()
                transport._sock = None  # its loop is closed: nothing else will close it
    conns.clear()


class Slots:
    """The connection slots of one session: at most ``size`` attempts hold a connection at
    once; the others wait their turn, first come first served, each at most its pool wait.
    Used on one event loop only (a sync client has a ``Slots`` per loop and pool size)."""

    __slots__ = ("free", "size", "waiters")

    def __init__(self, size: int) -> None:
        self.size = size
        self.free = size
        self.waiters: collections.deque[asyncio.Future[None]] = collections.deque()

    def take(self) -> bool:
        """Take a free slot if one is free and no call waits for one (no suspension);
        False: ``await acquire(...)``."""
        if self.free > 0 and not self.waiters:
            self.free -= 1
            return True
        return False

    async def acquire(self, wait: float | None, method: str, url: str) -> None:
        """Take a slot, waiting at most ``wait`` seconds (None: no limit)."""
        if self.take():  # a free slot: no suspension
            return
        if wait is not None and wait <= 0:
            raise self._timeout(0.0, method, url)
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        timer = None if wait is None else waiter.get_loop().call_later(wait, _expire, waiter)
        try:
            await waiter
        except _Expired:
            raise self._timeout(wait or 0.0, method, url) from None
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                self.release()  # a slot was handed over as we were cancelled: pass it on
            raise
        finally:
            if timer is not None:
                timer.cancel()

    def release(self) -> None:
        """Give a slot back: to the longest waiting call, else to the free ones."""
        waiters = self.waiters
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # handed over directly: never counted free
                return
        self.free += 1

    def _timeout(self, wait: float, method: str, url: str) -> PoolTimeoutError:
        return PoolTimeoutError(
            f"no free connection within {wait:g} s (pool of {self.size} busy)",
            method=method,
            url=url,
            request_sent=False,
        )


class Pool:
    """The aiohttp session, connection slots and calls in flight of one client."""

    def __init__(
        self,
        session: aiohttp.ClientSession | None,
        max_connections: int,
        close_grace: float = 5.0,
    ) -> None:
        self._session = session
        self.owned = session is None
        self.max_connections = max_connections
        self.close_grace = close_grace
        self.closed = False
        self._generation = _fork_generation
        self._loop: asyncio.AbstractEventLoop | None = None
        #: The connection slots of this pool's session (``slots_here()``).
        self.slots = Slots(max_connections)
        #: Calls in flight: their task -> their state (``_wire.Call``).
        self.calls: dict[asyncio.Task[Any], Any] = {}
        self._drained: asyncio.Event | None = None
        self._closing: asyncio.Future[None] | None = None  # a close after a cancelled aclose
        #: The proxy for the client's host, from HTTPS_PROXY/HTTP_PROXY/NO_PROXY (see
        #: ``_raw.env_proxy``); set by the client for a session of its own.
        self.proxy: str | None = None

    # -- calls in flight --------------------------------------------------------------------

    def enter(self, call: Any) -> asyncio.Task[Any]:
        """Register the running call; refuse it if the client is closed or misused."""
        try:
            task = asyncio.current_task()
        except RuntimeError:
            raise outside_asyncio_error() from None
        if task is None:  # pragma: no cover - a loop without a task (callbacks only)
            raise outside_asyncio_error()
        if self.closed:
            raise ClientClosedError("this Piggy client has been closed; create a new one")
        self.calls[task] = call
        return task

    def leave(self, task: asyncio.Task[Any]) -> None:
        self.calls.pop(task, None)
        if not self.calls and self._drained is not None:
            self._drained.set()

    # -- the session --------------------------------------------------------------------------

    def get(self) -> aiohttp.ClientSession:
        """The session for the running loop (created on first use in that loop)."""
        session = self._session
        if session is not None and self._generation == _fork_generation and not session.closed:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return session  # looked at from outside any loop (introspection, tests)
            if self._loop is loop:
                return session
            return self._other_loop(session, loop)
        return self._create()

    def _other_loop(
        self, session: aiohttp.ClientSession, loop: asyncio.AbstractEventLoop
    ) -> aiohttp.ClientSession:
        old = getattr(session, "_loop", None) if self._loop is None else self._loop
        if old is loop:  # a user's session, first used in its own loop
            self._loop = loop
            self._reset_slots()
            return session
        if not self.owned:
            raise ConfigurationError(
                "the aiohttp session passed to the client belongs to another event loop: "
                "create the session (and the client) inside the loop that makes the calls"
            )
        if old is not None and not old.is_closed():
            raise ConfigurationError(
                "this client is in use by another running event loop: create one client "
                "per event loop (or per thread)"
            )
        _abandon(session)  # its loop is closed: start afresh in this one
        self._session = None
        return self._create()

    def _create(self) -> aiohttp.ClientSession:
        session = self._session
        if session is not None and self._generation != _fork_generation:
            if not self.owned:
                raise ConfigurationError(
                    "the aiohttp session passed to the client was inherited through fork(); "
                    "give the client in the child process a session of its own"
                )
            _abandon(session)
            self._session = None
        if self._generation != _fork_generation:
            self.calls = {}  # the parent's calls: not ours to wait for or cancel
        self._generation = _fork_generation
        if self.closed:
            raise ClientClosedError("this Piggy client has been closed; create a new one")
        if not self.owned:
            raise ConfigurationError("the aiohttp session passed to the client is closed")
        try:
            self._loop = asyncio.get_running_loop()
        except RuntimeError:
            raise outside_asyncio_error() from None
        self._reset_slots()
        self._session = new_session(self.max_connections, self.proxy)
        return self._session

    # -- connection slots ---------------------------------------------------------------------

    def _reset_slots(self) -> None:
        self.slots = Slots(self.max_connections)

    def slots_here(self) -> Slots:
        """The connection slots of the session that calls on the running loop use."""
        return self.slots

    # -- closing ------------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Refuse new calls; let calls in flight finish within ``close_grace`` seconds, cut
        the rest (they raise ClientClosedError); then close the session (if ours)."""
        self.closed = True
        me = asyncio.current_task()
        try:
            await self._let_finish(me)
        except BaseException:  # aclose() cancelled: cut what is left, close without waiting
            self._cut(me)
            closing = self._close_session()
            if closing is not None:
                self._closing = asyncio.ensure_future(closing)  # (kept referenced)
            raise
        closing = self._close_session()
        if closing is not None:
            await closing

    def _close_session(self) -> Coroutine[Any, Any, None] | None:
        """Our session's ``close()`` to await (None: nothing to close on this loop)."""
        session, self._session = self._session, None
        if session is None or not self.owned or session.closed:
            return None
        if self._loop is not asyncio.get_running_loop():
            _abandon(session)  # its loop is gone (or another thread's)
            return None
        return session.close()

    def _cut(self, me: asyncio.Task[Any] | None) -> None:
        for task, call in list(self.calls.items()):
            if task is not me and not task.done() and not call.cut:  # (once: one cancel)
                call.cut = True
                task.cancel()

    async def _let_finish(self, me: asyncio.Task[Any] | None) -> None:
        """Calls in flight may finish within the grace period; then they are cut."""
        others = {t: c for t, c in self.calls.items() if t is not me}
        if others:
            if self._drained is None:  # a second aclose() waits on the same event
                self._drained = asyncio.Event()
            for task, call in others.items():
                if call.waiting and not call.cut:  # a retry wait: never retried after close
                    call.cut = True
                    task.cancel()
            await self._drain(self.close_grace)
            self._cut(me)
            await self._drain(1.0)

    async def _drain(self, seconds: float | None) -> None:
        """Wait up to ``seconds`` for the calls in flight to end. ``asyncio.wait``, not
        ``wait_for``: on 3.11 ``wait_for`` drops a cancel that lands as the event is set."""
        assert self._drained is not None
        waiter = asyncio.ensure_future(self._drained.wait())
        try:
            await asyncio.wait({waiter}, timeout=seconds)
        finally:
            waiter.cancel()
