"""One measuring process: ``python -m benchmarks.worker {requests,bulk} PORT [options]``.

Every contender runs in this one process, interleaved in short batches (the order rotates
each round), so that drift of the machine hits them alike; the server runs in another
process. Prints a JSON object: ``{"samples": {series: [one value per round]}, ...}``.
Exits 3 on a wrong result.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks import clients
from benchmarks.payloads import seed_contact


class WrongResult(Exception):
    """A contender fetched or decoded something else: the benchmark is void."""


EXPECTED_UUID = json.loads(seed_contact())["data"]["uuid"]


def _rotate(names: list[str], r: int) -> list[str]:
    k = r % len(names)
    return names[k:] + names[:k]


# -- sequential calls ------------------------------------------------------------------------


async def _timed_async(get: Callable[[str], Awaitable[Any]], ids: list[str]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for uuid in ids:
        await get(uuid)
    return time.process_time() - cpu, time.perf_counter() - wall


def _timed_sync(get: Callable[[str], Any], ids: list[str]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for uuid in ids:
        get(uuid)
    return time.process_time() - cpu, time.perf_counter() - wall


def requests(port: int, rounds: int, batch: int, with_httpx: bool) -> dict[str, Any]:
    """Sequential ``contacts.get``: µs of process CPU (every thread) and wall per call."""
    loop = asyncio.new_event_loop()
    contenders: dict[str, Any] = loop.run_until_complete(_async_contenders(port, with_httpx))
    tracing, tracing_skip = loop.run_until_complete(_async_call(clients.tracing_client, port))
    if tracing is not None:
        contenders["tracing"] = tracing
    sync = clients.Sync(port)
    ids = list(clients.uuids(batch))

    def one_batch(name: str) -> tuple[float, float]:
        if name == "sync":
            return _timed_sync(sync.get, ids)
        return loop.run_until_complete(_timed_async(contenders[name].get, ids))

    pairs = clients.per_call_options(contenders["ours"].client)
    names = [*contenders, "sync"]
    for name in names:  # check the result, then warm up connections and caches
        get = sync.get if name == "sync" else contenders[name].get
        got = get(clients.FIRST) if name == "sync" else loop.run_until_complete(get(clients.FIRST))
        if getattr(got, "uuid", None) != EXPECTED_UUID:
            raise WrongResult(f"{name} did not return the seed contact")
        one_batch(name)
    for pair in pairs.values():
        for get in pair:
            got = loop.run_until_complete(get(clients.FIRST))
            if getattr(got, "uuid", None) != EXPECTED_UUID:
                raise WrongResult("a per-call with_options did not return the seed contact")
    samples: dict[str, list[float]] = {f"{n}_{m}": [] for n in names for m in ("cpu", "wall")}
    for r in range(rounds):
        for name in _rotate(names, r):
            gc.collect()
            cpu, wall = one_batch(name)
            samples[f"{name}_cpu"].append(cpu / batch * 1e6)
            samples[f"{name}_wall"].append(wall / batch * 1e6)
        for name, (baseline, variant) in pairs.items():  # alternated call by call
            gc.collect()
            base, cpu = loop.run_until_complete(_timed_pair(baseline, variant, ids))
            samples.setdefault(f"pair_{name}_base_cpu", []).append(base / batch * 1e6)
            samples.setdefault(f"pair_{name}_cpu", []).append(cpu / batch * 1e6)
    for contender in contenders.values():
        loop.run_until_complete(contender.close())
    sync.close()
    loop.close()
    return {"samples": samples, "tracing_skipped": tracing_skip}


async def _timed_pair(
    plain: Callable[[str], Awaitable[Any]], other: Callable[[str], Awaitable[Any]], ids: list[str]
) -> tuple[float, float]:
    """CPU of two variants of one call, alternated call by call (AB, then BA: each follows
    each as often): a few µs of difference stand out of the drift between batches."""
    clock = time.process_time
    totals = [0.0, 0.0]
    for i, uuid in enumerate(ids):
        for k in (0, 1) if i % 2 == 0 else (1, 0):
            start = clock()
            await (plain, other)[k](uuid)
            totals[k] += clock() - start
    return totals[0], totals[1]


async def _async_contenders(port: int, with_httpx: bool) -> dict[str, Any]:
    """Made inside the loop (aiohttp sessions want a running loop)."""
    out: dict[str, Any] = {
        "ours": clients.Ours(port),
        "floor": clients.Floor(port),
    }
    if with_httpx:
        out["httpx"] = clients.Httpx(port)
    return out


async def _async_call(fn: Callable[..., Any], *args: Any) -> Any:
    return fn(*args)


# -- bulk ------------------------------------------------------------------------------------


def bulk(port: int, rounds: int, n: int, mem_n: int, ordered: bool) -> dict[str, Any]:
    """``get_many`` at concurrency 64 against 64 lean aiohttp workers and the sync facade:
    µs CPU per request and requests/s per round, then traced memory at mem_n and 10 x mem_n."""
    concurrency = 64
    loop = asyncio.new_event_loop()
    ours = loop.run_until_complete(_async_call(clients.Ours, port))
    floor = loop.run_until_complete(_async_call(clients.Floor, port))
    sync = clients.Sync(port)
    runs: dict[str, Callable[[list[str]], int]] = {
        "ours": lambda ids: loop.run_until_complete(clients.bulk_ours(ours, ids, concurrency)),
        "floor": lambda ids: loop.run_until_complete(clients.bulk_floor(floor, ids, concurrency)),
        "sync": lambda ids: clients.bulk_sync(sync, ids, concurrency),
    }
    if ordered:
        runs["floor_ordered"] = lambda ids: loop.run_until_complete(
            clients.bulk_floor_ordered(floor, ids, concurrency)
        )
    check = list(clients.uuids(3))
    got = loop.run_until_complete(_first_values(ours, check))
    if [c.uuid for c in got] != [EXPECTED_UUID] * 3:
        raise WrongResult("get_many did not return the seed contacts")
    ids = list(clients.uuids(n))

    def measured(name: str, ids: list[str]) -> tuple[float, float]:
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        ok = runs[name](ids)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if ok != len(ids):
            raise WrongResult(f"bulk {name}: {ok} of {len(ids)} results")
        return cpu, wall

    for name in runs:  # warm up: 64 connections each, caches
        measured(name, ids[: max(256, n // 4)])
    samples: dict[str, list[float]] = {}
    for r in range(rounds):
        for name in _rotate(list(runs), r):
            cpu, wall = measured(name, ids)
            samples.setdefault(f"{name}_cpu", []).append(cpu / n * 1e6)
            samples.setdefault(f"{name}_rate", []).append(n / wall)
    for name in ("ours", "sync"):
        for size in (mem_n, 10 * mem_n):
            samples[f"{name}_mem_{size}"] = [_traced_peak_mib(runs[name], size)]
    loop.run_until_complete(ours.close())
    loop.run_until_complete(floor.close())
    sync.close()
    loop.close()
    return {"samples": samples, "mem_sizes": [mem_n, 10 * mem_n]}


async def _first_values(ours: clients.Ours, ids: list[str]) -> list[Any]:
    return [r.value async for r in ours.client.contacts.get_many(ids, concurrency=2)]


def _traced_peak_mib(run: Callable[[list[str]], int], size: int) -> float:
    """Peak of the memory traced during one bulk run of ``size`` lookups, above what was
    traced when it started (after warm-up, in this process)."""
    ids = list(clients.uuids(size))
    gc.collect()
    tracemalloc.start()
    start, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    ok = run(ids)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if ok != size:
        raise WrongResult(f"bulk memory run: {ok} of {size} results")
    return (peak - start) / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["requests", "bulk"])
    parser.add_argument("port", type=int)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--batch", type=int, default=200, help="calls per batch (requests)")
    parser.add_argument("--n", type=int, default=2000, help="lookups per bulk batch")
    parser.add_argument("--mem-n", type=int, default=1000, help="N of the memory runs")
    parser.add_argument("--httpx", action="store_true")
    parser.add_argument("--ordered", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.mode == "requests":
            out = requests(args.port, args.rounds, args.batch, args.httpx)
        else:
            out = bulk(args.port, args.rounds, args.n, args.mem_n, args.ordered)
    except WrongResult as exc:
        print(f"wrong result: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
