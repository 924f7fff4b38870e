"""The default executor of piggy_sync's loops (DNS lookups, callbacks sent off the loop).

Real OS threads (even under gevent), reused while jobs keep coming; a thread idle for
``IDLE_SECONDS`` ends, and every idle thread is ended before ``os.fork()``, so that a fork
finds no thread of ours (Python 3.12+ warns about forking a multi-threaded process).
"""

from __future__ import annotations

import concurrent.futures
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from . import _green

T = TypeVar("T")

#: How long a thread with nothing to do waits for another job before it ends (seconds).
IDLE_SECONDS = 2.0
#: At most this many threads at once (as ``ThreadPoolExecutor``'s default cap); more jobs wait.
MAX_THREADS = 32


class _Worker:
    __slots__ = ("job", "wake")

    def __init__(self, job: Callable[[], None] | None) -> None:
        self.job = job
        self.wake = _green.allocate_lock()
        self.wake.acquire()


class LoopExecutor(concurrent.futures.ThreadPoolExecutor):
    """One per process, shared by every loop of piggy_sync's."""

    def __init__(self) -> None:
        super().__init__()  # its own workers never start: ``submit`` is this class's
        self._guard = _green.allocate_lock()
        self._idle: list[_Worker] = []
        self._pending: deque[Callable[[], None]] = deque()
        self.running = 0

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Any:
        future: concurrent.futures.Future[T] = _green.future()
        if getattr(fn, "__name__", "") == "getaddrinfo":  # a patched one needs its hub
            fn = _green.original_getaddrinfo()

        def job() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:
                future.set_exception(exc)

        with self._guard:
            worker = self._idle.pop() if self._idle else None
            if worker is not None:
                worker.job = job
                worker.wake.release()
                return future
            if self.running >= MAX_THREADS:
                self._pending.append(job)  # the next thread to finish a job takes it
                return future
            self.running += 1
        worker = _Worker(job)
        _green.start_thread(lambda: self._work(worker))
        return future

    def _work(self, worker: _Worker) -> None:
        try:
            while worker.job is not None:
                job, worker.job = worker.job, None
                job()
                del job
                with self._guard:
                    if self._pending:
                        worker.job = self._pending.popleft()
                        continue
                    self._idle.append(worker)
                if not worker.wake.acquire(timeout=IDLE_SECONDS):
                    with self._guard:
                        if worker in self._idle:  # nobody handed us a job: end
                            self._idle.remove(worker)
                            return
                    worker.wake.acquire()  # a job was handed over as we timed out
        finally:
            with self._guard:
                self.running -= 1

    def end_idle_threads(self) -> int:
        """End the threads that wait for work; returns how many were ended."""
        with self._guard:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.job = None
            worker.wake.release()
        return len(idle)

    def reset_after_fork(self) -> None:
        """In a child process: forget the parent's threads. A fork made in C (uWSGI's)
        skips ``before_fork``, so idle threads may be on the books that do not exist here:
        a job handed to one would never run (every DNS lookup would hang)."""
        self._guard = _green.allocate_lock()
        self._idle = []
        self._pending = deque()
        self.running = 0

    def shutdown(self, *args: Any, **kwargs: Any) -> None:
        return None  # shared by every loop: it outlives any one of them (arguments ignored)


EXECUTOR = LoopExecutor()
