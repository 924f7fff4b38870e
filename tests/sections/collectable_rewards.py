"""collectable-rewards.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Collectable Rewards": lambda p: p.collectable_rewards.list(contact_uuid=UUID),
    "Collect Reward": lambda p: p.collectable_rewards.collect(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "List Collectable Rewards",
        lambda p: p.collectable_rewards.list(contact_uuid=UUID),
        "contact_uuid",
    ),
    shape("Collect Reward", lambda p: p.collectable_rewards.collect(UUID)),
]
