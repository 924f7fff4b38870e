"""Python bytecode instructions per request, the client against the benchmark's floor.

CPU figures move by a few percent from run to run; the number of bytecode instructions a
call executes does not. This counts them (``sys.settrace`` opcode events, after a warm-up)
for ``contacts.get`` against the floor's lean aiohttp call, one call after the other, and
for ``get_many`` (64 at a time) against the floor's 64 workers, and lists the functions
where the client executes more than the floor. Instructions are not time (a C call is one
instruction; aiohttp's parser is C), but in this client's hot path the two move together:
``docs/architecture.md`` relates them.

    python tools/bench_opcodes.py [--n 200] [--top 25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import clients  # noqa: E402
from benchmarks.run import Server  # noqa: E402

Where = tuple[str, str]  # (file, function)
Run = Callable[[list[str]], Awaitable[Any]]


class _Counter:
    """Counts the opcodes each function executes while tracing is on."""

    def __init__(self) -> None:
        self.counts: Counter[Where] = Counter()

    def trace(self, frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        frame.f_trace_lines = False
        if event == "opcode":
            code = frame.f_code
            self.counts[(_short(code.co_filename), code.co_name)] += 1
        return self.trace


def _short(filename: str) -> str:
    for marker in ("site-packages" + os.sep, "piggy_async" + os.sep, "benchmarks" + os.sep):
        at = filename.rfind(marker)
        if at >= 0:
            return filename[at:].replace("site-packages" + os.sep, "")
    return os.path.basename(filename)


async def _sequential(get: Callable[[str], Awaitable[Any]], ids: list[str]) -> int:
    for uuid in ids:
        await get(uuid)
    return len(ids)


async def _count(runs: dict[str, Run], n: int) -> dict[str, Counter[Where]]:
    counter = _Counter()
    ids = list(clients.uuids(n))
    for run in runs.values():  # warm up twice: connections, caches, decoders
        await run(ids)
        await run(ids)
    counts: dict[str, Counter[Where]] = {}
    for name, run in runs.items():
        counter.counts = Counter()
        sys.settrace(counter.trace)
        try:
            await run(ids)
        finally:
            sys.settrace(None)
        counts[name] = counter.counts
    return counts


async def _measure(port: int, n: int) -> dict[str, Counter[Where]]:
    ours, floor = clients.Ours(port), clients.Floor(port)
    try:
        runs: dict[str, Run] = {
            "contacts.get": lambda ids: _sequential(ours.get, ids),
            "floor, one after the other": lambda ids: _sequential(floor.get, ids),
            "get_many": lambda ids: clients.bulk_ours(ours, ids, 64),
            "floor, 64 workers": lambda ids: clients.bulk_floor(floor, ids, 64),
        }
        return await _count(runs, n)
    finally:
        await ours.close()
        await floor.close()


def _report(counts: dict[str, Counter[Where]], n: int, top: int) -> None:
    pairs = [("contacts.get", "floor, one after the other"), ("get_many", "floor, 64 workers")]
    print(f"Python bytecode instructions per request ({n} requests each, after a warm-up):")
    print("| contender | all | in piggy_async | floor | over the floor |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for ours, floor in pairs:
        mine = sum(counts[ours].values()) / n
        own = sum(v for (f, _), v in counts[ours].items() if f.startswith("piggy_async")) / n
        base = sum(counts[floor].values()) / n
        print(f"| {ours} | {mine:.0f} | {own:.0f} | {base:.0f} | {mine - base:+.0f} |")
    for ours, floor in pairs:
        client, lean = counts[ours], counts[floor]
        diff = sorted(((client[k] - lean[k]) / n, k) for k in set(client) | set(lean))
        print(f"\n{ours} over {floor}, per request (the {top} largest):")
        for value, (file, func) in reversed(diff[-top:]):
            print(f"{value:+8.1f}  {func} ({file})")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--n", type=int, default=200, help="requests per contender")
    parser.add_argument("--top", type=int, default=25, help="functions listed per pair")
    args = parser.parse_args()
    server = Server()
    try:
        counts = asyncio.run(_measure(server.port, args.n))
    finally:
        server.close()
    _report(counts, args.n, args.top)


if __name__ == "__main__":
    main()
