"""Hooks: the typed events of every call, on the fake server."""

from __future__ import annotations

import asyncio
import logging

import anyio
import pytest

from piggy_async import AsyncPiggy, ContactNotFoundError, InternalServerError
from piggy_async._hooks import API_WORDS, retry_reason, url_template
from piggy_async.errors import (
    APIConnectionError,
    APITimeoutError,
    ConfigurationError,
    RateLimitError,
)
from piggy_async.hooks import (
    CallFinished,
    Event,
    RequestSent,
    ResponseReceived,
    RetryScheduled,
)
from piggy_async.testing import FakePiggy

from .conftest import SleepRecorder


def _hooked(piggy: AsyncPiggy) -> tuple[AsyncPiggy, list[Event]]:
    events: list[Event] = []
    return piggy.with_options(hooks=[events.append]), events


async def _first_uuid(piggy: AsyncPiggy) -> str:
    page = await piggy.contacts.list(limit=1)
    return page.items[0].uuid


def test_no_hooks_no_observer(piggy: AsyncPiggy) -> None:
    # The transport's hot path checks this one attribute and nothing else.
    assert piggy._transport.observer is None
    assert piggy.with_options(max_retries=0)._transport.observer is None


async def test_plain_call_events(piggy: AsyncPiggy) -> None:
    uuid = await _first_uuid(piggy)
    client, events = _hooked(piggy)
    contact = await client.contacts.get(uuid)
    assert contact.uuid == uuid
    sent, received, finished = events
    assert sent == RequestSent("contacts.get", "GET", "/contacts/{contact_uuid}", 1)
    assert isinstance(received, ResponseReceived)
    assert (received.status_code, received.attempt) == (200, 1)
    assert received.url_template == "/contacts/{contact_uuid}"
    assert received.elapsed >= 0
    assert isinstance(finished, CallFinished)
    assert finished.operation == "contacts.get"
    assert (finished.outcome, finished.attempts, finished.status_code) == ("ok", 1, 200)
    assert finished.piggy_code is None
    assert finished.error is None
    assert finished.elapsed >= received.elapsed


async def test_retried_call_events(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder
) -> None:
    uuid = await _first_uuid(piggy)
    client, events = _hooked(piggy)
    fake.faults.status(429, headers={"Retry-After": "3"})
    await client.contacts.get_credit_balance(uuid)
    assert [type(e).__name__ for e in events] == [
        "RequestSent",
        "ResponseReceived",
        "RetryScheduled",
        "RequestSent",
        "ResponseReceived",
        "CallFinished",
    ]
    retry = events[2]
    assert isinstance(retry, RetryScheduled)
    assert (retry.reason, retry.wait, retry.attempt) == ("rate_limited", 3.0, 1)
    assert isinstance(retry.error, RateLimitError)
    assert sleeps.calls == [3.0]
    assert [e.attempt for e in events if isinstance(e, RequestSent)] == [1, 2]
    finished = events[-1]
    assert isinstance(finished, CallFinished)
    assert (finished.outcome, finished.attempts, finished.status_code) == ("ok", 2, 200)
    assert finished.url_template == "/contacts/{contact_uuid}/credit-balance"


async def test_failed_call_carries_piggy_code(piggy: AsyncPiggy) -> None:
    client, events = _hooked(piggy)
    with pytest.raises(ContactNotFoundError):
        await client.contacts.get("0b7c3f5e-0000-4000-8000-000000000000")
    finished = events[-1]
    assert isinstance(finished, CallFinished)
    assert finished.outcome == "error"
    assert finished.status_code == 400  # Piggy answers its errors with 400 and a code
    assert finished.piggy_code == 55031
    assert isinstance(finished.error, ContactNotFoundError)
    assert not finished.outcome_unknown
    # The template names the argument, never its value.
    assert finished.url_template == "/contacts/{contact_uuid}"


async def test_post_5xx_is_outcome_unknown(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    client, events = _hooked(piggy)
    fake.faults.status(500, method="POST")
    with pytest.raises(InternalServerError):
        await client.contacts.create(email="hooks@example.com")
    finished = events[-1]
    assert isinstance(finished, CallFinished)
    assert finished.outcome_unknown
    assert finished.attempts == 1
    assert finished.url_template == "/contacts"


async def test_connection_failure_has_no_response_event(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    client, events = _hooked(piggy.with_options(max_retries=0))
    fake.faults.disconnect(method="POST")
    with pytest.raises(APIConnectionError):
        await client.contacts.create(email="gone@example.com")
    assert [type(e).__name__ for e in events] == ["RequestSent", "CallFinished"]
    finished = events[-1]
    assert isinstance(finished, CallFinished)
    assert finished.status_code is None
    assert finished.outcome == "error"


async def test_cancelled_call_is_reported(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    client, events = _hooked(piggy)
    fake.faults.latency(5.0)
    task = asyncio.ensure_future(client.contacts.list())
    for _ in range(200):
        if events:
            break
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    finished = events[-1]
    assert isinstance(finished, CallFinished)
    assert finished.outcome == "cancelled"


async def test_raising_hook_never_breaks_the_call(
    piggy: AsyncPiggy, caplog: pytest.LogCaptureFixture
) -> None:
    seen: list[Event] = []

    def broken(event: Event) -> None:
        raise RuntimeError("boom with secret detail")

    client = piggy.with_options(hooks=[broken, seen.append])
    with caplog.at_level(logging.WARNING, logger="piggy_async"):
        await client.contacts.list()
        await client.contacts.list()
    assert len(seen) == 6  # the hook after the broken one still sees every event
    warnings = [r for r in caplog.records if "hook" in r.getMessage()]
    assert len(warnings) == 1  # logged once, not per event
    assert "RuntimeError" in warnings[0].getMessage()
    assert "secret detail" not in warnings[0].getMessage()


def test_hooks_must_be_callable(fake: FakePiggy) -> None:
    with pytest.raises(ConfigurationError, match=r"hooks\[0\] must be callable: str"):
        fake.client(hooks=["not a function"])
    with pytest.raises(ConfigurationError, match="hooks must be a list of callables, not str"):
        fake.client(hooks="print")


async def test_hooks_on_the_client_and_replaced_by_with_options(fake: FakePiggy) -> None:
    first: list[Event] = []
    second: list[Event] = []
    async with fake.client(hooks=[first.append]) as client:
        await client.contacts.list()
        copy = client.with_options(hooks=[second.append])
        await copy.contacts.list()
        inherited = client.with_options(max_retries=0)
        await inherited.contacts.list()
    assert len(first) == 6  # its own call, then the copy that kept its hooks
    assert len(second) == 3
    assert client.with_options(hooks=[])._transport.observer is None  # back to the fast path


def test_sync_client_takes_hooks(threaded_fake: FakePiggy) -> None:
    from piggy_sync import Piggy

    events: list[Event] = []
    base_url, token = threaded_fake.base_url, threaded_fake.token
    with Piggy(api_key=token, base_url=base_url, hooks=[events.append]) as piggy:
        piggy.contacts.list()
    finished = events[-1]
    assert isinstance(finished, CallFinished)
    assert finished.operation == "contacts.list"
    assert finished.outcome == "ok"


def test_url_template_names_arguments_and_hides_the_rest() -> None:
    uuid = "8f1c2d3e-aaaa-4bbb-8ccc-123456789abc"
    assert url_template(f"/contacts/{uuid}", {"contact_uuid": uuid}) == "/contacts/{contact_uuid}"
    assert url_template("/contacts/a%20b/tier", {"contact_uuid": "a b"}) == (
        "/contacts/{contact_uuid}/tier"
    )
    # No argument to name it after (a generic call): any segment that is not one of the
    # API's own words becomes {id}, a plain lowercase one too (piggy.request's values).
    assert url_template(f"/vouchers/{uuid}/redeem", {}) == "/vouchers/{id}/redeem"
    assert url_template("/things/12345", {}) == "/{id}/{id}"
    assert url_template("/shops/jane@example.com", {}) == "/shops/{id}"
    assert url_template("/contact-session-tokens/leaksecrettoken", {}) == (
        "/contact-session-tokens/{id}"
    )


def test_every_path_of_the_fake_server_is_made_of_api_words() -> None:
    words = set()
    for resource in FakePiggy().app.router.resources():
        info = resource.get_info()
        path = str(info.get("path") or info.get("formatter"))
        words.update(s for s in path.split("/") if s and not s.startswith("{"))
    assert words - {"api", "v3", "clients"} <= API_WORDS  # (the base path's own words)
    assert len(words) > 60  # (the routes were found)


def test_retry_reasons_are_few_words() -> None:
    assert retry_reason(APITimeoutError("slow")) == "timeout"
    assert retry_reason(APIConnectionError("reset")) == "connection"
    assert retry_reason(ValueError()) == "other"


def test_a_value_with_a_slash_is_named_after_its_argument() -> None:
    assert url_template("/contacts/a%2Fb/tier", {"contact_uuid": "a/b"}) == (
        "/contacts/{contact_uuid}/tier"
    )


def test_an_empty_argument_names_no_segment() -> None:
    assert url_template("/contacts", {"email": "jane@example.com", "referral_code": ""}) == (
        "/contacts"
    )
    assert url_template("/contacts//tier", {"contact_uuid": ""}) == "/contacts//tier"


async def test_a_call_with_an_empty_argument_reports_its_plain_template() -> None:
    events: list[Event] = []
    with anyio.fail_after(10):
        async with FakePiggy(contacts=1, seed=7) as fake, fake.client(hooks=[events.append]) as p:
            await p.units.create(name="stamps", label="Stamps", prefix="")
    finished = events[-1]
    assert isinstance(finished, CallFinished)
    assert finished.operation == "units.create"
    assert finished.url_template == "/units"
