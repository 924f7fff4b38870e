"""Which methods are safe to send twice, a 401 whatever its Piggy code, and the attempts a
closed client reports (each pinned after an audit of the docs against the code)."""

from __future__ import annotations

import asyncio
import math
import time

import anyio
import pytest

from piggy_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncPiggy,
    AuthenticationError,
    ClientClosedError,
    ConfigurationError,
    InternalServerError,
    InvalidArgumentError,
    RateLimitError,
    Timeout,
)
from piggy_async._bulk_limits import classify, is_pushback
from piggy_async._hooks import retry_reason
from piggy_async._policy import (
    IDEMPOTENT_METHODS,
    error_from_response,
    is_retryable,
    is_unauthorized,
    outcome_unknown,
)
from piggy_async._rate import RateLimiter
from piggy_async.testing import FakePiggy

from .conftest import SleepRecorder

BOUND = 10
EXPIRED = b'{"code": 3000, "message": "The token is expired", "status_code": 401}'


def answer(status: int, body: bytes = b"{}", method: str = "GET") -> APIStatusError:
    return error_from_response(status, body, {}, method=method, url="u", now=0.0)


@pytest.mark.parametrize("method", ["POST", "PATCH", "MERGE"])
def test_a_method_that_is_not_idempotent_is_retried_like_a_post(method: str) -> None:
    assert method not in IDEMPOTENT_METHODS
    assert not is_retryable(method, answer(500, method=method))  # Piggy may have done it
    assert not is_retryable(method, answer(504, method=method))
    assert is_retryable(method, answer(503, method=method))  # proves it was not processed
    assert outcome_unknown(method, answer(500, method=method))
    assert not outcome_unknown(method, answer(429, method=method))


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "HEAD", "OPTIONS"])
def test_an_idempotent_method_is_retried_on_5xx_and_its_outcome_never_in_doubt(
    method: str,
) -> None:
    assert is_retryable(method, answer(500, method=method))
    assert not outcome_unknown(method, answer(500, method=method))


def test_only_an_answer_or_a_broken_connection_leaves_a_post_in_doubt() -> None:
    assert not outcome_unknown("POST", ConfigurationError("a closed session"))
    assert not outcome_unknown("POST", InvalidArgumentError("a bad header"))
    assert outcome_unknown("POST", APIConnectionError("reset", request_sent=True))
    assert not outcome_unknown("POST", APIConnectionError("refused", request_sent=False))


async def test_an_oauth_call_is_not_retried_on_a_500_with_max_retries_0(
    fake: FakePiggy, contact_uuid: str, sleeps: SleepRecorder
) -> None:
    # The one extra attempt is for a refused token only, not for any failure of an OAuth call.
    fake.faults.status(500, times=1, path="/contacts/*")
    async with fake.client(
        client_id=fake.client_id, client_secret=fake.client_secret, max_retries=0
    ) as piggy:
        piggy._transport.sleep = sleeps
        with anyio.fail_after(BOUND), pytest.raises(InternalServerError) as info:
            await piggy.contacts.get(contact_uuid)
    assert info.value.attempts == 1
    assert len(fake.requests_to("POST", "/oauth/token")) == 1
    assert sleeps.calls == []


def test_a_401_is_unauthorized_whatever_class_its_code_picks() -> None:
    coded = answer(401, EXPIRED)
    assert not isinstance(coded, AuthenticationError)  # the code chose the class...
    assert is_unauthorized(coded)  # ...the status still says the credentials were refused
    assert is_unauthorized(answer(401))
    assert not is_unauthorized(answer(403))
    assert not is_unauthorized(answer(400, EXPIRED))  # the same code on a 400: not auth
    assert classify(coded) == "run"  # a bulk run ends: every item would be refused


async def test_a_patch_is_sent_once_on_a_500_and_its_outcome_is_unknown(
    fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str
) -> None:
    fake.faults.status(500, times=5, method="PATCH")
    async with fake.client(max_retries=2) as piggy:
        piggy._transport.sleep = sleeps
        with anyio.fail_after(BOUND), pytest.raises(InternalServerError) as info:
            await piggy.request("PATCH", f"/contacts/{contact_uuid}", json={"x": 1})
    assert info.value.attempts == 1
    assert info.value.outcome_unknown
    assert len([r for r in fake.requests if r.method == "PATCH"]) == 1
    assert sleeps.calls == []


async def test_a_401_with_a_piggy_code_drops_the_oauth_token_and_fetches_one_again(
    fake: FakePiggy, contact_uuid: str
) -> None:
    async with fake.client(client_id=fake.client_id, client_secret=fake.client_secret) as piggy:
        await piggy.contacts.get(contact_uuid)
        fake.faults.status(401, times=1, body=EXPIRED, path="/contacts/*")
        with anyio.fail_after(BOUND):
            assert (await piggy.contacts.get(contact_uuid)).uuid == contact_uuid
    assert len(fake.requests_to("POST", "/oauth/token")) == 2


@pytest.mark.parametrize("max_retries", [0, 2])
async def test_a_refused_oauth_token_is_fetched_again_once_whatever_max_retries(
    fake: FakePiggy, contact_uuid: str, max_retries: int
) -> None:
    async with fake.client(
        client_id=fake.client_id, client_secret=fake.client_secret, max_retries=max_retries
    ) as piggy:
        await piggy.contacts.get(contact_uuid)
        fake.issued_tokens.clear()  # Piggy forgot the token
        with anyio.fail_after(BOUND):
            assert (await piggy.contacts.get(contact_uuid)).uuid == contact_uuid
        fake.faults.status(401, times=5, path="/contacts/*")  # refused again and again
        with anyio.fail_after(BOUND), pytest.raises(AuthenticationError) as info:
            await piggy.contacts.get(contact_uuid)
    assert info.value.attempts == 2  # once with the token, once with a new one: no more
    assert len(fake.requests_to("POST", "/oauth/token")) == 3


async def test_a_close_during_the_wait_to_retry_reports_the_attempts_sent(
    fake: FakePiggy,
) -> None:
    fake.faults.status(503, times=10, path="/contacts/*")
    waits: list[float] = []
    parked = asyncio.Event()

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:  # after the second failed attempt: wait until the close
            parked.set()
            await asyncio.sleep(60)

    piggy: AsyncPiggy = fake.client(max_retries=5)
    piggy._transport.sleep = sleep
    with anyio.fail_after(BOUND):
        task = asyncio.ensure_future(piggy.contacts.get("00000000-0000-4000-8000-000000000001"))
        await parked.wait()
        await piggy.aclose()
        with pytest.raises(ClientClosedError) as info:
            await task
    assert info.value.attempts == 2
    assert isinstance(info.value.__cause__, APIStatusError)
    assert info.value.__cause__.attempts == 2
    assert len([r for r in fake.requests if r.path.startswith("/contacts/")]) == 2


def test_a_429_on_a_patch_proves_nothing_was_done() -> None:
    error = answer(429, method="PATCH")
    assert isinstance(error, RateLimitError)
    assert is_retryable("PATCH", error)
    assert not outcome_unknown("PATCH", error)


async def test_the_overall_timeout_bounds_the_wait_for_a_turn_under_max_rate(
    fake: FakePiggy, contact_uuid: str
) -> None:
    # One request a second, a 0.5 s deadline: the second and third calls could only go in
    # 1 s and 2 s, so they fail at once (nothing sent, their turns left to others).
    async with fake.client(max_rate=1, timeout=Timeout(total=0.5), max_retries=0) as piggy:
        started = time.monotonic()
        with anyio.fail_after(BOUND):
            results = await asyncio.gather(
                *(piggy.contacts.get(contact_uuid) for _ in range(3)), return_exceptions=True
            )
        elapsed = time.monotonic() - started
        limiter = piggy._transport.rate_limiter
        assert limiter is not None
        assert limiter.reserve(within=0.0) == math.inf  # the next turn is still ~1 s away
    assert not isinstance(results[0], BaseException)
    assert [type(r) for r in results[1:]] == [APITimeoutError, APITimeoutError]
    assert all(
        r.message == "the call's overall timeout of 0.5s ran out before its turn under max_rate"  # type: ignore[union-attr]
        for r in results[1:]
    )
    assert all(r.attempts == 1 and not r.request_sent for r in results[1:])  # type: ignore[union-attr]
    assert elapsed < 0.5  # not waited for
    assert len([r for r in fake.requests if r.path.startswith("/contacts/")]) == 1


# -- the status decides, whatever class a Piggy code in the body picked ------------------

USAGE = b'{"code": 60000, "message": "Usage limit reached."}'
INACTIVE = b'{"code": 7002, "message": "Inactive."}'


@pytest.mark.parametrize(
    ("status", "body", "outcome", "reason"),
    [
        (429, USAGE, "pushback", "rate_limited"),
        (503, INACTIVE, "pushback", "maintenance"),
        (401, EXPIRED, "run", "reauthenticate"),
        (403, INACTIVE, "run", "other"),
        (400, USAGE, "final", "other"),
    ],
)
def test_a_coded_body_does_not_hide_what_the_status_means(
    status: int, body: bytes, outcome: str, reason: str
) -> None:
    error = answer(status, body)
    assert error.code is not None  # the code picked the class...
    assert classify(error) == outcome  # ...the status still decides what a bulk run does
    assert is_pushback(error) is (outcome == "pushback")
    assert retry_reason(error) == reason


def test_a_code_of_other_digits_is_no_code() -> None:
    error = answer(400, '{"code": "²", "message": "m"}'.encode())
    assert type(error).__name__ == "BadRequestError"
    assert error.code is None


def test_a_redirect_is_typed_by_its_status_and_hides_the_query_of_its_target() -> None:
    error = error_from_response(
        302,
        b'{"code": 80004, "message": "Contact not found."}',
        {"Location": "https://elsewhere.example/x?api_key=abc#frag"},
        method="GET",
        url="u",
        now=0.0,
    )
    assert type(error) is APIStatusError
    assert "https://elsewhere.example/x" in str(error)
    assert "api_key" not in str(error)
    assert "abc" not in repr(error)


async def test_an_oauth_token_refusal_carries_the_raw_response(fake: FakePiggy) -> None:
    async with fake.client(client_id=fake.client_id, client_secret="not-the-secret") as piggy:
        with anyio.fail_after(BOUND), pytest.raises(AuthenticationError) as info:
            await piggy.contacts.get("00000000-0000-4000-8000-000000000001")
    response = info.value.response
    assert response is not None
    assert response.status_code == 401
    assert response.method == "POST"
    assert "not-the-secret" not in repr(info.value)


# -- the texts and fields of an error answer (pinned after mutation run U) ---------------


def redirect_text(location: str | None) -> str:
    headers = {} if location is None else {"Location": location}
    return error_from_response(302, b"", headers, method="GET", url="u", now=0.0).message


def test_a_redirects_text_names_its_target_without_query_or_fragment() -> None:
    target = "https://elsewhere.example/x"
    for location in (f"{target}?api_key=abc?more#frag", f"{target}#f1#f2", f"{target}?a#b"):
        assert redirect_text(location) == f"unexpected redirect to {target!r}; check base_url"
    assert redirect_text(None) == "unexpected redirect to ''; check base_url"


@pytest.mark.parametrize("body", [b'{"message": 123}', b'{"message": ""}', b"{}"])
def test_an_error_without_a_usable_message_says_what_the_status_says(body: bytes) -> None:
    def text(status: int, reason: str | None) -> str:
        return error_from_response(
            status, body, {}, method="GET", url="u", now=0.0, reason=reason
        ).message

    assert text(400, "Bad Request") == "Bad Request"
    assert text(400, None) == "HTTP error"
    assert text(503, None) == "Piggy is in maintenance mode"


def test_retry_after_is_read_from_the_answer() -> None:
    error = error_from_response(429, b"{}", {"Retry-After": "7"}, method="GET", url="u", now=0.0)
    assert error.retry_after == 7.0


def test_a_turn_exactly_as_far_as_the_deadline_is_taken() -> None:
    now = [100.0]
    limiter = RateLimiter(1.0, clock=lambda: now[0])
    assert limiter.reserve(within=0.0) == 0.0  # the first turn: now
    assert limiter.reserve(within=1.0) == 1.0  # the next one is 1 s away: within 1 s
    assert limiter.reserve(within=1.5) == math.inf  # 2 s away: not taken...
    assert limiter.reserve(within=2.0) == 2.0  # ...so it is still there for a caller who can wait
