"""OpenTelemetry edges: a call cancelled mid-attempt, bulk runs without a known total, with
Piggy's push-back, or ended by a failing input, and the server attributes of a base URL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import anyio
import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.trace import StatusCode

from piggy_async import AsyncPiggy, otel
from piggy_async.testing import FakePiggy

from .test_otel import Otel, _children


@pytest.fixture
def tel() -> Iterator[Otel]:
    tel = Otel()
    yield tel
    tel.tracer_provider.shutdown()
    tel.meter_provider.shutdown()


@pytest.mark.parametrize(
    ("base_url", "server"),
    [
        ("https://api.piggy.eu/api/v3/oauth/clients", {"server.address": "api.piggy.eu"}),
        (
            "http://127.0.0.1:8080/api/v3/oauth/clients",
            {"server.address": "127.0.0.1", "server.port": 8080},
        ),
    ],
)
def test_server_attributes_name_the_port_only_when_the_url_has_one(
    base_url: str, server: dict[str, object]
) -> None:
    assert otel.Telemetry(base_url).server == server


@pytest.mark.parametrize(
    ("error", "outcome", "expected"),
    [
        (None, "ok", None),
        (ValueError("x"), "error", "ValueError"),
        (None, "cancelled", "cancelled"),
    ],
)
def test_error_type_of_a_finished_call(
    error: BaseException | None, outcome: str, expected: str | None
) -> None:
    assert otel.error_type(error, outcome) == expected


async def test_a_call_cancelled_mid_attempt_ends_both_spans_as_cancelled(
    piggy: AsyncPiggy, fake: FakePiggy, tel: Otel
) -> None:
    tel.instrument(piggy)
    uuid = next(iter(fake.store.contacts))
    fake.faults.latency(30.0, path=f"/contacts/{uuid}")  # the answer never comes in time
    task = asyncio.ensure_future(piggy.contacts.get(uuid))
    for _ in range(1000):  # bounded: until the attempt reached the server
        if fake.requests_to("GET", f"/contacts/{uuid}"):
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [call] = tel.named("piggy contacts.get")
    attrs = dict(call.attributes or {})
    assert attrs["error.type"] == "cancelled"
    assert "http.response.status_code" not in attrs
    [attempt] = _children(tel, call)
    assert (attempt.attributes or {})["error.type"] == "cancelled"
    assert attempt.status.status_code is StatusCode.ERROR
    [duration] = tel.points("piggy.client.call.duration")
    assert dict(duration.attributes)["error.type"] == "cancelled"


async def test_a_bulk_run_from_an_async_source_has_no_total(
    piggy: AsyncPiggy, fake: FakePiggy, tel: Otel
) -> None:
    tel.instrument(piggy)
    uuids = list(fake.store.contacts)[:2]

    async def source() -> AsyncIterator[str]:
        for uuid in uuids:
            yield uuid

    results = await piggy.contacts.get_many(source(), concurrency=1).collect()
    assert [r.value.uuid for r in results if r.value is not None] == uuids
    [bulk] = tel.named("piggy contacts.get_many")
    attrs = dict(bulk.attributes or {})
    assert "piggy.bulk.total" not in attrs
    assert attrs["piggy.bulk.done"] == 2
    assert attrs["piggy.bulk.pushbacks"] == 0
    assert "piggy.bulk.lowest_rate" not in attrs


async def test_a_bulk_span_records_the_pace_piggy_imposed(tel: Otel) -> None:
    async with FakePiggy(contacts=8, seed=3) as fake:
        client: AsyncPiggy = fake.client()
        client._transport.sleep = _no_sleep
        tel.instrument(client)
        uuids = list(fake.store.contacts)
        fake.faults.status(429, path=f"/contacts/{uuids[5]}")  # after five answers
        try:
            with anyio.fail_after(20):
                results = await client.contacts.get_many(uuids, concurrency=1).collect()
        finally:
            await client.aclose()
    assert all(r.ok for r in results)
    [bulk] = tel.named("piggy contacts.get_many")
    attrs = dict(bulk.attributes or {})
    assert attrs["piggy.bulk.pushbacks"] == 1
    assert attrs["piggy.bulk.lowest_rate"] > 0


async def test_a_bulk_run_ended_by_its_input_marks_the_span_failed(
    piggy: AsyncPiggy, fake: FakePiggy, tel: Otel
) -> None:
    tel.instrument(piggy)
    uuid = next(iter(fake.store.contacts))

    def source() -> Iterator[str]:
        yield uuid
        raise LookupError("the input file went away")

    with pytest.raises(LookupError, match="went away"):
        async for _ in piggy.contacts.get_many(source(), concurrency=1):
            pass
    [bulk] = tel.named("piggy contacts.get_many")
    assert (bulk.attributes or {})["error.type"] == "LookupError"
    assert bulk.status.status_code is StatusCode.ERROR


async def test_a_bulk_run_closed_early_ends_its_span_once(
    piggy: AsyncPiggy, fake: FakePiggy, tel: Otel
) -> None:
    tel.instrument(piggy)
    run = piggy.contacts.get_many(list(fake.store.contacts), concurrency=1)
    first = await run.__anext__()
    assert first.ok
    await run.aclose()
    await run.aclose()  # a second close: the span is not ended twice
    [bulk] = tel.named("piggy contacts.get_many")
    assert "error.type" not in (bulk.attributes or {})


async def _no_sleep(seconds: float) -> None:
    return None


async def test_an_attempt_cut_by_the_connection_names_the_error_class(
    piggy: AsyncPiggy, fake: FakePiggy, tel: Otel
) -> None:
    tel.instrument(piggy)
    uuid = next(iter(fake.store.contacts))
    fake.faults.reset(times=2, path=f"/contacts/{uuid}")  # twice: a stale connection is redone once
    contact = await piggy.contacts.get(uuid)
    assert contact.uuid == uuid
    [call] = tel.named("piggy contacts.get")
    first, second = sorted(_children(tel, call), key=lambda s: s.start_time or 0)
    first_attrs = dict(first.attributes or {})
    assert "http.response.status_code" not in first_attrs
    assert first_attrs["error.type"] == "APIConnectionError"
    assert (call.attributes or {})["piggy.retry.count"] == 1
    assert first.status.status_code is StatusCode.ERROR
    assert (second.attributes or {})["http.response.status_code"] == 200
