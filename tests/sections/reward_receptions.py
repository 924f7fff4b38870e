"""reward-receptions.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import UUID, Call, shape

SHOP = "123123"

EXAMPLES: dict[str, Call] = {
    "Create Reward Reception": lambda p: p.reward_receptions.create(
        contact_uuid=UUID, reward_uuid=UUID, shop_uuid=SHOP
    ),
    "Reverse Reward Reception": lambda p: p.reward_receptions.reverse(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "Create Reward Reception",
        lambda p: p.reward_receptions.create(contact_uuid=UUID, reward_uuid=UUID, shop_uuid=SHOP),
        "contact_uuid",
        "reward_uuid",
        "shop_uuid",
    ),
    shape(
        "Create Reward Reception",
        lambda p: p.reward_receptions.create(
            contact_uuid=UUID,
            reward_uuid=UUID,
            shop_uuid=SHOP,
            contact_identifier_value="ABCDE12356-90",
        ),
        "contact_uuid",
        "reward_uuid",
        "shop_uuid",
        "contact_identifier_value",
    ),
    shape("Reverse Reward Reception", lambda p: p.reward_receptions.reverse(UUID)),
]
