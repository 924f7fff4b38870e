"""OpenTelemetry spans and metrics with the SDK's in-memory exporters, on the fake server."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk")

from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from piggy_async import AsyncPiggy, ConfigurationError, ContactNotFoundError, otel
from piggy_async.testing import FakePiggy

from .conftest import SleepRecorder


class Otel:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])

    def instrument(self, client: Any) -> Any:
        return otel.instrument(
            client, tracer_provider=self.tracer_provider, meter_provider=self.meter_provider
        )

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def named(self, name: str) -> list[ReadableSpan]:
        return [s for s in self.spans() if s.name == name]

    def points(self, metric: str) -> list[Any]:
        data = self.reader.get_metrics_data()
        assert data is not None
        return [
            point
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            for m in scope.metrics
            if m.name == metric
            for point in m.data.data_points
        ]


@pytest.fixture
def tel() -> Iterator[Otel]:
    tel = Otel()
    yield tel
    tel.tracer_provider.shutdown()
    tel.meter_provider.shutdown()


def _children(tel: Otel, parent: ReadableSpan) -> list[ReadableSpan]:
    return [
        s
        for s in tel.spans()
        if s.parent is not None and s.parent.span_id == parent.context.span_id
    ]


async def test_plain_call_is_one_span_with_an_attempt_child(
    piggy: AsyncPiggy, tel: Otel, contact_uuid: str
) -> None:
    tel.instrument(piggy)
    await piggy.contacts.get(contact_uuid)
    [call] = tel.named("piggy contacts.get")
    assert call.kind is SpanKind.INTERNAL
    assert call.parent is None
    attrs = dict(call.attributes or {})
    assert attrs["http.request.method"] == "GET"
    assert attrs["url.template"] == "/contacts/{contact_uuid}"
    assert attrs["server.address"] == "127.0.0.1"
    assert attrs["http.response.status_code"] == 200
    assert attrs["piggy.retry.count"] == 0
    assert attrs["piggy.outcome_unknown"] is False
    assert "error.type" not in attrs
    [attempt] = _children(tel, call)
    assert attempt.name == "GET /contacts/{contact_uuid}"
    assert attempt.kind is SpanKind.CLIENT
    assert (attempt.attributes or {})["http.response.status_code"] == 200
    [duration] = tel.points("piggy.client.call.duration")
    assert duration.count == 1
    assert dict(duration.attributes)["piggy.operation"] == "contacts.get"


async def test_retried_call_has_two_attempts_and_a_retry_event(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, tel: Otel, contact_uuid: str
) -> None:
    tel.instrument(piggy)
    fake.faults.status(429, headers={"Retry-After": "2"})
    await piggy.contacts.get_credit_balance(contact_uuid)
    assert sleeps.calls == [2.0]
    [call] = tel.named("piggy contacts.get_credit_balance")
    assert (call.attributes or {})["piggy.retry.count"] == 1
    [event] = call.events
    assert event.name == "piggy.retry"
    assert dict(event.attributes or {}) == {
        "piggy.attempt": 1,
        "piggy.retry.reason": "rate_limited",
        "piggy.retry.wait": 2.0,
    }
    first, second = sorted(_children(tel, call), key=lambda s: s.start_time or 0)
    assert (first.attributes or {})["http.response.status_code"] == 429
    assert (first.attributes or {})["error.type"] == "429"
    assert first.status.status_code is StatusCode.ERROR
    assert "http.request.resend_count" not in (first.attributes or {})
    assert (second.attributes or {})["http.request.resend_count"] == 1
    assert (second.attributes or {})["http.response.status_code"] == 200
    [retries] = tel.points("piggy.client.retries")
    assert retries.value == 1
    assert dict(retries.attributes)["piggy.retry.reason"] == "rate_limited"


async def test_failed_call_carries_the_piggy_code(piggy: AsyncPiggy, tel: Otel) -> None:
    tel.instrument(piggy)
    with pytest.raises(ContactNotFoundError):
        await piggy.contacts.get("0b7c3f5e-0000-4000-8000-000000000000")
    [call] = tel.named("piggy contacts.get")
    attrs = dict(call.attributes or {})
    assert attrs["error.type"] == "ContactNotFoundError"
    assert attrs["piggy.error.code"] == 55031
    assert type(attrs["piggy.error.code"]) is int  # exporters see a number, not an enum
    assert attrs["http.response.status_code"] == 400  # Piggy answers its errors with 400 and a code
    assert call.status.status_code is StatusCode.ERROR
    [duration] = tel.points("piggy.client.call.duration")
    assert dict(duration.attributes)["error.type"] == "ContactNotFoundError"


async def test_outcome_unknown_on_a_failed_post(
    piggy: AsyncPiggy, fake: FakePiggy, tel: Otel
) -> None:
    tel.instrument(piggy)
    fake.faults.status(502, method="POST")
    with pytest.raises(Exception, match="outcome unknown"):
        await piggy.contacts.create(email="otel-post@example.com")
    [call] = tel.named("piggy contacts.create")
    assert (call.attributes or {})["piggy.outcome_unknown"] is True
    assert (call.attributes or {})["url.template"] == "/contacts"


async def test_bulk_run_is_one_parent_span_with_counts(
    piggy: AsyncPiggy, fake: FakePiggy, tel: Otel
) -> None:
    tel.instrument(piggy)
    uuids = [*list(fake.store.contacts)[:2], "0b7c3f5e-0000-4000-8000-000000000000"]
    results = await piggy.contacts.get_many(uuids, concurrency=2).collect()
    assert [r.ok for r in results] == [True, True, False]
    [bulk] = tel.named("piggy contacts.get_many")
    attrs = dict(bulk.attributes or {})
    assert attrs["piggy.bulk.total"] == 3
    assert attrs["piggy.bulk.done"] == 3
    assert attrs["piggy.bulk.errors"] == 1
    assert attrs["piggy.bulk.concurrency"] == 2
    calls = tel.named("piggy contacts.get")
    assert len(calls) == 3
    assert all(c.parent is not None and c.parent.span_id == bulk.context.span_id for c in calls)
    assert all(c.context.trace_id == bulk.context.trace_id for c in calls)


async def test_sync_call_keeps_the_callers_trace(fake: FakePiggy, tel: Otel) -> None:
    from piggy_sync import Piggy

    tracer = tel.tracer_provider.get_tracer("test")
    uuid = next(iter(fake.store.contacts))

    def in_thread() -> None:
        with Piggy(api_key=fake.token, base_url=fake.base_url) as client:
            tel.instrument(client)
            with tracer.start_as_current_span("checkout"):
                client.contacts.get(uuid)

    await asyncio.wait_for(asyncio.to_thread(in_thread), 30)
    [outer] = tel.named("checkout")
    [call] = tel.named("piggy contacts.get")
    assert call.parent is not None
    assert call.parent.span_id == outer.context.span_id
    [attempt] = _children(tel, call)
    assert attempt.context.trace_id == outer.context.trace_id


async def test_no_personal_data_or_secret_in_spans_or_metrics(
    fake: FakePiggy, sleeps: SleepRecorder, tel: Otel
) -> None:
    email = "jane.private@example.com"
    async with fake.client() as client:
        client._transport.sleep = sleeps
        tel.instrument(client)
        contact = await client.contacts.find_or_create(email=email)
        await client.contacts.find_one_by(email=email)
        fake.faults.status(503)
        await client.contacts.get(contact.uuid)
        await client.contacts.list(created_at_gt="2020-01-01T00:00:00")
        await client.contacts.get_many([contact.uuid]).collect()
        with pytest.raises(ContactNotFoundError):
            await client.contacts.get("feedface-0000-4000-8000-00000000beef")
    secrets = [email, "jane.private", contact.uuid, "feedface", fake.token, "2020-01-01"]
    texts: list[str] = []
    for span in tel.spans():
        texts.append(span.name)
        texts += [f"{k}={v}" for k, v in (span.attributes or {}).items()]
        for event in span.events:
            texts += [f"{k}={v}" for k, v in (event.attributes or {}).items()]
    for name in ("piggy.client.call.duration", "piggy.client.retries"):
        for point in tel.points(name):
            texts += [f"{k}={v}" for k, v in point.attributes.items()]
    assert len(texts) > 50
    leaked = [t for t in texts for s in secrets if s.lower() in t.lower()]
    assert leaked == []


async def test_copies_cached_before_instrument_are_traced(
    piggy: AsyncPiggy, tel: Otel, contact_uuid: str
) -> None:
    piggy.with_options(max_retries=1)  # cached by with_options
    tel.instrument(piggy)
    await piggy.with_options(max_retries=1).contacts.get(contact_uuid)
    assert len(tel.named("piggy contacts.get")) == 1


def test_telemetry_option_uses_the_global_providers(fake: FakePiggy) -> None:
    client = fake.client(telemetry=True)
    observer = client._transport.observer
    assert observer is not None
    assert isinstance(observer.tracing, otel.Telemetry)
    assert client.with_options(max_retries=0)._transport.observer.tracing is observer.tracing


def test_without_opentelemetry_installed_the_error_says_what_to_install(
    fake: FakePiggy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(otel, "trace", None)
    with pytest.raises(ConfigurationError, match=r"piggy-client\[otel\]"):
        fake.client(telemetry=True)


def test_importing_the_client_does_not_import_opentelemetry() -> None:
    code = (
        "import sys, piggy_async, piggy_sync; "
        "print(sorted(m for m in sys.modules if m.startswith('opentelemetry')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "[]"
