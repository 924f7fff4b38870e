"""The loops' executor: real threads, capped, reused, and ended when idle or before fork."""

from __future__ import annotations

import threading
import time

from piggy_sync._executor import MAX_THREADS, LoopExecutor


def test_jobs_beyond_the_cap_wait_and_all_finish() -> None:
    executor = LoopExecutor()
    gate = threading.Event()
    peak = 0
    lock = threading.Lock()

    def job(n: int) -> int:
        nonlocal peak
        with lock:
            peak = max(peak, executor.running)
        gate.wait(10)
        return n * 2

    futures = [executor.submit(job, n) for n in range(MAX_THREADS * 3)]
    assert executor.running == MAX_THREADS
    gate.set()
    assert [f.result(timeout=20) for f in futures] == [n * 2 for n in range(MAX_THREADS * 3)]
    assert peak <= MAX_THREADS
    ended = executor.end_idle_threads()
    deadline = time.monotonic() + 10
    while executor.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ended >= 1
    assert executor.running == 0


def test_an_error_reaches_the_future_and_the_thread_is_reused() -> None:
    executor = LoopExecutor()

    def fail() -> None:
        raise LookupError("no such host")

    future = executor.submit(fail)
    error = future.exception(timeout=10)
    assert isinstance(error, LookupError)
    deadline = time.monotonic() + 10
    while not executor._idle and time.monotonic() < deadline:
        time.sleep(0.01)
    assert executor.submit(lambda: threading.get_ident()).result(timeout=10) is not None
    assert executor.running == 1  # the same thread took the second job
    executor.end_idle_threads()
