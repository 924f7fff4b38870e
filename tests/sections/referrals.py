"""referrals.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "List Referrals": lambda p: p.referrals.list(),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Referrals", lambda p: p.referrals.list()),
    shape(
        "List Referrals",
        lambda p: p.referrals.list(
            referring_contact_uuid=UUID, status="completed", limit=10, page=2
        ),
        "referring_contact_uuid",
        "status",
        "limit",
        "page",
    ),
]
