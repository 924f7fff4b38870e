"""rewards.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Rewards": lambda p: p.rewards.list(contact_uuid=UUID),
    "Get Reward": lambda p: p.rewards.get(UUID),
    "Update Reward": lambda p: p.rewards.update(UUID, title="Cup of coffee"),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Rewards", lambda p: p.rewards.list()),
    shape(
        "List Rewards",
        lambda p: p.rewards.list(shop_uuid=UUID, contact_uuid=UUID),
        "shop_uuid",
        "contact_uuid",
    ),
    shape("Get Reward", lambda p: p.rewards.get(UUID)),
    shape("Update Reward", lambda p: p.rewards.update(UUID)),
    shape(
        "Update Reward",
        lambda p: p.rewards.update(
            UUID, title="Cup of coffee", description="Espresso", required_credits=2
        ),
        "title",
        "description",
        "required_credits",
    ),
]
