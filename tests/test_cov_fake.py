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
        world = World(fake, http, names)
        for path, body in (
            ("/contact-identifiers", {"contact_identifier_value": "ID-1", "contact_uuid": first}),
            ("/shift-types", {"name": "Morning", "description": "early"}),
            (
                "/webhook-subscriptions",
                {
                    "name": "hook",
                    "url": "https://example.com/hook",
                    "event_type": "contact_created",
                    "secret": "s3cret",
                },
            ),
        ):
            status, answer = await world.call("POST", path, body)
            assert status == 200, answer
        names["webhook"] = next(iter(store.webhook_subscriptions))
        names["automation"] = next(
            a["uuid"] for a in store.automations if a["event"] != "contact_updated"
        )
        yield world


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
    # credit-receptions.md, loyalty-tokens
    ("GET", "/credit-receptions/calculate", None, {"shop_uuid": "{shop}", "unit_value": "abc"},
     INVALID, "unit_value"),
    ("POST", "/credit-receptions", {"shop_uuid": "{shop}", "contact_uuid": "{contact}"}, None,
     INVALID, "credits"),
    ("POST", "/credit-receptions",
     {"shop_uuid": "{shop}", "contact_identifier_value": "nope", "credits": 1}, None,
     ErrorCode.CONTACT_IDENTIFIER_NOT_FOUND, None),
    ("POST", "/loyalty-tokens/claim",
     {"version": 1, "shop_id": 1, "unique_id": "u", "timestamp": 1, "hash": "forged",
      "contact_uuid": "{contact}"}, None, INVALID, "hash"),
    # prepaid-transactions.md
    ("POST", "/prepaid-transactions",
     {"shop_uuid": "{shop}", "contact_uuid": "{contact}", "amount_in_cents": -10**9}, None,
     INVALID, "amount_in_cents"),
    ("POST", "/prepaid-transactions", {"shop_uuid": "{shop}", "amount_in_cents": 5}, None,
     INVALID, "contact_uuid"),
    # contact-identifiers.md
    ("GET", "/contact-identifiers/find", None, {"contact_identifier_value": ""}, INVALID,
     "contact_identifier_value"),
    ("POST", "/contact-identifiers",
     {"contact_identifier_value": "ID-1", "contact_uuid": "{other}"}, None, INVALID,
     "contact_identifier_value"),
    ("PUT", "/contact-identifiers",
     {"contact_identifier_value": "ID-1", "contact_identifier_active": "yes"}, None, INVALID,
     "contact_identifier_active"),
    # giftcard-transactions.md (and the paging parameters)
    ("GET", "/giftcard-transactions", None, {}, INVALID, "gifcard_hash"),
    ("GET", "/giftcard-transactions", None, {"shop_uuid": "{shop}", "page": "x"}, INVALID, "page"),
    ("GET", "/giftcard-transactions", None, {"shop_uuid": "{shop}", "perPage": "500"}, INVALID,
     "perPage"),
    # automations.md, rewards, reward-receptions, subscriptions, shift types, webhooks
    ("POST", "/automations/runs",
     {"contact_uuid": "{contact}", "automation_uuid": "{automation}"}, None, INVALID,
     "automation_uuid"),
    ("POST", "/automations/runs",
     {"contact_uuid": "{contact}", "automation_uuid": "{automation}", "data": "x"}, None,
     INVALID, "data"),
    ("POST", "/reward-receptions",
     {"contact_uuid": "{contact}", "reward_uuid": "nope", "shop_uuid": "{shop}"}, None,
     ErrorCode.REWARD_NOT_FOUND, None),
    ("GET", "/rewards", None, {"shop_uuid": "nope"}, ErrorCode.SHOP_NOT_FOUND, None),
    ("PUT", "/contact-subscriptions/{contact}/subscribe", {"subscription_type_uuid": "nope"},
     None, ErrorCode.SUBSCRIPTION_TYPE_NOT_FOUND, None),
    ("POST", "/shift-types", {"name": "Morning", "description": "again"}, None, INVALID, "name"),
    ("GET", "/shift-types/find", None, {"name": "Evening"}, ErrorCode.SHIFT_TYPE_NOT_FOUND, None),
    ("PUT", "/webhook-subscriptions/{webhook}", {"status": "PAUSED"}, None, INVALID, "status"),
    ("PUT", "/webhook-subscriptions/{webhook}", {"secret": "new"}, None, INVALID, "event_type"),
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


async def test_merge_moves_transactions_and_identifiers(world: World) -> None:
    store = world.fake.store
    moved = {tx["uuid"] for tx in store.transactions[world.names["contact"]]}
    assert moved
    body = {"source_contact_uuid": "{contact}", "destination_contact_uuid": "{other}"}
    status, _ = await world.call("POST", "/contacts/merge", body)
    assert status == 200
    status, answer = await world.call(
        "GET", "/contacts/{other}/loyalty-transactions", query={"limit": "100"}
    )
    assert status == 200
    assert moved <= {tx["uuid"] for tx in answer["data"]}
    query = {"contact_identifier_value": "ID-1"}
    status, answer = await world.call("GET", "/contact-identifiers/find", query=query)
    assert status == 200
    assert answer["data"]["contact"]["uuid"] == world.names["other"]


async def test_credits_given_by_identifier_go_to_its_contact(world: World) -> None:
    body = {"shop_uuid": "{shop}", "contact_identifier_value": "ID-1", "credits": 3}
    before = world.fake.store.contacts[world.names["contact"]]["credit_balance"]["balance"]
    status, answer = await world.call("POST", "/credit-receptions", body)
    assert status == 200
    assert answer["data"]["contact"]["uuid"] == world.names["contact"]
    after = world.fake.store.contacts[world.names["contact"]]["credit_balance"]["balance"]
    assert after == before + 3


async def test_webhook_update_keeps_what_may_not_change(world: World) -> None:
    body = {"name": "renamed", "attributes": ["email"]}
    status, answer = await world.call("PUT", "/webhook-subscriptions/{webhook}", body)
    assert status == 200
    assert answer["data"]["name"] == "renamed"
    assert answer["data"]["event_type"] == "contact_created"
    assert "s3cret" not in str(answer)  # the secret is never echoed
