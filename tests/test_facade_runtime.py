"""Where a ``piggy_sync`` call runs, and the process-wide hooks, in-process on a fresh runtime
state (so that mutation runs see them; tests/test_sync_atexit.py, test_sync_fork.py,
test_sync_interrupt.py and test_sync_reentrant.py check the real thing in fresh interpreters):

- a call from a callback of a call in progress raises ``ReentrantCallError`` at once;
- a call inside a running event loop warns once per process, at the caller's line, and runs
  on the shared loop thread, as do calls made while another thread is in a call;

- at exit the pools are closed, a call still running finishes and then closes its pool, and
  calls made by ``atexit`` handlers that run after ours still work;
- at exit after an uncaught exception (Ctrl-C), calls running in other threads end with
  ``CallCancelledError`` and other threads' new calls are refused; the main thread's work;
- before a fork, the threads piggy_sync started and that are idle have ended, as the OS
  counts them (Python 3.12+ warns about forking a multi-threaded process);
- in a new process (noticed by its pid, as after a C-level fork) the next call gets new
  loops and the parent's connections are left open, never closed or warned about.
"""

from __future__ import annotations

import _thread
import asyncio
import gc
import logging
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import aiohttp
import pytest

import piggy_sync
from piggy_async import ContactNotFoundError
from piggy_async.hooks import Event, RequestSent
from piggy_async.testing import FakePiggy
from piggy_sync import (
    CallCancelledError,
    Piggy,
    ReentrantCallError,
    _executor,
    _green,
    _loops,
    _runtime,
)

WAIT = 10.0
EXIT_REASON = "the call was cancelled: the interpreter is exiting"
REENTRANT = (
    "a piggy_sync call was made from code running on piggy_sync's event loop (for instance a "
    "callback of a call in progress); it would wait for itself forever. Use piggy_async with "
    "await there, or make the call after the first one returns"
)
BLOCKING = (
    "a piggy_sync call blocks the running event loop of this thread until it returns; use "
    "piggy_async with await inside async code"
)


@pytest.fixture
def state(monkeypatch: pytest.MonkeyPatch) -> Iterator[_runtime._State]:
    fresh = _runtime._State()
    monkeypatch.setattr(_runtime, "_state", fresh)
    try:
        yield fresh
    finally:
        fresh.shutdown()  # what the exit hook does: nothing of this test's stays open


@pytest.fixture
def piggy(threaded_fake: FakePiggy) -> Iterator[Piggy]:
    with Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as client:
        yield client


@pytest.fixture
def uuid(threaded_fake: FakePiggy) -> str:
    return next(iter(threaded_fake.store.contacts))


def _in_a_running_loop(call: Callable[[], Any]) -> Any:
    async def notebook_cell() -> Any:
        return call()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", piggy_sync.BlockingCallWarning)
        return asyncio.run(notebook_cell())


def _soon(condition: Callable[[], bool], within: float = WAIT) -> bool:
    deadline = time.monotonic() + within
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.005)
    return condition()


class Worker(threading.Thread):
    """A thread that makes one call and keeps its outcome (result or exception)."""

    def __init__(self, call: Callable[[], Any]) -> None:
        super().__init__()
        self.call = call
        self.outcome: Any = None
        self.host: _loops.Host | None = None

    def run(self) -> None:
        try:
            self.outcome = self.call()
        except BaseException as exc:
            self.outcome = exc
        self.host = _runtime._state.local.__dict__.get("host")

    def outcome_after_join(self) -> Any:
        self.join(WAIT)
        assert not self.is_alive()
        return self.outcome


def test_at_exit_the_pools_close_and_later_calls_still_work(
    state: _runtime._State,
    piggy: Piggy,
    uuid: str,
    threaded_fake: FakePiggy,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert piggy.contacts.get(uuid).uuid == uuid  # on this thread's own loop
    pager = piggy.contacts.iter_all(page_size=1)  # still open at exit
    assert next(pager).uuid in threaded_fake.store.contacts
    threaded_fake.faults.latency(0.5, times=2, path="/contacts/*")
    run = piggy.contacts.get_many([uuid] * 4, concurrency=2)  # unfinished at exit
    assert next(run).ok
    assert _in_a_running_loop(lambda: piggy.contacts.get(uuid).uuid) == uuid  # shared loop
    mine, portal = state.local.host, state.portal
    assert portal is not None
    sessions = [*mine.sessions.values(), *portal.host.sessions.values()]
    assert len(sessions) == 2
    assert not any(session.closed for session in sessions)
    state.shutdown()  # piggy_sync's atexit hook: the run's calls cancelled, the pools closed
    assert all(session.closed for session in sessions)
    assert mine.loop.is_closed()
    assert _soon(portal.host.loop.is_closed)  # the loop thread ended
    # An atexit handler registered before piggy_sync's runs after it: its calls still work,
    # and each closes its pool when it is done.
    assert piggy.contacts.get(uuid).uuid == uuid
    assert piggy.contacts.get(uuid).uuid == uuid
    late = list(state.hosts)
    assert len(late) == 2
    assert _in_a_running_loop(lambda: piggy.contacts.get(uuid).uuid) == uuid
    assert all(host.loop.is_closed() and not host.sessions for host in late)
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    del pager, run  # dropped after the exit hook closed their loop: nothing to do or say
    gc.collect()
    assert unraisable == []
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert _soon(lambda: threaded_fake.in_flight == 0)


def test_a_call_running_at_exit_finishes_then_closes_its_pool(
    state: _runtime._State,
    piggy: Piggy,
    uuid: str,
    threaded_fake: FakePiggy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(sys, "last_value", raising=False)  # a normal exit
    threaded_fake.faults.latency(0.5, path=f"/contacts/{uuid}")
    worker = Worker(lambda: piggy.contacts.get(uuid).uuid)
    worker.start()
    assert _soon(lambda: threaded_fake.in_flight == 1)
    state.cancel_other_threads()  # threading's exit hook: nothing to cancel at a normal exit
    state.shutdown()  # then the atexit hook
    assert worker.outcome_after_join() == uuid
    assert worker.host is not None
    assert worker.host.loop.is_closed()
    assert worker.host not in state.idle  # not handed to a next thread: it is closed


def test_after_an_uncaught_exception_exit_cancels_the_calls_of_other_threads(
    state: _runtime._State,
    piggy: Piggy,
    uuid: str,
    threaded_fake: FakePiggy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threaded_fake.faults.latency(2.5, times=2, path=f"/contacts/{uuid}")
    on_its_own_loop = Worker(lambda: piggy.contacts.get(uuid))
    on_its_own_loop.start()
    assert _soon(lambda: threaded_fake.in_flight == 1)
    on_the_shared_loop = Worker(lambda: _in_a_running_loop(lambda: piggy.contacts.get(uuid)))
    on_the_shared_loop.start()
    assert _soon(lambda: threaded_fake.in_flight == 2)
    monkeypatch.setattr(sys, "last_value", KeyboardInterrupt(), raising=False)
    started = time.monotonic()
    state.cancel_other_threads()  # run by threading's exit hook, before threads are joined
    for worker in (on_its_own_loop, on_the_shared_loop):
        error = worker.outcome_after_join()
        assert isinstance(error, CallCancelledError)
        assert str(error) == EXIT_REASON
    assert time.monotonic() - started < 2.0  # not the 2.5 s the server takes
    late = Worker(lambda: piggy.contacts.get(uuid))
    late.start()
    error = late.outcome_after_join()
    assert isinstance(error, CallCancelledError)
    assert str(error) == EXIT_REASON
    assert _soon(lambda: threaded_fake.in_flight == 0)  # the server done with the two
    assert piggy.contacts.get(uuid).uuid == uuid  # the main thread goes on exiting
    state.shutdown()
    assert piggy.contacts.get(uuid).uuid == uuid  # and its atexit handlers' calls work
    assert state.portal is None  # on this thread's loop: no new thread at exit


def test_a_new_process_gets_new_loops_and_leaves_the_parents_connections_alone(
    state: _runtime._State,
    piggy: Piggy,
    uuid: str,
    threaded_fake: FakePiggy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert piggy.contacts.get(uuid).uuid == uuid
    assert _in_a_running_loop(lambda: piggy.contacts.get(uuid).uuid) == uuid
    mine, portal = state.local.host, state.portal
    assert portal is not None
    transports = [
        proto.transport
        for host in (mine, portal.host)
        for session in host.sessions.values()
        if session.connector is not None
        for conns in session.connector._conns.values()
        for proto, _ in conns
    ]
    assert len(transports) == 2  # a kept-alive connection on each loop
    unraisable: list[object] = []  # "unclosed connector/event loop/transport" warnings
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    child = os.getpid() + 1  # as after a C-level fork: noticed by the pid alone
    monkeypatch.setattr(_runtime, "_getpid", lambda: child)
    monkeypatch.setattr(_loops, "_getpid", lambda: child)
    try:
        state.before_fork()  # the child forks again first: the parent's loop is not its own
        assert not portal.stopping
        pager = piggy.contacts.iter_all(page_size=1)  # the child's first call: an iterator's
        assert next(pager).uuid in threaded_fake.store.contacts
        assert state.local.host is not mine
        assert piggy.contacts.get(uuid).uuid == uuid
        assert _in_a_running_loop(lambda: piggy.contacts.get(uuid).uuid) == uuid
        assert state.portal is not portal
        # Whatever the parent's loops still own, closed when they end: none of its sockets.
        mine.loop.run_until_complete(mine.close_sessions())
        asyncio.run_coroutine_threadsafe(portal.host.close_sessions(), portal.host.loop).result(
            WAIT
        )
        assert not any(t is None or t.is_closing() for t in transports)
        gc.collect()
        assert unraisable == []
    finally:  # this is one process after all: close the "parent's" connections for real
        for connector in [o for o in state.orphans if isinstance(o, aiohttp.BaseConnector)]:
            connector._closed = False
            if connector._loop is mine.loop:
                mine.loop.run_until_complete(_close(connector))
            else:
                asyncio.run_coroutine_threadsafe(_close(connector), portal.host.loop).result(WAIT)
        mine.loop.close()
        assert portal.stop()


async def _close(connector: Any) -> None:
    await connector.close()


def test_a_call_from_a_callback_of_a_call_in_progress_raises_at_once(
    state: _runtime._State, threaded_fake: FakePiggy, uuid: str
) -> None:
    caught: list[BaseException] = []

    def hook(event: Event) -> None:
        if isinstance(event, RequestSent) and len(caught) < 2:
            try:
                inner.contacts.get(uuid)
            except BaseException as exc:
                caught.append(exc)

    with (
        Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url, hooks=[hook]) as piggy,
        Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as inner,
    ):
        assert piggy.contacts.get(uuid).uuid == uuid  # on this thread's own loop
        assert [type(e) for e in caught] == [ReentrantCallError]
        assert _in_a_running_loop(lambda: piggy.contacts.get(uuid).uuid) == uuid  # shared loop
    assert [type(e) for e in caught] == [ReentrantCallError] * 2
    assert [str(e) for e in caught] == [REENTRANT] * 2


def test_a_call_inside_a_running_loop_warns_once_at_the_callers_line(
    state: _runtime._State, piggy: Piggy, uuid: str
) -> None:
    async def notebook_cell() -> str:
        first = piggy.contacts.get(uuid).uuid
        return first + piggy.contacts.get(uuid).uuid

    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        assert asyncio.run(notebook_cell()) == uuid * 2
        assert asyncio.run(notebook_cell()) == uuid * 2
    assert [(w.category, str(w.message)) for w in seen] == [
        (piggy_sync.BlockingCallWarning, BLOCKING)
    ]
    if os.environ.get("MUTANT_UNDER_TEST") is None:  # mutmut's trampolines add frames
        assert seen[0].filename == __file__  # the caller's line, not piggy_sync's


def test_while_another_thread_is_in_a_call_a_call_runs_on_the_shared_loop(
    state: _runtime._State, threaded_fake: FakePiggy, uuid: str
) -> None:
    ran_in: list[int] = []

    def hook(event: Event) -> None:
        if isinstance(event, RequestSent):
            ran_in.append(threading.get_ident())

    threaded_fake.faults.latency(0.5, path=f"/contacts/{uuid}")
    with (
        warnings.catch_warnings(record=True) as seen,
        Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url, hooks=[hook]) as piggy,
    ):
        warnings.simplefilter("always")
        busy = Worker(lambda: piggy.contacts.get(uuid).uuid)
        busy.start()
        assert _soon(lambda: threaded_fake.in_flight == 1)
        assert piggy.contacts.get(uuid).uuid == uuid  # meanwhile, from this thread
        assert busy.outcome_after_join() == uuid
        assert piggy.contacts.get(uuid).uuid == uuid  # alone again
    assert state.portal is not None
    me = threading.get_ident()
    assert len(ran_in) == 3
    assert ran_in[0] == busy.ident  # its own loop
    assert ran_in[1] not in (me, busy.ident)  # the shared loop's thread
    assert ran_in[2] == me  # this thread's own loop
    assert seen == []  # no running loop here: nothing to warn about


def _os_threads() -> int:
    with open("/proc/self/status") as status:
        lines = status.read().splitlines()
    for line in lines:
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise AssertionError("no thread count in /proc/self/status")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux: the OS's count")
def test_before_a_fork_the_idle_threads_are_gone_as_the_os_counts_them(
    state: _runtime._State, threaded_fake: FakePiggy, uuid: str
) -> None:
    baseline = _os_threads()
    assert _runtime._os_thread_count() == baseline  # the count before_fork waits on
    by_name = threaded_fake.base_url.replace("127.0.0.1", "localhost")  # a lookup thread
    with Piggy(api_key=threaded_fake.token, base_url=by_name) as piggy:
        assert _in_a_running_loop(lambda: piggy.contacts.get(uuid).uuid) == uuid  # + loop thread
        assert _os_threads() > baseline
        executor = _executor.EXECUTOR  # its thread done with the lookup, not just the job
        assert _soon(lambda: len(executor._idle) == executor.running)
        started = time.monotonic()
        state.before_fork()  # os.register_at_fork's "before" hook
        assert _os_threads() <= baseline
        assert time.monotonic() - started < 0.9  # no waiting for threads already gone
        assert _in_a_running_loop(lambda: piggy.contacts.get(uuid).uuid) == uuid


@pytest.mark.parametrize("loop", ["its-own", "the-shared"])
def test_ctrl_c_while_waiting_cancels_the_call_within_a_wake_up(
    state: _runtime._State, piggy: Piggy, uuid: str, threaded_fake: FakePiggy, loop: str
) -> None:
    """``_thread.interrupt_main`` (a Ctrl-C no signal delivers: only a wake-up of the waiting
    thread lets it act) during a call on this thread's own loop, or on the shared loop's
    while another thread is in a call."""
    busy = None
    if loop == "the-shared":
        threaded_fake.faults.latency(1.0, path=f"/contacts/{uuid}")
        busy = Worker(lambda: piggy.contacts.get(uuid).uuid)
        busy.start()
        assert _soon(lambda: threaded_fake.in_flight == 1)
    threaded_fake.faults.latency(3.0, path=f"/contacts/{uuid}")
    timer = threading.Timer(0.3, _thread.interrupt_main)

    def call_with_ctrl_c() -> None:
        timer.start()
        try:
            piggy.contacts.get(uuid)
        finally:
            timer.join(WAIT)  # the interrupt lands in here whatever happens

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        call_with_ctrl_c()
    assert time.monotonic() - started < 2.0  # within a wake-up or two, not after 3 s
    if busy is not None:
        portal = state.portal
        assert portal is not None
        assert _soon(lambda: portal.idle, within=2.0)  # cancelled there, not left running
        assert busy.outcome_after_join() == uuid
    else:
        assert state.portal is None
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert _soon(lambda: threaded_fake.in_flight == 0)  # the server done with them
    assert piggy.contacts.get(uuid).uuid == uuid


def test_under_gevent_a_call_runs_on_the_shared_loop_and_wakes_its_greenlet(
    state: _runtime._State, threaded_fake: FakePiggy, uuid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """gevent itself runs in tests/test_sync_gevent.py (a fresh interpreter); here its hub's
    cooperative wait is stood in for by an event, to see what the greenlet gets."""
    woken: list[bool] = []

    def wait_cooperatively(submit: Callable[[Callable[[], None]], Callable[[], None]]) -> None:
        done = threading.Event()
        submit(done.set)
        woken.append(done.wait(2.0))  # a missed wake-up fails, not times out

    monkeypatch.setattr(_green, "gevent_active", lambda: True)
    monkeypatch.setattr(_green, "wait_cooperatively", wait_cooperatively)
    ran_in: list[int] = []

    def hook(event: Event) -> None:
        if isinstance(event, RequestSent):
            ran_in.append(threading.get_ident())

    with Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url, hooks=[hook]) as piggy:
        assert piggy.contacts.get(uuid).uuid == uuid
        with pytest.raises(ContactNotFoundError):
            piggy.contacts.get("nobody")
    assert woken == [True] * 3  # the two calls and the client's close
    assert len(ran_in) == 2
    assert threading.get_ident() not in ran_in  # on the shared loop's real thread


def test_a_thread_that_takes_over_an_ended_threads_loop_iterates_on_it(
    state: _runtime._State, piggy: Piggy, uuid: str, threaded_fake: FakePiggy
) -> None:
    first = Worker(lambda: piggy.contacts.get(uuid).uuid)
    first.start()
    assert first.outcome_after_join() == uuid
    gc.collect()  # the ended thread's loop (and connections) go to the next new thread
    second = Worker(
        lambda: [t.uuid for t in piggy.contacts.iter_loyalty_transactions(uuid, page_size=5)]
    )
    second.start()
    assert second.outcome_after_join() == [
        t["uuid"] for t in threaded_fake.store.transactions[uuid]
    ]
    assert second.host is first.host
