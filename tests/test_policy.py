"""Pure decisions of the transport: no server, no sleeping."""

from __future__ import annotations

import asyncio
import email.utils
from collections.abc import Callable, Generator

import aiohttp
import pytest

from piggy_async import _policy
from piggy_async.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ContactNotFoundError,
    InternalServerError,
    InvalidInputError,
    MaintenanceError,
    ModelNotFoundError,
    NotFoundError,
    PermissionDeniedError,
    PiggyError,
    PoolTimeoutError,
    RateLimitError,
    ShopNotFoundError,
    UnprocessableEntityError,
)


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (400, None, BadRequestError),
        (400, 1003, InvalidInputError),
        (401, None, AuthenticationError),
        (403, None, PermissionDeniedError),
        (404, None, NotFoundError),
        (404, 55031, ContactNotFoundError),
        (404, 1008, ShopNotFoundError),
        (404, 60013, ModelNotFoundError),
        (409, None, ConflictError),
        (422, None, UnprocessableEntityError),
        (429, None, RateLimitError),
        (500, None, InternalServerError),
        (502, None, InternalServerError),
        (503, None, MaintenanceError),
        (418, None, APIStatusError),
        (404, 99999, NotFoundError),
    ],
)
def test_status_error_class(status: int, code: int | None, expected: type) -> None:
    assert _policy.status_error_class(status, code) is expected


def test_error_body_parsed_and_errors_normalised() -> None:
    body = b'{"status_code":400,"code":1003,"message":"Invalid input.","errors":{"email":"bad","limit":["a","b"]}}'
    err = _policy.error_from_response(400, body, {}, method="GET", url="http://x/contacts", now=0.0)
    assert type(err) is InvalidInputError
    assert err.code == 1003
    assert err.message == "Invalid input."
    assert err.errors == {"email": ["bad"], "limit": ["a", "b"]}
    assert err.body == body
    assert "email: bad" in str(err)


def test_html_error_body_still_gives_status_class() -> None:
    err = _policy.error_from_response(
        502,
        b"<html><body>502 Bad Gateway</body></html>",
        {},
        method="GET",
        url="http://x/",
        now=0.0,
        reason="Bad Gateway",
    )
    assert type(err) is InternalServerError
    assert err.status_code == 502
    assert err.code is None
    assert err.message == "Bad Gateway"


def test_maintenance_message_without_body() -> None:
    err = _policy.error_from_response(503, b"", {}, method="GET", url="u", now=0.0)
    assert isinstance(err, MaintenanceError)
    assert "maintenance" in err.message


def test_string_code_is_accepted() -> None:
    assert _policy.parse_error_body(b'{"code":"55031","message":"x"}')[1] == 55031


def test_retry_after_seconds_and_http_date() -> None:
    assert _policy.parse_retry_after("3", now=0.0) == 3.0
    assert _policy.parse_retry_after(" 1.5 ", now=0.0) == 1.5
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 20, usegmt=True)
    assert _policy.parse_retry_after(date, now=now) == pytest.approx(20.0)
    past = email.utils.formatdate(now - 20, usegmt=True)
    assert _policy.parse_retry_after(past, now=now) == 0.0
    assert _policy.parse_retry_after("soon", now=now) is None
    assert _policy.parse_retry_after(None, now=now) is None
    assert _policy.parse_retry_after("nan", now=now) is None


def _status(status: int, retry_after: float | None = None) -> APIStatusError:
    cls = _policy.status_error_class(status, None)
    return cls("x", status_code=status, retry_after=retry_after)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_methods_retry_transient_statuses(method: str, status: int) -> None:
    assert _policy.is_retryable(method, _status(status))


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
def test_client_errors_are_not_retried(status: int) -> None:
    assert not _policy.is_retryable("GET", _status(status))


@pytest.mark.parametrize(
    ("status", "expected"),
    [(429, True), (503, True), (500, False), (502, False), (504, False), (408, False)],
)
def test_post_retried_only_when_provably_unprocessed(status: int, expected: bool) -> None:
    assert _policy.is_retryable("POST", _status(status)) is expected


def test_post_connection_errors() -> None:
    refused = APIConnectionError("refused", request_sent=False)
    reset = APIConnectionError("reset", request_sent=True)
    read_timeout = APITimeoutError("read", request_sent=True)
    assert _policy.is_retryable("POST", refused)
    assert not _policy.is_retryable("POST", reset)
    assert not _policy.is_retryable("POST", read_timeout)
    assert _policy.is_retryable("GET", reset)
    assert _policy.is_retryable("GET", read_timeout)


def _waits(jitter: Callable[[float], float] = lambda v: v) -> Generator[float, PiggyError, None]:
    waits = _policy.retry_waits(initial=0.5, maximum=8.0, jitter=jitter)
    next(waits)
    return waits


def test_backoff_waits_grow_exponentially_up_to_the_cap() -> None:
    waits = _waits()
    got = [waits.send(_status(503)) for _ in range(7)]
    assert got == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_backoff_waits_use_backoff_full_jitter_by_default() -> None:
    waits = _policy.retry_waits(initial=0.5, maximum=8.0)
    next(waits)
    got = [waits.send(_status(503)) for _ in range(200)]
    assert all(0.0 <= g <= 8.0 for g in got)
    assert len(set(got)) > 100  # jittered, not a fixed schedule
    assert max(got[10:]) > 4.0  # the cap, not the first step, bounds later waits


def test_retry_after_goes_through_backoff_runtime_and_skips_jitter() -> None:
    waits = _waits(jitter=lambda v: v / 2)
    assert waits.send(_status(503)) == 0.25  # expo step 1, jittered
    assert waits.send(_status(429, retry_after=7.0)) == 7.0  # the server's wait, as is
    assert waits.send(_status(503)) == 0.5  # expo goes on where it was


def test_next_wait_honours_retry_after_up_to_cap() -> None:
    assert _policy.next_wait("GET", _status(429, retry_after=7.0), _waits()) == 7.0
    over = _status(429, retry_after=61.0)
    assert _policy.next_wait("GET", over, _waits(), retry_after_cap=60.0) is None
    assert _policy.next_wait("GET", _status(404), _waits()) is None
    assert _policy.next_wait("POST", _status(500), _waits()) is None


def test_next_wait_respects_remaining_deadline() -> None:
    err = _status(503, retry_after=2.0)
    assert _policy.next_wait("GET", err, _waits(), remaining=5.0) == 2.0
    assert _policy.next_wait("GET", err, _waits(), remaining=1.0) is None


def test_pool_timeout_is_never_retried() -> None:
    err = PoolTimeoutError("busy", method="GET", url="u", request_sent=False)
    assert not _policy.is_retryable("GET", err)
    assert not _policy.outcome_unknown("POST", err)


@pytest.mark.parametrize(
    "body",
    [b"\xff\xfe{", b"[" * 100_000 + b"]" * 100_000, b'{"message": "\xc3\x28"}', b"<html>"],
)
def test_malformed_error_bodies_keep_the_status_class(body: bytes) -> None:
    err = _policy.error_from_response(503, body, {}, method="GET", url="u", now=0.0)
    assert type(err) is MaintenanceError
    assert _policy.is_retryable("GET", err)


def test_exception_mapping() -> None:
    def conn_key() -> object:
        class K:
            ssl = None
            host = "h"
            port = 1

        return K()

    refused = aiohttp.ClientConnectorError(
        conn_key(), ConnectionRefusedError(111, "Connection refused")
    )  # type: ignore[arg-type]
    err = _policy.error_from_exception(refused, method="POST", url="u")
    assert type(err) is APIConnectionError
    assert not err.request_sent
    assert "Connection refused" in str(err)

    err = _policy.error_from_exception(aiohttp.ServerDisconnectedError(), method="POST", url="u")
    assert type(err) is APIConnectionError
    assert err.request_sent

    err = _policy.error_from_exception(asyncio.TimeoutError(), method="GET", url="u")
    assert type(err) is APITimeoutError
    assert err.request_sent

    err = _policy.error_from_exception(aiohttp.ConnectionTimeoutError(), method="POST", url="u")
    assert type(err) is APITimeoutError
    assert not err.request_sent

    err = _policy.error_from_exception(aiohttp.ClientPayloadError("cut"), method="GET", url="u")
    assert type(err) is APIConnectionError
    assert "cut off" in str(err)


def test_next_page_rule() -> None:
    from piggy_async.types import PageMeta, next_page_number

    assert next_page_number(PageMeta(page=1, last_page=3), 10) == 2
    assert next_page_number(PageMeta(page=3, last_page=3), 10) is None
    assert next_page_number(PageMeta(page=2, total=25, viewing_to=20), 10) == 3
    assert next_page_number(PageMeta(page=3, total=25, viewing_to=25), 5) is None
    assert next_page_number(PageMeta(page=1, limit=10), 10) == 2
    assert next_page_number(PageMeta(page=1, limit=10), 4) is None
    assert next_page_number(PageMeta(), 0) is None


def test_outcome_unknown_only_for_posts_that_may_have_been_processed() -> None:
    sent = APIConnectionError("reset", request_sent=True)
    never = APIConnectionError("refused", request_sent=False)
    assert _policy.outcome_unknown("POST", sent)
    assert not _policy.outcome_unknown("POST", never)
    assert not _policy.outcome_unknown("GET", sent)
    assert _policy.outcome_unknown("POST", _status(500))
    assert _policy.outcome_unknown("POST", _status(502))
    assert not _policy.outcome_unknown("POST", _status(503))
    assert not _policy.outcome_unknown("POST", _status(429))
    assert not _policy.outcome_unknown("POST", _status(400))
