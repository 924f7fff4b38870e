"""Where ``get_many``'s CPU goes over the benchmark's 64-worker lean aiohttp floor.

Starts the benchmark server (``python -m benchmarks.server``) in its own process (pinned to
core 0 on Linux, this process to core 1), then runs 64 workers fetching ``--n`` contacts for
each contender, interleaved round after round with the order rotating, and prints each
contender's client CPU per request over the floor's in the same round (min / median / max
over ``--rounds``). Each contender adds one layer of the client to the one before:

- ``aiohttp_as_ours``: the floor's loop on the client's own session, headers, per-attempt
  aiohttp timeout and ``allow_redirects=False``, sent by ``_wire.send`` (the short way of
  ``piggy_async._lean`` where it applies, the size cap), decoding with the bare decoder;
- ``decode_data``: + ``decode_data`` (the envelope, PHP empty maps, the contact's raw
  ``attributes`` copied out of the body);
- ``call_state``: + the argument check (``segment``), the call's ``Call`` (``Transport._call``)
  and its registration with the pool (``Pool.enter``/``leave``: what ``aclose`` waits for);
- ``read_watch``: + the read timeout's watchdog watching the attempt;
- ``contacts_get``: ``client.contacts.get`` itself (64 workers, no bulk runner);
- ``get_many``: ``client.contacts.get_many(ids, concurrency=64)`` (what
  ``python -m benchmarks`` measures).

    python tools/bench_bulk_layers.py [--rounds 8] [--n 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import clients  # noqa: E402
from benchmarks.run import Server, cores  # noqa: E402
from benchmarks.worker import _rotate  # noqa: E402
from piggy_async import Contact, _attempt, _watchdog, _wire  # noqa: E402
from piggy_async._decode import decode_data, decoder_for  # noqa: E402
from piggy_async._validate import segment  # noqa: E402

CONCURRENCY = 64
Get = Callable[[str], Awaitable[Any]]


def _by_workers(get: Get) -> Callable[[list[str]], Awaitable[int]]:
    """The floor's way: 64 workers pulling from one iterator."""
    return lambda ids: clients.bulk_workers(get, ids, CONCURRENCY)


def _layers(ours: clients.Ours) -> dict[str, Get]:
    """Each layer of the client over the floor's call (see the module's docstring)."""
    transport = ours.client._transport
    pool = transport.pool
    session = pool.get()
    timeout = _attempt.client_timeout(transport.timeout)
    headers, limit = transport._headers, transport.max_response_bytes
    decoder = decoder_for(Contact)

    async def fetch(url: str) -> bytes:
        call = _wire.Call("GET", url, "", None, None)
        return (await _wire.send(session, call, headers, timeout, limit)).body

    async def aiohttp_as_ours(uuid: str) -> Any:
        return decoder.decode(await fetch(transport.base_url + "/contacts/" + uuid)).data

    async def with_decode_data(uuid: str) -> Any:
        url = transport.base_url + "/contacts/" + uuid
        return decode_data(Contact, await fetch(url), endpoint="GET", method="GET", url=url)

    async def call_state(uuid: str) -> Any:
        call = transport._call("GET", "/contacts/" + segment(uuid, "contact_uuid"), None, None)
        task = call.task = pool.enter(call)
        try:
            body = await fetch(call.url)
        finally:
            pool.leave(task)
        return decode_data(Contact, body, endpoint="GET", method="GET", url=call.shown_url)

    async def read_watch(uuid: str) -> Any:
        call = transport._call("GET", "/contacts/" + segment(uuid, "contact_uuid"), None, None)
        task = call.task = pool.enter(call)
        try:
            dog = _watchdog.for_running_loop()
            dog.watch(task, call, 30.0)
            try:
                body = await fetch(call.url)
            finally:
                dog.unwatch(task)
        finally:
            pool.leave(task)
        return decode_data(Contact, body, endpoint="GET", method="GET", url=call.shown_url)

    return {
        "aiohttp_as_ours": aiohttp_as_ours,
        "decode_data": with_decode_data,
        "call_state": call_state,
        "read_watch": read_watch,
        "contacts_get": ours.get,
    }


async def _run(port: int, rounds: int, n: int) -> dict[str, list[float]]:
    ours, floor = clients.Ours(port), clients.Floor(port)
    try:
        runs: dict[str, Callable[[list[str]], Awaitable[int]]] = {"floor": _by_workers(floor.get)}
        for name, get in _layers(ours).items():
            runs[name] = _by_workers(get)
        runs["get_many"] = lambda ids: clients.bulk_ours(ours, ids, CONCURRENCY)
        ids = list(clients.uuids(n))
        for run in runs.values():  # warm up: connections, caches; and check the count
            if await run(ids[: max(256, n // 4)]) != max(256, n // 4):
                raise SystemExit("a contender lost results")
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for r in range(rounds):
            for name in _rotate(list(runs), r):
                gc.collect()
                start = time.process_time()
                if await runs[name](ids) != n:
                    raise SystemExit(f"{name} lost results")
                cpu[name].append((time.process_time() - start) / n * 1e6)
        return cpu
    finally:
        await ours.close()
        await floor.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--n", type=int, default=1000, help="lookups per contender and round")
    args = parser.parse_args()
    plan = cores()  # (the server's core, this process's core) on Linux with two or more
    if plan is not None:
        os.sched_setaffinity(0, plan[1])
    server = Server()  # pinned to the other core
    try:
        cpu = asyncio.run(_run(server.port, args.rounds, args.n))
    finally:
        server.close()
    floor = cpu["floor"]
    print(f"floor: {statistics.median(floor):.1f} µs of CPU per request (median)")
    print(f"| contender | CPU per request / floor: min | median | max |  ({args.rounds} rounds)")
    print("| --- | ---: | ---: | ---: |")
    for name, values in cpu.items():
        ratios = [v / f for v, f in zip(values, floor, strict=True)]
        low, mid, high = min(ratios), statistics.median(ratios), max(ratios)
        print(f"| {name} | {low:.3f}x | {mid:.3f}x | {high:.3f}x |")


if __name__ == "__main__":
    main()
