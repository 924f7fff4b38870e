"""The rate-limited scenario: bulk lookups at Piggy's rate limit (issue 20).

Starts the model Piggy of ``tests/ratelimited_server.py`` in its own process (token bucket
200 req/s, burst 50, 429 + ``Retry-After`` in whole seconds, 30-80 ms per request, 0.5 %
answered 500, ~19 KB contacts) and runs in this one process, interleaved round after round
(the order rotates each round), N lookups (5 % unknown contacts) with:

- ``get_many``: ``piggy.contacts.get_many(uuids)`` with its defaults;
- ``get_many+max_rate``: the same with ``AsyncPiggy(max_rate=200)``;
- ``naive``: ``asyncio.gather`` + ``Semaphore(16)`` over aiohttp, sleeping Retry-After on 429;
- ``aiolimiter``: the naive script behind ``aiolimiter.AsyncLimiter(200, 1)`` (if installed).

Per contender and round: wall ÷ ideal, where ideal is the least time the bucket allows,
``(N - burst) / rate``, the requests the server saw and the 429s it answered. Every run is
checked complete, in order and correctly typed; a wrong result exits 3.

    python -m benchmarks.ratelimited --items 3000 --rounds 3   # prints JSON samples
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import aiohttp

from piggy_async import AsyncPiggy, ContactNotFoundError

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "ratelimited-key"
RATE, BURST = 200.0, 50

Contender = Callable[[list[str]], Coroutine[object, object, None]]


class WrongResult(Exception):
    """A contender returned an incomplete, out-of-order or wrongly typed run."""


class Server:
    """The model server in a child process, driven over its stdin/stdout."""

    def __init__(self, body_bytes: int = 19_000) -> None:
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
        """(requests seen, 429s answered) since the server started."""
        _, requests, refused, _peak = self.command("stats").split()
        return int(requests), int(refused)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def inputs(n: int) -> list[str]:
    return [f"unknown-{i}" if i % 20 == 7 else f"c-{i:06d}" for i in range(n)]


def ideal(n: int) -> float:
    """The least time the token bucket allows for n requests."""
    return max(n - BURST, 1) / RATE


def check(uuids: list[str], got: list[tuple[str, bool]]) -> None:
    if [u for u, _ in got] != uuids:
        raise WrongResult(f"incomplete or out of order: {len(got)} results for {len(uuids)}")
    for u, ok in got:
        if ok != (not u.startswith("unknown")):
            raise WrongResult(f"wrong outcome for {u}")


async def run_get_many(base_url: str, uuids: list[str], max_rate: float | None) -> None:
    async with AsyncPiggy(api_key=API_KEY, base_url=base_url, max_rate=max_rate) as piggy:
        got = []
        async for r in piggy.contacts.get_many(uuids):
            if not (r.ok or isinstance(r.error, ContactNotFoundError)):
                raise WrongResult(f"{r.input}: {r.error!r}")
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
                        if resp.status == 200 and not body.startswith(b'{"data"'):
                            raise WrongResult(f"{uuid}: not a contact")
                        return uuid, resp.status == 200
                raise WrongResult(f"{uuid}: gave up after 20 attempts")

        got = await asyncio.gather(*(one(u) for u in uuids))
    check(uuids, list(got))


def contenders(base_url: str) -> dict[str, Contender]:
    out: dict[str, Contender] = {
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


def measure(items: int, rounds: int, body_bytes: int = 19_000, say: Any = None) -> dict[str, Any]:
    """Every contender, interleaved, ``rounds`` times: samples per ``{name}_{ratio,429,requests}``."""
    server = Server(body_bytes)
    samples: dict[str, list[float]] = {}
    try:
        runs = contenders(server.base_url)
        names = list(runs)
        for r in range(rounds):
            k = r % len(names)
            for name in names[k:] + names[:k]:
                time.sleep(1.0)  # let the bucket fill up again
                before = server.stats()
                started = time.perf_counter()
                asyncio.run(runs[name](inputs(items)))
                wall = time.perf_counter() - started
                after = server.stats()
                refused, requests = after[1] - before[1], after[0] - before[0]
                samples.setdefault(f"{name}_ratio", []).append(wall / ideal(items))
                samples.setdefault(f"{name}_429", []).append(refused)
                samples.setdefault(f"{name}_requests", []).append(requests)
                if say is not None:
                    say(f"  round {r + 1} {name:18} {wall:7.2f}s "
                        f"{wall / ideal(items):5.2f}x ideal, 429s {refused} of {requests}")  # fmt: skip
    finally:
        server.close()
    return {"items": items, "rounds": rounds, "ideal": ideal(items), "samples": samples}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the rate-limited scenario (prints JSON)")
    parser.add_argument("--items", type=int, default=3000, help="lookups per run")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--body-bytes", type=int, default=19_000, help="contact size")
    args = parser.parse_args(argv)
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    try:
        result = measure(args.items, args.rounds, args.body_bytes, say)
    except WrongResult as exc:
        print(f"wrong result: {exc}", file=sys.stderr)
        return 3
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
