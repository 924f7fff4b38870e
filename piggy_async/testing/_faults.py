"""Scriptable faults for the fake server: per route, for the next N matching requests.

::

    fake.faults.status(503, times=2)                          # two maintenance answers
    fake.faults.status(429, headers={"Retry-After": "3"}, path="/contacts/*")
    fake.faults.status(502, body=b"<html>Bad gateway</html>", content_type="text/html")
    fake.faults.reset(method="POST")                           # drop the connection, no answer
    fake.faults.latency(0.2)                                   # slow, then the real answer
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import msgspec
from aiohttp import web

__all__ = ["Fault", "Faults"]


@dataclass
class Fault:
    """One scripted misbehaviour. ``path`` is relative to the API prefix; a trailing ``*``
    matches any suffix; ``None`` matches every path (and ``method=None`` every method)."""

    kind: str
    times: int = 1
    method: str | None = None
    path: str | None = None
    status: int = 500
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0
    hits: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method != method:
            return False
        if self.path is None:
            return True
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path

    async def apply(self, request: web.Request) -> web.StreamResponse | None:
        """Do the fault; None means "now let the real handler answer"."""
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.kind == "latency":
            return None
        if self.kind == "reset":
            transport = request.transport
            if transport is not None:
                transport.abort()
            raise asyncio.CancelledError  # aiohttp drops a handler cancelled by a lost peer
        body = self.body
        if body is None:
            body = msgspec.json.encode(
                {"status_code": self.status, "code": self.status, "message": "Injected fault."}
            )
        return web.Response(
            status=self.status, body=body, headers=self.headers, content_type=self.content_type
        )


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
    ) -> Fault:
        """Answer ``status`` (with Piggy's error body unless ``body`` is given)."""
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
            )
        )

    def reset(self, *, times: int = 1, method: str | None = None, path: str | None = None) -> Fault:
        """Close the connection abruptly without answering."""
        return self.add(Fault("reset", times=times, method=method, path=path))

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
