"""What runs in the default executor of ``piggy_sync``'s loops (host-name lookups, callbacks
sent off the loop): any callable with its arguments, and the resolver the process started
with, not one a monkey-patching library put in its place (gevent's would need its hub)."""

from __future__ import annotations

import concurrent.futures
import functools
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from piggy_async.testing import FakePiggy
from piggy_sync import Piggy, _executor
from piggy_sync._executor import MAX_THREADS, LoopExecutor

WAIT = 5.0


def _add(a: int, b: int = 0) -> int:
    return a + b


@pytest.mark.parametrize(
    ("fn", "args", "kwargs", "expected"),
    [
        (_add, (1,), {"b": 2}, 3),  # keyword arguments reach the function
        (functools.partial(pow, 2), (10,), {}, 1024),  # a callable with no __name__
    ],
    ids=["keywords", "partial"],
)
def test_a_job_runs_with_its_arguments(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], expected: int
) -> None:
    executor = LoopExecutor()
    try:
        assert executor.submit(fn, *args, **kwargs).result(timeout=WAIT) == expected
    finally:
        executor.end_idle_threads()


def _soon(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + WAIT
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_queued_jobs_run_idle_threads_end_and_a_later_job_gets_a_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_executor, "IDLE_SECONDS", 0.05)
    unraisable: list[object] = []  # "Exception ignored/Unhandled exception in thread"
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    executor = LoopExecutor()
    gate = threading.Event()
    futures = [executor.submit(gate.wait, WAIT) for _ in range(MAX_THREADS + 2)]  # 2 queued
    gate.set()
    _, late = concurrent.futures.wait(futures, timeout=WAIT)
    assert not late
    assert all(future.result() for future in futures)
    assert _soon(lambda: executor.running == 0)  # each thread ended once idle
    assert executor.submit(_add, 2, 3).result(timeout=WAIT) == 5
    assert _soon(lambda: executor.running == 0)
    assert unraisable == []


def test_host_names_resolve_with_the_original_getaddrinfo(
    threaded_fake: FakePiggy, monkeypatch: pytest.MonkeyPatch
) -> None:
    uuid = next(iter(threaded_fake.store.contacts))
    asked: list[object] = []

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> Any:
        asked.append(host)  # a monkey-patched resolver (gevent's needs its own hub)
        raise OSError("the patched resolver was used")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    by_name = threaded_fake.base_url.replace("127.0.0.1", "localhost")
    with Piggy(api_key=threaded_fake.token, base_url=by_name, max_retries=0) as piggy:
        assert piggy.contacts.get(uuid).uuid == uuid
    assert asked == []
