"""contact-subscriptions.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import UUID, Call, shape

TYPE = "123123123"

EXAMPLES: dict[str, Call] = {
    "List Contact Subscriptions": lambda p: p.contact_subscriptions.list(UUID),
    "Subscribe Contact": lambda p: p.contact_subscriptions.subscribe(
        UUID, subscription_type_uuid=TYPE
    ),
    "Unsubscribe Contact to Subscription Type": lambda p: p.contact_subscriptions.unsubscribe(
        UUID, subscription_type_uuid=TYPE
    ),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Contact Subscriptions", lambda p: p.contact_subscriptions.list(UUID)),
    shape(
        "Subscribe Contact",
        lambda p: p.contact_subscriptions.subscribe(UUID, subscription_type_uuid=TYPE),
        "subscription_type_uuid",
    ),
    shape(
        "Unsubscribe Contact to Subscription Type",
        lambda p: p.contact_subscriptions.unsubscribe(UUID, subscription_type_uuid=TYPE),
        "subscription_type_uuid",
    ),
]
