"""giftcard-transactions.md: the method behind each documented example, what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

SHOP = "9e9ea3c4-0000-4000-8000-000000000002"

EXAMPLES: dict[str, Call] = {
    "List Giftcard Transactions": lambda p: p.giftcard_transactions.list(shop_uuid=SHOP, page=1),
    "Create Giftcard Transaction": lambda p: p.giftcard_transactions.create(
        shop_uuid=SHOP, giftcard_uuid=UUID, amount_in_cents=-1000
    ),
    "Get Giftcard Transaction": lambda p: p.giftcard_transactions.get(UUID),
    "Reverse Giftcard Transaction": lambda p: p.giftcard_transactions.reverse(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "List Giftcard Transactions",
        lambda p: p.giftcard_transactions.list(
            giftcard_hash="PIGGY123", giftcard_program_uuid=UUID, shop_uuid=SHOP, page=2, limit=10
        ),
        "gifcard_hash",
        "giftcard_program_uuid",
        "shop_uuid",
        "page",
        "perPage",
    ),
    shape(
        "Create Giftcard Transaction",
        lambda p: p.giftcard_transactions.create(
            shop_uuid=SHOP, giftcard_uuid=UUID, amount_in_cents=500
        ),
        "shop_uuid",
        "giftcard_uuid",
        "amount_in_cents",
    ),
    shape("Get Giftcard Transaction", lambda p: p.giftcard_transactions.get(UUID)),
    shape("Reverse Giftcard Transaction", lambda p: p.giftcard_transactions.reverse(UUID)),
]
