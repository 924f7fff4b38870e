"""Per-call CPU of the client with tracing off, with a hook, and with OpenTelemetry on.

    python tools/bench_tracing.py [--rounds 5] [--calls 3000] [--wire fake|stub] [--baseline PATH]

Each measurement is a fresh subprocess: a fake Piggy server in a background thread, the
client in the main thread; ``time.thread_time()`` of the main thread over ``calls`` calls of
``contacts.get`` (after a warm-up) gives the client's CPU per call, the server's excluded.
Modes run interleaved, round after round, and the median per mode is reported.

``--baseline PATH``: a directory holding another checkout's ``piggy_async`` (for instance
``git archive <commit> piggy_async | tar -x -C /tmp/base``), measured as mode ``baseline``
with tracing off, to compare against the code before hooks and tracing existed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import asyncio, json, sys, threading, time
from piggy_async.testing import FakePiggy

mode, calls, wire = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def serve():
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    server = FakePiggy(contacts=3, seed=1)
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(10)
    return server

async def main(server):
    client = server.client()
    if mode == "hook":
        client = client.with_options(hooks=[lambda event: None])
    if mode == "otel":
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import (
            BatchSpanProcessor, SpanExporter, SpanExportResult,
        )

        class Drop(SpanExporter):
            def export(self, spans):
                return SpanExportResult.SUCCESS

        provider = TracerProvider()
        provider.add_span_processor(BatchSpanProcessor(Drop()))
        from piggy_async import otel
        otel.instrument(client, tracer_provider=provider, meter_provider=MeterProvider())
    uuid = next(iter(server.store.contacts))
    for _ in range(300):
        await client.contacts.get(uuid)
    if wire == "stub":  # no socket: the same canned answer for every call
        import aiohttp
        import piggy_async._wire as wire_module
        auth = {"Authorization": f"Bearer {server.token}"}
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{server.base_url}/contacts/{uuid}", headers=auth) as r:
                canned = wire_module.Answer(200, await r.read(), r.headers, None)

        async def send(*args, **kwargs):
            return canned

        wire_module.send = send
        for _ in range(300):
            await client.contacts.get(uuid)
    start = time.thread_time()
    for _ in range(calls):
        await client.contacts.get(uuid)
    used = time.thread_time() - start
    await client.aclose()
    print(json.dumps({"us_per_call": used / calls * 1e6}))

asyncio.run(main(serve()))
"""


def measure(mode: str, calls: int, path: Path, wire: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(path)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, "off" if mode == "baseline" else mode, str(calls), wire],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: float = json.loads(out.stdout.strip().splitlines()[-1])["us_per_call"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument(
        "--wire",
        choices=["fake", "stub"],
        default="fake",
        help="fake: calls go to the fake server over 127.0.0.1; stub: the wire is replaced by "
        "a canned answer, so only the client's own Python code is measured",
    )
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args(argv)
    modes: list[tuple[str, Path]] = []
    if args.baseline is not None:
        modes.append(("baseline", args.baseline.resolve()))
    modes += [("off", ROOT), ("hook", ROOT), ("otel", ROOT)]
    samples: dict[str, list[float]] = {mode: [] for mode, _ in modes}
    for round_ in range(args.rounds):
        order = modes if round_ % 2 == 0 else modes[::-1]
        for mode, path in order:
            samples[mode].append(measure(mode, args.calls, path, args.wire))
    print(
        f"client CPU per contacts.get call ({args.wire} wire), µs "
        f"(median of {args.rounds} rounds, {args.calls} calls each)"
    )
    reference = statistics.median(samples["baseline" if args.baseline else "off"])
    for mode, values in samples.items():
        median = statistics.median(values)
        spread = ", ".join(f"{v:.1f}" for v in values)
        print(f"  {mode:<9} {median:7.1f}  ({median / reference:5.3f}x)  [{spread}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
