"""vouchers.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

PROMOTION = "9e9ea3c4-0000-4000-8000-000000000000"

EXAMPLES: dict[str, Call] = {
    "List Vouchers": lambda p: p.vouchers.list(limit=30, page=1),
    "Create Voucher": lambda p: p.vouchers.create(promotion_uuid=PROMOTION),
    "Create Batch of Vouchers": lambda p: p.vouchers.create_batch(
        promotion_uuid=PROMOTION, quantity=30
    ),
    "Find Voucher": lambda p: p.vouchers.find_one_by(code="EXAMPLE-CODE-03785"),
    "Update Voucher": lambda p: p.vouchers.update(UUID, status="DEACTIVATED"),
    "Lock Voucher (Optional)": lambda p: p.vouchers.lock(UUID),
    "Release Voucher (Optional)": lambda p: p.vouchers.release(UUID, release_key="key"),
    "Redeem Voucher": lambda p: p.vouchers.redeem(code="EXAMPLE-CODE-03785", contact_uuid=UUID),
    "Multi Redeem Voucher": lambda p: p.vouchers.multi_redeem(
        code="EXAMPLE-CODE-03785", number_of_times=3, shop_uuid=UUID
    ),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("Reverse Voucher Redemption", lambda p: p.vouchers.reverse(UUID)),
    shape(
        "Multi Redeem Voucher",
        lambda p: p.vouchers.multi_redeem(
            code="X", number_of_times=2, shop_uuid=UUID, contact_uuid=UUID, release_key="k"
        ),
        "code",
        "number_of_times",
        "shop_uuid",
        "contact_uuid",
        "release_key",
    ),
    shape(
        "List Vouchers",
        lambda p: p.vouchers.list(
            promotion_uuid=PROMOTION, contact_uuid=UUID, status="ACTIVE", limit=10, page=2
        ),
        "promotion_uuid",
        "contact_uuid",
        "status",
        "limit",
        "page",
    ),
    shape(
        "Create Voucher", lambda p: p.vouchers.create(promotion_uuid=PROMOTION), "promotion_uuid"
    ),
    shape(
        "Create Voucher",
        lambda p: p.vouchers.create(
            promotion_uuid=PROMOTION,
            code="PIZZA-1",
            contact_uuid=UUID,
            expiration_date="2030-01-01T00:00:00+00:00",
            activation_date="2029-01-01T00:00:00+00:00",
        ),
        "promotion_uuid",
        "code",
        "contact_uuid",
        "expiration_date",
        "activation_date",
    ),
    shape(
        "Create Batch of Vouchers",
        lambda p: p.vouchers.create_batch(promotion_uuid=PROMOTION, quantity=5),
        "promotion_uuid",
        "quantity",
    ),
    shape("Find Voucher", lambda p: p.vouchers.find_one_by(code="PIZZA-1"), "code"),
    shape("Update Voucher", lambda p: p.vouchers.update(UUID, status="ACTIVE"), "status"),
    shape("Lock Voucher (Optional)", lambda p: p.vouchers.lock(UUID)),
    shape(
        "Release Voucher (Optional)",
        lambda p: p.vouchers.release(UUID, release_key="key"),
        "release_key",
    ),
    shape(
        "Redeem Voucher",
        lambda p: p.vouchers.redeem(code="PIZZA-1", contact_uuid=UUID, release_key="key"),
        "code",
        "contact_uuid",
        "release_key",
    ),
    shape(
        "Redeem Voucher",
        lambda p: p.vouchers.redeem(code="PIZZA-1"),  # type: ignore[call-arg]
        "code",
    ),
]
