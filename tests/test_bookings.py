"""bookings.md: request shapes, documented examples, and the fake's stateful answers."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from piggy_async import APIStatusError, AsyncPiggy, Booking, InvalidArgumentError
from piggy_async.testing import FakePiggy

from .conftest import Api
from .section_checks import UUID, assert_piggy_error, check_example, check_shape, doc_calls, raw

DOCS = doc_calls("bookings")
ALL = {
    "external_id": "V-0012",
    "source": "Website",
    "starts_at": "2024-05-01T20:00:00+00:00",
    "ends_at": "2024-05-01T22:30:00+00:00",
    "checked_in_at": "2024-05-01T20:14:46+00:00",
    "number_of_people": 4,
    "company_name": "Acme",
    "status": "created",
    "prepaid_amount": 2500,
}


@pytest.mark.parametrize(
    ("heading", "call", "sends"),
    [
        (
            "Create Booking",
            lambda p: p.bookings.create(shop_uuid=UUID, contact_uuid=UUID),
            {"shop_uuid", "contact_uuid"},
        ),
        (
            "Create Booking",
            lambda p: p.bookings.create(shop_uuid=UUID, contact_uuid=UUID, **ALL),
            {"shop_uuid", "contact_uuid", *ALL},
        ),
        ("Update Booking", lambda p: p.bookings.update(UUID, **ALL), set(ALL)),
        ("Update Booking", lambda p: p.bookings.update(UUID, source="Widget"), {"source"}),
    ],
)
async def test_request_shape(heading: str, call: object, sends: set[str]) -> None:
    await check_shape(DOCS[heading], call, sends)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("heading", "call"),
    [
        ("Create Booking", lambda p: p.bookings.create(shop_uuid=UUID, contact_uuid=UUID)),
        ("Update Booking", lambda p: p.bookings.update(UUID, source="Widget")),
    ],
)
async def test_documented_example_decodes(heading: str, call: object) -> None:
    booking = await check_example(DOCS[heading], call)  # type: ignore[arg-type]
    assert isinstance(booking, Booking)
    assert booking.contact is not None
    assert booking.contact.email == "john@doe.com"


async def test_create_then_update_keeps_the_contact(api: Api, fake: FakePiggy) -> None:
    contact_uuid = next(iter(fake.store.contacts))
    shop_uuid = fake.store.shop["uuid"]
    starts = datetime(2024, 5, 1, 20, tzinfo=timezone.utc)
    booking = await api(
        lambda p: p.bookings.create(
            shop_uuid=shop_uuid, contact_uuid=contact_uuid, starts_at=starts, number_of_people=2
        )
    )
    assert booking.contact.uuid == contact_uuid
    assert booking.starts_at == starts.isoformat()
    assert booking.number_of_people == 2
    changed = await api(
        lambda p: p.bookings.update(booking.uuid, checked_in_at=starts, status="in progress")
    )
    assert (changed.uuid, changed.contact.uuid) == (booking.uuid, contact_uuid)
    assert changed.checked_in_at == starts.isoformat()
    assert changed.number_of_people == 2  # what was not sent stays
    assert fake.store.bookings[booking.uuid]["status"] == "in progress"


async def test_documented_errors(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    contact_uuid = next(iter(fake.store.contacts))
    shop_uuid = fake.store.shop["uuid"]
    with pytest.raises(APIStatusError) as unknown_contact:
        await piggy.bookings.create(shop_uuid=shop_uuid, contact_uuid=UUID)
    assert (unknown_contact.value.status_code, unknown_contact.value.code) == (400, 55031)
    with pytest.raises(APIStatusError) as unknown_shop:
        await piggy.bookings.create(shop_uuid=UUID, contact_uuid=contact_uuid)
    assert (unknown_shop.value.status_code, unknown_shop.value.code) == (400, 1008)
    assert not fake.store.bookings
    assert_piggy_error(
        await raw(fake, "POST", "/bookings", {"contact_uuid": contact_uuid}), 1003, "Invalid input."
    )
    body = {"shop_uuid": shop_uuid, "contact_uuid": contact_uuid, "number_of_people": "two"}
    assert_piggy_error(await raw(fake, "POST", "/bookings", body), 1003, "Invalid input.")


async def test_bad_arguments_fail_before_any_request(piggy: AsyncPiggy, fake: FakePiggy) -> None:
    before = len(fake.requests)
    with pytest.raises(InvalidArgumentError, match="contact_uuid"):
        await piggy.bookings.create(shop_uuid=UUID, contact_uuid="")
    with pytest.raises(InvalidArgumentError, match="number_of_people"):
        await piggy.bookings.update(UUID, number_of_people=0)
    with pytest.raises(InvalidArgumentError, match="prepaid_amount"):
        await piggy.bookings.update(UUID, prepaid_amount=1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError, match="uuid"):
        await piggy.bookings.update(" ")
    assert len(fake.requests) == before


async def test_unknown_booking_is_invalid_input(fake: FakePiggy) -> None:
    # "Update Booking" lists only 1003 "Invalid input.": the fake answers an unknown booking
    # with it, naming the uuid (docs/fidelity.md).
    status, body = await raw(fake, "PUT", f"/bookings/{UUID}", {"source": "Widget"})
    assert_piggy_error((status, body), 1003, "Invalid input.")
    assert list(body["errors"]) == ["uuid"]
