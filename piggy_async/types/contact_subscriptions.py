"""Models of Piggy's ``contact-subscriptions`` docs page."""

from __future__ import annotations

from ._base import _Model
from .subscription_types import SubscriptionType

__all__ = ["Subscription"]


class Subscription(_Model):
    """Whether a contact is subscribed to one subscription type.

    ``status`` is a string such as ``SUBSCRIBED`` (some endpoints send a number).
    """

    subscription_type: SubscriptionType
    is_subscribed: bool | None = None
    status: str | int | None = None
