"""The headers every call sends, as the bytes on the wire show them: only these, once each,
and a ``default_headers`` entry replacing the client's own whatever its letter case (HTTP
header names are case-insensitive). Written against what a mutation run of ``_transport``
left uncaught (a misspelt Accept-Encoding let aiohttp send its own)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import anyio
import pytest

from piggy_async import AsyncPiggy, request_headers
from tests.rawserver import CONTACT, response

# On both ways an attempt goes out (conftest's ``wire_path``): the short way hands the
# headers to aiohttp's request as they are, so each name must already be there once.
pytestmark = pytest.mark.usefixtures("wire_path")

SENT_BY_A_GET = ["accept", "accept-encoding", "authorization", "host", "user-agent"]


class HeaderCapture:
    """A server on 127.0.0.1 that keeps each request's header lines exactly as sent."""

    def __init__(self) -> None:
        self.requests: list[list[tuple[str, str]]] = []
        self.server: asyncio.Server | None = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")[1:]
        headers = [(n.strip(), v.strip()) for n, _, v in (x.partition(":") for x in lines if x)]
        self.requests.append(headers)
        length = next((int(v) for n, v in headers if n.lower() == "content-length"), 0)
        await reader.readexactly(length)
        writer.write(response(200, CONTACT, {"Connection": "close"}))  # one request each
        await writer.drain()
        writer.close()

    def base_url(self) -> str:
        assert self.server is not None
        port = self.server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}/api/v3/oauth/clients"

    def values(self, name: str, index: int = -1) -> list[str]:
        return [v for n, v in self.requests[index] if n.lower() == name.lower()]


@pytest.fixture
async def capture() -> AsyncIterator[HeaderCapture]:
    own = HeaderCapture()
    own.server = await asyncio.start_server(own._serve, "127.0.0.1", 0)
    try:
        yield own
    finally:
        own.server.close()
        await own.server.wait_closed()


async def test_a_call_sends_exactly_its_headers_once_each(capture: HeaderCapture) -> None:
    async with AsyncPiggy(api_key="key", base_url=capture.base_url()) as piggy:
        with anyio.fail_after(10):
            await piggy.contacts.get("c-1")
    names = sorted(name.lower() for name, _ in capture.requests[-1])
    assert names == SENT_BY_A_GET  # nothing else, nothing twice
    assert capture.values("Accept-Encoding") == ["gzip, deflate"]  # what the client can undo
    assert capture.values("Accept") == ["application/json"]
    assert capture.values("User-Agent")[0].startswith("piggy-client/")
    assert capture.values("Authorization") == ["Bearer key"]


@pytest.mark.parametrize(
    "name", ["User-Agent", "user-agent", "USER-AGENT", "Accept", "accept", "ACCEPT-ENCODING"]
)
async def test_a_default_header_replaces_the_clients_own_in_any_case(
    capture: HeaderCapture, name: str
) -> None:
    value = "identity" if name.lower() == "accept-encoding" else "mine/1.0"
    client = AsyncPiggy(api_key="key", base_url=capture.base_url(), default_headers={name: value})
    async with client:
        with anyio.fail_after(10):
            await client.contacts.get("c-1")
    assert capture.values(name) == [value]  # once, the user's value


async def test_each_name_goes_once_whatever_case_each_layer_spells_it(
    capture: HeaderCapture,
) -> None:
    defaults = {"x-app": "default", "content-type": "text/plain"}
    client = AsyncPiggy(api_key="key", base_url=capture.base_url(), default_headers=defaults)
    async with client:
        view = client.with_options(extra_headers={"X-APP": "view"})
        with anyio.fail_after(10):
            with request_headers({"X-App": "block"}):
                await view.contacts.get("c-1")
                assert capture.values("x-app") == ["block"]
                await view.contacts.get("c-1", extra_headers={"x-APP": "call"})
                assert capture.values("x-app") == ["call"]
            await view.contacts.create(email="jane@example.com")
    assert capture.values("x-app") == ["view"]
    assert capture.values("content-type") == ["application/json"]  # a JSON body stays JSON


def test_merged_headers_keep_each_name_once_the_latest_value() -> None:
    from piggy_async._config import check_headers, merged_headers

    check_headers({"X-Tag": "a"})
    check_headers({"x-tag": "b"})  # now seen in two spellings
    merged = merged_headers({"Accept": "a", "X-Tag": "1"}, {"x-tag": "2"}, {}, {"ACCEPT": "b"})
    assert merged == {"x-tag": "2", "ACCEPT": "b"}
    assert merged_headers({"Accept": "a"}, {"accept": "b"}) == {"accept": "b"}  # never checked
    assert merged_headers({"Accept": "a"}, {"X-Other": "b"}) == {"Accept": "a", "X-Other": "b"}
    base = {"Accept": "a"}
    assert merged_headers(base, {}) == base
    assert merged_headers(base, {}) is not base  # a copy: the caller's dict is never changed
