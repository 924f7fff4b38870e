"""What per-call options cost: client CPU per call over the same call without them.

Starts the benchmark server (``python -m benchmarks.server``) in its own process (pinned to
core 0 on Linux, this process to core 1), then runs each pair of
``benchmarks.clients.per_call_options`` alternated call by call (AB, then BA), ``--calls``
pairs per round, and prints per pair the difference in µs of CPU per call
(``time.process_time``) as min/median/max over ``--rounds``. The same pairs as the
"... diff" rows of ``python -m benchmarks``, in about a minute. One more pair, ``read_timer``,
is the benchmark's lean aiohttp floor with and without aiohttp's own read timeout
(``sock_read``, a timer re-armed per chunk): what ``piggy_async._watchdog`` saves.

``--layers`` adds pairs that say where a plain ``contacts.get`` spends its CPU over that floor,
layer by layer, each against the floor itself: ``layer_wire`` (``_wire.send`` and
``decode_data``: the client's headers and timeouts, the size cap, the detached attributes),
``layer_transport`` (``Transport._send``: pool slot, the read timeout's watchdog, the retry
loop, hook and rate checks), ``layer_request`` (``Transport.request``: the URL and ``Call``),
``layer_resource`` (``contacts.get``: what users call) and ``floor_header`` (the floor sending
one more header: what aiohttp itself charges for a per-call ``X-Request-ID``), ``floor_lean``
(the floor's call made the short way, ``piggy_async._lean.start``: what that saves over
``session.get``); then the wire layer's differences from the floor one at a time:
``wire_timeout`` (the attempt's aiohttp timeout and ``allow_redirects=False``),
``wire_headers`` (the client's four headers instead of the floor's two), ``wire_decode_data``
(``decode_data`` instead of the bare decoder) and ``wire_detached`` (the contact's raw
attributes copied out of the body, so that a kept contact does not keep the whole body).

    python tools/bench_per_call.py [--rounds 6] [--calls 2000] [--layers]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import clients  # noqa: E402
from benchmarks.worker import EXPECTED_UUID, _timed_pair  # noqa: E402
from piggy_async import Contact, _attempt, _lean, _wire  # noqa: E402
from piggy_async._decode import decode_data  # noqa: E402
from piggy_async._lazy_contact import detached  # noqa: E402


def _pin(cores: set[int]) -> list[str]:
    """Pin this process to ``cores`` if the machine has two; the server's command prefix."""
    if hasattr(os, "sched_setaffinity") and len(os.sched_getaffinity(0)) >= 2:
        os.sched_setaffinity(0, cores)
        return ["taskset", "-c", "0"]
    return []


def _floor_variant(
    floor: clients.Floor,
    header: bool = False,
    timeout: aiohttp.ClientTimeout | None = None,
    headers: Mapping[str, str] = clients.HEADERS,
    decode: Callable[[bytes], Any] | None = None,
    **options: Any,
) -> Any:
    """The floor's call with one more header (``X-Request-ID``), another timeout, other
    headers, request options or decoding."""
    if timeout is not None:
        options["timeout"] = timeout
    decode = decode or (lambda body: floor.decoder.decode(body).data)

    async def get(uuid: str) -> Any:
        sent = {**headers, "X-Request-ID": uuid} if header else headers
        async with floor.session.get(floor.url(uuid), headers=sent, **options) as r:
            body = await r.read()
        return decode(body)

    return get


def _floor_pair(port: int) -> tuple[clients.Floor, tuple[Any, Any]]:
    """The floor, and the floor with aiohttp's per-chunk read timer (``sock_read=30``)."""
    floor = clients.Floor(port)
    timed = aiohttp.ClientTimeout(total=None, sock_read=30.0)
    return floor, (floor.get, _floor_variant(floor, timeout=timed))


def _lean_floor(floor: clients.Floor) -> Any:
    """The floor's call the short way (``piggy_async._lean.start``, not ``session.get``)."""
    no_timeout = aiohttp.ClientTimeout(total=None)

    async def get(uuid: str) -> Any:
        url = floor.url(uuid)
        resp = await _lean.start(floor.session, "GET", url, None, clients.HEADERS, no_timeout)
        try:
            body = await resp.read()
        finally:
            resp.release()
        return floor.decoder.decode(body).data

    return get


def _layer_pairs(ours: clients.Ours, floor: clients.Floor) -> dict[str, tuple[Any, Any]]:
    """Each layer of the client doing the floor's call, paired with the floor."""
    transport = ours.client._transport
    timeout = _attempt.client_timeout(transport.timeout)

    async def wire(uuid: str) -> Any:
        path = "/contacts/" + uuid
        call = _wire.Call("GET", transport.base_url + path, path, None, None)
        session = transport.pool.get()
        answer = await _wire.send(
            session, call, transport._headers, timeout, transport.max_response_bytes
        )
        return decode_data(Contact, answer.body)

    async def sent(uuid: str) -> Any:
        call = transport._call("GET", "/contacts/" + uuid, None, None)
        return decode_data(Contact, await transport._send(call))

    async def request(uuid: str) -> Any:
        return await transport.request("GET", "/contacts/" + uuid, Contact)

    layers = {"wire": wire, "transport": sent, "request": request, "resource": ours.get}
    pairs = {f"layer_{name}": (floor.get, get) for name, get in layers.items()}
    pairs["floor_header"] = (floor.get, _floor_variant(floor, header=True))
    pairs["floor_lean"] = (floor.get, _lean_floor(floor))
    # What the wire layer adds, one difference at a time (each against the floor):
    variants = {
        "timeout": _floor_variant(floor, timeout=timeout, allow_redirects=False),
        "headers": _floor_variant(floor, headers=transport._headers),
        "decode_data": _floor_variant(floor, decode=lambda body: decode_data(Contact, body)),
        "detached": _floor_variant(
            floor, decode=lambda body: detached(floor.decoder.decode(body).data)
        ),
    }
    pairs.update({f"wire_{name}": (floor.get, get) for name, get in variants.items()})
    return pairs


async def _run(port: int, rounds: int, calls: int, layers: bool) -> dict[str, list[float]]:
    ours = clients.Ours(port)
    floor, read_timer = _floor_pair(port)
    try:
        pairs = {**clients.per_call_options(ours.client), "read_timer": read_timer}
        if layers:
            pairs.update(_layer_pairs(ours, floor))
        ids = list(clients.uuids(calls))
        for baseline, variant in pairs.values():  # warm up, check the answers
            for get in (baseline, variant):
                if (await get(clients.FIRST)).uuid != EXPECTED_UUID:
                    raise SystemExit("a contender did not return the seed contact")
        diffs: dict[str, list[float]] = {name: [] for name in pairs}
        for _ in range(rounds):
            for name, (baseline, variant) in pairs.items():
                gc.collect()
                base, cpu = await _timed_pair(baseline, variant, ids)
                diffs[name].append((cpu - base) / calls * 1e6)
        return diffs
    finally:
        await ours.close()
        await floor.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--layers", action="store_true", help="add the layer-by-layer pairs")
    args = parser.parse_args()
    prefix = _pin({1})
    server = subprocess.Popen(
        [*prefix, sys.executable, "-m", "benchmarks.server"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        diffs = asyncio.run(_run(port, args.rounds, args.calls, args.layers))
    finally:
        server.kill()
        server.wait()
    print(f"| pair | min | median | max |  ({args.rounds} rounds x {args.calls} pairs)")
    print("| --- | ---: | ---: | ---: |")
    for name, values in diffs.items():
        low, mid, high = min(values), statistics.median(values), max(values)
        print(f"| {name} | {low:+.2f} µs | {mid:+.2f} µs | {high:+.2f} µs |")


if __name__ == "__main__":
    main()
