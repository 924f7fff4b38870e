"""One call's edges: ``with_options`` extras merged into what is sent, the overall deadline
running out between attempts, no limits at all, and the DEBUG line of a failed attempt."""

from __future__ import annotations

import time
import types
from typing import Any

import anyio
import pytest

from piggy_async import APIStatusError, APITimeoutError, AsyncPiggy, Timeout, _attempt
from piggy_async.testing import FakePiggy


@pytest.mark.parametrize(
    ("extras", "method", "body", "query_sent", "body_sent"),
    [
        ({"extra_query": {"ref": "x"}}, "GET", None, {"ref": "x"}, None),
        ({"extra_body": {"shop": "s1"}}, "GET", None, {}, None),  # a GET gets no body
        ({"extra_body": {"shop": "s1"}}, "POST", None, {}, {"shop": "s1"}),
        ({"extra_body": {"shop": "s1"}}, "PUT", {"a": 1}, {}, {"a": 1, "shop": "s1"}),
        ({"extra_body": {"shop": "s1"}}, "POST", [1, 2], {}, [1, 2]),  # a list stays as it is
        (
            {"extra_query": {"ref": "x"}, "extra_body": {"shop": "s1"}},
            "POST",
            {"shop": "mine"},
            {"ref": "x"},
            {"shop": "s1"},  # the extras win
        ),
    ],
)
async def test_extras_are_merged_into_what_is_sent(
    extras: dict[str, Any],
    method: str,
    body: Any,
    query_sent: dict[str, str],
    body_sent: Any,
) -> None:
    async with FakePiggy(contacts=1) as fake:
        client: AsyncPiggy = fake.client()
        try:
            with pytest.raises(APIStatusError):  # no such route: what was sent is what matters
                await client.with_options(**extras).request(method, "/no-such-route", json=body)
        finally:
            await client.aclose()
    [sent] = fake.requests_to(method, "/no-such-route")
    assert sent.query == query_sent
    assert sent.json == body_sent


async def test_a_deadline_that_ran_out_during_the_retry_wait_stops_the_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    skew = [0.0]  # the attempt's clock, moved on by the retry wait (a fake clock, no sleep)
    clock = types.SimpleNamespace(
        monotonic=lambda: time.monotonic() + skew[0],
        perf_counter=time.perf_counter,
        time=time.time,
    )
    monkeypatch.setattr(_attempt, "time", clock)

    async def long_sleep(seconds: float) -> None:
        skew[0] += 60.0  # longer than the whole call may take

    async with FakePiggy(contacts=1) as fake:
        uuid = next(iter(fake.store.contacts))
        fake.faults.status(500, path=f"/contacts/{uuid}")
        client: AsyncPiggy = fake.client(timeout=Timeout(total=30.0))
        client._transport.sleep = long_sleep
        try:
            with anyio.fail_after(10), pytest.raises(APITimeoutError) as caught:
                await client.contacts.get(uuid)
        finally:
            await client.aclose()
        assert "overall timeout of 30.0s ran out before the attempt was sent" in str(caught.value)
        assert caught.value.request_sent is False
        assert len(fake.requests_to("GET", f"/contacts/{uuid}")) == 1  # not sent again


async def test_no_limits_at_all() -> None:
    async with FakePiggy(contacts=1) as fake:
        uuid = next(iter(fake.store.contacts))
        client: AsyncPiggy = fake.client(timeout=None)
        try:
            assert (await client.contacts.get(uuid)).uuid == uuid
        finally:
            await client.aclose()
