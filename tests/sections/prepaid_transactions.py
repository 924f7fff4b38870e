"""prepaid-transactions.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import UUID, Call, shape

SHOP = "123123"

EXAMPLES: dict[str, Call] = {
    "Create Prepaid Transaction": lambda p: p.prepaid_transactions.create(
        contact_uuid=UUID, amount_in_cents=-1000, shop_uuid=SHOP
    ),
    "List Prepaid Transactions": lambda p: p.prepaid_transactions.list(contact_uuid=UUID),
    # The page documents the contact's balance too; the method lives on contacts.
    "Get Prepaid Balance": lambda p: p.contacts.get_prepaid_balance(UUID),
    "Reverse Prepaid Transaction": lambda p: p.prepaid_transactions.reverse(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "Create Prepaid Transaction",
        lambda p: p.prepaid_transactions.create(
            contact_uuid=UUID, amount_in_cents=500, shop_uuid=SHOP
        ),
        "contact_uuid",
        "amount_in_cents",
        "shop_uuid",
    ),
    shape(
        "Create Prepaid Transaction",
        lambda p: p.prepaid_transactions.create(
            contact_identifier_value="7890UIOL", amount_in_cents=500, shop_uuid=SHOP
        ),
        "contact_identifier_value",
        "amount_in_cents",
        "shop_uuid",
    ),
    shape("List Prepaid Transactions", lambda p: p.prepaid_transactions.list()),
    shape(
        "List Prepaid Transactions",
        lambda p: p.prepaid_transactions.list(contact_uuid=UUID, shop_uuid=SHOP, limit=10, page=2),
        "contact_uuid",
        "shop_uuid",
        "limit",
        "page",
    ),
    shape("Get Prepaid Balance", lambda p: p.contacts.get_prepaid_balance(UUID)),
    shape("Reverse Prepaid Transaction", lambda p: p.prepaid_transactions.reverse(UUID)),
]
