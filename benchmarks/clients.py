"""The HTTP contenders, each doing ``GET /contacts/{uuid}`` -> a typed Contact.

- ``ours``: ``AsyncPiggy.contacts.get`` (retries, timeouts, validation, logging checks on).
- ``per_call_options``: ours through ``with_options(...)`` made per call (a per-request
  deadline or header, as a web handler sets them), alternated call by call with the same
  call on settings held beforehand.
- ``tracing``: ours with OpenTelemetry on (``piggy_async.otel``, once it exists).
- ``floor``: the leanest plain aiohttp: pre-encoded URLs, no cookie jar, no per-request
  timeout timer, msgspec decode into the same Contact type (our cached decoder).
- ``httpx``: ``httpx.AsyncClient`` + pydantic v2 ``model_validate_json``.
- ``sync``: ``piggy_sync.Piggy.contacts.get`` (the generated facade).

Bulk contenders (``bulk_*``) fetch N contacts at concurrency 64 and return how many came back.
Every import happens when this module is imported, outside any measured region.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
import httpx
import yarl

import piggy_sync
from benchmarks.peers import PContactEnvelope
from piggy_async import AsyncPiggy, BulkRun, Contact, request_headers
from piggy_async._decode import decoder_for

API_KEY = "bench-key"
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}
FIRST = "00000000-0000-4000-8000-000000000001"


def base_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api/v3/oauth/clients"


def uuids(n: int, start: int = 0) -> Iterator[str]:
    for i in range(start, start + n):
        yield f"00000000-0000-4000-8000-{i:012d}"


class Ours:
    name = "ours"

    def __init__(self, port: int) -> None:
        self.client = AsyncPiggy(api_key=API_KEY, base_url=base_url(port))

    async def get(self, uuid: str) -> Contact:
        return await self.client.contacts.get(uuid)

    async def close(self) -> None:
        await self.client.aclose()


def per_call_options(client: AsyncPiggy) -> dict[str, tuple[Any, Any]]:
    """Pairs of the same ``contacts.get`` (baseline, variant), each alternated call by call.

    A per-call option is judged against a call with the same settings held in a variable
    (``held``: one ``with_options(timeout=5.0, max_retries=1)`` view made beforehand), so the
    figure is what making the options per call costs, not what a 5 s read timeout costs;
    that is its own pair (``value``: the held view against the client's 30 s default)."""
    held = client.with_options(timeout=5.0, max_retries=1)

    async def plain(uuid: str) -> Contact:
        return await client.contacts.get(uuid)

    async def held_call(uuid: str) -> Contact:
        return await held.contacts.get(uuid)

    async def timeout(uuid: str) -> Contact:
        return await client.with_options(timeout=5.0, max_retries=1).contacts.get(uuid)

    async def headers(uuid: str) -> Contact:
        view = client.with_options(timeout=5.0, max_retries=1, extra_headers={"X-Request-ID": uuid})
        return await view.contacts.get(uuid)

    async def scoped(uuid: str) -> Contact:
        with request_headers({"X-Request-ID": uuid}):
            return await client.contacts.get(uuid)

    async def call_headers(uuid: str) -> Contact:
        return await client.contacts.get(uuid, extra_headers={"X-Request-ID": uuid})

    return {
        "options": (held_call, timeout),
        "headers": (held_call, headers),
        "scoped": (plain, scoped),
        "call_headers": (plain, call_headers),
        "value": (plain, held_call),
    }


def tracing_client(port: int) -> tuple[Ours | None, str]:
    """Ours with OpenTelemetry on (``piggy_async.otel.instrument``, issue 15), or
    (None, why not). The SDK's providers have no processor or reader: what is measured is
    the cost of making the spans and metrics, not of exporting them."""
    try:
        otel = importlib.import_module("piggy_async.otel")
    except ImportError:
        return None, "piggy_async has no OpenTelemetry support yet (issue 15)"
    try:
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.trace import TracerProvider
    except ImportError:
        return None, "the OpenTelemetry SDK is not installed (pip install opentelemetry-sdk)"
    ours = Ours(port)
    ours.name = "tracing"
    otel.instrument(ours.client, tracer_provider=TracerProvider(), meter_provider=MeterProvider())
    return ours, ""


class Floor:
    name = "floor"

    def __init__(self, port: int) -> None:
        self.session = aiohttp.ClientSession(
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=None),
            connector=aiohttp.TCPConnector(limit=100),
        )
        self.prefix = base_url(port) + "/contacts/"
        self.decoder = decoder_for(Contact)

    def url(self, uuid: str) -> yarl.URL:
        return yarl.URL(self.prefix + uuid, encoded=True)

    async def get(self, uuid: str) -> Contact:
        async with self.session.get(self.url(uuid), headers=HEADERS) as resp:
            body = await resp.read()
        result: Contact = self.decoder.decode(body).data
        return result

    async def close(self) -> None:
        await self.session.close()


class Httpx:
    name = "httpx"

    def __init__(self, port: int) -> None:
        self.client = httpx.AsyncClient(
            headers=HEADERS, limits=httpx.Limits(max_connections=100), timeout=30
        )
        self.prefix = base_url(port) + "/contacts/"

    async def get(self, uuid: str) -> Any:
        resp = await self.client.get(self.prefix + uuid)
        resp.raise_for_status()
        return PContactEnvelope.model_validate_json(resp.content).data

    async def close(self) -> None:
        await self.client.aclose()


class Sync:
    name = "sync"

    def __init__(self, port: int) -> None:
        self.client = piggy_sync.Piggy(api_key=API_KEY, base_url=base_url(port))

    def get(self, uuid: str) -> Contact:
        return self.client.contacts.get(uuid)

    def close(self) -> None:
        self.client.close()


# -- bulk: N lookups at a concurrency, in order of the input where the contender promises it


async def bulk_ours(ours: Ours, ids: list[str], concurrency: int) -> int:
    ok = 0
    async for result in ours.client.contacts.get_many(ids, concurrency=concurrency):
        ok += result.ok  # each Contact dropped as soon as it is counted
    return ok


async def bulk_floor(floor: Floor, ids: list[str], concurrency: int) -> int:
    """64 workers pulling from one iterator: no order, no per-item results."""
    return await bulk_workers(floor.get, ids, concurrency)


async def bulk_workers(
    get: Callable[[str], Awaitable[Any]], ids: list[str], concurrency: int
) -> int:
    """``concurrency`` workers calling ``get`` on the ids pulled from one iterator."""
    source = iter(ids)
    ok = 0

    async def worker() -> None:
        nonlocal ok
        for uuid in source:
            await get(uuid)
            ok += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return ok


async def bulk_floor_ordered(floor: Floor, ids: list[str], concurrency: int) -> int:
    """The floor's own requests through piggy-client's ordered BulkRun: what in-order
    delivery with per-item results costs by itself."""
    ok = 0
    async for result in BulkRun(floor.get, ids, concurrency=concurrency):
        ok += result.ok
    return ok


def bulk_sync(sync: Sync, ids: list[str], concurrency: int) -> int:
    ok = 0
    for result in sync.client.contacts.get_many(ids, concurrency=concurrency):
        ok += result.ok
    return ok
