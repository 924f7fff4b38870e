"""tiers.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Tiers": lambda p: p.tiers.list(),
    # The page documents a contact's tier too; the method lives on contacts.
    "Get Tier": lambda p: p.contacts.get_tier(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Tiers", lambda p: p.tiers.list()),
    shape("Get Tier", lambda p: p.contacts.get_tier(UUID)),
]
