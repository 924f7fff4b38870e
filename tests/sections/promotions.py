"""promotions.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Promotions": lambda p: p.promotions.list(),
    "Create Promotion": lambda p: p.promotions.create(
        name="Some Promotion Name", description="Some Promotion Description"
    ),
    "Get Promotion": lambda p: p.promotions.get(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Promotions", lambda p: p.promotions.list()),
    shape(
        "Create Promotion",
        lambda p: p.promotions.create(name="Pizza", description="Free pizza"),
        "name",
        "description",
    ),
    shape(
        "Create Promotion",
        lambda p: p.promotions.create(
            name="Pizza",
            description="Free pizza",
            voucher_limit=30,
            limit_per_contact=10,
            expiration_duration=86400,
        ),
        "name",
        "description",
        "voucher_limit",
        "limit_per_contact",
        "expiration_duration",
    ),
    shape("Get Promotion", lambda p: p.promotions.get(UUID)),
]
