"""Models of Piggy's ``webhooks`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["WebhookSubscription"]


class WebhookSubscription(_Model):
    """A webhook subscription: Piggy POSTs ``event_type`` events to ``url``."""

    uuid: str
    name: str | None = None
    event_type: str | None = None
    url: str | None = None
    properties: list[str] = []
    status: str | None = None
    version: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
