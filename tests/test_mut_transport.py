"""The transport's attempts and calls (``_attempt``, ``_transport``): aiohttp timeouts cut by
the call's deadline, the error a run-out deadline becomes, ``with_options``' extras, the
logs; then whole calls against a raw server on 127.0.0.1 (closing during a retry wait, bad
answers, headers, token waits). Deadlines are far off, past, or on a fake clock."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import aiohttp
import anyio
import pytest

from piggy_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncPiggy,
    ClientClosedError,
    NotFoundError,
    PoolTimeoutError,
    ResponseTooLargeError,
    _attempt,
)
from piggy_async._attempt import (
    answer_error,
    attempt_timeout,
    client_timeout,
    overall_timeout,
    pool_wait,
    short,
    transport_error,
    uncancel,
    with_extras,
)
from piggy_async._config import Timeout
from piggy_async._wire import Answer, Call
from piggy_async.errors import ResponseDecodeError
from piggy_async.testing import FakePiggy
from tests.rawserver import (
    CONTACT,
    RawRequest,
    RawServer,
    answer,
    api_client,
    no_wait,
    oauth_client,
    response,
)

URL = "https://api.piggy.test/api/v3/oauth/clients/contacts/c-1"


def call(deadline_in: float | None, method: str = "GET") -> Call:
    deadline = None if deadline_in is None else time.monotonic() + deadline_in
    return Call(method, URL, "/contacts/c-1", None, deadline)


def test_client_timeout_is_the_settings_per_attempt() -> None:
    # the read timeout is the watchdog's (tests/test_watchdog.py), not a timer per chunk
    got = client_timeout(Timeout(connect=2.0, read=7.0, total=50.0, pool=9.0))
    assert got == aiohttp.ClientTimeout(total=None, connect=2.0, sock_connect=2.0, sock_read=None)


def test_attempt_timeout_without_deadline_is_the_settings() -> None:
    settings = Timeout(connect=2.0, read=7.0)
    assert attempt_timeout(settings, call(None)) == client_timeout(settings)


@pytest.mark.parametrize(
    ("connect", "left", "connect_at_most"),
    [
        (2.0, 1000.0, 2.0),  # the deadline is far: the connect setting stands
        (500.0, 100.0, 100.0),  # the deadline is nearer than the connect setting
        (None, 100.0, 100.0),
    ],
)
def test_attempt_timeout_is_cut_by_the_deadline(
    connect: float | None, left: float, connect_at_most: float
) -> None:
    got = attempt_timeout(Timeout(connect=connect, read=7.0, total=left), call(left))
    assert got.total is not None
    assert 0 < got.total <= left
    assert got.total > left - 60  # the remaining time, not some other number
    assert got.connect is not None
    assert got.connect <= connect_at_most
    assert got.connect > connect_at_most - 60
    assert got.sock_connect == got.connect
    assert got.sock_read is None


def test_attempt_after_the_deadline_is_not_sent() -> None:
    past = call(-1.0, "POST")
    with pytest.raises(APITimeoutError) as info:
        attempt_timeout(Timeout(total=3.0), past)
    err = info.value
    assert str(err).startswith("the call's overall timeout of 3.0s ran out before the attempt")
    assert err.request_sent is False
    assert (err.method, err.url) == ("POST", URL)


@pytest.mark.parametrize(
    ("pool", "left", "low", "high"),
    [
        (30.0, None, 30.0, 30.0),  # no deadline: the pool setting
        (None, None, None, None),
        (5.0, 1000.0, 5.0, 5.0),  # the deadline is further than the pool setting
        (500.0, 100.0, 40.0, 100.0),  # the deadline is nearer
        (None, 100.0, 40.0, 100.0),
    ],
)
def test_pool_wait(
    pool: float | None, left: float | None, low: float | None, high: float | None
) -> None:
    wait = pool_wait(Timeout(pool=pool), call(left))
    if low is None:
        assert wait is None
    else:
        assert wait is not None
        assert low <= wait <= high  # type: ignore[operator]


def test_overall_timeout_names_the_total_and_the_phase() -> None:
    err = overall_timeout(Timeout(total=2.5), call(None, "PUT"), "while waiting", sent=True)
    assert isinstance(err, APITimeoutError)
    assert str(err).startswith("the call's overall timeout of 2.5s ran out while waiting")
    assert err.request_sent is True
    assert (err.method, err.url) == ("PUT", URL)
    assert overall_timeout(Timeout(total=2.5), call(None), "x").request_sent is False


def _refused() -> BaseException:
    key = aiohttp.client_reqrep.ConnectionKey("h", 1, False, True, None, None, None)
    return aiohttp.ClientConnectorError(key, ConnectionRefusedError(111, "Connection refused"))


@pytest.mark.parametrize(
    ("exc", "on_the_wire", "sent"),
    [
        (aiohttp.ServerDisconnectedError(), True, True),
        (asyncio.TimeoutError(), True, True),
        (asyncio.TimeoutError(), False, False),  # ran out while its connection opened
        (_refused(), True, False),  # never connected: never sent, even at the deadline
        (ResponseTooLargeError("too large", limit=10, method="GET", url=URL), True, True),
    ],
)
def test_transport_error_at_the_deadline_is_the_overall_timeout(
    exc: BaseException, on_the_wire: bool, sent: bool
) -> None:
    late = call(-1.0, "DELETE")
    late.sent = on_the_wire
    err = transport_error(Timeout(total=4.0), exc, late)
    assert isinstance(err, APITimeoutError)
    assert str(err).startswith("the call's overall timeout of 4.0s ran out during the attempt")
    assert err.request_sent is sent
    assert (err.method, err.url) == ("DELETE", URL)


@pytest.mark.parametrize("left", [None, 1000.0])
def test_transport_error_before_the_deadline_is_the_attempts_own(left: float | None) -> None:
    err = transport_error(Timeout(total=4.0), aiohttp.ServerDisconnectedError(), call(left))
    assert type(err) is APIConnectionError
    assert str(err) == f"server closed the connection before answering (GET {URL})"
    assert err.request_sent is True
    assert (err.method, err.url) == ("GET", URL)


def test_answer_error_is_the_status_class_with_the_raw_response() -> None:
    body = b'{"code": 404, "message": "Contact not found."}'
    answer = Answer(404, body, {"Content-Type": "application/json"}, "Not Found")
    err = answer_error(answer, call(None, "GET"))
    assert isinstance(err, NotFoundError)
    assert err.status_code == 404
    assert (err.method, err.url) == ("GET", URL)
    raw: Any = err.response
    assert raw is not None
    assert raw.status_code == 404
    assert raw.content == body
    assert raw.headers["Content-Type"] == "application/json"
    assert (raw.method, raw.url) == ("GET", URL)  # the response names its request too


@pytest.mark.parametrize(
    ("extras", "method", "params", "body", "want_params", "want_body"),
    [
        (({}, {}), "GET", {"a": 1}, None, {"a": 1}, None),
        (({"b": 2}, {}), "GET", None, None, {"b": 2}, None),
        (({"a": 9, "b": 2}, {}), "GET", {"a": 1}, None, {"a": 9, "b": 2}, None),
        (({}, {"x": 1}), "POST", None, {"x": 0, "y": 2}, None, {"x": 1, "y": 2}),
        (({}, {"x": 1}), "POST", None, None, None, {"x": 1}),
        (({}, {"x": 1}), "PUT", None, None, None, {"x": 1}),
        (({}, {"x": 1}), "PATCH", None, None, None, {"x": 1}),
        (({}, {"x": 1}), "GET", None, None, None, None),  # a GET has no body
        (({}, {"x": 1}), "DELETE", None, None, None, None),
        (({}, {"x": 1}), "POST", None, [1, 2], None, [1, 2]),  # a list body is left alone
    ],
)
def test_with_extras(
    extras: Any, method: str, params: Any, body: Any, want_params: Any, want_body: Any
) -> None:
    got_params, got_body = with_extras(extras, method, params, body)
    assert got_params == want_params
    assert got_body == want_body
    if got_body is not None and body is None:
        assert got_body is not extras[1]  # a copy: later calls do not share it


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (APIStatusError("x", status_code=503, method="GET", url=URL), "HTTP 503"),
        (APIConnectionError("connection reset", method="GET", url=URL), "connection reset"),
        (ValueError("x"), "ValueError"),
    ],
)
def test_short(exc: BaseException, words: str) -> None:
    assert short(exc) == words


async def test_uncancel_undoes_a_cancel_request() -> None:
    async def idle() -> None:
        await asyncio.sleep(0)

    task = asyncio.ensure_future(idle())
    task.cancel()
    if hasattr(task, "cancelling"):
        assert task.cancelling() == 1
        uncancel(task)
        assert task.cancelling() == 0
    else:  # Python 3.10: nothing to undo
        uncancel(task)
    await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), 10)


class FakeTime:
    """``_attempt``'s clock: ``perf_counter`` advances 0.25 s per reading, ``monotonic`` is
    fixed; wall time is real (for Retry-After dates)."""

    def __init__(self, monotonic: float = 100.0) -> None:
        self.ticks, self.now, self.time = 0, monotonic, time.time

    def perf_counter(self) -> float:
        self.ticks += 1
        return 5000.0 + 0.25 * self.ticks

    def monotonic(self) -> float:
        return self.now


def test_at_the_deadline_instant_the_call_has_timed_out(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_attempt, "time", FakeTime(monotonic=100.0))
    at_deadline = Call("PUT", URL, "/contacts/c-1", None, 100.0)
    with pytest.raises(APITimeoutError) as info:
        attempt_timeout(Timeout(total=4.0), at_deadline)  # not an attempt with 0 s to run
    assert str(info.value).startswith("the call's overall timeout of 4.0s ran out before")
    assert info.value.request_sent is False
    err = transport_error(Timeout(total=4.0), aiohttp.ServerDisconnectedError(), at_deadline)
    assert str(err).startswith("the call's overall timeout of 4.0s ran out during the attempt")


async def test_a_busy_pool_error_names_the_request_without_its_secret() -> None:
    piggy = AsyncPiggy(
        api_key="k",
        base_url="https://api.piggy.test/api/v3/oauth/clients",
        max_connections=1,
        timeout=Timeout(pool=0.01),
        max_retries=0,
    )
    transport = piggy._transport
    transport.pool.get()  # the session of this loop
    await transport.pool.slots.acquire(None, "GET", URL)  # the only connection is taken
    secret_url = "https://api.piggy.test/api/v3/contacts/sessions/tok-9"
    busy = Call("POST", secret_url, "/contacts/sessions/tok-9", b"{}", None, "tok-9")
    with anyio.fail_after(5), pytest.raises(PoolTimeoutError) as info:
        await transport._send(busy)
    err = info.value
    assert str(err).startswith("no free connection within 0.01 s (pool of 1 busy)")
    masked = secret_url.replace("tok-9", "<redacted>")
    assert (err.method, err.url) == ("POST", masked)
    assert err.request_sent is False
    assert (busy.sent, err.outcome_unknown, err.attempts) == (False, False, 1)
    transport.pool.slots.release()
    await piggy.aclose()


async def test_each_attempt_is_logged_at_debug_with_its_duration_without_secrets(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_attempt, "time", FakeTime())
    async with FakePiggy(contacts=1) as fake:
        uuid = next(iter(fake.store.contacts))
        fake.faults.reset(times=2, path=f"/contacts/{uuid}")
        client: AsyncPiggy = fake.client()
        client._transport.sleep = no_wait
        try:
            with caplog.at_level(logging.DEBUG, logger="piggy_async"), anyio.fail_after(10):
                assert (await client.contacts.get(uuid)).uuid == uuid
        finally:
            await client.aclose()
        token = fake.token
    failed = [r.getMessage() for r in caplog.records if " failed: " in r.getMessage()]
    assert len(failed) == 1
    assert "(attempt 1," in failed[0]
    assert all(token not in r.getMessage() for r in caplog.records)
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    lines = [line for line in lines if "(attempt " in line]
    assert len(lines) >= 2
    assert lines[0].startswith(f"GET /contacts/{uuid} failed: ")
    kind = lines[0].split(" failed: ")[1].split(" (")[0]
    assert isinstance(getattr(aiohttp, kind, None), type)  # the exception's own name
    assert lines[-1].startswith(f"GET /contacts/{uuid} -> 200 (attempt ")
    assert all(line.endswith(", 250.0 ms)") for line in lines)  # each attempt's own time


async def test_closing_during_a_retry_wait_says_what_failed_and_leaves_no_cancel_behind() -> None:
    waiting = asyncio.Event()

    async def long_wait(seconds: float) -> None:
        waiting.set()
        await asyncio.sleep(60)

    async def get(piggy: AsyncPiggy) -> tuple[BaseException, int]:
        try:
            await piggy.contacts.get("c-1")
        except ClientClosedError as err:
            task = asyncio.current_task()
            assert task is not None
            return err, task.cancelling() if hasattr(task, "cancelling") else 0
        raise AssertionError("the call was not ended by the close")

    async with RawServer(handler=answer(response(503, b"{}"))) as srv:
        piggy, base = api_client(srv, close_grace=30), srv.base_url
        piggy._transport.sleep = long_wait
        with anyio.fail_after(10):
            call = asyncio.ensure_future(get(piggy))
            await waiting.wait()
            await piggy.aclose()
            err, cancelling = await call
    assert str(err) == (
        "the client was closed while this call waited to retry after HTTP 503; it was not"
        f" retried (GET {base}/contacts/c-1)"
    )
    assert cancelling == 0  # a task that goes on after the error is not left cancelled


async def test_a_call_whose_retry_wait_is_over_gets_the_close_grace() -> None:
    second, release = asyncio.Event(), asyncio.Event()

    async def first_503_then_slow(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        if len(srv.requests) == 1:
            writer.write(response(503, b"{}"))
            return
        second.set()
        await release.wait()
        writer.write(response(200, CONTACT))

    async with RawServer(handler=first_503_then_slow) as srv:
        piggy = api_client(srv, close_grace=30)
        with anyio.fail_after(10):
            call = asyncio.ensure_future(piggy.contacts.get("c-1"))
            await second.wait()
            closing = asyncio.ensure_future(piggy.aclose())
            await asyncio.sleep(0.05)
            release.set()  # the second attempt is answered within the grace period
            assert (await call).uuid == "c-1"
            await closing


async def _bad_answer(piggy: AsyncPiggy, how: str) -> Any:
    if how == "page":
        return await piggy.contacts.list(limit=5)
    if how == "one":
        return await piggy.contacts.get("c-1")
    return (await piggy.contacts.get_many(["c-1"]).collect())[0].unwrap()  # decoded late


@pytest.mark.parametrize("how", ["page", "one", "bulk"])
async def test_a_bad_answer_names_its_request(how: str) -> None:
    bad = answer(response(200, {"data": "nope", "meta": {}}))
    async with RawServer(handler=bad) as srv, api_client(srv) as piggy:
        base = srv.base_url
        with anyio.fail_after(10), pytest.raises(ResponseDecodeError) as info:
            await _bad_answer(piggy, how)
    path = "/contacts?limit=5" if how == "page" else "/contacts/c-1"
    assert str(info.value).startswith(f"unexpected response from GET {path.split('?')[0]}: ")
    assert (info.value.method, info.value.url) == ("GET", base + path)


async def test_a_per_request_header_stays_through_further_options() -> None:
    async with RawServer() as srv, api_client(srv) as piggy:
        tagged = piggy.with_options(extra_headers={"X-Request-ID": "r-1"})
        with anyio.fail_after(10):
            await tagged.with_options(extra_query={"lang": "nl"}).contacts.get("c-1")
    sent = srv.requests[0]
    assert sent.headers["x-request-id"] == "r-1"
    assert sent.target.endswith("/contacts/c-1?lang=nl")


async def test_the_deadline_running_out_while_waiting_for_a_token_says_so() -> None:
    async def never(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(60)

    async with (
        RawServer(token_handler=never) as srv,
        oauth_client(srv, timeout=Timeout(read=5, total=0.2)) as piggy,
    ):
        with anyio.fail_after(10), pytest.raises(APITimeoutError) as info:
            await piggy.contacts.get("c-1")
    assert str(info.value).startswith(
        "the call's overall timeout of 0.2s ran out while waiting for an OAuth token (GET "
    )
    assert info.value.outcome_unknown is False  # nothing was sent
