"""The HTTP contenders, each doing ``GET /contacts/{uuid}`` -> a typed Contact.

- ``ours``: ``AsyncPiggy.contacts.get`` (retries, timeouts, validation, logging checks on).
- ``floor``: the leanest plain aiohttp: pre-encoded URLs, no cookie jar, no per-request
  timeout timer, msgspec decode into the same Contact type (our cached decoder).
- ``httpx``: ``httpx.AsyncClient`` + pydantic v2 ``model_validate_json``.
- ``sync``: ``piggy_sync.Piggy.contacts.get`` (the generated facade, via the portal).

Also runnable as ``python -m benchmarks.clients bulk CONTENDER N PORT CONCURRENCY`` to
measure one bulk run in a fresh process (so its peak RSS is its own).
"""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import aiohttp
import httpx
import yarl

from benchmarks.peers import PContactEnvelope
from piggy_async import AsyncPiggy, Contact
from piggy_async._decode import decoder_for

API_KEY = "bench-key"
HEADERS = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}


def base_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api/v3/oauth/clients"


def uuids(n: int) -> Iterator[str]:
    for i in range(n):
        yield f"00000000-0000-4000-8000-{i:012d}"


class Ours:
    name = "piggy-client (ours)"

    def __init__(self, port: int) -> None:
        self.client = AsyncPiggy(api_key=API_KEY, base_url=base_url(port))

    async def get(self, uuid: str) -> Contact:
        return await self.client.contacts.get(uuid)

    async def close(self) -> None:
        await self.client.aclose()


class Floor:
    name = "raw aiohttp + msgspec (floor)"

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
    name = "httpx + pydantic"

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


async def sequential(get: Callable[[str], Awaitable[Any]], n: int) -> tuple[float, float]:
    """(client CPU seconds, wall seconds) for n sequential calls."""
    cpu, wall = time.process_time(), time.perf_counter()
    for uuid in uuids(n):
        result = await get(uuid)
        del result
    return time.process_time() - cpu, time.perf_counter() - wall


# -- bulk, one contender per process -----------------------------------------------------


async def _bulk_ours(port: int, n: int, concurrency: int) -> int:
    ok = 0
    async with AsyncPiggy(api_key=API_KEY, base_url=base_url(port)) as piggy:
        async for result in piggy.contacts.get_many(uuids(n), concurrency=concurrency):
            ok += result.ok  # each Contact dropped as soon as it is counted
    return ok


async def _bulk_floor(port: int, n: int, concurrency: int) -> int:
    floor = Floor(port)
    source = uuids(n)
    ok = 0

    async def worker() -> None:
        nonlocal ok
        for uuid in source:
            await floor.get(uuid)
            ok += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    await floor.close()
    return ok


async def _bulk_floor_ordered(port: int, n: int, concurrency: int) -> int:
    """The floor's own requests, driven through piggy-client's ordered BulkRun: what
    in-order delivery with per-item results costs by itself."""
    from piggy_async import BulkRun

    floor = Floor(port)
    ok = 0
    async for result in BulkRun(floor.get, uuids(n), concurrency=concurrency):
        ok += result.ok
    await floor.close()
    return ok


async def _bulk_httpx(port: int, n: int, concurrency: int) -> int:
    client = Httpx(port)
    sem = asyncio.Semaphore(concurrency)
    ok = 0

    async def one(uuid: str) -> None:
        nonlocal ok
        async with sem:
            await client.get(uuid)
            ok += 1

    # the usual semaphore pattern, in windows so that pending tasks stay bounded
    source = list(uuids(n))
    for start in range(0, n, concurrency * 16):
        await asyncio.gather(*(one(u) for u in source[start : start + concurrency * 16]))
    await client.close()
    return ok


def _bulk_sync(port: int, n: int, concurrency: int) -> int:
    from piggy_sync import Piggy

    ok = 0
    with Piggy(api_key=API_KEY, base_url=base_url(port)) as piggy:
        for result in piggy.contacts.get_many(uuids(n), concurrency=concurrency):
            ok += result.ok
    return ok


BULK = {
    "ours": _bulk_ours,
    "floor": _bulk_floor,
    "floor_ordered": _bulk_floor_ordered,
    "httpx": _bulk_httpx,
}


def _rss_mib() -> float:
    """The resident set size now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * resource.getpagesize() / 2**20


def bulk_main(contender: str, n: int, port: int, concurrency: int) -> dict[str, float]:
    gc.collect()
    baseline = _rss_mib()  # after every import: what the run itself adds is measured
    cpu, wall = time.process_time(), time.perf_counter()
    if contender == "sync":
        ok = _bulk_sync(port, n, concurrency)
    else:
        ok = asyncio.run(BULK[contender](port, n, concurrency))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "ok": ok,
        "cpu": cpu,
        "wall": wall,
        "rss_mib": peak_mib,
        "growth_mib": peak_mib - baseline,
    }


if __name__ == "__main__":
    _, mode, contender, n, port, concurrency = sys.argv
    assert mode == "bulk"
    print(json.dumps(bulk_main(contender, int(n), int(port), int(concurrency))))
