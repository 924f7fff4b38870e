"""Bulk lookups at Piggy's rate limit: piggy-client vs a naive script vs aiolimiter.

Starts the model Piggy of ``tests/ratelimited_server.py`` in its own process (token bucket
200 req/s, burst 50, 30-80 ms per request, 0.5 % answered 500, ~19 KB contacts) and runs,
interleaved round after round, N lookups (5 % unknown contacts) with:

- ``get_many``: ``piggy.contacts.get_many(uuids)`` with its defaults;
- ``get_many+max_rate``: the same with ``AsyncPiggy(max_rate=200)``;
- ``naive``: ``asyncio.gather`` + ``Semaphore(16)`` over aiohttp, sleeping Retry-After on 429;
- ``aiolimiter``: the naive script behind ``aiolimiter.AsyncLimiter(200, 1)`` (if installed).

Prints, per contender, wall ÷ ideal (min / median / max over rounds) and the 429s received.
Ideal: the least time the bucket allows, ``(N - burst) / rate``. Completeness and order are
checked for every run.

    python tools/bench_ratelimited.py --items 3000 --rounds 3
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path

import aiohttp

from piggy_async import AsyncPiggy, ContactNotFoundError

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "ratelimited-key"
RATE, BURST = 200.0, 50


class Server:
    """The model server in a child process, driven over its stdin/stdout."""

    def __init__(self, body_bytes: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "ratelimited_server.py"),
             "--rate", str(RATE), "--burst", str(BURST), "--body-bytes", str(body_bytes)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        line = self._read()
        self.base_url = f"http://127.0.0.1:{line.split()[1]}/api/v3/oauth/clients"

    def _read(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def command(self, text: str) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()
        return self._read()

    def stats(self) -> tuple[int, int]:
        _, requests, refused, _peak = self.command("stats").split()
        return int(requests), int(refused)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def inputs(n: int) -> list[str]:
    return [f"unknown-{i}" if i % 20 == 7 else f"c-{i:06d}" for i in range(n)]


def check(uuids: list[str], got: list[tuple[str, bool]]) -> None:
    assert [u for u, _ in got] == uuids, "incomplete or out of order"
    for u, ok in got:
        assert ok == (not u.startswith("unknown")), f"wrong outcome for {u}"


async def run_get_many(base_url: str, uuids: list[str], max_rate: float | None) -> None:
    async with AsyncPiggy(api_key=API_KEY, base_url=base_url, max_rate=max_rate) as piggy:
        got = []
        async for r in piggy.contacts.get_many(uuids):
            assert r.ok or isinstance(r.error, ContactNotFoundError), r.error
            got.append((r.input, r.ok))
    check(uuids, got)


async def run_naive(base_url: str, uuids: list[str], limiter: object | None) -> None:
    """What a user writes in five minutes: gather + Semaphore(16), sleep Retry-After on 429."""
    semaphore = asyncio.Semaphore(16)
    headers = {"Authorization": f"Bearer {API_KEY}", "Accept": "application/json"}
    async with aiohttp.ClientSession(headers=headers) as session:

        async def one(uuid: str) -> tuple[str, bool]:
            async with semaphore:
                for _ in range(20):
                    if limiter is not None:
                        await limiter.acquire()  # type: ignore[attr-defined]
                    async with session.get(f"{base_url}/contacts/{uuid}") as resp:
                        body = await resp.read()
                        if resp.status == 429:
                            await asyncio.sleep(float(resp.headers.get("Retry-After", "1")))
                            continue
                        if resp.status >= 500:
                            await asyncio.sleep(0.5)
                            continue
                        if resp.status == 200:
                            assert body.startswith(b'{"data"')
                        return uuid, resp.status == 200
                raise RuntimeError("gave up")

        got = await asyncio.gather(*(one(u) for u in uuids))
    check(uuids, list(got))


def contenders(base_url: str) -> dict[str, Callable[[list[str]], Coroutine[object, object, None]]]:
    out: dict[str, Callable[[list[str]], Coroutine[object, object, None]]] = {
        "get_many": lambda u: run_get_many(base_url, u, None),
        "get_many+max_rate": lambda u: run_get_many(base_url, u, RATE),
        "naive": lambda u: run_naive(base_url, u, None),
    }
    try:
        from aiolimiter import AsyncLimiter
    except ImportError:
        print("aiolimiter not installed: left out", file=sys.stderr)
    else:
        out["aiolimiter"] = lambda u: run_naive(base_url, u, AsyncLimiter(RATE, 1))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=3000, help="lookups per run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--body-bytes", type=int, default=19_000, help="contact size")
    args = parser.parse_args()
    server = Server(args.body_bytes)
    ideal = (args.items - BURST) / RATE
    walls: dict[str, list[float]] = {}
    refusals: dict[str, list[int]] = {}
    try:
        runs = contenders(server.base_url)
        for round_number in range(args.rounds):
            names = list(runs)
            names = names[round_number % len(names) :] + names[: round_number % len(names)]
            for name in names:
                time.sleep(1.0)  # let the bucket fill up again
                before = server.stats()
                uuids = inputs(args.items)
                started = time.perf_counter()
                asyncio.run(runs[name](uuids))
                wall = time.perf_counter() - started
                after = server.stats()
                walls.setdefault(name, []).append(wall / ideal)
                refusals.setdefault(name, []).append(after[1] - before[1])
                print(f"  round {round_number + 1} {name:18} {wall:7.2f}s "
                      f"{wall / ideal:5.2f}x ideal, 429s {after[1] - before[1]}",
                      file=sys.stderr)  # fmt: skip
    finally:
        server.close()
    print(f"{args.items} lookups, token bucket {RATE:g}/s burst {BURST}, ideal {ideal:.2f}s")
    print(f"{'contender':20} {'wall/ideal min/median/max':>28} {'429s (median)':>14}")
    for name, ratios in walls.items():
        spread = f"{min(ratios):.2f} / {statistics.median(ratios):.2f} / {max(ratios):.2f}"
        print(f"{name:20} {spread:>28} {statistics.median(refusals[name]):>14g}")


if __name__ == "__main__":
    main()
