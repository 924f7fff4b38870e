"""Typed Piggy objects (msgspec Structs), decoded straight from response bytes.

Every model ignores fields it does not know (the API grows) and gives optional fields a
default, so partial payloads decode. Open sets (statuses, event names, attribute types)
are plain strings. Dates are the ISO 8601 strings Piggy sends (``""`` where none is set).

Maps that PHP may send as ``[]`` when empty (``current_values``, ``current_display_values``)
are :class:`JSONMap`, a ``dict`` that also accepts ``[]`` and ``null`` as "empty".

Instances are not tracked by the cycle collector (``gc=False``): decoded data has no
reference cycles, and skipping the tracking makes large Contact payloads cheaper to keep.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

__all__ = [
    "Address",
    "AttributeDefinition",
    "AttributeOption",
    "Automation",
    "Contact",
    "ContactAttribute",
    "ContactRef",
    "CreditBalance",
    "Form",
    "JSONMap",
    "LoyaltyTransaction",
    "Page",
    "PageMeta",
    "PortalSession",
    "PrepaidBalance",
    "Shop",
    "Subscription",
    "SubscriptionType",
    "Tier",
    "TransactionContact",
    "Unit",
]

T = TypeVar("T")


class JSONMap(dict[str, Any]):
    """A JSON object of name -> value; an empty PHP array (``[]``) or ``null`` decodes empty."""


class _Model(msgspec.Struct, gc=False, repr_omit_defaults=True):
    """Base of every model: unknown fields ignored, not GC-tracked."""


class ContactRef(_Model):
    """Just a contact's UUID: what the create calls and some nested objects return."""

    uuid: str


class CreditBalance(_Model):
    """A contact's loyalty credit balance (``balance`` credits)."""

    balance: int
    id: int | None = None


class PrepaidBalance(_Model):
    """A contact's prepaid balance; ``balance`` is Piggy's formatted text, e.g. ``€50.00``."""

    balance_in_cents: int
    balance: str | None = None


class Tier(_Model):
    """A loyalty tier (Gold, Silver, ...)."""

    uuid: str | None = None
    name: str | None = None
    description: str | None = None
    position: int | None = None
    media: Any = None


class AttributeOption(_Model):
    """One choice of a select / multi-select attribute."""

    value: Any = None
    label: str | None = None
    description: str | None = None
    media: Any = None


class AttributeDefinition(_Model):
    """The definition of a contact attribute (its type, label, options, read-only flags)."""

    name: str
    type: str | None = None
    field_type: str | None = None
    label: str | None = None
    description: str | None = None
    id: int | None = None
    options: list[AttributeOption] = []
    is_piggy_defined: bool = False
    is_soft_read_only: bool = False
    is_hard_read_only: bool = False


class ContactAttribute(_Model):
    """A contact's value for one attribute, with the attribute's definition."""

    attribute: AttributeDefinition
    value: Any = None


class SubscriptionType(_Model):
    """A kind of communication a contact can subscribe to (marketing mails, ...)."""

    name: str | None = None
    description: str | None = None
    active: bool | None = None
    strategy: str | None = None
    uuid: str | None = None
    id: int | None = None


class Subscription(_Model):
    """Whether a contact is subscribed to one subscription type.

    ``status`` is a string such as ``SUBSCRIBED`` (some endpoints send a number).
    """

    subscription_type: SubscriptionType
    is_subscribed: bool | None = None
    status: str | int | None = None


class Contact(_Model):
    """A Piggy contact with its attributes, tier, subscriptions and balances.

    ``current_values`` maps attribute name to its raw value with its JSON type kept
    (string, number, boolean or null); ``current_display_values`` to Piggy's display text.
    ``attributes`` is the (deprecated by Piggy) per-attribute list with definitions.
    """

    uuid: str
    id: int | None = None
    email: str | None = None
    attributes: list[ContactAttribute] = []
    tier: Tier | None = None
    subscriptions: list[Subscription] = []
    credit_balance: CreditBalance | None = None
    prepaid_balance: PrepaidBalance | None = None
    current_values: JSONMap = msgspec.field(default_factory=JSONMap)
    current_display_values: JSONMap = msgspec.field(default_factory=JSONMap)


class Address(_Model):
    """A shop's postal address."""

    id: int | None = None
    shop_id: int | None = None
    street: str | None = None
    housenumber: str | int | None = None
    house_number: str | int | None = None
    postalcode: str | None = None
    postal_code: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None
    latitude: float | str | None = None
    longitude: float | str | None = None


class Shop(_Model):
    """A shop (physical or web) of the account."""

    uuid: str | None = None
    id: int | str | None = None
    name: str | None = None
    type: str | None = None
    address: Address | None = None


class Unit(_Model):
    """The unit of a credit reception's value (euros, liters, calories, ...)."""

    id: int | None = None
    name: str | None = None
    label: str | None = None
    prefix: str | None = None
    is_default: bool | None = None


class TransactionContact(_Model):
    """The contact a loyalty transaction belongs to, as embedded in it."""

    uuid: str
    email: str | None = None
    credit_balance: CreditBalance | None = None


class LoyaltyTransaction(_Model):
    """One loyalty transaction of a contact (``type``: ``credit_reception``,
    ``reward_reception``, ``digital_reward_reception``, ... kept as a string)."""

    uuid: str
    type: str | None = None
    credits: int | None = None
    created_at: str | None = None
    contact_identifier: Any = None
    contact: TransactionContact | None = None
    shop: Shop | None = None
    unit_value: float | None = None
    unit: Unit | None = None


class Automation(_Model):
    """An automation of the account: the ``event`` that drives it, its ``status``."""

    name: str
    uuid: str | None = None
    event: str | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


class Form(_Model):
    """A Piggy form (sign-up, survey, ...): ``type`` PUBLIC/PRIVATE, ``url`` to show it."""

    uuid: str
    name: str | None = None
    url: str | None = None
    status: str | None = None
    type: str | None = None


class PortalSession(_Model):
    """A contacts-portal session: open ``url`` to let the contact in."""

    uuid: str
    url: str | None = None
    contact: ContactRef | None = None
    shop: Shop | None = None
    created_at: str | None = None


class PageMeta(_Model):
    """Pagination facts Piggy sends with a list: page number, size, last page, total."""

    page: int | None = None
    limit: int | None = None
    viewing_from: int | None = None
    viewing_to: int | None = None
    last_page: int | None = None
    total: int | None = None


class Page(_Model, Generic[T]):
    """One page of a list: ``items`` and the pagination ``meta``."""

    items: list[T]
    meta: PageMeta = msgspec.field(default_factory=PageMeta)

    @property
    def next_page(self) -> int | None:
        """The number of the page after this one, or None when this is the last."""
        return next_page_number(self.meta, len(self.items))


def next_page_number(meta: PageMeta, item_count: int) -> int | None:
    """Pure pagination rule: which page follows, given the meta and this page's size."""
    page = meta.page or 1
    if meta.last_page is not None:
        return page + 1 if page < meta.last_page else None
    if meta.total is not None and meta.viewing_to is not None:
        return page + 1 if meta.viewing_to < meta.total else None
    if meta.limit is not None and item_count >= meta.limit and item_count > 0:
        return page + 1
    return None
