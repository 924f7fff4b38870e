"""Input edges the client checks before anything is sent, and what it sends for the valid
ones: orders' nested lists, settings of the client, and ``request()``'s query and body."""

from __future__ import annotations

from typing import Any

import pytest

from piggy_async import APIStatusError, AsyncPiggy, InvalidArgumentError, Timeout, _config
from piggy_async.errors import ConfigurationError
from piggy_async.testing import FakePiggy

UUID = "7a6b9a7c-4f6f-4e7b-9a0c-000000000001"
LINE = {
    "external_identifier": "LI-1",
    "name": "Burger",
    "quantity": 1,
    "price": 1000,
    "total_amount": 1000,
}
ORDER: dict[str, Any] = {
    "external_identifier": "EXT-1",
    "status": "COMPLETED",
    "payment_status": "PAID",
    "total_order_amount": 1000,
    "contact_uuid": UUID,
    "business_profile_uuid": UUID,
    "line_items": [LINE],
}


@pytest.mark.parametrize(
    ("extra", "argument", "message"),
    [
        ({"line_items": [LINE, "LI-2"]}, "line_items", "line_items[1] must be a mapping, not str"),
        (
            {"line_items": [{**LINE, "product": "P-1"}]},
            "line_items[0]",
            "line_items[0].product must be a mapping",
        ),
        (
            {"line_items": [{**LINE, "discount_amount": "5"}]},
            None,
            "line_items[0].discount_amount",
        ),
        (
            {
                "charges": [
                    {"external_identifier": "S", "name": "x", "total_amount": 1, "type": "TIP"}
                ]
            },
            None,
            "charges[0].type",
        ),
        (
            {
                "applied_discounts": [
                    {
                        "external_identifier": "D",
                        "name": "x",
                        "amount": 1,
                        "applied_to": "LINE_ITEMS",
                    }
                ]
            },
            None,
            "applied_discounts[0].line_items",
        ),
    ],
)
async def test_bad_order_lists_are_refused_before_sending(
    extra: dict[str, Any], argument: str | None, message: str
) -> None:
    async with FakePiggy(contacts=1) as fake:
        client: AsyncPiggy = fake.client()
        try:
            with pytest.raises(InvalidArgumentError) as caught:
                await client.orders.create(**{**ORDER, **extra})
        finally:
            await client.aclose()
        assert message in str(caught.value)
        if argument is not None:
            assert caught.value.argument == argument
        assert not fake.requests_to("POST", "/orders")


async def test_optional_order_fields_are_sent_only_when_given() -> None:
    line = {**LINE, "discount_amount": 100, "product": {"external_identifier": "P-1"}}
    discount = {"external_identifier": "D", "name": "Welcome", "amount": 100, "applied_to": "ORDER"}
    charge = {"external_identifier": "S", "name": "Tip", "type": "GRATUITY", "total_amount": 50}
    charge["amount"] = 50
    async with FakePiggy(contacts=1) as fake:
        client: AsyncPiggy = fake.client()
        try:
            with pytest.raises(APIStatusError):  # the fake knows no such contact
                await client.orders.create(
                    **{**ORDER, "line_items": [line]},
                    applied_discounts=[discount],
                    charges=[charge],
                )
        finally:
            await client.aclose()
    (sent,) = fake.requests_to("POST", "/orders")
    assert sent.json["line_items"] == [line]
    assert sent.json["applied_discounts"] == [discount]  # no type, value or line_items added
    assert sent.json["charges"] == [charge]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base_url": 42}, "base_url must be an http(s) URL string, not int"),
        (
            {"base_url": "https://api.piggy.eu/api/v3/oauth clients"},
            "base_url must not contain whitespace: 'https://api.piggy.eu/api/v3/oauth clients'",
        ),
        ({"close_grace": True}, "close_grace must be a number of seconds >= 0, not True"),
        ({"close_grace": "5"}, "close_grace must be a number of seconds >= 0, not '5'"),
        (
            {"api_key": None, "client_id": 7, "client_secret": "s"},
            "client_id and client_secret must be strings",
        ),
    ],
)
def test_bad_settings_are_configuration_errors(options: dict[str, Any], message: str) -> None:
    settings: dict[str, Any] = {"api_key": "key", **options}
    if settings["api_key"] is None:
        del settings["api_key"]
    with pytest.raises(ConfigurationError) as caught:
        AsyncPiggy(**settings)
    assert message in str(caught.value)


async def test_close_grace_is_the_setting_given() -> None:
    client = AsyncPiggy(api_key="key", close_grace=0.5)
    assert client.close_grace == 0.5
    assert client.with_options(timeout=3).close_grace == 0.5
    await client.aclose()


def test_timeout_none_means_no_limits() -> None:
    none = Timeout.coerce(None)
    assert (none.connect, none.read, none.pool, none.total) == (None, None, None, None)


def test_number_timeouts_are_the_same_whatever_the_cache_holds() -> None:
    values = [1000.0 + i for i in range(80)]  # more than the cache keeps
    for value in values:
        first, again = Timeout.coerce(value), Timeout.coerce(value)
        assert first == again == Timeout(connect=value, read=value, pool=value)
    assert len(_config._coerced) <= 64  # bounded, whatever a caller passes


async def test_with_options_copies_are_reused_up_to_a_bound() -> None:
    client = AsyncPiggy(api_key="key")
    try:
        copies = [client.with_options(timeout=1 + i) for i in range(40)]
        again = [client.with_options(timeout=1 + i) for i in range(40)]
        assert all(a is b for a, b in zip(copies[:32], again[:32], strict=True))
        # past the bound a copy is made afresh each time: the same settings all the same
        assert all(a is not b for a, b in zip(copies[32:], again[32:], strict=True))
        assert [c._transport.timeout for c in again] == [c._transport.timeout for c in copies]
    finally:
        await client.aclose()


def test_least_of_two_optional_limits() -> None:
    assert [
        _config.least(None, None),
        _config.least(None, 2.0),
        _config.least(3.0, None),
        _config.least(3.0, 2.0),
    ] == [None, 2.0, 3.0, 2.0]


@pytest.mark.parametrize(
    ("query", "body", "argument", "message"),
    [
        ({"name": "\ud800"}, None, "name", "a query parameter holds text that cannot be sent"),
        (None, {"\ud800": 1}, "\ud800", "a field of the request body holds text"),
        (None, {"ok": "fine", "note": "\udfff"}, "note", "a field of the request body holds"),
        (None, ["\ud800"], None, "a field of the request body holds text that cannot be sent"),
        (None, {"when": object()}, "when", "the request body cannot be sent as JSON: field"),
    ],
)
async def test_request_refuses_what_cannot_be_sent(
    query: Any, body: Any, argument: str | None, message: str
) -> None:
    async with FakePiggy(contacts=1) as fake:
        client: AsyncPiggy = fake.client()
        try:
            with pytest.raises(InvalidArgumentError) as caught:
                await client.request("POST", "/contacts", query=query, json=body)
        finally:
            await client.aclose()
        assert message in str(caught.value)
        assert caught.value.argument == argument
        assert not fake.requests


@pytest.mark.parametrize("padding", [" ", "\t", "  ", " \t "])
def test_a_base_url_with_surrounding_whitespace_is_used_without_it(padding: str) -> None:
    # a trailing space from an .env file once went into every request line
    client = AsyncPiggy(api_key="key", base_url=f"{padding}https://api.piggy.eu/api/v3/{padding}")
    assert client.base_url == "https://api.piggy.eu/api/v3"
