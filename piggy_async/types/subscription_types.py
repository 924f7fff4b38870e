"""Models of Piggy's ``subscription-types`` docs page."""

from __future__ import annotations

from ._base import _Model

__all__ = ["SubscriptionType"]


class SubscriptionType(_Model):
    """A kind of communication a contact can subscribe to (marketing mails, ...)."""

    name: str | None = None
    description: str | None = None
    active: bool | None = None
    strategy: str | None = None
    uuid: str | None = None
    id: int | None = None
