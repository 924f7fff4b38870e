"""A loopback model of a rate-limited Piggy, independent of the project's fake server.

Answers ``GET /api/v3/oauth/clients/contacts/{uuid}`` and ``.../contacts/find-one-by?email=``
like Piggy: ``{"data": contact}``; an unknown contact (UUID or e-mail starting with
``unknown``) is HTTP 400 + code 55031; a wrong key is 401. Over the limit it answers 429 with
``Retry-After`` in whole seconds (at least 1), as Piggy does. Limits:

- ``TokenBucket(rate, burst)``: refills ``rate`` tokens/s up to ``burst``; one per request;
- ``FixedWindow(limit, seconds)``: ``limit`` requests per window; counts reset at its end.

It records every request (arrival time, status), the requests in flight and their peak.
``forced`` answers given statuses to chosen inputs first (``{uuid: [(429, "1"), ...]}``).

Use in a test: ``async with RateLimitedPiggy(TokenBucket(200, 50)) as server: ...``; as a
separate process (benchmarks): ``python tests/ratelimited_server.py --rate 200 --burst 50``
prints ``PORT <n>`` once listening.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import msgspec
from aiohttp import web

API_KEY = "ratelimited-key"
PREFIX = "/api/v3/oauth/clients"


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up; starts full."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self._clock = rate, burst, clock
        self.tokens = float(burst)
        self.last = clock()

    def take(self) -> int | None:
        """None: admitted. Else the whole seconds until a token is there (Retry-After)."""
        now = self._clock()
        self.tokens = min(float(self.burst), self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - self.tokens) / self.rate))


class FixedWindow:
    """``limit`` requests per window of ``seconds``, windows aligned on the first request."""

    def __init__(self, limit: int, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.limit, self.seconds, self._clock = limit, seconds, clock
        self.start = clock()
        self.window = 0
        self.count = 0

    def take(self) -> int | None:
        now = self._clock()
        window = int((now - self.start) // self.seconds)
        if window != self.window:
            self.window, self.count = window, 0
        if self.count < self.limit:
            self.count += 1
            return None
        end = self.start + (window + 1) * self.seconds
        return max(1, math.ceil(end - now))


@dataclass
class Seen:
    """One request as the server saw it."""

    arrived: float
    key: str
    status: int = 0


@dataclass
class RateLimitedPiggy:
    """The model server; ``base_url`` once started."""

    limit: TokenBucket | FixedWindow | None = None
    latency: tuple[float, float] = (0.0, 0.0)
    body_bytes: int = 600
    error_rate: float = 0.0  # share of admitted requests answered 500
    seed: int = 1
    forced: dict[str, list[tuple[int, str | None]]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    in_flight: int = 0
    peak: int = 0

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)
        self._runner: web.AppRunner | None = None
        self.port = 0
        pad = max(0, self.body_bytes - 300) // 40
        self._values = {f"attribute_{i:04d}": "v" * 24 for i in range(pad)}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def count(self, status: int) -> int:
        return sum(1 for s in self.seen if s.status == status)

    async def __aenter__(self) -> RateLimitedPiggy:
        app = web.Application()
        app.router.add_get(PREFIX + "/contacts/find-one-by", self._find)
        app.router.add_get(PREFIX + "/contacts/{uuid}", self._get)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _get(self, request: web.Request) -> web.Response:
        return await self._answer(request, request.match_info["uuid"])

    async def _find(self, request: web.Request) -> web.Response:
        return await self._answer(request, request.query.get("email", ""))

    async def _answer(self, request: web.Request, key: str) -> web.Response:
        seen = Seen(time.monotonic(), key)
        self.seen.append(seen)
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            status, headers, body = self._decide(request, key)
            low, high = self.latency
            if high > 0:
                await asyncio.sleep(self._random.uniform(low, high))
            seen.status = status
            return web.Response(
                status=status, body=body, headers=headers, content_type="application/json"
            )
        finally:
            self.in_flight -= 1

    def _decide(self, request: web.Request, key: str) -> tuple[int, dict[str, str], bytes]:
        if request.headers.get("Authorization") != f"Bearer {API_KEY}":
            return 401, {}, _error(401, "Unauthenticated.")
        forced = self.forced.get(key)
        if forced:
            status, retry_after = forced.pop(0)
            headers = {"Retry-After": retry_after} if retry_after is not None else {}
            return status, headers, _error(status, "Too Many Attempts.")
        wait = self.limit.take() if self.limit is not None else None
        if wait is not None:
            return 429, {"Retry-After": str(wait)}, _error(429, "Too Many Attempts.")
        if self.error_rate and self._random.random() < self.error_rate:
            return 500, {}, _error(500, "Server Error")
        if key.startswith("unknown"):
            return 400, {}, msgspec.json.encode({"code": 55031, "message": "Contact not found."})
        contact = {"uuid": key, "email": f"{key}@example.com", "current_values": self._values}
        return 200, {}, msgspec.json.encode({"data": contact, "meta": []})


def _error(status: int, message: str) -> bytes:
    body: dict[str, Any] = {"code": status, "message": message}
    return msgspec.json.encode(body)


async def _serve(args: argparse.Namespace) -> None:
    limit = TokenBucket(args.rate, args.burst) if args.rate else None
    server = RateLimitedPiggy(
        limit,
        latency=(args.latency_min / 1000, args.latency_max / 1000),
        body_bytes=args.body_bytes,
        error_rate=args.error_rate,
    )
    server.port = args.port
    async with server:
        print(f"PORT {server.port}", flush=True)
        loop = asyncio.get_running_loop()
        while True:  # one line of counts per request to "stats" on stdin
            line = await loop.run_in_executor(None, input)
            if line.strip() == "stats":
                print(f"STATS {len(server.seen)} {server.count(429)} {server.peak}", flush=True)
            elif line.strip() == "reset":
                server.seen.clear()
                server.peak = 0
                print("OK", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description="a rate-limited model Piggy on 127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free one)")
    parser.add_argument("--rate", type=float, default=200.0, help="token bucket rate, req/s")
    parser.add_argument("--burst", type=int, default=50, help="token bucket size")
    parser.add_argument("--latency-min", type=float, default=30.0, help="ms")
    parser.add_argument("--latency-max", type=float, default=80.0, help="ms")
    parser.add_argument("--body-bytes", type=int, default=19_000, help="contact body size")
    parser.add_argument("--error-rate", type=float, default=0.005, help="share answered 500")
    with contextlib.suppress(KeyboardInterrupt, EOFError):
        asyncio.run(_serve(parser.parse_args()))


if __name__ == "__main__":
    main()
