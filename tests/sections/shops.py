"""shops.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Shops": lambda p: p.shops.list(),
    "Get Shop": lambda p: p.shops.get(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Shops", lambda p: p.shops.list()),
    shape("Get Shop", lambda p: p.shops.get(UUID)),
]
