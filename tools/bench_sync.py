"""How much a sync call costs next to an async one: client CPU per call, interleaved.

Starts the benchmark server (``python -m benchmarks.server``) in its own process, then in
this process alternates short batches of each contender and reports the per-round ratio as
min/median/max:

- sequential: ``Piggy.contacts.get`` in a loop vs ``await AsyncPiggy.contacts.get`` in a loop
  (client CPU per call, ``time.process_time``, all threads of this process);
- bulk: ``Piggy.contacts.get_many(...).collect()`` vs the async one (requests/s);
- threads: 32 threads sharing one ``Piggy`` vs 32 tasks sharing one ``AsyncPiggy``
  (requests/s and CPU per call).

    python tools/bench_sync.py [--rounds 7] [--calls 500]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from piggy_async import AsyncPiggy  # noqa: E402
from piggy_sync import Piggy  # noqa: E402

UUID = "0f2a5b7c-1111-4222-8333-944455566677"


def measure(fn: Callable[[], int]) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, calls) of one batch."""
    wall, cpu = time.perf_counter(), time.process_time()
    calls = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, calls


def spread(values: list[float]) -> str:
    return f"min {min(values):.3f}  median {statistics.median(values):.3f}  max {max(values):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=500)
    options = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.server"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        run(f"http://127.0.0.1:{port}/api/v3/oauth/clients", options.rounds, options.calls)
    finally:
        server.terminate()
        server.wait(10)


def run(base_url: str, rounds: int, n: int) -> None:
    loop = asyncio.new_event_loop()
    aclient = AsyncPiggy(api_key="k", base_url=base_url)
    sclient = Piggy(api_key="k", base_url=base_url)

    async def async_seq() -> int:
        for _ in range(n):
            await aclient.contacts.get(UUID)
        return n

    def sync_seq() -> int:
        for _ in range(n):
            sclient.contacts.get(UUID)
        return n

    async def async_bulk() -> int:
        return len(await aclient.contacts.get_many([UUID] * n * 4, concurrency=64).collect())

    def sync_bulk() -> int:
        return len(sclient.contacts.get_many([UUID] * n * 4, concurrency=64).collect())

    async def async_tasks() -> int:
        async def worker() -> None:
            for _ in range(n // 16):
                await aclient.contacts.get(UUID)

        await asyncio.gather(*(worker() for _ in range(32)))
        return 32 * (n // 16)

    def sync_threads() -> int:
        def worker() -> None:
            for _ in range(n // 16):
                sclient.contacts.get(UUID)

        threads = [threading.Thread(target=worker) for _ in range(32)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return 32 * (n // 16)

    pairs: dict[str, tuple[Callable[[], int], Callable[[], int]]] = {
        "sequential": (lambda: loop.run_until_complete(async_seq()), sync_seq),
        "bulk c=64": (lambda: loop.run_until_complete(async_bulk()), sync_bulk),
        "32 threads": (lambda: loop.run_until_complete(async_tasks()), sync_threads),
    }
    for a_fn, s_fn in pairs.values():  # warm-up: connections, imports, first loops
        a_fn()
        s_fn()
    results: dict[str, list[tuple[float, float, int, float, float, int]]] = {k: [] for k in pairs}
    for r in range(rounds):
        for name, (a_fn, s_fn) in pairs.items():
            first, second = (a_fn, s_fn) if r % 2 == 0 else (s_fn, a_fn)
            one, two = measure(first), measure(second)
            a, s = (one, two) if r % 2 == 0 else (two, one)
            results[name].append((*a, *s))
    print(f"{sys.version.split()[0]}, {rounds} rounds, interleaved; ratios are sync / async")
    for name, rows in results.items():
        cpu = [(s_cpu / s_n) / (a_cpu / a_n) for _, a_cpu, a_n, _, s_cpu, s_n in rows]
        rate = [(s_n / s_w) / (a_n / a_w) for a_w, _, a_n, s_w, _, s_n in rows]
        extra = [1e6 * (s_cpu / s_n - a_cpu / a_n) for _, a_cpu, a_n, _, s_cpu, s_n in rows]
        a_us = statistics.median(1e6 * a_cpu / a_n for _, a_cpu, a_n, *_ in rows)
        print(f"{name:>11}: CPU/call ratio {spread(cpu)}")
        print(f"{'':>11}  CPU/call extra µs {spread(extra)} (async {a_us:.0f} µs)")
        print(f"{'':>11}  calls/s ratio  {spread(rate)}")
    sclient.close()
    loop.run_until_complete(aclient.aclose())
    loop.close()


if __name__ == "__main__":
    main()
