"""bookings.md: which method returns each documented example, and what each call sends.

(The stateful tests and error codes are in ``tests/test_bookings.py``.)
"""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "Create Booking": lambda p: p.bookings.create(shop_uuid=UUID, contact_uuid=UUID),
    "Update Booking": lambda p: p.bookings.update(UUID, source="Widget"),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "Create Booking",
        lambda p: p.bookings.create(shop_uuid=UUID, contact_uuid=UUID),
        "shop_uuid",
        "contact_uuid",
    ),
    shape(
        "Create Booking",
        lambda p: p.bookings.create(
            shop_uuid=UUID,
            contact_uuid=UUID,
            external_id="V-0012",
            source="Website",
            starts_at="2024-05-01T20:00:00+00:00",
            ends_at="2024-05-01T22:30:00+00:00",
            checked_in_at="2024-05-01T20:14:46+00:00",
            number_of_people=4,
            company_name="Acme",
            status="created",
            prepaid_amount=2500,
        ),
        "shop_uuid",
        "contact_uuid",
        "external_id",
        "source",
        "starts_at",
        "ends_at",
        "checked_in_at",
        "number_of_people",
        "company_name",
        "status",
        "prepaid_amount",
    ),
    shape(
        "Update Booking",
        lambda p: p.bookings.update(UUID, status="completed", prepaid_amount=0),
        "status",
        "prepaid_amount",
    ),
]
