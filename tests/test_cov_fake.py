"""The fake Piggy server answers bad requests as Piggy does: HTTP 400 with the documented
code, and for invalid input (1003) the field at fault; and filters lists as asked.

Spoken to over raw HTTP, so that each answer is the fake's own, not the client's reading."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from piggy_async._codes import ErrorCode
from piggy_async.testing import FakePiggy

INVALID = 1003


@dataclass
class World:
    fake: FakePiggy
    http: aiohttp.ClientSession
    names: dict[str, str]

    async def call(
        self, method: str, path: str, body: Any = None, query: dict[str, str] | None = None
    ) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {self.fake.token}", "Accept": "application/json"}
        url = self.fake.base_url + path.format(**self.names)
        body = _fill(body, self.names)
        params = None if query is None else {k: v.format(**self.names) for k, v in query.items()}
        async with self.http.request(
            method, url, json=body, params=params, headers=headers
        ) as resp:
            return resp.status, await resp.json()


def _fill(value: Any, names: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**names)
    if isinstance(value, dict):
        return {k: _fill(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, names) for v in value]
    return value


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    async with (
        FakePiggy(contacts=2, transactions=10, seed=5) as fake,
        aiohttp.ClientSession() as http,
    ):
        store = fake.store
        first, second = list(store.contacts)
        promo = next(iter(store.promotions))
        free = store.add_voucher(promo, code="FREE-1")
        owned = store.add_voucher(promo, code="OWNED-1", contact_uuid=first)
        off = store.add_voucher(promo, code="OFF-1")
        off["status"] = "DEACTIVATED"
        names = {
            "contact": first,
            "other": second,
            "promo": promo,
            "free": free["uuid"],
            "owned": owned["uuid"],
            "off": off["uuid"],
            "shop": store.shops[0]["uuid"],
            "attribute": store.attributes[0]["name"],
        }
        yield World(fake, http, names)


ORDER = {
    "external_identifier": "E",
    "status": "COMPLETED",
    "payment_status": "PAID",
    "total_order_amount": 1,
    "contact": {"uuid": "{contact}"},
    "business_profile": {"uuid": "{shop}"},
    "line_items": [
        {"external_identifier": "L", "name": "n", "quantity": 1, "price": 1, "total_amount": 1}
    ],
}

# (method, path, body, query) -> (Piggy code, field named in ``errors`` or None)
REFUSED: list[tuple[str, str, Any, Any, int, str | None]] = [
    # vouchers.md
    ("POST", "/vouchers", {"promotion_uuid": "{promo}", "contact_uuid": "nobody"}, None,
     ErrorCode.CONTACT_NOT_FOUND, None),
    ("POST", "/vouchers", {"promotion_uuid": "{promo}", "code": "FREE-1"}, None,
     ErrorCode.VOUCHER_ALREADY_EXISTS, None),
    ("POST", "/vouchers/redeem", {"code": "OFF-1", "contact_uuid": "{contact}"}, None,
     ErrorCode.VOUCHER_DEACTIVATED, None),
    ("POST", "/vouchers/redeem", {"code": "FREE-1"}, None, INVALID, "contact_uuid"),
    ("POST", "/vouchers/redeem", {"code": "OWNED-1", "contact_uuid": "{other}"}, None,
     INVALID, "contact_uuid"),
    ("POST", "/vouchers/multi-redeem",
     {"code": "FREE-1", "contact_uuid": "{contact}", "number_of_times": 51, "shop_uuid": "{shop}"},
     None, INVALID, "number_of_times"),
    ("POST", "/vouchers/multi-redeem",
     {"code": "FREE-1", "contact_uuid": "{contact}", "number_of_times": "2", "shop_uuid": "{shop}"},
     None, INVALID, "number_of_times"),
    ("POST", "/vouchers/{free}/reverse", {}, None, INVALID, "uuid"),
    ("POST", "/vouchers/{off}/lock", {}, None, ErrorCode.VOUCHER_DEACTIVATED, None),
    ("POST", "/vouchers/{free}/release", {"release_key": "guess"}, None, INVALID, "release_key"),
    ("PUT", "/vouchers/update/{free}", {"status": "REDEEMED"}, None, INVALID, "status"),
    # contacts.md
    ("GET", "/contacts/find-one-by", None, {"email": ""}, INVALID, "email"),
    ("GET", "/contacts/find-one-by", None, {"email": "not-an-email"}, INVALID, "email"),
    ("POST", "/contacts", {}, None, INVALID, "email"),
    ("POST", "/contacts", {"email": "nope"}, None, INVALID, "email"),
    ("PUT", "/contacts/{contact}/claim", {"email": "nope"}, None, INVALID, "email"),
    ("PUT", "/contacts/{contact}", {"attributes": {}}, None, INVALID, "attributes"),
    ("PUT", "/contacts/{contact}", {"attributes": {"no_such_thing": 1}}, None, INVALID,
     "attributes.no_such_thing"),
    ("POST", "/contacts/{contact}/delete", {"type": "SOFT"}, None, INVALID, "type"),
    ("POST", "/contacts/merge",
     {"source_contact_uuid": "{contact}", "destination_contact_uuid": "{contact}"}, None,
     INVALID, "source_contact_uuid"),
    ("GET", "/contacts", None, {"sort": "name"}, INVALID, "sort"),
    ("POST", "/contact-attributes",
     {"name": "{attribute}", "label": "Again", "data_type": "text"}, None, INVALID, "name"),
    # orders.md
    ("POST", "/orders", {**ORDER, "contact": "{contact}"}, None, INVALID, "contact.uuid"),
    ("POST", "/orders", {**ORDER, "status": "SHIPPED"}, None, INVALID, "status"),
    ("POST", "/orders", {**ORDER, "payment_status": "MAYBE"}, None, INVALID, "payment_status"),
    ("POST", "/orders", {**ORDER, "line_items": []}, None, INVALID, "line_items"),
    ("POST", "/orders", {**ORDER, "line_items": [{"name": "n"}]}, None, INVALID,
     "line_items.0.external_identifier"),
    # a body that is not an object
    ("POST", "/contacts", ["a@example.com"], None, INVALID, "body"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "body", "query", "code", "field"),
    REFUSED,
    ids=[f"{m} {p} {f or c}" for m, p, _, _, c, f in REFUSED],
)
async def test_the_fake_refuses_as_piggy_does(
    world: World, method: str, path: str, body: Any, query: Any, code: int, field: str | None
) -> None:
    status, answer = await world.call(method, path, body, query)
    assert status == 400
    assert answer["code"] == code
    if field is not None:
        assert list(answer["errors"]) == [field]
        assert answer["message"] == "Invalid input."


async def test_voucher_created_with_dates_and_listed_by_contact(world: World) -> None:
    body = {
        "promotion_uuid": "{promo}",
        "contact_uuid": "{other}",
        "activation_date": "2025-01-01T00:00:00+00:00",
    }
    status, answer = await world.call("POST", "/vouchers", body)
    assert status == 200
    assert answer["data"]["activation_date"] == "2025-01-01T00:00:00+00:00"
    assert answer["data"]["expiration_date"] == "2030-01-01T00:00:00+00:00"  # kept
    status, listed = await world.call("GET", "/vouchers", query={"contact_uuid": "{other}"})
    assert status == 200
    assert [v["uuid"] for v in listed["data"]] == [answer["data"]["uuid"]]


async def test_voucher_update_merges_custom_attributes(world: World) -> None:
    body = {"status": "DEACTIVATED", "custom_attributes": {"campaign": "spring"}}
    status, answer = await world.call("PUT", "/vouchers/update/{free}", body)
    assert status == 200
    assert answer["data"]["status"] == "DEACTIVATED"
    assert answer["data"]["attributes"] == {"campaign": "spring"}


async def test_loyalty_transactions_filtered_by_contact_shop_and_type(world: World) -> None:
    store = world.fake.store
    everything = [tx for txs in store.transactions.values() for tx in txs]
    assert everything, "the fake's seed has transactions"
    sample = everything[0]
    contact = sample["contact"]["uuid"]
    shop = (sample.get("shop") or {}).get("uuid") or world.names["shop"]
    query = {"contact_uuid": contact, "shop_uuid": shop, "type": sample["type"], "limit": "100"}
    status, answer = await world.call("GET", "/loyalty-transactions", query=query)
    assert status == 200
    expected = {
        tx["uuid"]
        for tx in everything
        if tx["contact"]["uuid"] == contact
        and (tx.get("shop") or {}).get("uuid") == shop
        and tx["type"] == sample["type"]
    }
    assert expected  # the filters keep something...
    assert {tx["uuid"] for tx in answer["data"]} == expected  # ...and only that


async def test_method_not_allowed_and_oauth_grant(world: World) -> None:
    auth = {"Authorization": f"Bearer {world.fake.token}"}
    async with world.http.delete(world.fake.base_url + "/contacts", headers=auth) as resp:
        assert resp.status == 405
        assert (await resp.json())["message"] == "Method not allowed."
    form = {"grant_type": "password", "client_id": world.fake.client_id}
    async with world.http.post(world.fake.origin + "/oauth/token", data=form) as resp:
        assert resp.status == 400
        answer = await resp.json()
    assert answer["code"] == INVALID
    assert answer["errors"] == {"grant_type": ["unsupported"]}
