"""A raw HTTP/1.1 server on 127.0.0.1 for hostile-server tests (not the project's fake).

Each request is read by hand (request line, headers, Content-Length body) and handed to a
``handler(request, writer)`` coroutine that writes whatever bytes it likes: malformed,
slow, compressed, never. Counts requests and the most ever in flight at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from piggy_async import AsyncPiggy

CONTACT = {"data": {"uuid": "c-1", "email": "jane@example.com"}}


@dataclass
class RawRequest:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]


Handler = Callable[[RawRequest, asyncio.StreamWriter], Awaitable[None]]


def response(
    status: int = 200,
    body: bytes | dict[str, Any] = b"",
    headers: dict[str, str] | None = None,
    *,
    length: bool = True,
) -> bytes:
    """The bytes of one HTTP/1.1 answer."""
    if isinstance(body, dict):
        body = json.dumps(body).encode()
    head = [f"HTTP/1.1 {status} X"]
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if length:
        all_headers["Content-Length"] = str(len(body))
    head += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


async def silent(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    """Reads the request and never answers."""
    await asyncio.sleep(60)


def silent_noting(arrived: asyncio.Event, srv: RawServer, nth: int = 1) -> Handler:
    """Like ``silent``, setting ``arrived`` once the ``nth`` request has come in."""

    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        if srv.count() >= nth:
            arrived.set()
        await silent(request, writer)

    return handler


async def ok_contact(request: RawRequest, writer: asyncio.StreamWriter) -> None:
    writer.write(response(200, CONTACT))


@dataclass
class RawServer:
    handler: Handler = ok_contact
    token_handler: Handler | None = None
    requests: list[RawRequest] = field(default_factory=list)
    in_flight: int = 0
    peak_in_flight: int = 0
    token_in_flight: int = 0
    token_peak: int = 0
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v3/oauth/clients"

    def count(self, path_part: str = "") -> int:
        return sum(1 for r in self.requests if path_part in r.target)

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for writer in list(self._writers):
            writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    return
                self.requests.append(request)
                await self._answer(request, writer)
                if writer.is_closing():
                    return
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        except asyncio.CancelledError:
            return  # the test's loop is ending: a handler still waiting just stops
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _answer(self, request: RawRequest, writer: asyncio.StreamWriter) -> None:
        token = request.path == "/oauth/token"
        handler = self.token_handler if token and self.token_handler else self.handler
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        if token:
            self.token_in_flight += 1
            self.token_peak = max(self.token_peak, self.token_in_flight)
        try:
            await handler(request, writer)
        finally:
            self.in_flight -= 1
            if token:
                self.token_in_flight -= 1


async def _read_request(reader: asyncio.StreamReader) -> RawRequest | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return RawRequest(method, target, headers, body)


# -- clients and answers for the tests -------------------------------------------------


async def no_wait(seconds: float) -> None:
    await asyncio.sleep(0)  # the fake clock: a retry wait takes no time


def api_client(srv: RawServer, **kwargs: Any) -> AsyncPiggy:
    piggy = AsyncPiggy(api_key="k", base_url=srv.base_url, **kwargs)
    piggy._transport.sleep = no_wait
    return piggy


def oauth_client(srv: RawServer, **kwargs: Any) -> AsyncPiggy:
    piggy = AsyncPiggy(client_id="id", client_secret="secret", base_url=srv.base_url, **kwargs)
    piggy._transport.sleep = no_wait
    return piggy


def answer(raw: bytes) -> Any:
    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(raw)

    return handler


def token_answers(*tokens: str) -> Any:
    issued = iter(tokens)

    async def handler(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        body = {"access_token": next(issued), "expires_in": 3600, "token_type": "Bearer"}
        writer.write(response(200, body))

    return handler


async def works_afterwards(piggy: AsyncPiggy, srv: RawServer) -> None:
    srv.handler = ok_contact
    srv.token_handler = token_answers(*(f"fresh-{i}" for i in range(100)))
    contact = await piggy.contacts.get("c-1")
    assert contact.uuid == "c-1"
