"""The sync facade's portal: the shared loop thread that runs a ``piggy_sync`` call made from
inside a running event loop (a notebook cell, ``asyncio.run``). What its caller sees: the
result, the call's own typed error, a cancelled call said in words, nothing left in flight.
Written against what a mutation run of ``piggy_sync/_loops.py`` left uncaught."""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import warnings
from collections.abc import Iterator

import pytest

import piggy_sync
from piggy_async import ContactNotFoundError
from piggy_async.testing import FakePiggy
from piggy_sync import _loops, _runtime
from piggy_sync._loops import CallCancelledError, Portal

WAIT = 10.0


@pytest.fixture
def portal() -> Iterator[Portal]:
    own = Portal()
    try:
        yield own
    finally:
        assert own.stop(), "the portal's loop thread did not end"


class Wake:
    """A ``wake`` callback that counts its calls and can be waited for."""

    def __init__(self) -> None:
        self.calls = 0
        self.event = threading.Event()

    def __call__(self) -> None:
        self.calls += 1
        self.event.set()

    def wait(self) -> None:
        assert self.event.wait(WAIT), "wake() was never called"


def test_a_failed_call_inside_a_running_loop_raises_its_own_typed_error(
    threaded_fake: FakePiggy,
) -> None:
    with piggy_sync.Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as piggy:

        async def notebook_cell() -> None:
            with pytest.raises(ContactNotFoundError) as caught:
                piggy.contacts.get("no-such-contact")
            assert caught.value.status_code == 400  # Piggy's answer, not a stand-in error

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", piggy_sync.BlockingCallWarning)
            asyncio.run(notebook_cell())
        portal = _runtime._state.portal
        assert portal is not None
        assert portal.idle  # the finished call left nothing in flight


def test_a_call_gets_its_result_and_wakes_its_caller_once(portal: Portal) -> None:
    future: concurrent.futures.Future[int] = concurrent.futures.Future()
    wake = Wake()

    async def answer() -> int:
        return 42

    portal.submit(answer, future, wake)
    wake.wait()
    assert future.result(timeout=0) == 42
    assert wake.calls == 1
    assert portal.idle


def test_a_call_that_fails_passes_on_the_same_exception(portal: Portal) -> None:
    future: concurrent.futures.Future[int] = concurrent.futures.Future()
    wake = Wake()
    error = ValueError("the call's own error")

    async def fail() -> int:
        raise error

    portal.submit(fail, future, wake)
    wake.wait()
    assert future.exception(timeout=0) is error
    assert portal.idle


@pytest.mark.parametrize(
    ("how", "words"),
    [
        ("cancel", "the call was cancelled in the event loop"),  # what Ctrl-C in the caller does
        ("cancel_all", "the interpreter is exiting"),  # at exit: every call, with the reason
    ],
)
def test_a_cancelled_call_says_so_in_words(portal: Portal, how: str, words: str) -> None:
    future: concurrent.futures.Future[int] = concurrent.futures.Future()
    wake = Wake()
    started = threading.Event()

    async def slow() -> int:
        started.set()
        await asyncio.sleep(WAIT * 2)
        return 0

    cancel = portal.submit(slow, future, wake)
    assert started.wait(WAIT)
    if how == "cancel":
        cancel()
    else:
        portal.cancel_all("the interpreter is exiting")
    wake.wait()
    error = future.exception(timeout=0)
    assert isinstance(error, CallCancelledError)
    assert str(error) == words
    assert portal.idle


def test_a_call_cancelled_before_it_starts_never_runs(portal: Portal) -> None:
    future: concurrent.futures.Future[int] = concurrent.futures.Future()
    wake = Wake()
    ran: list[bool] = []

    async def never() -> int:
        ran.append(True)
        return 1

    assert future.cancel()  # the caller gave up before the loop got to it
    portal.submit(never, future, wake)
    wake.wait()
    assert future.cancelled()
    assert ran == []
    assert portal.idle


def test_a_late_cancel_after_the_portal_stopped_raises_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C, or the exit hook's cancel, arriving once the loop thread has ended."""
    portal = Portal()
    future: concurrent.futures.Future[int] = concurrent.futures.Future()
    wake = Wake()

    async def answer() -> int:
        return 42

    cancel = portal.submit(answer, future, wake)
    wake.wait()
    assert portal.stop()
    cancel()
    portal.cancel_all("the interpreter is exiting")
    assert future.result(timeout=0) == 42
    monkeypatch.setattr(_loops, "SHUTDOWN_TIMEOUT", 0.1)  # nothing left to wait for
    assert not portal.stop()  # stopped already: says so, raises nothing


def test_forking_again_does_not_wait_for_the_portal_stopped_before(
    threaded_fake: FakePiggy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before each fork the idle portal is stopped once; a process that forks again (a
    prefork server, mutmut's fork per mutant) waited ``SHUTDOWN_TIMEOUT`` on the stopped
    one at every later fork. The next call from a running loop gets a new portal."""
    with piggy_sync.Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as piggy:
        uuid = next(iter(threaded_fake.store.contacts))

        async def notebook_cell() -> str:
            return piggy.contacts.get(uuid).uuid

        def in_a_running_loop() -> str:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", piggy_sync.BlockingCallWarning)
                return asyncio.run(notebook_cell())

        assert in_a_running_loop() == uuid
        first = _runtime._state.portal
        assert first is not None
        stops: list[Portal] = []
        real_stop = Portal.stop

        def counted_stop(self: Portal) -> bool:
            stops.append(self)
            return real_stop(self)

        monkeypatch.setattr(Portal, "stop", counted_stop)
        _runtime._state.before_fork()
        _runtime._state.before_fork()
        assert stops == [first]
        assert _runtime._state.portal is None
        assert in_a_running_loop() == uuid
        second = _runtime._state.portal
        assert second is not None
        assert second is not first
        assert not second.stopping
