"""Scriptable faults for the fake server: per route, for the next N matching requests.

::

    fake.faults.status(503, times=2)                          # two maintenance answers
    fake.faults.status(429, headers={"Retry-After": "3"}, path="/contacts/*")
    fake.faults.status(502, body=b"<html>Bad gateway</html>", content_type="text/html")
    fake.faults.reset(method="POST")                           # drop the connection, no answer
    fake.faults.disconnect()                                   # close it cleanly, no answer
    fake.faults.reset_mid_body()                               # headers, half a body, RST
    fake.faults.truncated()                                    # Content-Length N, N/2 bytes
    fake.faults.trickle(interval=0.5)                          # the body, a byte at a time
    fake.faults.redirect("http://elsewhere.example/x")        # 302 to another host
    fake.faults.latency(0.2)                                   # slow, then the real answer

Each fault applies to the next ``times`` requests that match ``method`` and ``path``.
Faults that return a body (``reset_mid_body``, ``truncated``, ``trickle``) send the real
answer the handler would have given, damaged.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import ClassVar

import msgspec
from aiohttp import web

__all__ = ["Fault", "Faults"]


@dataclass
class Fault:
    """One scripted misbehaviour. ``path`` is relative to the API prefix; a trailing ``*``
    matches any suffix; ``None`` matches every path (and ``method=None`` every method)."""

    #: kinds of fault under which the real handler still runs (the write may happen)
    REACHES_HANDLER: ClassVar[frozenset[str]] = frozenset(
        {"latency", "reset_mid_body", "truncated", "trickle"}
    )

    kind: str
    times: int = 1
    method: str | None = None
    path: str | None = None
    status: int = 500
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0
    interval: float = 0.5
    chunk: int = 1
    chunked: bool = False
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.path is None:
            return True
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path

    async def apply(
        self, request: web.Request, real: Callable[[], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        """Answer ``request`` with this fault; ``real()`` gives the undamaged answer."""
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.kind == "latency":
            return await real()
        transport = request.transport
        if self.kind in ("reset", "disconnect"):
            if transport is not None:
                if self.kind == "reset":
                    transport.abort()
                else:
                    transport.close()
            raise asyncio.CancelledError  # aiohttp drops a handler cancelled by a lost peer
        if self.kind in ("reset_mid_body", "truncated", "trickle"):
            return await self._damaged(request, await real())
        body = self.body
        if body is None:
            body = msgspec.json.encode(
                {"status_code": self.status, "code": self.status, "message": "Injected fault."}
            )
        if self.chunked:  # no Content-Length: the client cannot know the size in advance
            stream = web.StreamResponse(status=self.status, headers=self.headers)
            stream.content_type = self.content_type
            stream.enable_chunked_encoding()
            await stream.prepare(request)
            for start in range(0, len(body), 65536):
                await stream.write(body[start : start + 65536])
            await stream.write_eof()
            return stream
        return web.Response(
            status=self.status, body=body, headers=self.headers, content_type=self.content_type
        )

    async def _damaged(
        self, request: web.Request, answer: web.StreamResponse
    ) -> web.StreamResponse:
        body = answer.body if isinstance(answer, web.Response) else b""
        assert isinstance(body, bytes)
        stream = web.StreamResponse(status=answer.status)
        stream.content_type = "application/json"
        stream.content_length = len(body)
        await stream.prepare(request)
        transport = request.transport
        if self.kind == "trickle":
            step = max(1, self.chunk)
            for start in range(0, len(body), step):
                await stream.write(body[start : start + step])
                await asyncio.sleep(self.interval)
            await stream.write_eof()
            return stream
        await stream.write(body[: len(body) // 2])
        await asyncio.sleep(0.01)  # let the half body reach the client first
        if transport is not None:
            if self.kind == "reset_mid_body":
                transport.abort()
            else:
                transport.close()  # a clean close, short of the promised Content-Length
        raise asyncio.CancelledError


class Faults:
    """The fake server's fault script; the first matching fault with hits left applies."""

    def __init__(self) -> None:
        self.pending: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self.pending.append(fault)
        return fault

    def status(
        self,
        status: int,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        content_type: str = "application/json",
        delay: float = 0.0,
        chunked: bool = False,
    ) -> Fault:
        """Answer ``status`` (with Piggy's error body unless ``body`` is given); ``chunked``
        sends it without a Content-Length."""
        return self.add(
            Fault(
                "status",
                times=times,
                method=method,
                path=path,
                status=status,
                headers=dict(headers or {}),
                body=body,
                content_type=content_type,
                delay=delay,
                chunked=chunked,
            )
        )

    def reset(self, *, times: int = 1, method: str | None = None, path: str | None = None) -> Fault:
        """Close the connection abruptly without answering."""
        return self.add(Fault("reset", times=times, method=method, path=path))

    def disconnect(
        self, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> Fault:
        """Close the connection cleanly (FIN) without answering."""
        return self.add(Fault("disconnect", times=times, method=method, path=path))

    def reset_mid_body(
        self, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> Fault:
        """Send the status, headers and half of the real body, then reset the connection."""
        return self.add(Fault("reset_mid_body", times=times, method=method, path=path))

    def truncated(
        self, *, times: int = 1, method: str | None = None, path: str | None = None
    ) -> Fault:
        """Promise the real body's Content-Length, send half of it, close cleanly."""
        return self.add(Fault("truncated", times=times, method=method, path=path))

    def trickle(
        self,
        *,
        interval: float = 0.5,
        chunk: int = 1,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Send the real body ``chunk`` bytes at a time, one chunk every ``interval`` s."""
        return self.add(
            Fault("trickle", times=times, method=method, path=path, interval=interval, chunk=chunk)
        )

    def redirect(
        self,
        location: str,
        *,
        status: int = 302,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Answer a redirect to ``location`` (for instance another host)."""
        return self.status(
            status, times=times, method=method, path=path, headers={"Location": location}, body=b""
        )

    def latency(
        self,
        seconds: float,
        *,
        times: int = 1,
        method: str | None = None,
        path: str | None = None,
    ) -> Fault:
        """Wait ``seconds`` before the real answer."""
        return self.add(Fault("latency", times=times, method=method, path=path, delay=seconds))

    def take(self, method: str, path: str) -> Fault | None:
        for fault in self.pending:
            if fault.times > 0 and fault.matches(method, path):
                fault.times -= 1
                fault.hits += 1
                if fault.times == 0:
                    self.pending.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self.pending.clear()
