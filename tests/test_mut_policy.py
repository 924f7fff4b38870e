"""The retry policy answers every failed attempt: a long storm of failures gets one wait per
failure, each within the cap, and never stalls the caller (mutation testing found a way for
the wait generator to spin without answering; the tight per-test timeout makes that one
quick failure instead of a 30 s one). What the user sees of it: the retry log line names
the wait and what failed; a redirect is an error, never an answer (a raw server on
127.0.0.1)."""

from __future__ import annotations

import asyncio
import logging

import anyio
import pytest

from piggy_async import _policy
from piggy_async.errors import APIConnectionError, APIStatusError, PiggyError
from tests.rawserver import CONTACT, RawRequest, RawServer, answer, api_client, response


def _failures(count: int) -> list[PiggyError]:
    kinds: list[PiggyError] = [
        APIStatusError("busy", status_code=503),
        APIConnectionError("connection reset", request_sent=True),
        APIStatusError("slow down", status_code=429, retry_after=3.0),
    ]
    return [kinds[i % len(kinds)] for i in range(count)]


@pytest.mark.timeout(5)
def test_a_storm_of_failures_gets_one_bounded_wait_each() -> None:
    waits = _policy.retry_waits(initial=0.5, maximum=8.0, jitter=lambda v: v)
    next(waits)
    got = [_policy.next_wait("GET", err, waits) for err in _failures(30)]
    assert len(got) == 30
    assert all(w is not None and 0.0 < w <= 8.0 for w in got)
    assert got[2] == 3.0  # the server's Retry-After, as asked
    assert max(got) == 8.0  # the doubling reached the cap


async def test_each_retry_is_logged_with_its_wait_and_what_failed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    answers = iter([response(503, b"{}", {"Retry-After": "2"}), response(200, CONTACT)])

    async def busy_once(request: RawRequest, writer: asyncio.StreamWriter) -> None:
        writer.write(next(answers))

    async with RawServer(handler=busy_once) as srv, api_client(srv) as piggy:
        with caplog.at_level(logging.INFO, logger="piggy_async"), anyio.fail_after(10):
            assert (await piggy.contacts.get("c-1")).uuid == "c-1"
    retries = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying")]
    assert retries == ["retrying GET /contacts/c-1 in 2.00s after HTTP 503 (attempt 1 failed)"]


@pytest.mark.parametrize("status", [300, 302])
async def test_a_redirect_is_an_error_not_an_answer(status: int) -> None:
    moved = response(status, CONTACT, {"Location": "https://elsewhere.test/"})
    async with RawServer(handler=answer(moved)) as srv, api_client(srv) as piggy:
        with anyio.fail_after(10), pytest.raises(APIStatusError) as info:
            await piggy.contacts.get("c-1")
    assert info.value.status_code == status
    assert str(info.value).startswith(
        f"HTTP {status}: unexpected redirect to 'https://elsewhere.test/'; check base_url"
    )
