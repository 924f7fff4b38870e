"""What a caller sees from a call the close cuts while its request is in flight (the error's
words, method, URL, ``outcome_unknown``, the task's cancel count), and the Content-Type sent
inside a ``request_headers`` block. Against a raw server on 127.0.0.1 or the fake."""

from __future__ import annotations

import asyncio

import anyio
import pytest

from piggy_async import AsyncPiggy, ClientClosedError, request_headers
from piggy_async.testing import FakePiggy
from tests.rawserver import RawRequest, RawServer, api_client

OUTCOME_UNKNOWN = "; outcome unknown: Piggy may have processed it, so it was not retried"


async def _call(piggy: AsyncPiggy, method: str) -> tuple[ClientClosedError, int]:
    try:
        if method == "GET":
            await piggy.contacts.get("c-1")
        else:
            await piggy.request("POST", "/contacts", json={"email": "jane@example.com"})
    except ClientClosedError as err:
        task = asyncio.current_task()
        assert task is not None
        return err, task.cancelling() if hasattr(task, "cancelling") else 0
    raise AssertionError("the call was not ended by the close")


@pytest.mark.parametrize(
    ("method", "path", "unknown"),
    [
        ("GET", "/contacts/c-1", False),  # sent, but a GET changes nothing
        ("POST", "/contacts", True),  # sent: Piggy may have processed it
    ],
)
async def test_a_call_cut_in_flight_by_the_close_says_so_and_names_its_request(
    method: str, path: str, unknown: bool
) -> None:
    reached, release = asyncio.Event(), asyncio.Event()

    async def hold(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        reached.set()
        await release.wait()  # never answered before the close

    async with RawServer(handler=hold) as srv:
        piggy, url = api_client(srv, close_grace=0.01), srv.base_url + path
        try:
            with anyio.fail_after(10):
                pending = asyncio.ensure_future(_call(piggy, method))
                await reached.wait()
                await piggy.aclose()
                err, cancelling = await pending
        finally:
            release.set()
    assert str(err) == (
        "the client was closed while this call was in flight; it was cancelled after the"
        f" close grace period of 0.01 s ({method} {url})" + (OUTCOME_UNKNOWN if unknown else "")
    )
    assert (err.method, err.url) == (method, url)
    assert err.outcome_unknown is unknown
    assert err.attempts == 1
    assert cancelling == 0  # a task that goes on after the error is not left cancelled
    assert srv.count() == 1  # not retried


@pytest.mark.parametrize(
    ("block", "method", "content_type"),
    [
        # a JSON body stays JSON whatever Content-Type the block names
        ({"Content-Type": "text/plain", "X-Request-ID": "r-1"}, "POST", "application/json"),
        ({"X-Request-ID": "r-1"}, "GET", None),  # no body: no Content-Type
    ],
)
async def test_content_type_inside_a_request_headers_block(
    piggy: AsyncPiggy,
    fake: FakePiggy,
    contact_uuid: str,
    block: dict[str, str],
    method: str,
    content_type: str | None,
) -> None:
    with request_headers(block), anyio.fail_after(10):
        if method == "POST":
            await piggy.contacts.create(email="scoped@example.com")
        else:
            await piggy.contacts.get(contact_uuid)
    [sent] = fake.requests
    headers = {name.lower(): value for name, value in sent.headers.items()}
    assert sent.method == method
    assert headers["x-request-id"] == "r-1"
    assert headers.get("content-type") == content_type
