"""The read timeout (``Timeout.read``): one watchdog per event loop, not a timer per chunk.

aiohttp's own read timeout (``sock_read``) arms a new timer for every chunk it receives and
cancels the previous one. Each cancelled handle stays in asyncio's timer heap until asyncio
sweeps them out (past 100 entries, half of them cancelled), so sequential calls keep 50 in
it on average, every push and pop sifting past them: 11-14 µs of CPU per call on the
benchmark machine, where a ``contacts.get`` costs 200-250 µs (``python
tools/bench_per_call.py``: the ``read_timer`` pair).

Here an attempt waiting for its answer is registered with its loop's watchdog. The watchdog
wakes every eighth of the shortest read timeout among the attempts it watches (only while it
watches any), looks at how many bytes each answer has received, and cancels the attempt
whose answer stayed silent for at least its read timeout; the attempt then raises the read
timeout's error (``wire_error`` in :mod:`piggy_async._attempt`). Silence is counted from the
tick that last saw a byte, so an attempt is never cut early, and at most a quarter of its
timeout late. An answer that arrives before the next tick costs no timer at all. An attempt
that has to open a new connection first is not counted silent while it does (``connect``
bounds that): the client's connector says when the connection is open
(``connection_opened``).

An answer that is never silent for ``read`` (a body trickling in a byte at a time) is cut
once its attempt has waited :data:`WHOLE` times ``read`` for it (``overdue``), so that
``read`` alone bounds an attempt in time, with ``total`` unset too.
"""

from __future__ import annotations

import asyncio
import math
import threading
from typing import Any

from ._wire import Call

__all__ = [
    "TICKS",
    "WHOLE",
    "Watchdog",
    "connection_opened",
    "for_running_loop",
    "overdue",
    "progress",
    "stalled",
    "watched_call",
]

#: Ticks per read timeout: the bound is checked every ``read / TICKS`` seconds.
TICKS = 8

#: An attempt's answer must be whole within ``WHOLE * read`` seconds of its request, however
#: its bytes come (default ``read=30``: 5 minutes; a contact arrives in milliseconds).
WHOLE = 10


def progress(call: Call) -> int:
    """What the attempt has received so far: 0 before the answer's headers, then one more
    than the body bytes (a count that changes whenever a byte arrives)."""
    stream = call.stream
    return 0 if stream is None else stream.total_bytes + 1


def stalled(now: float, quiet_since: float, read: float) -> bool:
    """Whether an answer silent since ``quiet_since`` has run out its read timeout."""
    return now - quiet_since >= read


def overdue(now: float, began: float, read: float) -> bool:
    """Whether an answer awaited since ``began`` is still not whole ``WHOLE * read`` later."""
    return now - began >= WHOLE * read


class Watchdog:
    """The read timeouts of the attempts running on one event loop."""

    __slots__ = ("_due", "_handle", "_loop", "_reading")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        #: The attempts waiting for their answer: their task -> their call.
        self._reading: dict[asyncio.Task[Any], Call] = {}
        self._handle: asyncio.TimerHandle | None = None
        self._due = math.inf

    def watch(self, task: asyncio.Task[Any], call: Call, read: float) -> None:
        """Start watching ``task``'s attempt: cut it after ``read`` seconds of silence."""
        now = self._loop.time()
        call.read_timeout = read
        call.quiet_since = call.began = now
        call.seen = 0
        call.stream = None
        self._reading[task] = call
        due = now + read / TICKS
        if due < self._due:  # a shorter read timeout than any watched: tick sooner
            if self._handle is not None:
                self._handle.cancel()
            self._due = due
            self._handle = self._loop.call_at(due, self._tick)

    def unwatch(self, task: asyncio.Task[Any]) -> None:
        """The attempt's answer is read (or it failed): stop watching it."""
        self._reading.pop(task, None)

    def _cut(self, task: asyncio.Task[Any], call: Call, why: str) -> None:
        """End the attempt: its answer was ``silent`` for ``read`` or is ``slow`` to be
        whole (``wire_error`` in :mod:`piggy_async._attempt` says which)."""
        del self._reading[task]
        call.stalled = why
        task.cancel()

    def _tick(self) -> None:
        self._handle = None
        now = self._loop.time()
        shortest = math.inf
        for task, call in list(self._reading.items()):
            seen = progress(call)
            if not call.sent:  # still opening its connection: bounded by ``connect``
                pass
            elif seen != call.seen:
                call.seen = seen
                call.quiet_since = now
                if overdue(now, call.began, call.read_timeout):
                    self._cut(task, call, "slow")
                    continue
            elif stalled(now, call.quiet_since, call.read_timeout):
                self._cut(task, call, "silent")
                continue
            shortest = min(shortest, call.read_timeout)
        if self._reading:
            self._due = now + shortest / TICKS
            self._handle = self._loop.call_at(self._due, self._tick)
        else:
            self._due = math.inf


_local = threading.local()


def watched_call() -> Call | None:
    """The call whose attempt the running task is, if the watchdog watches it."""
    dog: Watchdog | None = getattr(_local, "dog", None)
    task = asyncio.current_task()
    if dog is None or task is None or dog._loop is not task.get_loop():
        return None
    return dog._reading.get(task)


def connection_opened(call: Call) -> None:
    """The attempt's new connection is open (DNS, TCP, TLS done): its bytes may reach Piggy
    from now on, and the read timeout's silence starts now, not when the opening did."""
    call.sent = True
    call.quiet_since = call.began = asyncio.get_running_loop().time()


def for_running_loop() -> Watchdog:
    """The watchdog of the running loop (one per thread, replaced when the thread's loop
    changes: an earlier loop's watchdog lives on in its own timer while it watches)."""
    loop = asyncio.get_running_loop()
    dog: Watchdog | None = getattr(_local, "dog", None)
    if dog is None or dog._loop is not loop:
        dog = _local.dog = Watchdog(loop)
    return dog
