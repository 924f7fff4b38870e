"""orders.md: the request shape, the documented example, and the fake's order action."""

from __future__ import annotations

from typing import Any

import pytest

from piggy_async import APIStatusError, AsyncPiggy, InvalidArgumentError, OrderCreated
from piggy_async.testing import FakePiggy

from .conftest import Api
from .section_checks import UUID, assert_piggy_error, check_example, check_shape, doc_calls, raw

DOCS = doc_calls("orders")
LINE = {
    "external_identifier": "LI-1",
    "name": "Cheeseburger XL",
    "quantity": 2,
    "price": 1250,
    "total_amount": 2500,
}
REQUIRED: dict[str, Any] = {
    "external_identifier": "EXT-0012",
    "status": "COMPLETED",
    "payment_status": "PAID",
    "total_order_amount": 3331,
    "contact_uuid": UUID,
    "business_profile_uuid": UUID,
    "line_items": [LINE],
}
OPTIONAL: dict[str, Any] = {
    "reference": "Order B-2110",
    "order_amount": 3175,
    "total_discount_amount": 225,
    "currency": "EUR",
    "paid_at": "2025-05-01T20:10:44+00:00",
    "completed_at": "2025-05-01T20:11:03+00:00",
    "applied_discounts": [
        {
            "external_identifier": "DISC",
            "name": "25% off Drinks",
            "amount": 225,
            "type": "PERCENTAGE",
            "value": 25,
            "applied_to": "LINE_ITEMS",
            "line_items": [{"external_identifier": "LI-1"}],
        }
    ],
    "charges": [
        {"external_identifier": "SRV", "type": "SERVICE_CHARGE", "name": "12%", "total_amount": 381}
    ],
}
SENT = {"contact", "business_profile"} | (set(REQUIRED) - {"contact_uuid", "business_profile_uuid"})


@pytest.mark.parametrize(
    ("call", "sends"),
    [
        (lambda p: p.orders.create(**REQUIRED), SENT),
        (lambda p: p.orders.create(**REQUIRED, **OPTIONAL), SENT | set(OPTIONAL)),
    ],
)
async def test_request_shape(call: object, sends: set[str]) -> None:
    await check_shape(DOCS["Create Order"], call, sends)  # type: ignore[arg-type]


async def test_objects_are_sent_as_documented(fake: FakePiggy, piggy: AsyncPiggy) -> None:
    with pytest.raises(APIStatusError):
        await piggy.orders.create(**REQUIRED, **OPTIONAL)
    body = fake.requests[-1].json
    assert body["contact"] == {"uuid": UUID}
    assert body["business_profile"] == {"uuid": UUID}
    assert body["line_items"] == [LINE]
    assert body["applied_discounts"] == OPTIONAL["applied_discounts"]


async def test_documented_example_decodes() -> None:
    created = await check_example(DOCS["Create Order"], lambda p: p.orders.create(**REQUIRED))
    assert isinstance(created, OrderCreated)
    assert created.order.line_items[1].discount_amount == 225
    assert created.order.applied_discounts[0].line_items[0].external_identifier == (
        "LI_IT_991_Ac990s"
    )
    assert created.result is not None
    assert (created.result.points, created.result.data) == (35, {"new_balance": 2267})


async def test_a_paid_order_earns_points(api: Api, fake: FakePiggy) -> None:
    contact_uuid = next(iter(fake.store.contacts))
    before = fake.store.contacts[contact_uuid]["credit_balance"]["balance"]
    arranged = {
        **REQUIRED,
        "contact_uuid": contact_uuid,
        "business_profile_uuid": fake.store.shop["uuid"],
    }
    created = await api(lambda p: p.orders.create(**arranged, **OPTIONAL))
    assert created.order.contact.uuid == contact_uuid
    assert created.order.business_profile.uuid == fake.store.shop["uuid"]
    assert (created.order.external_id, created.order.total_charges_amount) == ("EXT-0012", 381)
    assert created.order.line_items[0].uuid
    assert created.result.type == "POINTS_TRANSACTION"
    assert created.result.points == 33
    assert created.result.data == {"new_balance": before + 33}
    pending = await api(
        lambda p: p.orders.create(**{**arranged, "external_identifier": "E2", "status": "PENDING"})
    )
    assert pending.result is None
    with pytest.raises(APIStatusError) as again:  # external identifiers are unique
        await api(lambda p: p.orders.create(**arranged))
    assert (again.value.status_code, again.value.code) == (400, 1003)
    assert len(fake.store.orders) == 2


async def test_unknown_contact_and_business_profile(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    with pytest.raises(APIStatusError) as contact:
        await piggy.orders.create(**{**REQUIRED, "business_profile_uuid": fake.store.shop["uuid"]})
    assert (contact.value.status_code, contact.value.code) == (400, 55031)
    known = next(iter(fake.store.contacts))
    with pytest.raises(APIStatusError) as shop:
        await piggy.orders.create(**{**REQUIRED, "contact_uuid": known})
    assert (shop.value.status_code, shop.value.code) == (400, 1008)
    body = {"external_identifier": "X", "status": "COMPLETED", "payment_status": "PAID"}
    assert_piggy_error(await raw(fake, "POST", "/orders", body), 1003, "Invalid input.")
    assert not fake.store.orders


@pytest.mark.parametrize(
    ("change", "argument"),
    [
        ({"status": "DONE"}, "status"),
        ({"payment_status": "paid"}, "payment_status"),
        ({"total_order_amount": "33.31"}, "total_order_amount"),
        ({"total_order_amount": float("nan")}, "total_order_amount"),
        ({"line_items": "LI-1"}, "line_items"),
        ({"line_items": [{**LINE, "price": None}]}, "line_items[0].price"),
        ({"line_items": [{**LINE, "product": {}}]}, "line_items[0].product.external_identifier"),
        (
            {"applied_discounts": [{**OPTIONAL["applied_discounts"][0], "line_items": []}]},
            "applied_discounts[0]",
        ),
        (
            {"applied_discounts": [{**OPTIONAL["applied_discounts"][0], "type": "HALF"}]},
            "applied_discounts[0].type",
        ),
        ({"charges": [{**OPTIONAL["charges"][0], "type": "TAX"}]}, "charges[0].type"),
        ({"contact_uuid": ""}, "contact_uuid"),
        ({"paid_at": ""}, "paid_at"),
    ],
)
async def test_bad_arguments_fail_before_any_request(
    piggy: AsyncPiggy, fake: FakePiggy, change: dict[str, Any], argument: str
) -> None:
    before = len(fake.requests)
    with pytest.raises(InvalidArgumentError) as bad:
        await piggy.orders.create(**{**REQUIRED, **OPTIONAL, **change})
    assert argument in str(bad.value)
    assert len(fake.requests) == before
