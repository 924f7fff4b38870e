"""loyalty-transaction-attributes.md: which method returns each documented example, and what
each call sends."""

from __future__ import annotations

from . import Call, shape

OPTIONS = [{"value": "blue", "label": "Blue"}]

EXAMPLES: dict[str, Call] = {
    "List Loyalty Transaction Attributes": lambda p: p.loyalty_transaction_attributes.list(),
    # "receipt_number" is the fake's seeded attribute: there the call fails with 60009
    "Create Loyalty Transaction Attribute": lambda p: p.loyalty_transaction_attributes.create(
        name="receipt_number", data_type="select", label="Favorite Color", options=OPTIONS
    ),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Loyalty Transaction Attributes", lambda p: p.loyalty_transaction_attributes.list()),
    shape(
        "Create Loyalty Transaction Attribute",
        lambda p: p.loyalty_transaction_attributes.create(name="plu", data_type="text"),
        "name",
        "data_type",
    ),
    shape(
        "Create Loyalty Transaction Attribute",
        lambda p: p.loyalty_transaction_attributes.create(
            name="favorite_color",
            data_type="select",
            label="Favorite Color",
            description="d",
            options=OPTIONS,
        ),
        "name",
        "data_type",
        "label",
        "description",
        "options",
    ),
]
