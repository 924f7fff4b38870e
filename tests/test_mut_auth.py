"""A token request left behind stays quiet: when every waiter gave up on it and it then
fails, when the client closes while it flies, and when its event loop is gone already (the
sync facade's loop closed) by the time the client closes. Nothing reaches the event loop's
error handler ("Task exception was never retrieved", "Exception in callback") and closing
raises nothing. A fake clock; no server. And the token request itself carries the client's
headers (a raw server on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import anyio
import pytest

from piggy_async._auth import ClientCredentialsAuth
from piggy_async.errors import APIConnectionError, AuthenticationError
from tests.rawserver import RawRequest, RawServer, oauth_client, response, token_answers


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)
    gc.collect()
    await asyncio.sleep(0)


@pytest.mark.parametrize("ending", ["fails", "cancelled"])
async def test_an_abandoned_token_request_reports_nothing(ending: str) -> None:
    loop = asyncio.get_running_loop()
    reported: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    go = asyncio.Event()

    async def fetch(client_id: str, secret: str) -> tuple[str, float]:
        await go.wait()
        raise APIConnectionError("token endpoint down", method="POST", url="https://x/token")

    auth: ClientCredentialsAuth | None = ClientCredentialsAuth("id", "secret", clock=Clock())
    assert auth is not None
    with pytest.raises(asyncio.TimeoutError):
        await auth.header(fetch, wait=0.01)  # the only waiter gives up
    if ending == "fails":
        go.set()
    else:
        auth.cancel_flight()  # the client closes
    await _settle()
    auth = None  # the client is gone too: its flight can be collected
    await _settle()
    loop.set_exception_handler(None)
    assert [c["message"] for c in reported] == []


def test_closing_after_the_token_requests_loop_is_gone_raises_nothing() -> None:
    auth = ClientCredentialsAuth("id", "secret", clock=Clock())

    async def fetch(client_id: str, secret: str) -> tuple[str, float]:
        await asyncio.sleep(3600)
        return "t", 600.0

    async def give_up() -> None:
        with pytest.raises(asyncio.TimeoutError):
            await auth.header(fetch, wait=0.01)

    loop = asyncio.new_event_loop()
    reported: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: reported.append(context))
    try:
        loop.run_until_complete(asyncio.wait_for(give_up(), 5))
    finally:
        loop.close()
    auth.cancel_flight()  # the flight's loop is closed: nothing to stop, nothing raised
    assert auth.cached_header() is None


async def test_the_token_request_carries_the_clients_headers() -> None:
    async with (
        RawServer(token_handler=token_answers("t-1")) as srv,
        oauth_client(srv, partner_id="p-9") as piggy,
    ):
        with anyio.fail_after(10):
            assert (await piggy.contacts.get("c-1")).uuid == "c-1"
    token, call = srv.requests
    assert token.path == "/oauth/token"
    assert token.headers["user-agent"].startswith("piggy-client/")
    assert token.headers["x-partner-id"] == "p-9"
    assert call.headers["authorization"] == "Bearer t-1"
    assert "content-type" not in call.headers  # a GET has no body, so no body type


async def test_a_refused_token_is_fetched_anew_once_per_call_not_per_retry() -> None:
    async def refuse(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(response(401, {"message": "Unauthenticated."}))

    tokens = token_answers("t-1", "t-2", "t-3")
    async with (
        RawServer(handler=refuse, token_handler=tokens) as srv,
        oauth_client(srv, max_retries=5) as piggy,
    ):
        waits: list[float] = []
        piggy._transport.sleep = record_wait(waits)
        with anyio.fail_after(10), pytest.raises(AuthenticationError) as info:
            await piggy.contacts.get("c-1")
    assert info.value.attempts == 2  # the revoked token, then one fresh token
    assert waits == []  # at once: a fresh token needs no pause
    assert srv.count("/oauth/token") == 2
    assert [r.headers["authorization"] for r in srv.requests if "contacts" in r.target] == [
        "Bearer t-1",
        "Bearer t-2",
    ]


def record_wait(waits: list[float]) -> Any:
    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    return sleep
