"""What a failed attempt becomes: the class, text and facts of each typed error.

Table-driven: one row per kind of transport failure or error answer, checking every
attribute a caller reads (class, message, method, url, request_sent, status, code, errors,
retry_after), so that a wrong word or a dropped argument in ``_policy`` fails a row.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import aiohttp
import pytest

from piggy_async import _policy
from piggy_async.errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    BadRequestError,
    InternalServerError,
    MaintenanceError,
    PiggyError,
    RateLimitError,
)

URL = "https://api.piggy.eu/api/v3/oauth/clients/contacts"


class _Key:
    def __init__(self) -> None:
        self.ssl = False
        self.host = "api.piggy.eu"
        self.port = 443


def _connector_error() -> aiohttp.ClientConnectorError:
    return aiohttp.ClientConnectorError(_Key(), ConnectionRefusedError(111, "Connection refused"))  # type: ignore[arg-type]


EXCEPTIONS: list[tuple[str, Any, type[PiggyError], str, bool]] = [
    (
        "connect timeout",
        aiohttp.ConnectionTimeoutError(),
        APITimeoutError,
        "connect timeout",
        False,
    ),
    (
        "read timeout",
        aiohttp.ServerTimeoutError(),
        APITimeoutError,
        "timed out waiting for Piggy's answer",
        True,
    ),
    (
        "asyncio timeout",
        asyncio.TimeoutError(),
        APITimeoutError,
        "timed out waiting for Piggy's answer",
        True,
    ),
    (
        "refused",
        _connector_error(),
        APIConnectionError,
        "cannot connect: Connection refused",
        False,
    ),
    (
        "disconnected",
        aiohttp.ServerDisconnectedError(),
        APIConnectionError,
        "server closed the connection before answering",
        True,
    ),
    (
        "payload",
        aiohttp.ClientPayloadError("cut"),
        APIConnectionError,
        "response body was cut off",
        True,
    ),
    ("reset", ConnectionResetError(), APIConnectionError, "connection reset", True),
    ("os error", aiohttp.ClientOSError(), APIConnectionError, "connection reset", True),
    ("other", aiohttp.ClientError(), APIConnectionError, "connection error (ClientError)", True),
]


@pytest.mark.parametrize(
    ("exc", "cls", "text", "sent"),
    [row[1:] for row in EXCEPTIONS],
    ids=[row[0] for row in EXCEPTIONS],
)
def test_each_transport_failure_is_typed_with_its_words_and_facts(
    exc: BaseException, cls: type[PiggyError], text: str, sent: bool
) -> None:
    err = _policy.error_from_exception(exc, method="POST", url=URL)
    assert type(err) is cls
    assert err.message == text
    assert (err.method, err.url) == ("POST", URL)
    assert isinstance(err, APIConnectionError)
    assert err.request_sent is sent
    # A POST whose bytes may have left is in doubt; one that never left is not.
    assert _policy.outcome_unknown("POST", err) is sent
    assert _policy.outcome_unknown("GET", err) is False


def test_a_malformed_answer_names_aiohttps_reason() -> None:
    exc = aiohttp.ClientResponseError(None, (), message="bad status line")  # type: ignore[arg-type]
    err = _policy.error_from_exception(exc, method="GET", url=URL)
    assert (type(err), err.message) == (
        APIConnectionError,
        "malformed HTTP response (bad status line)",
    )


def test_a_piggy_error_passes_through_unchanged() -> None:
    original = APITimeoutError("already typed", method="GET", url=URL)
    assert _policy.error_from_exception(original, method="POST", url="other") is original


ANSWERS: list[
    tuple[str, int, bytes, dict[str, str], type[APIStatusError], str, Any, float | None]
] = [
    (
        "maintenance without a body",
        503,
        b"",
        {},
        MaintenanceError,
        "Piggy is in maintenance mode",
        None,
        None,
    ),
    (
        "html error page",
        500,
        b"<html>oops</html>",
        {},
        InternalServerError,
        "Internal Server Error",
        None,
        None,
    ),
    ("no reason, no body", 502, b"", {}, InternalServerError, "HTTP error", None, None),
    (
        "redirect",
        302,
        b"",
        {"Location": "https://elsewhere.example/x"},
        APIStatusError,
        "unexpected redirect to 'https://elsewhere.example/x'; check base_url",
        None,
        None,
    ),
    (
        "redirect without location",
        300,
        b"",
        {},
        APIStatusError,
        "unexpected redirect to ''; check base_url",
        None,
        None,
    ),
    (
        "rate limited",
        429,
        b'{"message": "Too many", "code": null}',
        {"Retry-After": "7"},
        RateLimitError,
        "Too many",
        None,
        7.0,
    ),
    (
        "piggy code as text",
        400,
        b'{"message": "Nope", "code": "12345"}',
        {},
        BadRequestError,
        "Nope",
        12345,
        None,
    ),
    (
        "boolean code ignored",
        400,
        b'{"message": "Nope", "code": true}',
        {},
        BadRequestError,
        "Nope",
        None,
        None,
    ),
    (
        "empty message",
        400,
        b'{"message": "", "code": 12345}',
        {},
        BadRequestError,
        "Bad Request",
        12345,
        None,
    ),
    (
        "message not text",
        400,
        b'{"message": 5, "code": 12345}',
        {},
        BadRequestError,
        "Bad Request",
        12345,
        None,
    ),
]


@pytest.mark.parametrize(
    ("status", "body", "headers", "cls", "text", "code", "retry_after"),
    [row[1:] for row in ANSWERS],
    ids=[row[0] for row in ANSWERS],
)
def test_each_error_answer_is_typed_with_its_words_and_facts(
    status: int,
    body: bytes,
    headers: dict[str, str],
    cls: type[APIStatusError],
    text: str,
    code: Any,
    retry_after: float | None,
) -> None:
    reasons = {500: "Internal Server Error", 400: "Bad Request"}
    err = _policy.error_from_response(
        status, body, headers, method="PUT", url=URL, now=0.0, reason=reasons.get(status)
    )
    assert type(err) is cls
    assert err.message == text
    assert (err.status_code, err.code, err.retry_after) == (status, code, retry_after)
    assert (err.method, err.url, err.body) == ("PUT", URL, body)


def test_error_codes_are_none_when_not_an_integer() -> None:
    assert _policy.parse_error_body(b'{"message": "m", "code": "abc"}') == ("m", None, {})
    assert _policy.parse_error_body(b'{"message": "m", "code": false}')[1] is None


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity"])
def test_non_finite_retry_after_is_ignored(value: str) -> None:
    assert _policy.parse_retry_after(value, 0.0) is None


def test_retry_after_switches_the_wait_source_on_every_error() -> None:
    waits = _policy.retry_waits(initial=1.0, maximum=100.0, jitter=lambda w: w)
    next(waits)
    plain = APIConnectionError("x", method="GET", url=URL)
    asked = RateLimitError("y", status_code=429, retry_after=7.0, method="GET", url=URL)
    sequence = [plain, asked, plain, plain, asked]
    assert [waits.send(e) for e in sequence] == [1.0, 7.0, 2.0, 4.0, 7.0]


def test_expo_doubles_then_caps() -> None:
    waits = _policy.retry_waits(initial=0.5, maximum=3.0, jitter=lambda w: w)
    next(waits)
    plain = APIConnectionError("x", method="GET", url=URL)
    assert list(itertools.islice((waits.send(plain) for _ in range(6)), 6)) == [
        0.5,
        1.0,
        2.0,
        3.0,
        3.0,
        3.0,
    ]


def test_next_wait_bounds_are_inclusive_where_the_docs_say_so() -> None:
    def waits() -> Any:
        gen = _policy.retry_waits(initial=2.0, maximum=2.0, jitter=lambda w: w)
        next(gen)
        return gen

    plain = APIConnectionError("x", method="GET", url=URL)
    # A wait equal to what is left of the deadline is not worth making.
    assert _policy.next_wait("GET", plain, waits(), remaining=2.0) is None
    assert _policy.next_wait("GET", plain, waits(), remaining=2.01) == 2.0
    # A Retry-After equal to the cap is still waited for; one over it is not.
    at_cap = RateLimitError("y", status_code=429, retry_after=60.0, method="GET", url=URL)
    over = RateLimitError("y", status_code=429, retry_after=60.5, method="GET", url=URL)
    assert _policy.next_wait("GET", at_cap, waits(), retry_after_cap=60.0) == 60.0
    assert _policy.next_wait("GET", over, waits(), retry_after_cap=60.0) is None


def test_outcome_of_other_errors_is_known() -> None:
    from piggy_async.errors import ResponseDecodeError

    assert _policy.outcome_unknown("POST", ResponseDecodeError("x")) is False


def test_a_refusal_without_words_is_named_by_its_kind() -> None:
    exc = aiohttp.ClientConnectorError(_Key(), ConnectionRefusedError())  # type: ignore[arg-type]
    err = _policy.error_from_exception(exc, method="GET", url=URL)
    assert err.message == "cannot connect: ConnectionRefusedError"
