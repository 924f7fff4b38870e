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
import selectors
import signal
import sys
import threading
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import aiohttp
import pytest

import piggy_sync
from piggy_async import APIStatusError, ContactNotFoundError
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
    """A thread that makes one call and keeps its outcome (result or exception). A daemon:
    one stuck in a call that never ends fails its test and does not hold the process."""

    def __init__(self, call: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
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


@pytest.mark.parametrize("first", ["an-iterator", "a-call"])
def test_a_new_process_gets_new_loops_and_leaves_the_parents_connections_alone(
    state: _runtime._State,
    piggy: Piggy,
    uuid: str,
    threaded_fake: FakePiggy,
    monkeypatch: pytest.MonkeyPatch,
    first: str,
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
        pager = piggy.contacts.iter_all(page_size=1)
        if first == "a-call":
            assert piggy.contacts.get(uuid).uuid == uuid
            assert state.local.host is not mine
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
        # At the child's exit its interpreter finalizes what it kept of the parent's: no
        # "Unclosed connector" warning, and still none of the parent's sockets closed.
        kept = [o for o in state.orphans if isinstance(o, aiohttp.BaseConnector)]
        assert len(kept) == 2
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            for connector in kept:
                connector.__del__()
        assert [str(w.message) for w in seen] == []
        assert not any(t is None or t.is_closing() for t in transports)
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
        if not done.wait(2.0):  # a missed wake-up fails the call at once, not after a hang
            raise AssertionError("the greenlet was not woken")
        woken.append(True)

    selectors_made: list[selectors.BaseSelector] = []

    def platform_selector() -> selectors.BaseSelector:  # gevent's own would block its hub
        selectors_made.append(selectors.DefaultSelector())
        return selectors_made[-1]

    monkeypatch.setattr(_green, "green_active", lambda: True)
    monkeypatch.setattr(_green, "wait_cooperatively", wait_cooperatively)
    monkeypatch.setattr(_green, "selector", platform_selector)
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
    assert state.portal is not None
    assert [state.portal.host.loop._selector] == selectors_made  # type: ignore[attr-defined]


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


# Where calls run while several threads are in calls at once, driven by calls held at a gate
# (through the facade's own entry, ``_runtime.run``): deterministic, no timing.


class Held:
    """A call that runs until released; it answers the thread it ran on."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.gate = threading.Event()

    async def call(self) -> int:
        self.entered.set()
        await asyncio.wait_for(_until(self.gate), WAIT)
        return threading.get_ident()

    def start_in(self, worker: Worker) -> Worker:
        worker.start()
        assert self.entered.wait(WAIT)
        return worker


async def _until(gate: threading.Event) -> None:
    while not gate.is_set():  # noqa: ASYNC110 - a thread's event, set from another thread
        await asyncio.sleep(0.002)


async def _thread_ident() -> int:
    return threading.get_ident()


class HeldItems:
    """An async iterator whose first item comes at once and whose second waits at a gate."""

    def __init__(self) -> None:
        self.second = Held()
        self.taken = 0

    def __aiter__(self) -> HeldItems:
        return self

    async def __anext__(self) -> int:
        self.taken += 1
        if self.taken == 1:
            return threading.get_ident()
        return await self.second.call()


def _two_on_the_shared_loop() -> tuple[list[tuple[Worker, str]], Held]:
    """A call on its own loop, then two on the shared loop; the first of those two and the
    own-loop call end, the second shared one goes on."""
    a, b, c = Held(), Held(), Held()
    own = a.start_in(Worker(lambda: _runtime.run(a.call)))
    first = b.start_in(Worker(lambda: _runtime.run(b.call)))
    second = c.start_in(Worker(lambda: _runtime.run(c.call)))
    b.gate.set()
    first.join(WAIT)
    a.gate.set()
    own.join(WAIT)
    return [(own, "own"), (first, "shared"), (second, "shared")], c


def _an_iterator_and_a_call_on_their_own_loops() -> tuple[list[tuple[Worker, str]], Held]:
    """An iterator started alone on its thread's own loop, then a call alone on another
    thread's own loop; the iterator's next item runs on its loop meanwhile, then ends."""
    items = HeldItems()
    started, go = threading.Event(), threading.Event()

    def iterate() -> list[int]:
        iterator = piggy_sync.SyncIterator(items)
        first = next(iterator)  # alone: on this thread's own loop
        started.set()
        assert go.wait(WAIT)
        return [first, next(iterator)]  # on that loop again, another thread in a call

    iterating = Worker(iterate)
    iterating.start()
    assert started.wait(WAIT)
    b = Held()
    other = b.start_in(Worker(lambda: _runtime.run(b.call)))  # alone: on its own loop
    go.set()
    assert items.second.entered.wait(WAIT)
    items.second.gate.set()
    iterating.join(WAIT)
    return [(iterating, "own, twice"), (other, "own")], b


@pytest.mark.parametrize(
    "calls", [_two_on_the_shared_loop, _an_iterator_and_a_call_on_their_own_loops]
)
def test_while_any_other_thread_is_still_in_a_call_a_call_runs_on_the_shared_loop(
    state: _runtime._State, calls: Callable[[], tuple[list[tuple[Worker, str]], Held]]
) -> None:
    """Three threads in calls at once; when two have ended, the third is still in its call,
    so this thread's call goes to the shared loop, not to a loop of its own."""
    workers, still_in_a_call = calls()
    assert not still_in_a_call.gate.is_set()
    here = _runtime.run(_thread_ident)
    still_in_a_call.gate.set()
    portal = state.portal
    shared = None if portal is None else portal.host.loop._thread_id  # type: ignore[attr-defined]
    for worker, where in workers:
        outcome = worker.outcome_after_join()
        expected = {"own": worker.ident, "own, twice": [worker.ident] * 2, "shared": shared}
        assert outcome == expected[where], where
    assert shared is not None
    assert here == shared
    assert _runtime.run(_thread_ident) == threading.get_ident()  # alone again: its own loop


def test_a_second_ctrl_c_during_the_calls_clean_up_still_cancels_and_awaits_the_call(
    state: _runtime._State,
) -> None:
    """The first Ctrl-C cancels the call; a second one while the call still cleans up (here
    a clean-up that would take WAIT seconds) reaches the caller as ``KeyboardInterrupt``
    only once the call has been cancelled again and has ended, its last awaits included:
    nothing is left running."""
    assert threading.current_thread() is threading.main_thread()
    events: list[str] = []

    async def call() -> None:
        loop = asyncio.get_running_loop()
        loop.call_soon(os.kill, os.getpid(), signal.SIGINT)  # Ctrl-C while the call waits
        try:
            await asyncio.sleep(WAIT)
        except asyncio.CancelledError:
            events.append("cancelled")
            loop.call_soon(os.kill, os.getpid(), signal.SIGINT)  # again, in the clean-up
            try:
                await asyncio.sleep(WAIT)
            finally:
                for _ in range(5):  # closing things takes a few turns of the loop
                    await asyncio.sleep(0)
                events.append("clean-up ended")
            raise

    with pytest.raises(KeyboardInterrupt):
        _runtime.run(call)
    assert events == ["cancelled", "clean-up ended"]
    loop = state.local.host.loop
    assert not asyncio.all_tasks(loop)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert _runtime.run(_thread_ident) == threading.get_ident()  # the loop still serves


def test_calls_on_the_main_threads_loop_arm_its_wake_up_timer_once(
    state: _runtime._State, piggy: Piggy, uuid: str
) -> None:
    """The timer that lets Ctrl-C act within a wake-up re-arms itself: one per loop, not one
    more per call (each would wake the loop every 0.2 s for good)."""
    assert threading.current_thread() is threading.main_thread()
    for _ in range(3):
        assert piggy.contacts.get(uuid).uuid == uuid
    loop: Any = state.local.host.loop
    ticks = [h for h in loop._scheduled if h._callback is _loops._tick]
    assert len(ticks) == 1


def test_at_exit_an_async_generator_left_open_on_a_loop_is_closed(
    state: _runtime._State, piggy: Piggy, uuid: str
) -> None:
    """A bulk run's async-generator input, suspended between items when the run is left
    unfinished: the exit hook closes it, so its ``finally`` runs then, not never."""
    events: list[str] = []

    async def inputs() -> AsyncIterator[str]:
        try:
            for _ in range(10):
                yield uuid
        finally:
            events.append("input closed")

    run = piggy.contacts.get_many(inputs(), concurrency=1)
    assert next(run).ok
    assert events == []
    state.shutdown()
    assert events == ["input closed"]
    del run


def test_an_iterator_started_on_the_shared_loop_stays_there_after_the_exit_hook(
    state: _runtime._State, threaded_fake: FakePiggy
) -> None:
    """Iterators keep running where their first call ran: one started inside a running loop
    and continued afterwards, after the exit hook too, fetches on a shared loop thread.
    Each step runs in a thread of its own that must end within WAIT (a lost call fails)."""
    ran_in: list[int] = []

    def hook(event: Event) -> None:
        if isinstance(event, RequestSent):
            ran_in.append(threading.get_ident())

    callers: list[int | None] = []

    def within_wait(step: Callable[[], Any]) -> Any:
        worker = Worker(step)
        worker.start()
        callers.append(worker.ident)
        return worker.outcome_after_join()

    assert len(threaded_fake.store.contacts) >= 3
    with Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url, hooks=[hook]) as piggy:
        pager = piggy.contacts.iter_all(page_size=1)
        first = within_wait(lambda: _in_a_running_loop(lambda: next(pager)))  # shared loop
        second = within_wait(lambda: next(pager))  # no running loop there: still shared
        state.shutdown()  # the exit hook: the shared loop's thread ends
        third = within_wait(lambda: next(pager))  # as from an atexit handler after ours
        pager.close()
    assert len({first.uuid, second.uuid, third.uuid}) == 3
    assert len(ran_in) == 3
    for ran, caller in zip(ran_in, callers, strict=True):  # both alive then: distinct idents
        assert ran not in (caller, threading.get_ident())  # on a shared loop's thread


def test_exit_after_an_uncaught_exception_passes_idle_threads_by_and_keeps_later_errors(
    state: _runtime._State,
    piggy: Piggy,
    uuid: str,
    threaded_fake: FakePiggy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At exit after an uncaught exception: a live thread that is not in a call (its loop
    idle) is passed by, the call of a thread in one is cancelled, and an error that thread's
    iterator meets afterwards is that error, not a cancellation."""
    idle_done, leave = threading.Event(), threading.Event()

    def made_a_call_and_stays_idle() -> str:
        answer = piggy.contacts.get(uuid).uuid  # alone: on this thread's own loop
        idle_done.set()
        assert leave.wait(WAIT)
        return answer

    idle = Worker(made_a_call_and_stays_idle)
    idle.start()
    assert idle_done.wait(WAIT)
    started, go = threading.Event(), threading.Event()

    def cancelled_then_iterating() -> list[BaseException]:
        pager = piggy.contacts.iter_all(page_size=1)
        next(pager)  # alone: on this thread's own loop
        started.set()
        assert go.wait(WAIT)
        seen: list[BaseException] = []
        calls: list[Callable[[], object]] = [lambda: piggy.contacts.get(uuid), lambda: next(pager)]
        for call in calls:
            try:
                call()
            except Exception as exc:
                seen.append(exc)
        return seen

    busy = Worker(cancelled_then_iterating)
    busy.start()
    assert started.wait(WAIT)
    threaded_fake.faults.latency(2.5, path=f"/contacts/{uuid}")
    threaded_fake.faults.status(400, path="/contacts")  # the pager's next page
    go.set()
    assert _soon(lambda: threaded_fake.in_flight == 1)
    monkeypatch.setattr(sys, "last_value", KeyboardInterrupt(), raising=False)
    state.cancel_other_threads()
    cancelled, own = busy.outcome_after_join()
    assert isinstance(cancelled, CallCancelledError)
    assert str(cancelled) == EXIT_REASON
    assert isinstance(own, APIStatusError)
    assert own.status_code == 400
    leave.set()
    assert idle.outcome_after_join() == uuid
    assert _soon(lambda: threaded_fake.in_flight == 0)  # the server done with the held call


class LaggingThreadCount:
    """The OS's thread count as ``before_fork`` reads it, scripted: it is ``start`` at the
    first read, then moves by ``step`` at each read (ended threads leave the OS's count a
    moment after they end; another library's threads may start meanwhile)."""

    def __init__(self, start: int, step: int) -> None:
        self.next, self.step = start, step
        self.reads: list[int] = []

    def __call__(self) -> int:
        self.reads.append(self.next)
        if len(self.reads) > 1:
            self.next += self.step
        return self.reads[-1]


@pytest.mark.parametrize("ours_idle", [True, False], ids=["threads-of-ours-idle", "none"])
def test_before_a_fork_it_waits_until_the_os_no_longer_counts_the_threads_it_ended(
    state: _runtime._State,
    threaded_fake: FakePiggy,
    uuid: str,
    monkeypatch: pytest.MonkeyPatch,
    ours_idle: bool,
) -> None:
    """With threads of ours idle (a lookup thread, the shared loop's), the fork waits until
    the OS's count is down by as many as were ended, and no longer; with none, it does not
    wait at all, even while other threads start."""
    executor = _executor.EXECUTOR
    ended: list[int] = []
    end_idle_threads = executor.end_idle_threads

    def counted() -> int:
        ended.append(end_idle_threads())
        return ended[-1]

    if ours_idle:
        by_name = threaded_fake.base_url.replace("127.0.0.1", "localhost")  # a lookup thread
        with Piggy(api_key=threaded_fake.token, base_url=by_name) as piggy:
            assert _in_a_running_loop(lambda: piggy.contacts.get(uuid).uuid) == uuid
        assert _soon(lambda: len(executor._idle) == executor.running >= 1)
        count = LaggingThreadCount(100, -1)
    else:
        executor.end_idle_threads()
        count = LaggingThreadCount(100, +1)
    monkeypatch.setattr(executor, "end_idle_threads", counted)
    monkeypatch.setattr(_runtime, "_os_thread_count", count)
    state.before_fork()
    assert state.portal is None
    if ours_idle:
        gone = ended[0] + 1  # and the shared loop's thread
        assert ended[0] >= 1
        assert count.reads == [100, *range(100, 100 - gone - 1, -1)]
    else:
        assert ended == [0]
        assert count.reads == [100]


@pytest.mark.parametrize("where", ["own-loop", "shared-loop"])
def test_a_sync_iterator_over_an_async_generator_iterates_and_closes_it(
    state: _runtime._State, where: str
) -> None:
    """``piggy_sync.SyncIterator`` is public: over an async generator (whose steps are
    awaitables, not coroutines) it gives the items, and ``close()`` runs its ``finally``."""
    events: list[str] = []

    async def numbers() -> AsyncIterator[int]:
        try:
            for n in range(5):
                yield n
        finally:
            events.append("closed")

    def take_two_then_close() -> list[int]:
        iterator = piggy_sync.SyncIterator(numbers())
        taken = [next(iterator), next(iterator)]
        iterator.close()
        return taken

    if where == "own-loop":
        assert take_two_then_close() == [0, 1]
        assert list(piggy_sync.SyncIterator(numbers())) == [0, 1, 2, 3, 4]
    else:
        assert _in_a_running_loop(take_two_then_close) == [0, 1]
        assert _in_a_running_loop(lambda: list(piggy_sync.SyncIterator(numbers()))) == [
            0,
            1,
            2,
            3,
            4,
        ]
    assert events == ["closed", "closed"]


def test_exit_waits_a_bounded_time_for_an_input_that_ignores_cancellation(
    state: _runtime._State, piggy: Piggy, uuid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unfinished bulk run whose async input swallows the cancellation at exit: the exit
    hook waits ``SHUTDOWN_TIMEOUT`` for it (shortened here), then closes the loop anyway."""
    monkeypatch.setattr(_loops, "SHUTDOWN_TIMEOUT", 0.05)
    released = threading.Event()
    events: list[str] = []

    async def inputs() -> AsyncIterator[str]:
        yield uuid
        while not released.is_set():  # waiting for more, deaf to cancellation
            try:
                await asyncio.sleep(0.005)
            except asyncio.CancelledError:
                events.append("cancel ignored")
        events.append("released")

    def start_a_run() -> Any:
        run = piggy.contacts.get_many(inputs(), concurrency=1)
        assert next(run).ok
        return run  # left unfinished, and the thread ends: its loop goes idle

    worker = Worker(start_a_run)
    worker.start()
    run = worker.outcome_after_join()
    gc.collect()
    assert state.idle == [worker.host]
    mine = worker.host
    assert mine is not None
    left_behind = asyncio.all_tasks(mine.loop)
    exiting = threading.Thread(target=state.shutdown, daemon=True)  # a hang fails, below
    exiting.start()
    exiting.join(WAIT)
    finished = not exiting.is_alive()
    released.set()  # whatever happened: let the input end
    exiting.join(WAIT)
    assert finished
    assert mine.loop.is_closed()
    assert events == ["cancel ignored"]  # closed while the input still ran
    for task in left_behind:  # the input's task, abandoned on purpose: not reported later
        task._log_destroy_pending = False  # type: ignore[attr-defined]
    del run, left_behind
    gc.collect()


def test_ctrl_c_while_waiting_on_the_shared_loop_returns_even_if_the_call_ignores_it(
    state: _runtime._State, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while this thread waits for its call on the shared loop (another thread being
    in a call): the call is cancelled, and if it ignores that, ``KeyboardInterrupt`` still
    comes back after ``SHUTDOWN_TIMEOUT`` (shortened here), not when the call ends."""
    monkeypatch.setattr(_runtime, "SHUTDOWN_TIMEOUT", 0.05)
    other = Held()
    busy = other.start_in(Worker(lambda: _runtime.run(other.call)))
    released = threading.Event()
    events: list[str] = []

    async def stubborn() -> None:
        _thread.interrupt_main()  # Ctrl-C while the caller waits
        while not released.is_set():  # deaf to cancellation
            try:
                await asyncio.sleep(0.005)
            except asyncio.CancelledError:
                events.append("cancel ignored")
        events.append("released")

    safety = threading.Timer(WAIT, released.set)  # a wait without bound fails, not hangs
    safety.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            _runtime.run(stubborn)
        assert "released" not in events  # back while the call still ran
    finally:
        released.set()
        safety.cancel()
        other.gate.set()
    assert busy.outcome_after_join() == busy.ident
    portal = state.portal
    assert portal is not None
    assert _soon(lambda: portal.idle)
    assert events[-1] == "released"
