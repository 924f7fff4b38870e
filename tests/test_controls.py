"""Per-call controls: with_options extras, raw responses, the generic call, PIGGY_LOG,
proxies from the environment, the NOT_GIVEN default."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import pickle
from typing import Any

import pytest
from aiohttp import web

from piggy_async import (
    NOT_GIVEN,
    AsyncPiggy,
    ConfigurationError,
    Contact,
    ContactNotFoundError,
    InvalidArgumentError,
    RateLimitError,
    RawResponse,
    Shop,
    capture_response,
)
from piggy_async._raw import configure_logging
from piggy_async.testing import FakePiggy

# -- with_options ---------------------------------------------------------------------------


async def test_extra_headers_query_and_body_reach_piggy(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    client = piggy.with_options(
        extra_headers={"X-Trace": "t1"}, extra_query={"debug": True}, extra_body={"note": "x"}
    )
    await client.contacts.list(limit=2)
    await client.contacts.create(email="extras@example.com")
    get, post = fake.requests[-2:]
    assert get.headers["X-Trace"] == "t1"
    assert get.query == {"limit": "2", "debug": "true"}
    assert get.json is None  # no body forced onto a GET
    assert post.json == {"email": "extras@example.com", "note": "x"}
    assert post.headers["X-Trace"] == "t1"
    # The parent client is untouched; a copy of the copy adds to the extras.
    await piggy.contacts.list()
    assert "X-Trace" not in fake.requests[-1].headers
    await client.with_options(extra_query={"more": 1}).contacts.list()
    assert fake.requests[-1].query == {"debug": "true", "more": "1"}


async def test_partner_id_set_and_removed(fake: FakePiggy) -> None:
    async with fake.client(partner_id="p-1") as client:
        await client.with_options(partner_id="p-2").shops.list()
        assert fake.requests[-1].headers["X-Partner-ID"] == "p-2"
        await client.with_options(partner_id=None).shops.list()
        assert "X-Partner-ID" not in fake.requests[-1].headers
        await client.with_options(max_retries=0).shops.list()
        assert fake.requests[-1].headers["X-Partner-ID"] == "p-1"


async def test_a_per_request_header_adds_to_the_clients_own(fake: FakePiggy) -> None:
    async with fake.client(partner_id="p-1", default_headers={"X-App": "shop"}) as client:
        view = client.with_options(extra_headers={"X-Request-ID": "r-1", "Content-Type": "x"})
        await view.contacts.get(next(iter(fake.store.contacts)))
        await view.contacts.create(email="h2@example.com")
        get, post = fake.requests[-2:]
        for sent in (get, post):
            assert sent.headers["X-Request-ID"] == "r-1"
            assert sent.headers["X-App"] == "shop"
            assert sent.headers["X-Partner-ID"] == "p-1"
            assert sent.headers["Authorization"].startswith("Bearer ")
        assert post.headers["Content-Type"] == "application/json"  # a JSON body stays JSON
        again = view.with_options(extra_headers={"X-Request-ID": "r-2"})
        await again.contacts.list()
        assert fake.requests[-1].headers["X-Request-ID"] == "r-2"
        await client.contacts.list()
        assert "X-Request-ID" not in fake.requests[-1].headers


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"timeout": 1}, {"timeout": True}),
        ({"max_retries": 1}, {"max_retries": True}),
        ({"max_retries": 1}, {"max_retries": 1.0}),
        ({"timeout": 2}, {"timeout": [2]}),
    ],
)
def test_a_remembered_view_never_lets_a_bad_setting_through(
    piggy: AsyncPiggy, first: dict[str, Any], second: dict[str, Any]
) -> None:
    assert piggy.with_options(**first) is piggy.with_options(**first)
    with pytest.raises(ConfigurationError):
        piggy.with_options(**second)


def test_extra_headers_cannot_carry_credentials(piggy: AsyncPiggy) -> None:
    with pytest.raises(ConfigurationError, match="credentials"):
        piggy.with_options(extra_headers={"authorization": "Bearer x"})


@pytest.mark.parametrize(
    "bad",
    [
        {"X-Request-ID": "a\r\nX-Evil: 1"},
        {"X-Request-ID": 7},
        {"Authorization": "Bearer x"},
        {"X Request": "a"},
    ],
)
def test_a_header_name_seen_before_is_still_checked_with_its_value(
    piggy: AsyncPiggy, bad: dict[str, Any]
) -> None:
    for _ in range(2):  # the second time, the name is one already found valid
        assert piggy.with_options(extra_headers={"X-Request-ID": "ok"}) is not piggy
        with pytest.raises(ConfigurationError, match=r"extra_headers"):
            piggy.with_options(extra_headers=bad)


def test_a_per_request_header_copy_keeps_the_views_timeout(piggy: AsyncPiggy) -> None:
    view = piggy.with_options(timeout=3.0, max_retries=0, extra_headers={"X-Request-ID": "a"})
    assert (view.timeout.read, view.max_retries) == (3.0, 0)
    assert view is not piggy.with_options(timeout=3.0, max_retries=0, extra_headers={"X": "a"})


def test_not_given_has_a_clean_repr() -> None:
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert not NOT_GIVEN
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN
    signature = str(inspect.signature(AsyncPiggy.with_options))
    assert "= NOT_GIVEN" in signature
    assert "object at 0x" not in signature


# -- raw responses --------------------------------------------------------------------------


async def test_raw_response_of_a_successful_call(piggy: AsyncPiggy, contact_uuid: str) -> None:
    with capture_response() as captured:
        contact = await piggy.contacts.get(contact_uuid)
    raw = captured.response
    assert isinstance(raw, RawResponse)
    assert raw.status_code == 200
    assert raw.headers["Content-Type"].startswith("application/json")
    assert raw.json()["data"]["uuid"] == contact_uuid
    assert raw.parse(Contact) == contact
    assert (raw.method, raw.url) == ("GET", f"{piggy.base_url}/contacts/{contact_uuid}")
    assert contact_uuid not in repr(raw)
    # Outside the block nothing is recorded.
    await piggy.contacts.get(contact_uuid)
    assert captured.response is raw


async def test_captures_do_not_mix_between_tasks(piggy: AsyncPiggy, contact_uuid: str) -> None:
    async def one(call: Any) -> int:
        with capture_response() as captured, contextlib.suppress(ContactNotFoundError):
            await call()
        return captured.response.status_code if captured.response else 0

    ok, missing = await asyncio.gather(
        one(lambda: piggy.contacts.get(contact_uuid)),
        one(lambda: piggy.contacts.get("0b7c3f5e-0000-4000-8000-000000000000")),
    )
    assert (ok, missing) == (200, 0)  # a failed call records nothing: the error has it


async def test_errors_carry_the_raw_response(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    fake.faults.status(429, times=5, headers={"Retry-After": "0", "X-Request-Id": "r-9"})
    client = piggy.with_options(max_retries=0)
    with pytest.raises(RateLimitError) as info:
        await client.shops.list()
    response = info.value.response
    assert isinstance(response, RawResponse)
    assert response.status_code == 429
    assert response.headers["X-Request-Id"] == "r-9"
    assert response.content == info.value.body
    # Errors still pickle (process pools, job queues), their response included.
    again = pickle.loads(pickle.dumps(info.value))
    assert again.response is not None
    assert again.response.headers["x-request-id"] == "r-9"
    assert again.response.status_code == 429


# -- the generic call -----------------------------------------------------------------------


async def test_generic_request(piggy: AsyncPiggy, fake: FakePiggy, contact_uuid: str) -> None:
    contact = await piggy.request("GET", f"/contacts/{contact_uuid}", cast_to=Contact)
    assert isinstance(contact, Contact)
    assert contact.uuid == contact_uuid
    shops = await piggy.request("get", "/shops", query={"page": 1})
    assert isinstance(shops, list)
    assert isinstance(shops[0], dict)
    assert fake.requests[-1].query == {"page": "1"}
    typed = await piggy.request("GET", "/shops", cast_to=list[Shop])
    assert isinstance(typed[0], Shop)
    with pytest.raises(ContactNotFoundError):
        await piggy.request("GET", "/contacts/0b7c3f5e-0000-4000-8000-000000000000")


@pytest.mark.parametrize(
    ("method", "path", "argument"),
    [
        ("TRACE", "/shops", "method"),
        ("GET", "shops", "path"),
        ("GET", "/shops?page=1", "path"),
        ("GET", "/contacts/../shops", "path"),
        ("GET", "https://evil.example/x", "path"),
    ],
)
async def test_generic_request_refuses_bad_input(
    piggy: AsyncPiggy, fake: FakePiggy, method: str, path: str, argument: str
) -> None:
    with pytest.raises(InvalidArgumentError) as info:
        await piggy.request(method, path)
    assert info.value.argument == argument
    assert fake.requests == []


def test_sync_controls(threaded_fake: FakePiggy) -> None:
    from piggy_sync import Piggy

    with Piggy(api_key=threaded_fake.token, base_url=threaded_fake.base_url) as piggy:
        client = piggy.with_options(extra_headers={"X-Trace": "sync"})
        with capture_response() as captured:
            shops = client.request("GET", "/shops", cast_to=list[Shop])
        assert isinstance(shops[0], Shop)
        assert captured.response is not None
        assert captured.response.status_code == 200
    assert threaded_fake.requests[-1].headers["X-Trace"] == "sync"


# -- PIGGY_LOG ------------------------------------------------------------------------------


@pytest.fixture
def clean_logger() -> Any:
    logger = logging.getLogger("piggy_async")
    level, handlers = logger.level, list(logger.handlers)
    yield logger
    logger.setLevel(level)
    logger.handlers[:] = handlers


def test_piggy_log_env_configures_the_logger(clean_logger: logging.Logger) -> None:
    configure_logging({})
    assert clean_logger.level == logging.NOTSET
    configure_logging({"PIGGY_LOG": "debug"})
    assert clean_logger.level == logging.DEBUG
    configure_logging({"PIGGY_LOG": "INFO"})
    assert clean_logger.level == logging.INFO
    assert len([h for h in clean_logger.handlers if getattr(h, "_piggy_env", False)]) == 1


# -- proxies from the environment -----------------------------------------------------------


async def test_http_proxy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    async def proxy(request: web.Request) -> web.Response:
        seen.append(str(request.url))
        return web.json_response({"data": []})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", proxy)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with AsyncPiggy(
            api_key="k", base_url="http://piggy.invalid/api", allow_insecure_http=True
        ) as client:
            assert await asyncio.wait_for(client.shops.list(), 10) == []
    finally:
        await runner.cleanup()
    assert seen == ["http://piggy.invalid/api/shops"]


async def test_no_proxy_is_honoured(fake: FakePiggy, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with fake.client(max_retries=0) as client:
        assert await asyncio.wait_for(client.shops.list(), 10)


def test_env_proxy_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    from piggy_async._raw import env_proxy

    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert env_proxy("https://api.piggy.eu/api/v3") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.corp:3128")
    assert env_proxy("https://api.piggy.eu/api/v3") == "http://proxy.corp:3128"
    assert env_proxy("http://127.0.0.1:8080/api") is None  # HTTPS_PROXY is for https only
    monkeypatch.setenv("NO_PROXY", "internal.corp,.piggy.eu")
    assert env_proxy("https://api.piggy.eu/api/v3") is None
