"""loyalty-transactions.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Loyalty Transactions": lambda p: p.loyalty_transactions.list(contact_uuid=UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Loyalty Transactions", lambda p: p.loyalty_transactions.list()),
    shape(
        "List Loyalty Transactions",
        lambda p: p.loyalty_transactions.list(
            contact_uuid=UUID, shop_uuid=UUID, type="credit_reception", limit=10, page=2
        ),
        "contact_uuid",
        "shop_uuid",
        "type",
        "limit",
        "page",
    ),
]
