"""portal-sessions.md, the six kinds of portal session (credit reception, redeem and top up
giftcards, pay and top up prepaid, vouchers): request shapes, documented examples and the
fake's answers."""

from __future__ import annotations

from typing import Any

import pytest

from piggy_async import APIStatusError, AsyncPiggy, InvalidArgumentError, PortalSession
from piggy_async.testing import FakePiggy

from .conftest import Api
from .section_checks import UUID, assert_piggy_error, check_example, check_shape, doc_calls, raw

DOCS = doc_calls("portal-sessions")

#: docs heading -> (method name, path suffix)
KINDS = {
    "Create Credit Reception Portal Session": ("create_credit_reception", "credit-reception"),
    "Create Redeem Giftcard Portal Session": ("create_redeem_giftcards", "redeem-giftcards"),
    "Create Top Up Giftcard Portal Session": ("create_top_up_giftcards", "top-up-giftcards"),
    "Create Pay Prepaid Portal Session": ("create_pay_prepaid", "pay-prepaid"),
    "Create Top Up Prepaid Portal Session": ("create_top_up_prepaid", "top-up-prepaid"),
    "Create Voucher Portal Session": ("create_vouchers", "vouchers"),
}
OPTIONS: dict[str, Any] = {
    "contact_uuid": UUID,
    "scanner_type": "hand_scanner",
    "enable_email_identification": True,
    "enable_registration": False,
    "enable_on_screen_keyboard": True,
    "camera_service": 2,
    "facing_mode": "environment",
    "primary_identification_method": "email",
}


def _required(heading: str) -> dict[str, Any]:
    if KINDS[heading][0] == "create_redeem_giftcards":
        return {"shop_uuid": UUID, "amount_in_cents": 1040}
    return {"shop_uuid": UUID}


def _call(heading: str, **arguments: Any) -> Any:
    return lambda p: getattr(p.portal_sessions, KINDS[heading][0])(**arguments)


def test_every_kind_of_the_page_has_a_method() -> None:
    kinds = {h for h in DOCS if h.startswith("Create ") and h != "Create Portal Session"}
    assert kinds == set(KINDS)


@pytest.mark.parametrize("heading", list(KINDS))
async def test_request_shape(heading: str) -> None:
    required = _required(heading)
    await check_shape(DOCS[heading], _call(heading, **required), set(required))
    everything = {**required, **OPTIONS}
    if "amount_in_cents" in required:
        everything["allow_multiple_giftcards"] = False
    await check_shape(DOCS[heading], _call(heading, **everything), set(everything))


@pytest.mark.parametrize("heading", list(KINDS))
async def test_documented_example_decodes(heading: str) -> None:
    session = await check_example(
        DOCS[heading], _call(heading, **_required(heading)), frozenset({"reference"})
    )
    assert isinstance(session, PortalSession)
    assert session.events == []


@pytest.mark.parametrize("heading", list(KINDS))
async def test_the_fake_opens_a_session_of_each_kind(
    api: Api, fake: FakePiggy, heading: str
) -> None:
    contact_uuid = next(iter(fake.store.contacts))
    arguments = {**_required(heading), "shop_uuid": fake.store.shops[1]["uuid"]}
    session = await api(_call(heading, **arguments, contact_uuid=contact_uuid))
    assert fake.requests[-1].path == f"/portal-sessions/{KINDS[heading][1]}"
    assert (session.contact.uuid, session.shop.uuid) == (contact_uuid, arguments["shop_uuid"])
    assert session.url.endswith(session.uuid)
    assert (await api(lambda p: p.portal_sessions.get(session.uuid))).uuid == session.uuid


@pytest.mark.parametrize("heading", list(KINDS))
async def test_documented_errors(piggy: AsyncPiggy, fake: FakePiggy, heading: str) -> None:
    required = _required(heading)
    with pytest.raises(APIStatusError) as shop:
        await _call(heading, **required)(piggy)
    assert (shop.value.status_code, shop.value.code) == (400, 1008)
    known = {**required, "shop_uuid": fake.store.shop["uuid"]}
    with pytest.raises(APIStatusError) as contact:
        await _call(heading, **known, contact_uuid=UUID)(piggy)
    assert (contact.value.status_code, contact.value.code) == (400, 55031)
    assert not fake.store.portal_sessions


async def test_redeem_giftcards_needs_an_amount(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    path = "/portal-sessions/redeem-giftcards"
    answer = await raw(fake, "POST", path, {"shop_uuid": fake.store.shop["uuid"]})
    assert_piggy_error(answer, 1003, "Invalid input.")
    before = len(fake.requests)
    with pytest.raises(InvalidArgumentError, match="amount_in_cents"):
        await piggy.portal_sessions.create_redeem_giftcards(shop_uuid=UUID, amount_in_cents=0)
    assert len(fake.requests) == before


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("scanner_type", "webcam"),
        ("camera_service", 4),
        ("facing_mode", "back"),
        ("primary_identification_method", "phone"),
        ("enable_registration", "yes"),
        ("contact_uuid", ""),
    ],
)
async def test_bad_options_fail_before_any_request(
    piggy: AsyncPiggy, fake: FakePiggy, option: str, value: Any
) -> None:
    before = len(fake.requests)
    for heading in KINDS:
        with pytest.raises(InvalidArgumentError, match=option):
            await _call(heading, **_required(heading), **{option: value})(piggy)
    with pytest.raises(InvalidArgumentError, match=option):  # the plain session takes them too
        await piggy.portal_sessions.create(shop_uuid=UUID, **{option: value})
    assert len(fake.requests) == before
