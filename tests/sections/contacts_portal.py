"""contacts-portal.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import UUID, Call, shape

EXAMPLES: dict[str, Call] = {
    "Get Authenticated Url": lambda p: p.contacts_portal.get_auth_url(contact_uuid=UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape(
        "Get Authenticated Url",
        lambda p: p.contacts_portal.get_auth_url(contact_uuid=UUID),
        "contact_uuid",
    ),
]
