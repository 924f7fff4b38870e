"""credit-receptions.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import UUID, Call, shape

SHOP = "123123"

EXAMPLES: dict[str, Call] = {
    "Create Credit Reception": lambda p: p.credit_receptions.create(
        shop_uuid=SHOP, contact_uuid=UUID, credits=10
    ),
    "Reverse Credit Reception": lambda p: p.credit_receptions.reverse(UUID),
    "Calculate Credits": lambda p: p.credit_receptions.calculate(shop_uuid=SHOP, unit_value=12.5),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "Create Credit Reception",
        lambda p: p.credit_receptions.create(shop_uuid=SHOP, contact_uuid=UUID, credits=10),
        "shop_uuid",
        "contact_uuid",
        "credits",
    ),
    shape(
        "Create Credit Reception",
        lambda p: p.credit_receptions.create(
            shop_uuid=SHOP,
            contact_uuid=UUID,
            unit_value=12.5,
            unit_name="purchase_amount",
            contact_identifier_value="ABCDE12356-90",
            pos_transaction_uuid=UUID,
        ),
        "shop_uuid",
        "contact_uuid",
        "unit_value",
        "unit_name",
        "contact_identifier_value",
        "pos_transaction_uuid",
    ),
    shape("Reverse Credit Reception", lambda p: p.credit_receptions.reverse(UUID)),
    shape(
        "Calculate Credits",
        lambda p: p.credit_receptions.calculate(shop_uuid=SHOP, unit_value=12.5),
        "shop_uuid",
        "unit_value",
    ),
    shape(
        "Calculate Credits",
        lambda p: p.credit_receptions.calculate(
            shop_uuid=SHOP, unit_value=12.5, contact_uuid=UUID, unit_name="purchase_amount"
        ),
        "shop_uuid",
        "unit_value",
        "contact_uuid",
        "unit_name",
    ),
]
