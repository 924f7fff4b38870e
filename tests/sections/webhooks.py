"""webhooks.md: which method returns each documented example, and what each call sends
(the section's resource is ``piggy.webhook_subscriptions``)."""

from __future__ import annotations

from . import UUID, Call, shape

URL = "http://api.example.com/piggy/webhooks"

EXAMPLES: dict[str, Call] = {
    "List Webhook Subscriptions": lambda p: p.webhook_subscriptions.list(),
    "Create Webhook Subscription": lambda p: p.webhook_subscriptions.create(
        name="Contact created", event_type="contact_created", url=URL
    ),
    "Get Webhook Subscription": lambda p: p.webhook_subscriptions.get(UUID),
    "Update Webhook Subscription": lambda p: p.webhook_subscriptions.update(
        UUID, name="Updated Webhook"
    ),
    "Delete Webhook Subscription": lambda p: p.webhook_subscriptions.delete(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Webhook Subscriptions", lambda p: p.webhook_subscriptions.list()),
    shape(
        "List Webhook Subscriptions",
        lambda p: p.webhook_subscriptions.list(event_type="contact_created", status="ACTIVE"),
        "event_type",
        "status",
    ),
    shape(
        "Create Webhook Subscription",
        lambda p: p.webhook_subscriptions.create(
            name="Contact created", event_type="contact_created", url=URL
        ),
        "name",
        "event_type",
        "url",
    ),
    shape(
        "Create Webhook Subscription",
        lambda p: p.webhook_subscriptions.create(
            name="Contact created", event_type="contact_created", url=URL, secret="s3cret"
        ),
        "name",
        "event_type",
        "url",
        "secret",
    ),
    shape("Get Webhook Subscription", lambda p: p.webhook_subscriptions.get(UUID)),
    shape("Update Webhook Subscription", lambda p: p.webhook_subscriptions.update(UUID)),
    shape(
        "Update Webhook Subscription",
        lambda p: p.webhook_subscriptions.update(
            UUID, name="Updated", url=URL, status="INACTIVE", attributes=["firstname"]
        ),
        "name",
        "url",
        "status",
        "attributes",
    ),
    shape("Delete Webhook Subscription", lambda p: p.webhook_subscriptions.delete(UUID)),
]
