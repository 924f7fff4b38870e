"""Cancelling a call at any point leaves the client whole: real sockets on 127.0.0.1.

Each test cancels a call at one point of its path (before it runs, while its connection
opens, while it waits for a connection slot, in flight, mid-body, in a retry wait, while it
waits for an OAuth token, under ``max_rate``, inside a bulk run) by ``task.cancel()``,
``asyncio.timeout``, ``anyio.fail_after`` or the client's ``aclose()``, then checks what
must hold after it: the cancel reaches the canceller as a cancel (the task's cancel count
balanced), every connection slot is given back (a pool of one serves the next call at
once), nothing stays watched by the read timeout's watchdog, ``aclose()`` returns at once
and nothing is retried after the cancel.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import anyio
import pytest

from piggy_async import AsyncPiggy, ClientClosedError, Timeout, _watchdog

from .rawserver import (
    CONTACT,
    RawRequest,
    RawServer,
    api_client,
    oauth_client,
    ok_contact,
    response,
    silent,
    works_afterwards,
)

# Every test here runs on both ways an attempt goes out (conftest's ``wire_path``).
pytestmark = pytest.mark.usefixtures("wire_path")

if sys.version_info >= (3, 11):
    from asyncio import timeout as _timeout
else:  # pragma: no cover - Python 3.10

    @contextlib.asynccontextmanager
    async def _timeout(delay: float) -> AsyncIterator[None]:
        with anyio.fail_after(delay):
            yield


def _cancelling(task: asyncio.Task[Any]) -> int:
    """The task's count of cancel requests not undone (3.11+; 0 on 3.10)."""
    if sys.version_info >= (3, 11):
        return task.cancelling()
    return 0  # pragma: no cover - Python 3.10


needs_cancelling = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="Task.cancelling() is 3.11+"
)

BODY = response(200, {"data": {**CONTACT["data"], "notes": "x" * 2000}})  # contact c-1


# -- helpers ------------------------------------------------------------------------------


async def _half_body(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    writer.write(BODY[: len(BODY) - 20])  # headers and most of the body, then nothing
    await writer.drain()
    await asyncio.sleep(60)


def _noting(handler: Any, arrived: asyncio.Event) -> Any:
    """``handler``, setting ``arrived`` when a request comes in."""

    async def noted(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        arrived.set()
        await handler(request, writer)

    return noted


def _busy(status: int = 503) -> Any:
    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(response(status, {"code": 1, "message": "busy"}))

    return handler


async def _until(predicate: Callable[[], bool], within: float = 3.0) -> None:
    """Wait (polling the loop) until ``predicate()`` holds."""
    with anyio.fail_after(within):
        while not predicate():  # noqa: ASYNC110 - a state of the client: no event
            await asyncio.sleep(0.005)


async def _ends_cancelled(task: asyncio.Task[Any]) -> None:
    """The task ends within 3 s, cancelled (not with another exception)."""
    with anyio.fail_after(3):
        await asyncio.wait({task})
    assert task.cancelled(), f"the task ended with {task.exception()!r}, not cancelled"


def _own_cancels() -> int:
    """The running task's pending cancel requests (its deadline's were taken back)."""
    task = asyncio.current_task()
    assert task is not None
    return _cancelling(task)


async def _a_callers_deadline(piggy: AsyncPiggy, delay: float) -> None:
    """A ``contacts.get`` under a caller's ``asyncio.timeout(delay)`` that runs out: the
    caller gets its ``TimeoutError`` and its task no pending cancel."""
    with anyio.fail_after(3), pytest.raises(TimeoutError):
        async with _timeout(delay):
            await piggy.contacts.get("c-1")
    assert _own_cancels() == 0  # the caller's deadline took back its cancel


async def _holding_the_slot(piggy: AsyncPiggy, srv: RawServer) -> asyncio.Task[Any]:
    """A call Piggy never answers, once it has arrived (it holds the one connection)."""
    arrived = asyncio.Event()
    srv.handler = _noting(silent, arrived)
    holder = asyncio.ensure_future(piggy.contacts.get("c-1"))
    with anyio.fail_after(3):
        await arrived.wait()
    return holder


def _assert_whole(piggy: AsyncPiggy) -> None:
    """Nothing of a finished call is left: no call registered with the pool, every slot
    free, no slot waiter alive, nothing watched by the loop's watchdog."""
    pool = piggy._transport.pool
    assert not pool.calls, pool.calls
    slots = pool.slots_here()
    assert slots.free == slots.size, (slots.free, slots.size)
    assert all(w.done() for w in slots.waiters)
    assert not _watchdog.for_running_loop()._reading


async def _serves_next_promptly(piggy: AsyncPiggy, srv: RawServer) -> None:
    """A pool of one serves the next call within a second (no slot leaked)."""
    with anyio.fail_after(1.5):
        await works_afterwards(piggy, srv)
    _assert_whole(piggy)


async def _closes_promptly(piggy: AsyncPiggy) -> None:
    started = time.monotonic()
    with anyio.fail_after(2):
        await piggy.aclose()
    assert time.monotonic() - started < 1.0


def _one_slot(srv: RawServer, **kwargs: Any) -> AsyncPiggy:
    kwargs.setdefault("timeout", Timeout(connect=5, read=10, pool=10))
    return api_client(srv, max_connections=1, **kwargs)


@pytest.fixture
def slow_opening(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], asyncio.Event]:
    """Make the opening of a new connection take ``seconds`` more (a slow DNS lookup);
    returns an event set when an opening starts."""

    def slow(seconds: float) -> asyncio.Event:
        resolve = aiohttp.TCPConnector._resolve_host
        started = asyncio.Event()

        async def slow_resolve(self: aiohttp.TCPConnector, *args: Any, **kwargs: Any) -> Any:
            started.set()
            await asyncio.sleep(seconds)
            return await resolve(self, *args, **kwargs)

        monkeypatch.setattr(aiohttp.TCPConnector, "_resolve_host", slow_resolve)
        return started

    return slow


# -- before sending ---------------------------------------------------------------------


async def test_a_call_cancelled_before_it_runs_leaves_nothing(srv: RawServer) -> None:
    async with _one_slot(srv) as piggy:
        task = asyncio.ensure_future(piggy.contacts.get("c-1"))
        task.cancel()
        await _ends_cancelled(task)
        assert srv.count() == 0
        _assert_whole(piggy)
        await _serves_next_promptly(piggy, srv)


@needs_cancelling
async def test_a_deadline_of_zero_is_a_timeout_of_the_caller(srv: RawServer) -> None:
    async with _one_slot(srv) as piggy:
        await _a_callers_deadline(piggy, 0)
        _assert_whole(piggy)
        await _serves_next_promptly(piggy, srv)


# -- while the connection opens -----------------------------------------------------------


@needs_cancelling
async def test_a_cancel_while_the_connection_opens(
    srv: RawServer, slow_opening: Callable[[float], asyncio.Event]
) -> None:
    opening = slow_opening(0.4)
    async with _one_slot(srv) as piggy:
        task = asyncio.ensure_future(piggy.contacts.get("c-1"))
        with anyio.fail_after(3):
            await opening.wait()
        task.cancel()
        await _ends_cancelled(task)
        assert _cancelling(task) == 1  # the one cancel, as made
        assert srv.count() == 0
        _assert_whole(piggy)
        await _serves_next_promptly(piggy, srv)
        await _closes_promptly(piggy)


@needs_cancelling
async def test_a_deadline_of_the_caller_while_the_connection_opens(
    srv: RawServer, slow_opening: Callable[[float], asyncio.Event]
) -> None:
    slow_opening(0.4)
    async with _one_slot(srv) as piggy:
        await _a_callers_deadline(piggy, 0.1)
        _assert_whole(piggy)
        await _serves_next_promptly(piggy, srv)


# -- while waiting for a connection slot --------------------------------------------------


async def test_a_cancel_while_waiting_for_a_slot_gives_nothing_away(srv: RawServer) -> None:
    async with _one_slot(srv) as piggy:
        holder = await _holding_the_slot(piggy, srv)
        waiter = asyncio.ensure_future(piggy.contacts.get("c-1"))
        await _until(lambda: bool(piggy._transport.pool.slots.waiters))
        waiter.cancel()
        await _ends_cancelled(waiter)
        holder.cancel()
        await _ends_cancelled(holder)
        assert srv.count() == 1  # the waiter was never sent
        _assert_whole(piggy)
        await _serves_next_promptly(piggy, srv)
        await _closes_promptly(piggy)


async def test_a_slot_handed_over_as_its_waiter_is_cancelled_is_passed_on(
    srv: RawServer,
) -> None:
    # The holder ends and hands its slot to the waiter, which is cancelled in the same
    # loop iteration: the slot must go back (to the next waiter or the free ones).
    async with _one_slot(srv) as piggy:
        holder = await _holding_the_slot(piggy, srv)
        waiter = asyncio.ensure_future(piggy.contacts.get("c-1"))
        third = asyncio.ensure_future(piggy.contacts.get("c-1"))
        slots = piggy._transport.pool.slots
        await _until(lambda: len(slots.waiters) == 2)
        slots.waiters[0].add_done_callback(lambda _: waiter.cancel())  # same tick
        srv.handler = ok_contact
        holder.cancel()
        await _ends_cancelled(holder)
        await _ends_cancelled(waiter)
        with anyio.fail_after(2):
            contact = await third
        assert contact.uuid == "c-1"
        _assert_whole(piggy)


async def test_a_deadline_while_waiting_for_a_slot(srv: RawServer) -> None:
    async with _one_slot(srv) as piggy:
        holder = await _holding_the_slot(piggy, srv)
        with anyio.fail_after(3), pytest.raises(TimeoutError):
            with anyio.fail_after(0.1):
                await piggy.contacts.get("c-1")
        holder.cancel()
        await _ends_cancelled(holder)
        _assert_whole(piggy)
        await _serves_next_promptly(piggy, srv)


# -- in flight, mid-body ------------------------------------------------------------------


@needs_cancelling
@pytest.mark.parametrize("handler", [silent, _half_body], ids=["before-headers", "mid-body"])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_cancel_in_flight(srv: RawServer, handler: Any, method: str) -> None:
    arrived = asyncio.Event()
    srv.handler = _noting(handler, arrived)
    async with _one_slot(srv, max_retries=3) as piggy:
        body = {"a": 1} if method == "POST" else None
        task = asyncio.ensure_future(piggy.request(method, "/contacts/c-1", json=body))
        with anyio.fail_after(3):
            await arrived.wait()
        await asyncio.sleep(0.05)  # (mid-body: the first bytes are read)
        task.cancel()
        await _ends_cancelled(task)
        assert _cancelling(task) == 1
        _assert_whole(piggy)
        await asyncio.sleep(0.1)
        assert srv.count("/contacts") == 1  # never sent again after the cancel
        await _serves_next_promptly(piggy, srv)
        await _closes_promptly(piggy)


@needs_cancelling
@pytest.mark.parametrize("handler", [silent, _half_body], ids=["before-headers", "mid-body"])
async def test_a_deadline_in_flight_is_the_callers(srv: RawServer, handler: Any) -> None:
    srv.handler = handler
    async with _one_slot(srv, max_retries=3) as piggy:
        await _a_callers_deadline(piggy, 0.2)
        assert srv.count("/contacts") == 1
        _assert_whole(piggy)
        await _serves_next_promptly(piggy, srv)


@pytest.mark.parametrize("handler", [silent, _half_body], ids=["before-headers", "mid-body"])
async def test_anyio_fail_after_in_flight(srv: RawServer, handler: Any) -> None:
    srv.handler = handler
    async with _one_slot(srv, max_retries=3) as piggy:
        with anyio.fail_after(3), pytest.raises(TimeoutError):
            with anyio.fail_after(0.2):
                await piggy.request("POST", "/contacts", json={"a": 1})
        assert srv.count("/contacts") == 1
        _assert_whole(piggy)
        await _serves_next_promptly(piggy, srv)


@needs_cancelling
async def test_a_cancel_with_a_read_timeout_due_in_the_same_tick_stays_a_cancel(
    srv: RawServer,
) -> None:
    srv.handler = silent
    timeout = Timeout(connect=5, read=0.2, pool=5)
    async with _one_slot(srv, timeout=timeout, max_retries=3) as piggy:
        with anyio.fail_after(3), pytest.raises(TimeoutError):
            async with _timeout(0.2):  # at about the read timeout's tick
                await piggy.request("POST", "/contacts", json={})
        assert _own_cancels() == 0  # the caller's deadline took back its cancel
        await asyncio.sleep(0.1)
        assert srv.count("/contacts") == 1
        _assert_whole(piggy)


# -- in a retry wait --------------------------------------------------------------------


def _real_waits(piggy: AsyncPiggy, seconds: float = 0.5) -> asyncio.Event:
    """Retry waits of ``seconds`` on the real clock; returns an event set when one starts."""
    waiting = asyncio.Event()

    async def sleep(delay: float) -> None:
        waiting.set()
        await asyncio.sleep(seconds)

    piggy._transport.sleep = sleep
    return waiting


@needs_cancelling
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_cancel_in_a_retry_wait_is_not_retried(srv: RawServer, method: str) -> None:
    srv.handler = _busy(503)  # retried for a POST too: Piggy did not process it
    async with _one_slot(srv, max_retries=3) as piggy:
        waiting = _real_waits(piggy)
        body = {"a": 1} if method == "POST" else None
        task = asyncio.ensure_future(piggy.request(method, "/contacts/c-1", json=body))
        with anyio.fail_after(3):
            await waiting.wait()
        task.cancel()
        await _ends_cancelled(task)
        assert _cancelling(task) == 1
        await asyncio.sleep(0.6)  # past the wait it was in
        assert srv.count("/contacts") == 1
        _assert_whole(piggy)
        await _serves_next_promptly(piggy, srv)
        await _closes_promptly(piggy)


async def test_aclose_ends_a_retry_wait_with_client_closed(srv: RawServer) -> None:
    srv.handler = _busy(503)
    piggy = _one_slot(srv, max_retries=3)
    waiting = _real_waits(piggy, 5)
    task = asyncio.ensure_future(piggy.request("POST", "/contacts", json={}))
    with anyio.fail_after(3):
        await waiting.wait()
    await _closes_promptly(piggy)
    with anyio.fail_after(2), pytest.raises(ClientClosedError):
        await task
    if sys.version_info >= (3, 11):
        assert _cancelling(task) == 0  # aclose's own cancel, undone
    assert srv.count("/contacts") == 1


@needs_cancelling
async def test_a_cancel_made_just_before_aclose_in_a_retry_wait_stays_a_cancel(
    srv: RawServer,
) -> None:
    # Shutdown code: cancel the tasks, then close the client. The caller's cancel must
    # reach the task as a cancel, not become the close's ClientClosedError.
    srv.handler = _busy(503)
    piggy = _one_slot(srv, max_retries=3)
    waiting = _real_waits(piggy, 5)
    task = asyncio.ensure_future(piggy.contacts.get("c-1"))
    with anyio.fail_after(3):
        await waiting.wait()
    task.cancel()
    await _closes_promptly(piggy)
    await _ends_cancelled(task)


@needs_cancelling
async def test_a_cancel_made_as_aclose_cuts_a_call_in_flight_stays_a_cancel(
    srv: RawServer,
) -> None:
    # aclose()'s grace runs out and it cuts the call; the caller cancels the call in the
    # same loop iteration: the caller's cancel wins, as it does over a read timeout.
    arrived = asyncio.Event()
    srv.handler = _noting(silent, arrived)
    piggy = _one_slot(srv, close_grace=0.2)
    task = asyncio.ensure_future(piggy.contacts.get("c-1"))
    with anyio.fail_after(3):
        await arrived.wait()
    closing = asyncio.ensure_future(piggy.aclose())
    await _until(lambda: piggy._transport.pool.closed)
    original = task.cancel

    def cancel_twice(msg: Any = None) -> bool:  # aclose's cut, then the caller's cancel
        original(msg)
        return original()

    task.cancel = cancel_twice  # type: ignore[method-assign]
    with anyio.fail_after(3):
        await closing
    await _ends_cancelled(task)


@pytest.mark.parametrize("phase", ["grace", "after the cut"])
async def test_a_cancel_of_aclose_as_its_wait_ends_stays_a_cancel(
    srv: RawServer, phase: str
) -> None:
    # aclose() waits for the calls in flight (the grace period, then a second after the
    # cut); it is cancelled in the same loop iteration as the last call ends. On 3.11,
    # asyncio.wait_for dropped such a cancel and aclose() returned as if never cancelled.
    arrived = asyncio.Event()
    srv.handler = _noting(silent, arrived)
    piggy = _one_slot(srv, close_grace=30.0 if phase == "grace" else 0.01)
    task = asyncio.ensure_future(piggy.contacts.get("c-1"))
    with anyio.fail_after(3):
        await arrived.wait()
    pool = piggy._transport.pool
    if phase == "after the cut":
        pool.calls[task].cut = True  # (the call, cut, stays in flight until told)
        original = task.cancel
        task.cancel = lambda msg=None: False  # type: ignore[method-assign]
    closing = asyncio.ensure_future(piggy.aclose())
    await _until(lambda: pool._drained is not None)
    await asyncio.sleep(0.05)  # (past the short grace: now in the wait after the cut)
    assert not closing.done()
    pool._drained.set()  # the last call ended ...
    closing.cancel()  # ... and aclose() is cancelled in the same loop iteration
    await _ends_cancelled(closing)
    if phase == "after the cut":
        task.cancel = original  # type: ignore[method-assign]
        task.cancel()  # (the cut the patch held back)
    with anyio.fail_after(3), pytest.raises(ClientClosedError):  # cut by the cancelled aclose
        await task


# -- while waiting for an OAuth token ---------------------------------------------------


def _slow_token(arrived: asyncio.Event, release: asyncio.Event) -> Any:
    """The token endpoint answers once ``release`` is set."""
    issued = iter(f"tok-{i}" for i in range(100))

    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        arrived.set()
        await release.wait()
        body = {"access_token": next(issued), "expires_in": 3600, "token_type": "Bearer"}
        writer.write(response(200, body))

    return handler


@needs_cancelling
async def test_a_cancelled_token_waiter_leaves_the_flight_to_the_next_call(
    srv: RawServer,
) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()
    srv.token_handler = _slow_token(arrived, release)
    async with oauth_client(srv, max_connections=1) as piggy:
        first = asyncio.ensure_future(piggy.contacts.get("c-1"))
        with anyio.fail_after(3):
            await arrived.wait()
        first.cancel()
        await _ends_cancelled(first)
        assert _cancelling(first) == 1
        second = asyncio.ensure_future(piggy.contacts.get("c-1"))
        await asyncio.sleep(0.05)
        release.set()
        with anyio.fail_after(2):
            contact = await second
        assert contact.uuid == "c-1"
        assert srv.count("/oauth/token") == 1  # the one flight served both
        assert srv.requests[-1].headers["authorization"] == "Bearer tok-0"
        _assert_whole(piggy)
        await _closes_promptly(piggy)


async def _the_one_token_serves_the_next_call(
    piggy: AsyncPiggy, srv: RawServer, release: asyncio.Event
) -> None:
    """The token request waiters gave up on answers now; the next call uses its token."""
    release.set()
    with anyio.fail_after(2):
        contact = await piggy.contacts.get("c-1")
    assert contact.uuid == "c-1"
    assert srv.count("/oauth/token") == 1
    _assert_whole(piggy)


async def _the_token_flight_ended(piggy: AsyncPiggy) -> None:
    """The token request in the air ended with the client (cancelled, or cut with the
    session)."""
    flight = piggy._transport.auth._flight  # type: ignore[union-attr]
    assert flight is not None
    with anyio.fail_after(1):
        await asyncio.wait({flight})


@needs_cancelling
async def test_every_token_waiter_cancelled_then_a_new_call(srv: RawServer) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()
    srv.token_handler = _slow_token(arrived, release)
    async with oauth_client(srv, max_connections=2) as piggy:
        waiters = [asyncio.ensure_future(piggy.contacts.get("c-1")) for _ in range(3)]
        with anyio.fail_after(3):
            await arrived.wait()
        for task in waiters:
            with anyio.fail_after(3), pytest.raises(TimeoutError):
                async with _timeout(0.01):
                    await asyncio.shield(task)  # (let the deadline hit the waiter below)
            task.cancel()
            await _ends_cancelled(task)
        await _the_one_token_serves_the_next_call(piggy, srv, release)


async def test_a_deadline_while_waiting_for_a_token(srv: RawServer) -> None:
    arrived, release = asyncio.Event(), asyncio.Event()
    srv.token_handler = _slow_token(arrived, release)
    async with oauth_client(srv, max_connections=1) as piggy:
        with anyio.fail_after(3), pytest.raises(TimeoutError):
            with anyio.fail_after(0.1):
                await piggy.contacts.get("c-1")
        await _the_one_token_serves_the_next_call(piggy, srv, release)


async def test_aclose_while_a_call_waits_for_a_token_that_never_comes(srv: RawServer) -> None:
    arrived = asyncio.Event()
    srv.token_handler = _noting(silent, arrived)
    piggy = oauth_client(srv, max_connections=1, close_grace=0.1)
    task = asyncio.ensure_future(piggy.contacts.get("c-1"))
    with anyio.fail_after(3):
        await arrived.wait()
    with anyio.fail_after(3):
        await piggy.aclose()
    with anyio.fail_after(2), pytest.raises(ClientClosedError):
        await task
    await _the_token_flight_ended(piggy)


async def test_aclose_with_only_an_orphaned_token_flight_in_the_air(srv: RawServer) -> None:
    # The one call that wanted a token was cancelled; its flight goes on. aclose() ends it.
    arrived = asyncio.Event()
    srv.token_handler = _noting(silent, arrived)
    piggy = oauth_client(srv, max_connections=1)
    task = asyncio.ensure_future(piggy.contacts.get("c-1"))
    with anyio.fail_after(3):
        await arrived.wait()
    task.cancel()
    await _ends_cancelled(task)
    await _closes_promptly(piggy)
    await _the_token_flight_ended(piggy)


# -- under max_rate ---------------------------------------------------------------------


@needs_cancelling
async def test_a_cancel_while_waiting_for_a_turn_under_max_rate(srv: RawServer) -> None:
    async with _one_slot(srv, max_rate=5) as piggy:
        piggy._transport.sleep = asyncio.sleep  # turns are waited for on the real clock
        await piggy.contacts.get("c-1")  # the turn of now is taken
        await _a_callers_deadline(piggy, 0.05)  # waits 0.2 s for its turn
        assert srv.count("/contacts") == 1
        _assert_whole(piggy)


async def test_turns_of_cancelled_calls_under_max_rate_are_given_back(srv: RawServer) -> None:
    # Ten calls queue for turns 0.1 s apart and give up after 30 ms (a caller's deadline):
    # their turns were never used, so the next call must not wait behind all ten (1 s).
    async with _one_slot(srv, max_rate=10) as piggy:
        piggy._transport.sleep = asyncio.sleep  # turns are waited for on the real clock
        await piggy.contacts.get("c-1")  # the turn of now is taken

        async def impatient() -> None:
            with anyio.move_on_after(0.03):
                await piggy.contacts.get("c-1")

        with anyio.fail_after(3):
            await asyncio.gather(*(impatient() for _ in range(10)))
        assert srv.count("/contacts") == 1
        started = time.monotonic()
        with anyio.fail_after(3):
            await piggy.contacts.get("c-1")
        waited = time.monotonic() - started
        assert waited < 0.35, f"the next call waited {waited:.2f} s for its turn"


# -- inside a bulk run ------------------------------------------------------------------


def _some_silent(every: int = 3) -> Any:
    """Answers contact c-1 after a short delay, except every ``every``-th request: silent."""
    seen = 0

    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        nonlocal seen
        seen += 1
        if seen % every == 0:
            await asyncio.sleep(60)
        await asyncio.sleep(0.01)
        writer.write(response(200, CONTACT))

    return handler


def _assert_run_whole(run: Any) -> None:
    assert run.limiter.in_flight == 0, run.limiter.in_flight
    assert all(task.done() for task in run._tasks())


@needs_cancelling
@pytest.mark.parametrize("how", ["timeout", "task-cancel", "anyio"])
async def test_a_cancelled_consumer_of_get_many(srv: RawServer, how: str) -> None:
    srv.handler = _some_silent()
    piggy = api_client(srv, max_connections=4, timeout=Timeout(connect=5, read=10, pool=10))
    ids = [f"c-{i}" for i in range(200)]
    run = piggy.contacts.get_many(ids, concurrency=8)
    got: list[Any] = []

    async def consume() -> None:
        async for result in run:
            got.append(result)

    if how == "timeout":
        with anyio.fail_after(3), pytest.raises(TimeoutError):
            async with _timeout(0.3):
                await consume()
        me = asyncio.current_task()
        assert me is not None
        assert _cancelling(me) == 0
    elif how == "anyio":
        with anyio.fail_after(3), pytest.raises(TimeoutError):
            with anyio.fail_after(0.3):
                await consume()
    else:
        task = asyncio.ensure_future(consume())
        await asyncio.sleep(0.3)
        task.cancel()
        await _ends_cancelled(task)
    assert got  # it was mid-run
    assert len(got) < len(ids)
    with anyio.fail_after(1):
        await run.aclose()
    _assert_run_whole(run)
    _assert_whole(piggy)
    sent = srv.count("/contacts")
    await asyncio.sleep(0.1)
    assert srv.count("/contacts") == sent  # nothing sent after the run ended
    await _closes_promptly(piggy)


async def test_a_dropped_cancelled_run_cleans_up_without_aclose(srv: RawServer) -> None:
    srv.handler = _some_silent()
    piggy = api_client(srv, max_connections=4, timeout=Timeout(connect=5, read=10, pool=10))
    run = piggy.contacts.get_many([f"c-{i}" for i in range(100)], concurrency=8)

    async def consume() -> None:
        async with _timeout(0.2):
            async for _ in run:
                pass

    with anyio.fail_after(3), pytest.raises(TimeoutError):
        await consume()
    pool = piggy._transport.pool
    await _until(lambda: not pool.calls, within=1)
    _assert_run_whole(run)
    _assert_whole(piggy)
    await _closes_promptly(piggy)


async def test_a_cancelled_run_retries_nothing_afterwards(srv: RawServer) -> None:
    srv.handler = _busy(503)
    piggy = api_client(srv, max_connections=4, max_retries=5)
    piggy._transport.sleep = asyncio.sleep  # the run's waits before its retries are real
    run = piggy.contacts.get_many([f"c-{i}" for i in range(20)], concurrency=4)
    with anyio.fail_after(3), pytest.raises(TimeoutError):
        async with _timeout(0.1):
            await run.collect()
    with anyio.fail_after(1):
        await run.aclose()
    assert not run._state.timers  # type: ignore[union-attr]
    sent = srv.count("/contacts")
    await asyncio.sleep(0.6)  # past any retry wait that might have been left
    assert srv.count("/contacts") == sent
    _assert_run_whole(run)
    _assert_whole(piggy)
    await _closes_promptly(piggy)


async def test_aclose_of_the_client_under_a_running_bulk_run(srv: RawServer) -> None:
    srv.handler = _some_silent()
    piggy = api_client(
        srv, max_connections=4, close_grace=0.2, timeout=Timeout(connect=5, read=10, pool=10)
    )
    run = piggy.contacts.get_many([f"c-{i}" for i in range(100)], concurrency=8)
    consumer = asyncio.ensure_future(run.collect())
    await _until(lambda: srv.count("/contacts") >= 6)
    await _closes_promptly(piggy)
    with anyio.fail_after(2), pytest.raises(ClientClosedError):
        await consumer  # the run ends with the close
    with anyio.fail_after(1):
        await run.aclose()
    _assert_run_whole(run)
    assert not piggy._transport.pool.calls
    assert not _watchdog.for_running_loop()._reading


# -- aclose() itself cancelled, and level-triggered cancel scopes ------------------------


async def test_aclose_cancelled_during_its_grace_still_closes(srv: RawServer) -> None:
    # aclose() waits for a call in flight (its grace) and is cancelled meanwhile: the
    # session must not be left open (an "Unclosed client session" later), nor the call
    # running on it uncut.
    arrived = asyncio.Event()
    srv.handler = _noting(silent, arrived)
    piggy = _one_slot(srv, close_grace=5)
    task = asyncio.ensure_future(piggy.contacts.get("c-1"))
    try:
        with anyio.fail_after(3):
            await arrived.wait()
        with anyio.fail_after(3), pytest.raises(TimeoutError):
            async with _timeout(0.1):
                await piggy.aclose()  # waits for the call in flight: cancelled meanwhile
        assert piggy._transport.pool.closed
        with anyio.fail_after(1.5):
            await asyncio.wait({task})
        assert task.cancelled() or isinstance(task.exception(), ClientClosedError)
        session = piggy._transport.pool._session
        assert session is None or session.closed, "the session was left open"
    finally:
        task.cancel()
        await piggy.aclose()


async def test_a_client_closed_inside_an_expired_anyio_scope(srv: RawServer) -> None:
    # anyio's cancel scopes cancel every await inside them once expired (level-triggered):
    # leaving ``async with AsyncPiggy(...)`` there still closes the session.
    srv.handler = silent
    piggy = _one_slot(srv)

    async def use() -> None:
        with anyio.fail_after(0.2):
            async with piggy:
                await piggy.contacts.get("c-1")

    with anyio.fail_after(3), pytest.raises(TimeoutError):
        await use()
    assert piggy._transport.pool.closed
    session = piggy._transport.pool._session
    assert session is None or session.closed


async def test_a_client_with_calls_in_flight_closed_inside_an_expired_anyio_scope(
    srv: RawServer,
) -> None:
    # The same inside an anyio scope that has expired: leaving ``async with AsyncPiggy``
    # there cancels aclose() at its first wait, while another task's call is in flight.
    srv.handler = silent
    piggy = _one_slot(srv, close_grace=5)
    others: list[asyncio.Task[Any]] = []

    async def use() -> None:
        with anyio.fail_after(0.2):
            async with piggy:
                others.append(asyncio.ensure_future(piggy.contacts.get("c-1")))
                await asyncio.sleep(5)

    try:
        with anyio.fail_after(3), pytest.raises(TimeoutError):
            await use()
        session = piggy._transport.pool._session
        assert session is None or session.closed, "the session was left open"
        with anyio.fail_after(1.5):
            await asyncio.wait(others)
        assert others[0].cancelled() or isinstance(others[0].exception(), ClientClosedError)
    finally:
        for task in others:
            task.cancel()
        await piggy.aclose()


@needs_cancelling
@pytest.mark.parametrize("total", [None, 5.0], ids=["no-total", "total"])
async def test_a_cancel_as_the_token_arrives_stays_a_cancel(
    srv: RawServer, total: float | None
) -> None:
    # The caller cancels a POST waiting for its OAuth token in the very loop iteration in
    # which the token arrives: the cancel must win; the POST must not be sent.
    arrived, release = asyncio.Event(), asyncio.Event()
    srv.token_handler = _slow_token(arrived, release)
    srv.handler = ok_contact
    timeout = Timeout(connect=5, read=10, pool=10, total=total)
    async with oauth_client(srv, max_connections=1, timeout=timeout) as piggy:
        task = asyncio.ensure_future(piggy.request("POST", "/contacts", json={"a": 1}))
        with anyio.fail_after(3):
            await arrived.wait()
        await asyncio.sleep(0.02)  # the call waits on the flight
        flight = piggy._transport.auth._flight  # type: ignore[union-attr]
        assert flight is not None
        flight.add_done_callback(lambda _: task.cancel())
        release.set()
        with anyio.fail_after(3):
            await asyncio.wait({task})
        await asyncio.sleep(0.1)
        assert srv.count("/contacts") == 0, "the cancelled POST was sent"
        assert task.cancelled(), f"the task ended with {task.result()!r}"
