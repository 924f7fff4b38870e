"""A FastAPI app run in-process (httpx's ASGITransport) with ONE AsyncPiggy opened in its
lifespan, against a raw loopback server that is not the project's fake (issue 21): the
lifespan pattern, pool saturation, cancellation by a disconnecting client, and shutdown with
calls in flight.

Upstream answers that must wait are held by an event the test sets (no race against a
timer); the only timing bounds are generous upper limits (the machine is shared).
"""

from __future__ import annotations

import asyncio
import gc
import time
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import pytest

from piggy_async import AsyncPiggy, ClientClosedError, PiggyError, PoolTimeoutError, Timeout

from .rawserver import CONTACT, RawRequest, RawServer, response

fastapi = pytest.importorskip("fastapi")
httpx = pytest.importorskip("httpx")
Request = fastapi.Request
JSONResponse = pytest.importorskip("fastapi.responses").JSONResponse

CREATED = {"data": {"uuid": "c-new", "email": "new@example.com"}}


# -- the upstream: a raw loopback server whose answers can be held --------------------------


class Upstream:
    """Answers every request with a contact, after ``gate`` is set (when held); records the
    client port of each request (one port = one connection)."""

    def __init__(self, srv: RawServer) -> None:
        self.srv = srv
        self.gate = asyncio.Event()
        self.gate.set()
        self.ports: list[int] = []
        srv.handler = self.answer

    def hold(self) -> None:
        self.gate.clear()

    async def answer(self, request: RawRequest, writer: asyncio.StreamWriter) -> None:
        self.ports.append(int(writer.get_extra_info("peername")[1]))
        await self.gate.wait()
        writer.write(response(200, CREATED if request.method == "POST" else CONTACT))

    def count(self, method: str) -> int:
        return sum(1 for r in self.srv.requests if r.method == method)


@pytest.fixture
async def upstream() -> AsyncIterator[Upstream]:
    async with RawServer() as srv:
        up = Upstream(srv)
        yield up
        up.gate.set()  # a handler still held ends before the server closes


@pytest.fixture
async def loop_errors() -> AsyncIterator[list[dict[str, Any]]]:
    """What the loop's exception handler saw ("Task exception was never retrieved",
    "Unclosed client session", ...): the test asserts it stayed empty."""
    loop = asyncio.get_running_loop()
    seen: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: seen.append(context))
    yield seen
    loop.set_exception_handler(previous)


def no_leftovers(seen: list[dict[str, Any]]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)], caught
    assert not seen, [c.get("message") for c in seen]


async def until(condition: Callable[[], bool]) -> None:
    for _ in range(2000):  # at most ~10 s
        if condition():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the expected state was never reached")


# -- the app --------------------------------------------------------------------------------


def make_app(base_url: str, **options: Any) -> Any:
    """One AsyncPiggy per app, opened at startup and closed at shutdown; a Piggy error is
    answered 503 with what the service would log."""
    created: list[AsyncPiggy] = []

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        async with AsyncPiggy(api_key="k", base_url=base_url, **options) as piggy:
            created.append(piggy)
            app.state.piggy = piggy
            yield

    app = fastapi.FastAPI(lifespan=lifespan)
    app.state.created = created

    @app.exception_handler(PiggyError)
    async def piggy_failed(request: Any, exc: PiggyError) -> Any:
        body = {
            "error": type(exc).__name__,
            "message": str(exc),
            "outcome_unknown": exc.outcome_unknown,
            "request_sent": getattr(exc, "request_sent", None),
        }
        return JSONResponse(body, status_code=503)

    @app.get("/contacts/{uuid}")
    async def get_contact(uuid: str, request: Request) -> Any:
        contact = await request.app.state.piggy.contacts.get(uuid)
        return {"uuid": contact.uuid, "client": id(request.app.state.piggy)}

    @app.post("/contacts")
    async def create_contact(request: Request) -> Any:
        contact = await request.app.state.piggy.contacts.create(email="new@example.com")
        return {"uuid": contact.uuid}

    return app


@asynccontextmanager
async def serving(app: Any) -> AsyncIterator[Any]:
    """The app's lifespan entered, and an httpx client talking to it in-process."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
            yield http


# -- 1. the lifespan pattern ----------------------------------------------------------------


async def test_lifespan_client_is_shared_by_concurrent_requests_and_closed_at_shutdown(
    upstream: Upstream, loop_errors: list[dict[str, Any]]
) -> None:
    app = make_app(upstream.srv.base_url, max_connections=5)
    with anyio.fail_after(20):
        async with serving(app) as http:
            upstream.hold()  # the 50 requests pile up on the pool ...
            requests = [asyncio.ensure_future(http.get(f"/contacts/c-{i}")) for i in range(50)]
            await until(lambda: upstream.srv.count() == 5)
            upstream.gate.set()  # ... and are answered
            answers = await asyncio.gather(*requests)
        piggy = app.state.piggy
    assert [a.status_code for a in answers] == [200] * 50, answers[0].text
    assert {a.json()["client"] for a in answers} == {id(piggy)}  # one client for all
    assert len(app.state.created) == 1  # created once, at startup
    assert upstream.srv.count() == 50
    assert upstream.srv.peak_in_flight == 5  # bounded by max_connections
    assert len(set(upstream.ports)) <= 5  # connections reused, never more than the pool
    # shutdown closed the client and its connections
    assert piggy._transport.pool.closed
    assert piggy._transport.pool._session is None
    with anyio.fail_after(10):
        await until(lambda: not upstream.srv._writers)  # the server saw every socket close
        with pytest.raises(ClientClosedError):
            await piggy.contacts.get("c-1")
    assert upstream.srv.count() == 50
    no_leftovers(loop_errors)


# -- 2. pool saturation -------------------------------------------------------------------------


async def test_saturated_pool_answers_503_pool_timeout_and_the_rest_succeed(
    upstream: Upstream, loop_errors: list[dict[str, Any]]
) -> None:
    timeout = Timeout(connect=5, read=30, pool=0.3)
    app = make_app(upstream.srv.base_url, max_connections=2, timeout=timeout)
    with anyio.fail_after(20):
        async with serving(app) as http:
            pool = app.state.piggy._transport.pool
            upstream.hold()  # the 2 connections stay busy until every waiter gave up
            requests = [
                asyncio.ensure_future(
                    http.get(f"/contacts/c-{i}") if i % 2 else http.post("/contacts")
                )
                for i in range(10)
            ]
            await until(lambda: sum(r.done() for r in requests) == 8)
            upstream.gate.set()
            answers = await asyncio.gather(*requests)
            assert pool.slots.free == 2  # every slot came back
            assert not pool.calls
            after = await http.get("/contacts/c-1")  # the pool works again
            assert after.status_code == 200
    ok = [a for a in answers if a.status_code == 200]
    busy = [a.json() for a in answers if a.status_code == 503]
    assert len(ok) == 2
    assert len(busy) == 8
    for body in busy:
        assert body["error"] == PoolTimeoutError.__name__
        assert "no free connection within 0.3 s (pool of 2 busy)" in body["message"]
        assert body["outcome_unknown"] is False  # POSTs included: Piggy received nothing
        assert body["request_sent"] is False
    assert upstream.srv.count() == 3  # the 2 that got a connection, then the one after
    assert upstream.srv.peak_in_flight == 2
    no_leftovers(loop_errors)


# -- 3. cancellation by a disconnecting client ------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_request_cancelled_by_disconnect_cancels_the_call_and_frees_its_connection(
    upstream: Upstream, loop_errors: list[dict[str, Any]], method: str
) -> None:
    app = make_app(upstream.srv.base_url, max_connections=1)
    with anyio.fail_after(20):
        async with serving(app) as http:
            pool = app.state.piggy._transport.pool
            upstream.hold()
            call = http.get("/contacts/c-1") if method == "GET" else http.post("/contacts")
            request = asyncio.ensure_future(call)
            await until(lambda: upstream.count(method) == 1)
            # The client goes away: the server cancels the request's task (ASGITransport
            # runs the app in it), and with it the handler awaiting Piggy.
            request.cancel()
            with pytest.raises(asyncio.CancelledError):
                await request
            assert pool.slots.free == 1  # the only connection slot is free at once
            assert not pool.calls
            upstream.gate.set()
            with anyio.fail_after(5):  # a following call does not wait for the lost one
                after = await http.get("/contacts/c-2")
            assert after.status_code == 200, after.text
    assert upstream.count(method) == (1 if method == "POST" else 2)  # the POST: never retried
    assert upstream.count("POST" if method == "GET" else "GET") == (0 if method == "GET" else 1)
    no_leftovers(loop_errors)


async def test_http_disconnect_seen_by_the_handler_cancels_a_post_without_retry(
    upstream: Upstream, loop_errors: list[dict[str, Any]]
) -> None:
    """The ASGI receive reports ``http.disconnect``; a handler that watches for it cancels
    its Piggy call (the pattern for servers that do not cancel the app themselves)."""
    app = make_app(upstream.srv.base_url, max_connections=1)
    outcome: list[str] = []

    async def client_gone(request: Any) -> None:
        while (await request.receive())["type"] != "http.disconnect":
            pass  # the request's body: not what we wait for

    @app.post("/watched")
    async def watched(request: Request) -> Any:
        call = asyncio.ensure_future(
            request.app.state.piggy.contacts.create(email="new@example.com")
        )
        gone = asyncio.ensure_future(client_gone(request))
        done, _ = await asyncio.wait({call, gone}, return_when=asyncio.FIRST_COMPLETED)
        if call in done:
            gone.cancel()
            return {"uuid": (await call).uuid}
        call.cancel()
        try:
            await call
        except asyncio.CancelledError:
            outcome.append("cancelled")
        return JSONResponse({}, status_code=499)

    disconnect = asyncio.Event()
    sent: list[dict[str, Any]] = []
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()  # the (empty) body first, then the client goes away
        await disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/watched",
        "raw_path": b"/watched",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"app")],
        "client": ("127.0.0.1", 1),
        "server": ("app", 80),
    }
    with anyio.fail_after(20):
        async with serving(app) as http:
            pool = app.state.piggy._transport.pool
            upstream.hold()
            handling = asyncio.ensure_future(app(scope, receive, send))
            await until(lambda: upstream.count("POST") == 1)
            disconnect.set()
            await handling
            assert outcome == ["cancelled"]
            assert sent[0]["status"] == 499
            assert pool.slots.free == 1
            assert not pool.calls
            upstream.gate.set()
            with anyio.fail_after(5):
                after = await http.get("/contacts/c-2")
            assert after.status_code == 200, after.text
    assert upstream.count("POST") == 1  # not retried
    no_leftovers(loop_errors)


# -- 4. shutdown with calls in flight ---------------------------------------------------------


async def _shut_down_with_calls_in_flight(upstream: Upstream) -> tuple[list[Any], float, Any]:
    app = make_app(upstream.srv.base_url, close_grace=0.3)
    upstream.hold()  # never answered before the close
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as http:
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        requests = [
            asyncio.ensure_future(http.get(f"/contacts/c-{i}") if i % 2 else http.post("/contacts"))
            for i in range(6)
        ]
        await until(lambda: upstream.srv.count() == 6)
        started = time.monotonic()
        await lifespan.__aexit__(None, None, None)  # the shutdown: aclose() with close_grace
        closing = time.monotonic() - started
        answers = await asyncio.gather(*requests)
        after = await http.get("/contacts/c-9")
    return [a.json() for a in answers], closing, after


async def test_shutdown_ends_calls_in_flight_after_the_grace_and_retries_none(
    upstream: Upstream, loop_errors: list[dict[str, Any]]
) -> None:
    with anyio.fail_after(20):
        bodies, closing, after = await _shut_down_with_calls_in_flight(upstream)
    assert closing < 5.0  # grace 0.3 s, then cut (generous bound)
    for body in bodies:
        assert body["error"] == ClientClosedError.__name__, body
        assert "grace period of 0.3 s" in body["message"]
    assert upstream.count("GET") == 3  # none retried
    assert upstream.count("POST") == 3
    assert after.status_code == 503  # a call after the shutdown is refused at once
    assert after.json()["error"] == ClientClosedError.__name__
    assert upstream.srv.count() == 6  # and sends nothing
    no_leftovers(loop_errors)


async def test_shutdown_cut_post_that_reached_piggy_is_outcome_unknown(
    upstream: Upstream,
) -> None:
    with anyio.fail_after(20):
        bodies, _, _ = await _shut_down_with_calls_in_flight(upstream)
    assert upstream.count("POST") == 3  # every POST reached the server
    posts = bodies[0::2]
    assert all(b["error"] == ClientClosedError.__name__ for b in posts), posts
    assert all(b["outcome_unknown"] is True for b in posts), posts
