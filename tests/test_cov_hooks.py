"""What hooks see: the retry reason for each kind of failure Piggy's answers cause, the
operation of a call made outside any resource, and a call already in flight when
telemetry is switched on."""

from __future__ import annotations

import asyncio
from typing import Any

import anyio
import pytest

from piggy_async import AsyncPiggy, Timeout
from piggy_async.hooks import CallFinished, Event, RetryScheduled
from piggy_async.testing import FakePiggy


async def _no_sleep(seconds: float) -> None:
    return None


@pytest.mark.parametrize(
    ("fault", "oauth", "reason"),
    [
        ({"kind": "status", "status": 429}, False, "rate_limited"),
        ({"kind": "status", "status": 500}, False, "server_error"),
        ({"kind": "status", "status": 502}, False, "server_error"),
        ({"kind": "status", "status": 401}, True, "reauthenticate"),
        ({"kind": "reset", "times": 2}, False, "connection"),
        ({"kind": "latency", "seconds": 5.0}, False, "timeout"),
    ],
)
async def test_retry_reason_seen_by_hooks(fault: dict[str, Any], oauth: bool, reason: str) -> None:
    events: list[Event] = []
    async with FakePiggy(contacts=1) as fake:
        uuid = next(iter(fake.store.contacts))
        path = f"/contacts/{uuid}"
        options: dict[str, Any] = {"hooks": [events.append]}
        if oauth:
            options.update(client_id=fake.client_id, client_secret=fake.client_secret)
        if fault["kind"] == "latency":
            options["timeout"] = Timeout(connect=5.0, read=0.05, pool=5.0)
            fake.faults.latency(fault["seconds"], path=path)
        elif fault["kind"] == "reset":
            fake.faults.reset(times=fault["times"], path=path)
        else:
            fake.faults.status(fault["status"], path=path)
        client: AsyncPiggy = fake.client(**options)
        client._transport.sleep = _no_sleep
        try:
            with anyio.fail_after(20):
                contact = await client.contacts.get(uuid)
        finally:
            await client.aclose()
    assert contact.uuid == uuid
    retries = [e for e in events if isinstance(e, RetryScheduled)]
    assert [(r.operation, r.reason, r.attempt) for r in retries] == [("contacts.get", reason, 1)]
    [finished] = [e for e in events if isinstance(e, CallFinished)]
    assert (finished.outcome, finished.attempts) == ("ok", 2)


async def test_a_call_of_no_resource_is_the_request_operation() -> None:
    events: list[Event] = []
    async with FakePiggy(contacts=1) as fake:
        uuid = next(iter(fake.store.contacts))
        client: AsyncPiggy = fake.client(hooks=[events.append])
        try:
            direct = await client.request("GET", f"/contacts/{uuid}")
            # from a task of its own: the stack ends before any resource frame is found
            in_task = await asyncio.ensure_future(client.request("GET", f"/contacts/{uuid}"))
        finally:
            await client.aclose()
    assert direct["uuid"] == in_task["uuid"] == uuid
    finished = [e for e in events if isinstance(e, CallFinished)]
    assert [(e.operation, e.method, e.outcome) for e in finished] == [
        ("request", "GET", "ok"),
        ("request", "GET", "ok"),
    ]


async def test_a_call_in_flight_when_telemetry_starts_is_not_half_traced() -> None:
    otel = pytest.importorskip("piggy_async.otel")
    sdk = pytest.importorskip("opentelemetry.sdk.trace")
    memory = pytest.importorskip("opentelemetry.sdk.trace.export.in_memory_span_exporter")
    export = pytest.importorskip("opentelemetry.sdk.trace.export")
    exporter = memory.InMemorySpanExporter()
    provider = sdk.TracerProvider()
    provider.add_span_processor(export.SimpleSpanProcessor(exporter))
    waiting, release = asyncio.Event(), asyncio.Event()

    async def held_sleep(seconds: float) -> None:
        waiting.set()
        await release.wait()

    try:
        async with FakePiggy(contacts=1) as fake:
            uuid = next(iter(fake.store.contacts))
            fake.faults.status(429, times=2, path=f"/contacts/{uuid}")
            client: AsyncPiggy = fake.client()
            client._transport.sleep = held_sleep
            try:
                with anyio.fail_after(10):
                    task = asyncio.ensure_future(client.contacts.get(uuid))
                    await waiting.wait()  # the first retry wait, before any telemetry
                    otel.instrument(client, tracer_provider=provider)
                    release.set()
                    contact = await task
                    traced = await client.contacts.get(uuid)
            finally:
                await client.aclose()
    finally:
        provider.shutdown()
    assert contact.uuid == traced.uuid == uuid
    names = [s.name for s in exporter.get_finished_spans()]
    # the call in flight made no orphan attempt spans; the next call is traced whole
    assert names.count("piggy contacts.get") == 1
    assert names.count("GET /contacts/{contact_uuid}") == 1
