"""Every fault the fake server can inject, and what the client must do about it.

Each test bounds the call with a budget (timeouts plus retries): a hang fails the test.
Retry waits run on the fake clock (``sleeps``), never real time.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import time
from collections.abc import Awaitable
from typing import Any, TypeVar

import aiohttp
import pytest

from piggy_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncPiggy,
    Contact,
    InternalServerError,
    MaintenanceError,
    PiggyError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
    Timeout,
)
from piggy_async.testing import FakePiggy

from .conftest import SleepRecorder

T = TypeVar("T")
BUDGET = 10.0  # seconds: far above every timeout these tests configure
SOAK_BUDGET = 25.0  # seconds: a hang guard for the soak, under the per-test timeout


async def bounded(call: Awaitable[T]) -> T:
    return await asyncio.wait_for(call, timeout=BUDGET)


def creates(fake: FakePiggy) -> list[Any]:
    return fake.requests_to("POST", "/contacts")


# -- latency and timeouts ------------------------------------------------------------------


async def test_latency_below_read_timeout_is_fine(fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.latency(0.1)
    async with fake.client(timeout=Timeout(connect=1, read=2)) as piggy:
        contact = await bounded(piggy.contacts.get(contact_uuid))
    assert contact.uuid == contact_uuid
    assert fake.requests[0].fault == "latency"


async def test_latency_above_read_timeout_retries_then_fails(
    fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str
) -> None:
    fake.faults.latency(1.0, times=3)
    async with fake.client(timeout=Timeout(connect=1, read=0.1)) as piggy:
        piggy._transport.sleep = sleeps
        with pytest.raises(APITimeoutError) as info:
            await bounded(piggy.contacts.get(contact_uuid))
    assert info.value.attempts == 3
    assert len(fake.requests) == 3
    assert len(sleeps.calls) == 2


async def test_trickle_slower_than_read_timeout(fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.trickle(interval=0.5, chunk=100, times=2)
    async with fake.client(timeout=Timeout(connect=1, read=0.2), max_retries=1) as piggy:
        piggy._transport.sleep = lambda s: asyncio.sleep(0)
        with pytest.raises(APITimeoutError) as info:
            await bounded(piggy.contacts.get(contact_uuid))
    assert info.value.attempts == 2
    assert [r.fault for r in fake.requests] == ["trickle", "trickle"]


async def test_trickle_within_read_timeout_but_past_the_deadline(
    fake: FakePiggy, contact_uuid: str
) -> None:
    # Each chunk arrives in time (read timeout 1 s), but the whole body takes far longer
    # than the call's overall deadline.
    fake.faults.trickle(interval=0.05, chunk=200, times=5)
    async with fake.client(timeout=Timeout(connect=1, read=1, total=0.5)) as piggy:
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match="overall timeout"):
            await bounded(piggy.contacts.get(contact_uuid))
    assert time.monotonic() - started < 3


# -- N failures, then success -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "headers", "body", "content_type", "expected_wait"),
    [
        (429, {"Retry-After": "2"}, None, "application/json", 2.0),
        (429, "http-date", None, "application/json", None),
        (500, {}, None, "application/json", None),
        (502, {}, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", None),
        (
            503,
            {},
            b'{"status_code":503,"message":"Piggy is down for maintenance."}',
            "application/json",
            None,
        ),
    ],
)
async def test_failures_then_success(
    piggy: AsyncPiggy,
    fake: FakePiggy,
    sleeps: SleepRecorder,
    contact_uuid: str,
    status: int,
    headers: Any,
    body: bytes | None,
    content_type: str,
    expected_wait: float | None,
) -> None:
    if headers == "http-date":
        headers = {"Retry-After": email.utils.formatdate(time.time() + 5, usegmt=True)}
    fake.faults.status(status, times=2, headers=headers, body=body, content_type=content_type)
    contact = await bounded(piggy.contacts.get(contact_uuid))
    assert contact.uuid == contact_uuid
    assert [r.status for r in fake.requests] == [status, status, 200]
    assert len(sleeps.calls) == 2
    if expected_wait is not None:
        assert sleeps.calls == [expected_wait, expected_wait]


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, MaintenanceError),
    ],
)
async def test_failures_beyond_the_retry_budget(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str, status: int, cls: type
) -> None:
    fake.faults.status(status, times=3)
    with pytest.raises(cls) as info:
        await bounded(piggy.contacts.get(contact_uuid))
    assert info.value.attempts == 3
    assert len(fake.requests) == 3
    assert not info.value.outcome_unknown  # a GET: nothing to be unsure about


# -- POST: never create twice -------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_post_with_5xx_is_not_retried(
    piggy: AsyncPiggy, fake: FakePiggy, status: int
) -> None:
    fake.faults.status(status, method="POST")
    with pytest.raises(InternalServerError) as info:
        await bounded(piggy.contacts.create(email="five@example.com"))
    assert info.value.attempts == 1
    assert info.value.outcome_unknown
    assert "outcome unknown" in str(info.value)
    assert len(creates(fake)) == 1


async def test_post_reset_mid_response_is_not_retried(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    fake.faults.reset_mid_body(method="POST")
    with pytest.raises(APIConnectionError) as info:
        await bounded(piggy.contacts.create(email="mid@example.com"))
    assert info.value.outcome_unknown
    [request] = creates(fake)
    assert request.handled  # Piggy did create it: hence "outcome unknown", not "failed"
    assert "mid@example.com" in fake.store.by_email


async def test_post_read_timeout_is_not_retried(fake: FakePiggy) -> None:
    fake.faults.latency(1.0, method="POST")
    async with fake.client(timeout=Timeout(connect=1, read=0.1)) as piggy:
        with pytest.raises(APITimeoutError) as info:
            await bounded(piggy.contacts.create(email="slow@example.com"))
    assert info.value.outcome_unknown
    assert len(creates(fake)) == 1


async def test_post_connection_closed_before_answer_is_not_retried(
    piggy: AsyncPiggy, fake: FakePiggy
) -> None:
    fake.faults.disconnect(method="POST")
    with pytest.raises(APIConnectionError) as info:
        await bounded(piggy.contacts.create(email="closed@example.com"))
    assert info.value.outcome_unknown
    assert len(creates(fake)) == 1


@pytest.mark.parametrize("status", [429, 503])
async def test_post_refused_before_processing_is_retried(
    piggy: AsyncPiggy, fake: FakePiggy, status: int
) -> None:
    fake.faults.status(status, method="POST", headers={"Retry-After": "1"})
    ref = await bounded(piggy.contacts.create(email="again@example.com"))
    assert [r.handled for r in creates(fake)] == [False, True]
    assert fake.store.contacts[ref.uuid]["email"] == "again@example.com"


# -- broken connections and bodies --------------------------------------------------------


@pytest.mark.parametrize("kind", ["reset", "disconnect", "reset_mid_body", "truncated"])
async def test_get_recovers_from_broken_connections(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str, kind: str
) -> None:
    getattr(fake.faults, kind)(times=2)
    contact = await bounded(piggy.contacts.get(contact_uuid))
    assert contact.uuid == contact_uuid
    assert [r.fault for r in fake.requests] == [kind, kind, None]


@pytest.mark.parametrize(("kind", "text"), [("truncated", "cut off"), ("reset_mid_body", None)])
async def test_broken_bodies_end_as_connection_errors(
    fake: FakePiggy, contact_uuid: str, kind: str, text: str
) -> None:
    getattr(fake.faults, kind)(times=5)
    async with fake.client(max_retries=0) as piggy:
        with pytest.raises(APIConnectionError, match=text) as info:
            await bounded(piggy.contacts.get(contact_uuid))
    assert info.value.request_sent
    assert info.value.__cause__ is None  # no aiohttp exception chained into user tracebacks


async def test_body_not_json(piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.status(200, body=b"<html>Welcome to nginx</html>", content_type="text/html")
    with pytest.raises(ResponseDecodeError) as info:
        await bounded(piggy.contacts.get(contact_uuid))
    assert "not valid JSON" in str(info.value)
    assert len(fake.requests) == 1


async def test_envelope_without_data(piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.status(200, body=b'{"meta": []}')
    with pytest.raises(ResponseDecodeError) as info:
        await bounded(piggy.contacts.get(contact_uuid))
    assert info.value.path == "$"
    assert "missing required field `data`" in str(info.value)


async def test_chunked_body_larger_than_the_cap(fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.status(200, body=b'{"data": "' + b"x" * 300_000 + b'"}', chunked=True)
    async with fake.client(max_response_bytes=100_000) as piggy:
        with pytest.raises(ResponseTooLargeError) as info:
            await bounded(piggy.contacts.get(contact_uuid))
    assert info.value.limit == 100_000


async def test_redirect_to_another_host_never_reaches_it(
    fake: FakePiggy, contact_uuid: str
) -> None:
    async with FakePiggy() as elsewhere:
        fake.faults.redirect(f"{elsewhere.base_url}/contacts/{contact_uuid}")
        async with fake.client() as piggy:
            with pytest.raises(APIStatusError, match="unexpected redirect") as info:
                await bounded(piggy.contacts.get(contact_uuid))
        assert elsewhere.requests == []  # so it never saw the Authorization header
    assert info.value.status_code == 302


@pytest.mark.parametrize(
    "email_address",
    [
        "a+b@example.com",
        "x&y=z@example.com",
        "hash#tag@example.com",
        "q?u@example.com",
        "ünï@exämple.com",
        "%2F@example.com",
    ],
)
async def test_query_values_arrive_exactly(
    piggy: AsyncPiggy, fake: FakePiggy, email_address: str
) -> None:
    stored = fake.store.add_contact(email_address)
    contact = await bounded(piggy.contacts.find_one_by(email=email_address))
    assert contact.uuid == stored["uuid"]
    assert fake.requests[-1].query == {"email": email_address}


# -- cancellation, recovery ---------------------------------------------------------------


async def test_cancel_mid_request_releases_the_connection(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    fake.faults.latency(5.0)
    task = asyncio.create_task(piggy.contacts.get(contact_uuid))
    for _ in range(200):
        if fake.requests:
            break
        await asyncio.sleep(0.01)
    connector = piggy._transport.pool.get().connector
    assert connector is not None
    assert len(connector._acquired) == 1
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(connector._acquired) == 0
    assert (await bounded(piggy.contacts.get(contact_uuid))).uuid == contact_uuid


async def test_recovers_after_a_storm(fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.reset(times=30)
    fake.faults.status(503, times=30)
    async with fake.client(max_retries=0) as piggy:
        outcomes = await asyncio.gather(
            *(piggy.contacts.get(contact_uuid) for _ in range(60)), return_exceptions=True
        )
        # aiohttp resends an idempotent request once on a dropped connection, so some calls
        # still get through; the rest must be typed errors.
        failed = [o for o in outcomes if not isinstance(o, Contact)]
        assert len(failed) >= 30
        assert all(isinstance(o, PiggyError) for o in failed)
        after = await asyncio.gather(*(piggy.contacts.get(contact_uuid) for _ in range(20)))
        assert {c.uuid for c in after} == {contact_uuid}
        connector = piggy._transport.pool.get().connector
        assert connector is not None
        assert len(connector._acquired) == 0


# -- secrets --------------------------------------------------------------------------------


async def test_no_secret_in_any_log_record_or_error(
    fake: FakePiggy, caplog: pytest.LogCaptureFixture, sleeps: SleepRecorder
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    contact_uuid = next(iter(fake.store.contacts))
    secrets_seen: list[str] = [fake.token, fake.client_secret]
    errors: list[BaseException] = []
    for kwargs in (
        {"api_key": fake.token},
        {"client_id": fake.client_id, "client_secret": fake.client_secret},
    ):
        async with fake.client(**kwargs) as piggy:
            piggy._transport.sleep = sleeps
            fake.faults.status(503)
            fake.faults.reset()
            await piggy.contacts.get(contact_uuid)
            for call in (piggy.contacts.get("missing"), piggy.contacts.create(email="bad")):
                try:
                    await call
                except PiggyError as exc:
                    errors.append(exc)
            texts = [
                repr(piggy),
                str(piggy),
                repr(piggy._transport.auth),
                repr(
                    vars(piggy._transport.auth)
                    if hasattr(piggy._transport.auth, "__dict__")
                    else ""
                ),
            ]
    secrets_seen += list(fake.issued_tokens)
    texts += [r.getMessage() for r in caplog.records]
    texts += [str(e) for e in errors] + [repr(e) for e in errors] + [repr(vars(e)) for e in errors]
    assert len(errors) == 4
    assert len(caplog.records) >= 8
    for secret in secrets_seen:
        for text in texts:
            assert secret not in text


# -- soak ---------------------------------------------------------------------------------


async def test_soak_with_five_percent_faults(fake: FakePiggy) -> None:
    """4,000 calls at concurrency 50 with ~5% injected faults: every call ends in a result
    or a typed error, no create is sent twice, and tasks and connections stay bounded.

    Bounded in time as a hang guard (``SOAK_BUDGET``), not as a speed claim: a loaded
    2-core machine runs it in a few seconds."""
    import random

    rng = random.Random(42)
    uuids = list(fake.store.contacts)
    total, concurrency = 4_000, 50
    kinds = ["status500", "status503", "status429", "reset", "disconnect", "truncated"]
    plan: list[tuple[str, str | None]] = []
    for i in range(total):
        op = "create" if i % 10 == 0 else "get"
        plan.append((op, rng.choice(kinds) if rng.random() < 0.05 else None))
    for op, kind in plan:
        if kind is None:
            continue
        method = "POST" if op == "create" else "GET"
        if kind.startswith("status"):
            fake.faults.status(int(kind[6:]), method=method, headers={"Retry-After": "0"})
        else:
            getattr(fake.faults, kind)(method=method)

    outcomes: dict[str, int] = {}
    create_emails: list[str] = []
    peak_tasks = 0
    async with fake.client(max_retries=2, max_connections=concurrency) as piggy:
        piggy._transport.sleep = lambda s: asyncio.sleep(0)
        connector = piggy._transport.pool.get().connector
        assert connector is not None
        sem = asyncio.Semaphore(concurrency)

        async def one(i: int) -> None:
            nonlocal peak_tasks
            op, _ = plan[i]
            async with sem:
                peak_tasks = max(peak_tasks, len(connector._acquired))
                try:
                    if op == "create":
                        address = f"soak{i}@example.com"
                        create_emails.append(address)
                        await piggy.contacts.create(email=address)
                    else:
                        await piggy.contacts.get(uuids[i % len(uuids)])
                    name = "ok"
                except PiggyError as exc:
                    name = type(exc).__name__
                outcomes[name] = outcomes.get(name, 0) + 1

        await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(total))), SOAK_BUDGET)

    assert sum(outcomes.values()) == total
    assert outcomes["ok"] >= total * 0.97
    assert set(outcomes) <= {
        "ok",
        "APIConnectionError",
        "InternalServerError",
        "MaintenanceError",
        "RateLimitError",
    }
    # Never twice: each email reached the create handler at most once, and no create
    # failed with "Contact already exists." (which a blind retry of a processed POST would
    # cause).
    handled: dict[str, int] = {}
    for r in creates(fake):
        if r.handled:
            handled[r.json["email"]] = handled.get(r.json["email"], 0) + 1
    assert max(handled.values()) == 1
    assert set(handled) <= set(create_emails)
    assert "ConflictError" not in outcomes
    assert peak_tasks <= concurrency
    assert len(connector._acquired) == 0
    idle = sum(len(pooled) for pooled in connector._conns.values())
    assert idle <= concurrency  # the pool never grew past its limit
    # Nothing per request outlives its request: no response, call state or task is left.
    import gc

    from piggy_async._wire import Call as _Call

    gc.collect()
    leftovers = [o for o in gc.get_objects() if isinstance(o, (aiohttp.ClientResponse, _Call))]
    assert leftovers == []
    client_tasks = [
        t
        for t in asyncio.all_tasks()
        if not t.done()
        and t is not asyncio.current_task()
        and not t.get_coro().__qualname__.startswith("RequestHandler")  # the fake's side
    ]
    assert client_tasks == []
