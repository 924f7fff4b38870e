"""The read timeout's watchdog (``piggy_async._watchdog``): real sockets on 127.0.0.1.

An answer silent for ``Timeout.read`` seconds fails the attempt with the read timeout's error,
never early and at most a quarter late, in either phase (before the headers, mid-body); an
answer whose bytes keep coming is not cut for silence, but once it is still not whole ten
read timeouts after its request; each call keeps its own read timeout; a cancel
from the caller stays a cancel; nothing is left watched after a call.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import aiohttp
import anyio
import pytest

from piggy_async import APITimeoutError, Timeout, _policy, _watchdog
from piggy_async._wire import Call

from .rawserver import (
    CONTACT,
    RawRequest,
    RawServer,
    answer,
    api_client,
    response,
    silent,
    silent_noting,
)

# Every test here runs on both ways an attempt goes out (conftest's ``wire_path``).
pytestmark = pytest.mark.usefixtures("wire_path")

READ = 0.3
BODY = response(200, {"data": {**CONTACT["data"], "notes": "x" * 2000}})  # contact c-1


async def _half_body(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    writer.write(BODY[: len(BODY) - 20])  # headers and most of the body, then nothing
    await writer.drain()
    await asyncio.sleep(60)


async def _trickle(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    head, body = BODY[: len(BODY) - 400], BODY[len(BODY) - 400 :]
    writer.write(head)
    for i in range(0, len(body), 50):  # 8 pieces, READ / 3 apart: 0.8 s in all
        await writer.drain()
        await asyncio.sleep(READ / 3)
        writer.write(body[i : i + 50])


@pytest.mark.parametrize(
    ("handler", "method", "max_retries", "requests", "outcome_unknown"),
    [
        (silent, "GET", 0, 1, False),
        (_half_body, "GET", 1, 2, False),  # retried: a GET is idempotent
        (silent, "POST", 1, 1, True),  # not retried: Piggy may have processed it
    ],
    ids=["before-headers", "mid-body", "post"],
)
async def test_a_silent_answer_fails_after_its_read_timeout(
    srv: RawServer,
    handler: Any,
    method: str,
    max_retries: int,
    requests: int,
    outcome_unknown: bool,
) -> None:
    srv.handler = handler
    timeout = Timeout(connect=5, read=READ, pool=5)
    async with api_client(srv, timeout=timeout, max_retries=max_retries) as piggy:
        started = time.monotonic()
        with anyio.fail_after(10), pytest.raises(APITimeoutError) as info:
            await piggy.request(method, "/contacts/c-1", json={} if method == "POST" else None)
        elapsed = time.monotonic() - started
        err = info.value
        assert "timed out waiting for Piggy's answer" in str(err)
        assert err.request_sent
        assert err.outcome_unknown is outcome_unknown
        assert err.attempts == requests
        assert srv.count("/contacts") == requests
        # never early; at most a quarter late per attempt (plus a loaded machine's slack)
        assert elapsed >= READ * requests
        assert elapsed < (READ * 1.25 + 0.25) * requests
        assert not _watchdog.for_running_loop()._reading  # nothing left watched


@pytest.fixture
def slow_opening(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Make the opening of a new connection take ``seconds`` more (a slow DNS lookup)."""

    def slow(seconds: float) -> None:
        resolve = aiohttp.TCPConnector._resolve_host

        async def slow_resolve(self: aiohttp.TCPConnector, *args: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(seconds)
            return await resolve(self, *args, **kwargs)

        monkeypatch.setattr(aiohttp.TCPConnector, "_resolve_host", slow_resolve)

    return slow


async def test_the_silence_of_an_answer_starts_when_its_connection_is_open(
    srv: RawServer, slow_opening: Callable[[float], None]
) -> None:
    # Opening the connection takes three read timeouts (connect allows 5 s): not a read
    # timeout. The answer then stays silent: cut one read timeout after the opening.
    slow_opening(3 * READ)
    srv.handler = silent
    async with api_client(srv, timeout=Timeout(connect=5, read=READ, pool=5)) as piggy:
        started = time.monotonic()
        with anyio.fail_after(10), pytest.raises(APITimeoutError) as info:
            await piggy.with_options(max_retries=0).contacts.get("c-1")
        elapsed = time.monotonic() - started
    assert "timed out waiting for Piggy's answer" in str(info.value)
    assert srv.count("/contacts") == 1  # it was sent, after the opening
    assert elapsed >= 4 * READ
    assert elapsed < 4 * READ + READ / 4 + 0.25


async def test_an_answer_after_a_connection_slower_to_open_than_read_is_taken(
    srv: RawServer, slow_opening: Callable[[float], None]
) -> None:
    slow_opening(3 * READ)
    srv.handler = answer(BODY)
    async with api_client(srv, timeout=Timeout(connect=5, read=READ, pool=5)) as piggy:
        with anyio.fail_after(10):
            contact = await piggy.with_options(max_retries=0).contacts.get("c-1")
    assert contact.uuid == "c-1"


async def test_a_deadline_that_runs_out_while_the_connection_opens_says_nothing_left(
    srv: RawServer, slow_opening: Callable[[float], None]
) -> None:
    # A POST whose overall timeout runs out in a slow DNS lookup never left: its outcome
    # is known (not processed), not "unknown".
    slow_opening(30)
    srv.handler = answer(BODY)
    settings = Timeout(connect=20, read=20, pool=5, total=READ)
    async with api_client(srv, timeout=settings, max_retries=2) as piggy:
        with anyio.fail_after(10), pytest.raises(APITimeoutError) as info:
            await piggy.request("POST", "/contacts/c-1", json={})
    err = info.value
    assert "overall timeout" in str(err)
    assert not err.request_sent
    assert not err.outcome_unknown
    assert srv.count("/contacts") == 0


async def test_an_answer_whose_bytes_keep_coming_is_never_cut(srv: RawServer) -> None:
    srv.handler = _trickle
    async with api_client(srv, timeout=Timeout(connect=5, read=READ, pool=5)) as piggy:
        started = time.monotonic()
        with anyio.fail_after(10):
            contact = await piggy.contacts.get("c-1")
        assert time.monotonic() - started > 2 * READ  # far longer than the read timeout
    assert contact.uuid == "c-1"
    assert srv.count("/contacts") == 1


async def _endless_trickle(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    head = BODY[: len(BODY) - 400]
    writer.write(head)
    for _ in range(400):  # a byte every tenth of the read timeout: never silent, never whole
        await writer.drain()
        await asyncio.sleep(SLOW_READ / 10)
        writer.write(b" ")


SLOW_READ = 0.1


@pytest.mark.parametrize(("method", "max_retries", "requests"), [("GET", 1, 2), ("POST", 1, 1)])
async def test_an_answer_that_trickles_on_is_cut_at_whole_times_read(
    srv: RawServer, method: str, max_retries: int, requests: int
) -> None:
    srv.handler = _endless_trickle
    settings = Timeout(connect=5, read=SLOW_READ, pool=5)
    async with api_client(srv, timeout=settings, max_retries=max_retries) as piggy:
        started = time.monotonic()
        with anyio.fail_after(10), pytest.raises(APITimeoutError) as info:
            await piggy.request(
                method, "/contacts/c-1", **({"json": {}} if method == "POST" else {})
            )
        elapsed = time.monotonic() - started
    bound = _watchdog.WHOLE * SLOW_READ  # 1 s per attempt (total unset)
    assert requests * bound <= elapsed < requests * bound * 1.25 + 1.0
    err = info.value
    assert str(err).startswith(f"Piggy's answer was not whole {bound:g} s after the request")
    assert err.request_sent
    assert err.outcome_unknown is (method == "POST")  # a POST that trickled is not retried
    assert srv.count("/contacts") == requests


async def _short_trickle(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    head, body = BODY[: len(BODY) - 12], BODY[len(BODY) - 12 :]
    writer.write(head)
    for i in range(12):  # 0.6 s, a byte every half read: within WHOLE * SLOW_READ
        await writer.drain()
        await asyncio.sleep(SLOW_READ / 2)
        writer.write(body[i : i + 1])


async def test_the_whole_answer_bound_starts_when_its_connection_is_open(
    srv: RawServer, slow_opening: Callable[[float], None]
) -> None:
    # The opening takes 0.6 s and the answer then trickles for 0.6 s: 1.2 s from the slot,
    # past WHOLE * read (1 s), but 0.6 s from the request: taken.
    slow_opening(6 * SLOW_READ)
    srv.handler = _short_trickle
    async with api_client(srv, timeout=Timeout(connect=5, read=SLOW_READ, pool=5)) as piggy:
        with anyio.fail_after(10):
            contact = await piggy.with_options(max_retries=0).contacts.get("c-1")
    assert contact.uuid == "c-1"


async def test_each_call_keeps_its_own_read_timeout(srv: RawServer) -> None:
    srv.handler = silent
    async with api_client(srv, timeout=Timeout(connect=5, read=30, pool=5)) as piggy:
        patient = asyncio.ensure_future(piggy.contacts.get("c-1"))
        await asyncio.sleep(0.05)  # the 30 s call is watched first: the watchdog ticks late
        hasty = piggy.with_options(timeout=Timeout(connect=5, read=0.2, pool=5), max_retries=0)
        started = time.monotonic()
        with anyio.fail_after(10), pytest.raises(APITimeoutError):
            await hasty.contacts.get("c-2")
        assert 0.2 <= time.monotonic() - started < 0.2 * 1.25 + 0.25
        assert not patient.done()  # its own 30 s still run
        patient.cancel()
        await _ends_cancelled(patient)  # a cancel from the caller stays a cancel


@pytest.mark.skipif(sys.version_info < (3, 11), reason="Task.cancelling() is 3.11+")
async def test_a_callers_cancel_in_the_same_tick_wins_over_the_read_timeout(
    srv: RawServer,
) -> None:
    arrived = asyncio.Event()
    srv.handler = silent_noting(arrived, srv)
    async with api_client(srv, timeout=Timeout(connect=5, read=30, pool=5)) as piggy:
        task = asyncio.ensure_future(piggy.contacts.get("c-1"))
        with anyio.fail_after(5):
            await arrived.wait()
        dog = _watchdog.for_running_loop()
        (call,) = dog._reading.values()
        call.quiet_since -= 60  # silent for a minute: the next tick cuts it
        task.cancel()  # ... and the caller cancels it in the same loop iteration
        dog._tick()
        assert call.stalled
        await _ends_cancelled(task)


async def test_a_callers_cancel_after_a_read_timeout_stays_a_cancel(srv: RawServer) -> None:
    second = asyncio.Event()
    srv.handler = silent_noting(second, srv, nth=2)
    async with api_client(
        srv, timeout=Timeout(connect=5, read=0.2, pool=5), max_retries=1
    ) as piggy:
        task = asyncio.ensure_future(piggy.contacts.get("c-1"))
        with anyio.fail_after(5):
            await second.wait()  # the first attempt timed out, the retry is waiting
        task.cancel()
        await _ends_cancelled(task)  # not the read timeout of the first attempt


async def _ends_cancelled(task: asyncio.Future[Any]) -> None:
    """The task ends within 5 s, cancelled (not raising something else; a bound of its own,
    so that the test's own timeout is never mistaken for the task's cancel)."""
    await asyncio.wait({task}, timeout=5)
    assert task.done()
    assert task.cancelled(), task.exception()


async def test_the_watchdog_stops_ticking_when_nothing_is_watched(srv: RawServer) -> None:
    async with api_client(srv, timeout=Timeout(connect=5, read=0.08, pool=5)) as piggy:
        for _ in range(2):
            assert (await piggy.contacts.get("c-1")).uuid == "c-1"
        dog = _watchdog.for_running_loop()
        assert not dog._reading
        assert dog._handle is not None  # it ticks every 0.01 s while it watched ...
        await asyncio.sleep(0.1)
        assert dog._handle is None  # ... and the tick that found nothing did not re-arm


async def test_calls_stalled_together_all_fail_in_the_same_bound(srv: RawServer) -> None:
    srv.handler = silent
    async with api_client(
        srv, timeout=Timeout(connect=5, read=READ, pool=5), max_retries=0
    ) as piggy:
        started = time.monotonic()
        with anyio.fail_after(10):
            results = await asyncio.gather(
                *(piggy.contacts.get(f"c-{i}") for i in range(4)), return_exceptions=True
            )
        assert all(isinstance(r, APITimeoutError) for r in results), results
        assert READ <= time.monotonic() - started < READ * 1.25 + 0.25


async def test_one_timer_ticks_for_many_calls(
    srv: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = 0
    tick = _watchdog.Watchdog._tick

    def counted(self: _watchdog.Watchdog) -> None:
        nonlocal ticks
        ticks += 1
        tick(self)

    monkeypatch.setattr(_watchdog.Watchdog, "_tick", counted)
    srv.handler = silent
    async with api_client(
        srv, timeout=Timeout(connect=5, read=READ, pool=5), max_retries=0
    ) as piggy:
        with anyio.fail_after(10):
            await asyncio.gather(
                *(piggy.contacts.get(f"c-{i}") for i in range(8)), return_exceptions=True
            )
    # every READ / TICKS seconds while watching: not one timer per call, not a busy loop
    assert 4 <= ticks <= 2 * _watchdog.TICKS + 2


class _FrozenLoop:
    """A loop whose clock stands still and which records the timers armed on it."""

    def __init__(self) -> None:
        self.armed: list[asyncio.TimerHandle] = []

    def time(self) -> float:
        return 100.0

    def get_debug(self) -> bool:
        return False

    def _timer_handle_cancelled(self, handle: asyncio.TimerHandle) -> None:
        pass

    def call_at(self, when: float, callback: Any) -> asyncio.TimerHandle:
        handle = asyncio.TimerHandle(when, callback, (), self)  # type: ignore[arg-type]
        self.armed.append(handle)
        return handle


def test_a_call_with_the_same_read_timeout_reuses_the_armed_tick() -> None:
    loop = _FrozenLoop()
    dog = _watchdog.Watchdog(loop)  # type: ignore[arg-type]
    calls = [Call("GET", "http://x/c", "/c", None, None) for _ in range(3)]
    for i, call in enumerate(calls):
        dog.watch(i, call, 8.0)  # type: ignore[arg-type]
    assert [h.when() for h in loop.armed] == [101.0]  # one tick, 8 / TICKS s ahead
    dog.watch(3, Call("GET", "http://x/c", "/c", None, None), 0.8)  # type: ignore[arg-type]
    assert [h.when() for h in loop.armed] == [101.0, 100.1]  # a shorter one: sooner
    assert loop.armed[0].cancelled()


@pytest.mark.parametrize(
    ("now", "quiet_since", "read", "expected"),
    [(10.0, 9.0, 1.0, True), (10.0, 9.5, 1.0, False), (10.0, 8.0, 1.0, True)],
)
def test_stalled_is_silence_of_at_least_the_read_timeout(
    now: float, quiet_since: float, read: float, expected: bool
) -> None:
    assert _watchdog.stalled(now, quiet_since, read) is expected


@pytest.mark.parametrize(
    ("now", "began", "read", "expected"),
    [
        (10.0, 0.0, 1.0, True),
        (10.0, 0.5, 1.0, False),
        (20.0, 0.0, 1.0, True),
        (9.0, 0.0, 2.0, False),
    ],
)
def test_overdue_is_an_answer_not_whole_after_whole_times_read(
    now: float, began: float, read: float, expected: bool
) -> None:
    assert _watchdog.WHOLE == 10
    assert _watchdog.overdue(now, began, read) is expected


def test_progress_counts_the_headers_and_every_body_byte() -> None:
    call = Call("GET", "http://x/contacts/c", "/contacts/c", None, None)
    assert _watchdog.progress(call) == 0  # no answer yet
    call.stream = SimpleNamespace(total_bytes=0)  # type: ignore[assignment]
    assert _watchdog.progress(call) == 1  # the headers came: progress
    call.stream = SimpleNamespace(total_bytes=25)  # type: ignore[assignment]
    assert _watchdog.progress(call) == 26


def test_an_answer_too_slow_is_a_read_timeout_that_says_so() -> None:
    err = _policy.error_from_exception(
        _policy.AnswerTooSlow(2.5), method="GET", url="http://x/contacts/c"
    )
    assert isinstance(err, APITimeoutError)
    assert err.message == "Piggy's answer was not whole 2.5 s after the request"
    assert err.request_sent
    plain = _policy.error_from_exception(aiohttp.ServerTimeoutError("x"), method="GET", url="u")
    assert plain.message == "timed out waiting for Piggy's answer"
