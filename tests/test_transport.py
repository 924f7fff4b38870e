"""Retries, timeouts, errors, auth, headers, options, logging and secrets, on the fake server."""

from __future__ import annotations

import asyncio
import email.utils
import logging
import platform
import re
import time
from collections.abc import Callable

import aiohttp
import pytest

from piggy_async import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AsyncPiggy,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConfigurationError,
    ConflictError,
    InternalServerError,
    MaintenanceError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
    Timeout,
    UnprocessableEntityError,
    __version__,
)
from piggy_async.testing import FakePiggy

from .conftest import SleepRecorder

SECRET = "sk-live-THIS-MUST-NEVER-LEAK-123"


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition never became true")


# -- retries -------------------------------------------------------------------------------


async def test_429_with_retry_after_is_honoured(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str
) -> None:
    fake.faults.status(429, headers={"Retry-After": "3"})
    balance = await piggy.contacts.get_credit_balance(contact_uuid)
    assert balance.balance >= 0
    assert sleeps.calls == [3.0]
    assert len(fake.requests) == 2


async def test_retry_after_http_date(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str
) -> None:
    fake.faults.status(
        429, headers={"Retry-After": email.utils.formatdate(time.time() + 30, usegmt=True)}
    )
    await piggy.contacts.get_credit_balance(contact_uuid)
    assert len(sleeps.calls) == 1
    assert 25 < sleeps.calls[0] <= 30


async def test_retry_after_beyond_cap_is_not_waited_for(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str
) -> None:
    fake.faults.status(429, headers={"Retry-After": "3600"})
    with pytest.raises(RateLimitError) as info:
        await piggy.contacts.get(contact_uuid)
    assert info.value.retry_after == 3600.0
    assert info.value.attempts == 1
    assert sleeps.calls == []


async def test_503_then_200(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str
) -> None:
    fake.faults.status(503)
    contact = await piggy.contacts.get(contact_uuid)
    assert contact.uuid == contact_uuid
    assert len(fake.requests) == 2
    assert len(sleeps.calls) == 1
    assert 0.0 <= sleeps.calls[0] <= 0.5  # first backoff: 0.5 s with backoff's full jitter


async def test_connection_reset_then_200(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str
) -> None:
    # aiohttp itself resends an idempotent request once when a connection drops (RFC 9112
    # 9.3.1); the second reset reaches our retry loop, which waits and tries again.
    fake.faults.reset(times=2)
    contact = await piggy.contacts.get(contact_uuid)
    assert contact.uuid == contact_uuid
    assert len(fake.requests) == 3
    assert len(sleeps.calls) == 1


async def test_post_not_retried_on_500(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder
) -> None:
    fake.faults.status(500, method="POST")
    with pytest.raises(InternalServerError) as info:
        await piggy.contacts.create(email="once@example.com")
    assert info.value.attempts == 1
    assert len(fake.requests_to("POST", "/contacts")) == 1
    assert sleeps.calls == []


async def test_post_not_retried_after_reset(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    fake.faults.reset(method="POST")
    with pytest.raises(APIConnectionError) as info:
        await piggy.contacts.create(email="maybe@example.com")
    assert info.value.outcome_unknown
    assert "outcome unknown" in str(info.value)
    assert len(fake.requests_to("POST", "/contacts")) == 1


@pytest.mark.parametrize("status", [429, 503])
async def test_post_retried_when_provably_unprocessed(
    piggy: AsyncPiggy, fake: FakePiggy, status: int
) -> None:
    fake.faults.status(status, method="POST")
    ref = await piggy.contacts.create(email="retry@example.com")
    assert ref.uuid in fake.store.contacts
    assert len(fake.requests_to("POST", "/contacts")) == 2


async def test_post_retried_when_connection_refused(sleeps: SleepRecorder) -> None:
    # A port nobody listens on: the connection is refused, so the POST never left.
    async with FakePiggy() as fake:
        base_url = fake.base_url
    piggy = AsyncPiggy(api_key="k", base_url=base_url, max_retries=2)
    piggy._transport.sleep = sleeps
    try:
        with pytest.raises(APIConnectionError) as info:
            await piggy.contacts.create(email="a@example.com")
    finally:
        await piggy.aclose()
    assert not info.value.request_sent
    assert not info.value.outcome_unknown
    assert info.value.attempts == 3
    assert len(sleeps.calls) == 2
    assert "cannot connect" in str(info.value)


async def test_put_retried_on_502(piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.status(502, method="PUT")
    contact = await piggy.contacts.update(contact_uuid, attributes={"firstname": "Z"})
    assert contact.current_values["firstname"] == "Z"
    assert len(fake.requests) == 2


async def test_retries_exhausted(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str
) -> None:
    fake.faults.status(503, times=10)
    with pytest.raises(MaintenanceError) as info:
        await piggy.contacts.get(contact_uuid)
    assert info.value.attempts == 3
    assert "after 3 attempts" in str(info.value)
    assert len(fake.requests) == 3
    assert len(sleeps.calls) == 2
    assert 0.0 <= sleeps.calls[1] <= 1.0  # second backoff: 1 s, full jitter


async def test_max_retries_zero_and_with_options(
    piggy: AsyncPiggy, fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str
) -> None:
    fake.faults.status(503, times=10)
    no_retry = piggy.with_options(max_retries=0)
    with pytest.raises(MaintenanceError) as info:
        await no_retry.contacts.get(contact_uuid)
    assert info.value.attempts == 1
    more = piggy.with_options(max_retries=4)
    with pytest.raises(MaintenanceError) as info:
        await more.contacts.get(contact_uuid)
    assert info.value.attempts == 5
    assert len(fake.requests) == 6


async def test_with_options_shares_the_pool(piggy: AsyncPiggy, contact_uuid: str) -> None:
    await piggy.contacts.get(contact_uuid)
    other = piggy.with_options(timeout=2.5)
    assert other.timeout == Timeout(connect=2.5, read=2.5, pool=2.5)
    assert piggy.timeout == Timeout()
    await other.contacts.get(contact_uuid)
    assert other._transport.pool is piggy._transport.pool
    await other.aclose()  # the copy does not close the shared pool
    await piggy.contacts.get(contact_uuid)


async def test_cancellation_is_not_swallowed(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    fake.faults.latency(5.0)
    task = asyncio.create_task(piggy.contacts.get(contact_uuid))
    await _until(lambda: bool(fake.requests))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_cancellation_during_backoff(
    piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str
) -> None:
    waiting = asyncio.Event()

    async def slow_sleep(seconds: float) -> None:
        waiting.set()
        await asyncio.sleep(60)

    piggy._transport.sleep = slow_sleep
    fake.faults.status(503)
    task = asyncio.create_task(piggy.contacts.get(contact_uuid))
    await waiting.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(fake.requests) == 1


# -- timeouts ------------------------------------------------------------------------------


async def test_read_timeout(fake: FakePiggy, sleeps: SleepRecorder, contact_uuid: str) -> None:
    fake.faults.latency(1.0, times=5)
    async with fake.client(timeout=Timeout(connect=1, read=0.1), max_retries=1) as piggy:
        piggy._transport.sleep = sleeps
        with pytest.raises(APITimeoutError) as info:
            await piggy.contacts.get(contact_uuid)
    assert info.value.attempts == 2
    assert info.value.request_sent


async def test_overall_deadline(fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.latency(2.0, times=10)
    async with fake.client(timeout=Timeout(connect=1, read=5, total=0.5), max_retries=5) as piggy:
        piggy._transport.sleep = lambda s: asyncio.sleep(0)
        started = time.monotonic()
        with pytest.raises(APITimeoutError, match=r"overall timeout of 0\.5s"):
            await piggy.contacts.get(contact_uuid)
        assert time.monotonic() - started < 2.0


# -- error classes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (503, MaintenanceError),
    ],
)
async def test_status_errors_from_server(
    fake: FakePiggy, contact_uuid: str, status: int, cls: type
) -> None:
    fake.faults.status(
        status,
        body=b'{"status_code": %d, "code": 12, "message": "nope", "errors": {"f": "bad"}}' % status,
    )
    async with fake.client(max_retries=0) as piggy:
        with pytest.raises(APIStatusError) as info:
            await piggy.contacts.get(contact_uuid)
    assert type(info.value) is cls
    assert info.value.status_code == status
    assert info.value.code == 12
    assert info.value.message == "nope"
    assert info.value.errors == {"f": ["bad"]}


async def test_html_502_from_a_proxy(fake: FakePiggy, contact_uuid: str) -> None:
    html = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    fake.faults.status(502, body=html, content_type="text/html")
    async with fake.client(max_retries=0) as piggy:
        with pytest.raises(InternalServerError) as info:
            await piggy.contacts.get(contact_uuid)
    assert info.value.status_code == 502
    assert info.value.code is None
    assert info.value.body == html
    assert info.value.message == "Bad Gateway"


async def test_non_json_success_body(fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.status(200, body=b"<html>hi</html>", content_type="text/html")
    async with fake.client() as piggy:
        with pytest.raises(ResponseDecodeError) as info:
            await piggy.contacts.get(contact_uuid)
    assert "GET /contacts/" in str(info.value)
    assert len(fake.requests) == 1


async def test_envelope_without_data(fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.status(200, body=b'{"meta": []}')
    async with fake.client() as piggy:
        with pytest.raises(ResponseDecodeError) as info:
            await piggy.contacts.get_credit_balance(contact_uuid)
    assert info.value.path == "$"


async def test_wrong_shape_names_json_path(fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.status(200, body=b'{"data": {"balance": "many"}, "meta": []}')
    async with fake.client() as piggy:
        with pytest.raises(ResponseDecodeError) as info:
            await piggy.contacts.get_credit_balance(contact_uuid)
    assert info.value.path == "$.data.balance"


async def test_response_too_large(fake: FakePiggy, contact_uuid: str) -> None:
    async with fake.client(max_response_bytes=1000) as piggy:
        with pytest.raises(ResponseTooLargeError) as info:
            await piggy.contacts.get(contact_uuid)
    assert info.value.limit == 1000


async def test_redirect_is_not_followed(fake: FakePiggy, contact_uuid: str) -> None:
    fake.faults.status(302, headers={"Location": "http://evil.example/steal"}, body=b"")
    async with fake.client() as piggy:
        with pytest.raises(APIStatusError, match="unexpected redirect"):
            await piggy.contacts.get(contact_uuid)
    assert len(fake.requests) == 1


async def test_wrong_api_key(fake: FakePiggy, contact_uuid: str) -> None:
    async with fake.client(api_key="wrong") as piggy:
        with pytest.raises(AuthenticationError) as info:
            await piggy.contacts.get(contact_uuid)
    assert info.value.status_code == 401
    assert "wrong" not in str(info.value)


# -- OAuth client credentials -------------------------------------------------------------


async def test_oauth_token_fetched_once_for_concurrent_calls(
    fake: FakePiggy, contact_uuid: str
) -> None:
    async with fake.client(client_id=fake.client_id, client_secret=fake.client_secret) as piggy:
        results = await asyncio.gather(
            *(piggy.contacts.get_credit_balance(contact_uuid) for _ in range(20))
        )
    assert len(results) == 20
    token_requests = [r for r in fake.requests if r.path == "/oauth/token"]
    assert len(token_requests) == 1
    assert token_requests[0].form == {
        "grant_type": "client_credentials",
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
    }
    issued = next(iter(fake.issued_tokens))
    api = [r for r in fake.requests if r.path != "/oauth/token"]
    assert all(r.headers["Authorization"] == f"Bearer {issued}" for r in api)


async def test_oauth_token_renewed_before_expiry(fake: FakePiggy, contact_uuid: str) -> None:
    fake.token_ttl = 100
    async with fake.client(client_id=fake.client_id, client_secret=fake.client_secret) as piggy:
        auth = piggy._transport.auth
        now = [1000.0]
        auth.clock = lambda: now[0]  # type: ignore[union-attr]
        await piggy.contacts.get_credit_balance(contact_uuid)
        now[0] += 80  # renewed 10 s (10% of 100 s) before expiry: still fresh at +80
        await piggy.contacts.get_credit_balance(contact_uuid)
        now[0] += 11
        await piggy.contacts.get_credit_balance(contact_uuid)
    assert len([r for r in fake.requests if r.path == "/oauth/token"]) == 2


async def test_oauth_revoked_token_is_fetched_again(fake: FakePiggy, contact_uuid: str) -> None:
    async with fake.client(client_id=fake.client_id, client_secret=fake.client_secret) as piggy:
        await piggy.contacts.get_credit_balance(contact_uuid)
        fake.issued_tokens.clear()  # Piggy forgot the token
        await piggy.contacts.get_credit_balance(contact_uuid)
    assert len([r for r in fake.requests if r.path == "/oauth/token"]) == 2


async def test_oauth_bad_client_secret(fake: FakePiggy, contact_uuid: str) -> None:
    async with fake.client(client_id=fake.client_id, client_secret=SECRET) as piggy:
        with pytest.raises(AuthenticationError) as info:
            await piggy.contacts.get(contact_uuid)
    assert SECRET not in str(info.value)
    assert SECRET not in repr(info.value)
    assert info.value.url is not None
    assert info.value.url.endswith("/oauth/token")


async def test_oauth_token_url_derived_from_base_url(fake: FakePiggy) -> None:
    piggy = fake.client(client_id="a", client_secret="b")
    assert piggy._transport.token_url == fake.origin + "/oauth/token"
    await piggy.aclose()


# -- headers, configuration, lifecycle ----------------------------------------------------


async def test_default_headers(fake: FakePiggy, contact_uuid: str) -> None:
    async with fake.client(partner_id="partner-7", default_headers={"X-Trace": "t1"}) as piggy:
        await piggy.contacts.get(contact_uuid)
    headers = fake.requests[-1].headers
    assert headers["User-Agent"] == (
        f"piggy-client/{__version__} Python/{platform.python_version()} aiohttp/{aiohttp.__version__}"
    )
    assert headers["X-Partner-ID"] == "partner-7"
    assert headers["X-Trace"] == "t1"
    assert headers["Accept"] == "application/json"


def test_no_credentials_is_an_error_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PIGGY_API_KEY", "PIGGY_CLIENT_ID", "PIGGY_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError, match="no Piggy credentials"):
        AsyncPiggy()
    with pytest.raises(ConfigurationError, match="both client_id and client_secret"):
        AsyncPiggy(client_id="only-id")
    with pytest.raises(ConfigurationError, match="not both"):
        AsyncPiggy(api_key="k", client_id="i", client_secret="s")
    with pytest.raises(ConfigurationError):
        AsyncPiggy(api_key="   ")


def test_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIGGY_API_KEY", SECRET)
    monkeypatch.setenv("PIGGY_BASE_URL", "https://eu.example.com/api/v3/oauth/clients/")
    piggy = AsyncPiggy()
    assert piggy.base_url == "https://eu.example.com/api/v3/oauth/clients"
    assert piggy._transport.auth.kind == "api_key"
    monkeypatch.delenv("PIGGY_API_KEY")
    monkeypatch.setenv("PIGGY_CLIENT_ID", "cid")
    monkeypatch.setenv("PIGGY_CLIENT_SECRET", "csecret")
    assert AsyncPiggy()._transport.auth.kind == "client_credentials"


def test_default_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PIGGY_BASE_URL", raising=False)
    assert AsyncPiggy(api_key="k").base_url == "https://api.piggy.eu/api/v3/oauth/clients"


@pytest.mark.parametrize(
    ("kwargs", "names", "builtin"),
    [
        ({"base_url": "ftp://x"}, "base_url", ValueError),
        ({"base_url": "http://api.piggy.eu/api"}, "plain http", ValueError),
        ({"base_url": "https://user:pw@api.piggy.eu"}, "base_url", ValueError),
        ({"base_url": "https://api.piggy.eu:99999/api"}, "base_url", ValueError),
        ({"max_retries": -1}, "max_retries must be an integer >= 0", ValueError),
        ({"max_retries": "3"}, "max_retries", TypeError),
        ({"max_retries": True}, "max_retries", TypeError),
        ({"max_connections": 0}, "max_connections must be an integer >= 1", ValueError),
        ({"max_connections": 2.5}, "max_connections", TypeError),
        ({"max_response_bytes": 0}, "max_response_bytes", ValueError),
        ({"close_grace": -1}, "close_grace must be a number of seconds >= 0", ValueError),
        ({"timeout": -1}, "timeout.connect must be a positive number", ValueError),
        ({"timeout": float("nan")}, "timeout.connect", ValueError),
        (
            {"timeout": "soon"},
            "timeout must be a number of seconds, a piggy_async.Timeout",
            TypeError,
        ),
        ({"session": "not a session"}, "session must be an aiohttp.ClientSession", TypeError),
        ({"default_headers": {"Authorization": "x"}}, "api_key", ValueError),
        ({"default_headers": ["X-A"]}, "default_headers must be a mapping", TypeError),
        ({"partner_id": ""}, "partner_id", ValueError),
    ],
)
def test_bad_configuration(kwargs: dict[str, object], names: str, builtin: type) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(names)) as info:
        AsyncPiggy(api_key="k", **kwargs)  # type: ignore[arg-type]
    assert isinstance(info.value, builtin)  # old ``except ValueError/TypeError`` keep working


@pytest.mark.parametrize(
    ("parts", "names"),
    [
        ({"connect": 0}, "timeout.connect"),
        ({"read": -2.5}, "timeout.read"),
        ({"pool": float("inf")}, "timeout.pool"),
        ({"total": "3"}, "timeout.total must be a number of seconds or None"),
    ],
)
def test_bad_timeout_parts(parts: dict[str, object], names: str) -> None:
    with pytest.raises(ConfigurationError, match=re.escape(names)):
        Timeout(**parts)  # type: ignore[arg-type]


def test_bad_with_options_are_configuration_errors() -> None:
    piggy = AsyncPiggy(api_key="k")
    with pytest.raises(ConfigurationError, match="max_retries"):
        piggy.with_options(max_retries=-1)
    with pytest.raises(ConfigurationError, match="timeout"):
        piggy.with_options(timeout=0)


def test_insecure_http_needs_opt_in() -> None:
    piggy = AsyncPiggy(api_key="k", base_url="http://piggy.internal/api", allow_insecure_http=True)
    assert piggy.base_url == "http://piggy.internal/api"


async def test_user_session_is_used_and_never_closed(fake: FakePiggy, contact_uuid: str) -> None:
    async with aiohttp.ClientSession() as session:
        piggy = fake.client(session=session)
        await piggy.contacts.get(contact_uuid)
        await piggy.aclose()
        assert not session.closed
        async with fake.client(session=session) as again:
            await again.contacts.get(contact_uuid)
        assert not session.closed


async def test_session_created_lazily_and_closed(fake: FakePiggy, contact_uuid: str) -> None:
    piggy = fake.client()
    assert piggy._transport.pool._session is None
    await piggy.contacts.get(contact_uuid)
    session = piggy._transport.pool._session
    assert session is not None
    assert not session.closed
    await piggy.aclose()
    assert session.closed
    await piggy.aclose()  # idempotent
    with pytest.raises(ClientClosedError, match="closed"):
        await piggy.contacts.get(contact_uuid)


def test_client_made_outside_a_loop() -> None:
    piggy = AsyncPiggy(api_key="k")  # no loop needed to construct
    assert piggy._transport.pool._session is None


# -- logging and secrets ------------------------------------------------------------------


async def test_logging_and_no_secret_anywhere(
    fake: FakePiggy, caplog: pytest.LogCaptureFixture, sleeps: SleepRecorder
) -> None:
    fake.token = SECRET
    contact_uuid = next(iter(fake.store.contacts))
    caplog.set_level(logging.DEBUG, logger="piggy_async")
    piggy = fake.client()
    piggy._transport.sleep = sleeps
    fake.faults.status(503)
    await piggy.contacts.get(contact_uuid)
    with pytest.raises(NotFoundError) as info:
        await piggy.contacts.get("missing")
    await piggy.aclose()

    debug = [r for r in caplog.records if r.levelno == logging.DEBUG]
    infos = [r for r in caplog.records if r.levelno == logging.INFO]
    assert any("503" in r.getMessage() and "attempt 1" in r.getMessage() for r in debug)
    assert any("200" in r.getMessage() and "attempt 2" in r.getMessage() for r in debug)
    assert len(infos) == 1
    assert "retrying GET /contacts/" in infos[0].getMessage()

    texts = [r.getMessage() for r in caplog.records]
    texts += [
        repr(piggy),
        str(piggy),
        str(info.value),
        repr(info.value),
        repr(piggy._transport.auth),
    ]
    texts += [repr(piggy.with_options(max_retries=0))]
    for text in texts:
        assert SECRET not in text
    assert SECRET not in repr(vars(info.value))


async def test_oauth_secrets_never_logged(
    fake: FakePiggy, caplog: pytest.LogCaptureFixture, contact_uuid: str
) -> None:
    caplog.set_level(logging.DEBUG)
    async with fake.client(client_id=fake.client_id, client_secret=fake.client_secret) as piggy:
        await piggy.contacts.get(contact_uuid)
        text = (
            " ".join(r.getMessage() for r in caplog.records)
            + repr(piggy)
            + repr(piggy._transport.auth)
        )
    token = next(iter(fake.issued_tokens))
    assert fake.client_secret not in text
    assert token not in text


# -- backoff on Python 3.14 ------------------------------------------------------------------


async def test_retries_never_touch_the_deprecated_iscoroutinefunction(
    piggy: AsyncPiggy,
    fake: FakePiggy,
    sleeps: SleepRecorder,
    contact_uuid: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """backoff's async decorator calls asyncio.iscoroutinefunction (deprecated on 3.14);
    the client uses only backoff's wait generators, so a retried call never reaches it."""

    def deprecated(func: object) -> bool:
        raise AssertionError("asyncio.iscoroutinefunction was called")

    monkeypatch.setattr(asyncio, "iscoroutinefunction", deprecated)
    fake.faults.status(503, times=2)
    await piggy.contacts.get(contact_uuid)
    assert len(sleeps.calls) == 2
    assert len(fake.requests) == 3


def test_every_resource_attribute_is_made_on_first_use() -> None:
    from piggy_async._client import _RESOURCES

    piggy = AsyncPiggy(api_key="k")
    assert set(_RESOURCES) == set(AsyncPiggy.__annotations__)
    for name, kind in _RESOURCES.items():
        resource = getattr(piggy, name)
        assert type(resource) is kind
        assert getattr(piggy, name) is resource  # made once, then kept
    with pytest.raises(AttributeError):
        piggy.no_such_resource  # noqa: B018
