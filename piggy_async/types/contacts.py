"""Models of Piggy's ``contacts`` docs page."""

from __future__ import annotations

from typing import Any

from ._attributes import AttributeDefinition
from ._base import _Model
from .contact_subscriptions import Subscription
from .tiers import Tier

__all__ = ["Contact", "ContactAttribute", "CreditBalance", "PrepaidBalance"]


class CreditBalance(_Model):
    """A contact's loyalty credit balance (``balance`` credits)."""

    balance: int
    id: int | None = None


class PrepaidBalance(_Model):
    """A contact's prepaid balance; ``balance`` is Piggy's formatted text, e.g. ``€50.00``."""

    balance_in_cents: int
    balance: str | None = None


class ContactAttribute(_Model):
    """A contact's value for one attribute, with the attribute's definition."""

    attribute: AttributeDefinition
    value: Any = None


class Contact(_Model):
    """A Piggy contact with its attributes, tier, subscriptions and balances.

    ``current_values`` maps attribute name to its raw value with its JSON type kept
    (string, number, boolean or null); ``current_display_values`` to Piggy's display text.
    ``attributes`` is the (deprecated by Piggy) per-attribute list with definitions; in a
    contact decoded from a response it is decoded on first read and then kept, and a
    malformed list raises ``ResponseDecodeError`` on that read (see ``_lazy_contact``).
    """

    uuid: str
    id: int | None = None
    email: str | None = None
    attributes: list[ContactAttribute] = []
    tier: Tier | None = None
    subscriptions: list[Subscription] = []
    credit_balance: CreditBalance | None = None
    prepaid_balance: PrepaidBalance | None = None
    current_values: dict[str, Any] = {}
    current_display_values: dict[str, Any] = {}
