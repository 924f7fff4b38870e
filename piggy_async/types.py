"""Typed Piggy objects (msgspec Structs), decoded straight from response bytes.

Every model ignores fields it does not know (the API grows) and gives optional fields a
default, so partial payloads decode. Open sets (statuses, event names, attribute types)
are plain strings. Dates are the ISO 8601 strings Piggy sends (``""`` where none is set).

PHP sends an empty map as ``[]`` (or ``null``): wherever a model expects a map or an
optional object, such a value decodes as ``{}`` or ``None``.

Instances are not tracked by the cycle collector (``gc=False``): decoded data has no
reference cycles, and skipping the tracking makes large Contact payloads cheaper to keep.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

from ._serialize import SerializableModel

__all__ = [
    "Address",
    "AttributeDefinition",
    "AttributeOption",
    "Automation",
    "BrandKit",
    "CollectableReward",
    "Contact",
    "ContactAttribute",
    "ContactIdentifier",
    "ContactRef",
    "CreditBalance",
    "CreditCalculation",
    "CreditReception",
    "DigitalRewardCode",
    "DigitalRewardReception",
    "Form",
    "Giftcard",
    "GiftcardProgram",
    "GiftcardTransaction",
    "LoyaltyProgram",
    "LoyaltyTransaction",
    "OtherTransaction",
    "Page",
    "PageMeta",
    "Perk",
    "PortalSession",
    "PrepaidBalance",
    "PrepaidTransaction",
    "Promotion",
    "Referral",
    "Reward",
    "RewardReception",
    "RewardRef",
    "Shop",
    "Subscription",
    "SubscriptionType",
    "Tier",
    "TransactionContact",
    "Unit",
    "Voucher",
    "VoucherLock",
    "VoucherLockInfo",
    "WebhookSubscription",
]

T = TypeVar("T")


class _Model(msgspec.Struct, SerializableModel, gc=False, repr_omit_defaults=True):
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
    """One choice of a select / multi-select attribute (``name`` in some endpoints,
    ``label`` in others)."""

    value: Any = None
    label: str | None = None
    name: str | None = None
    description: str | None = None
    media: Any = None
    default: bool | None = None


class AttributeDefinition(_Model):
    """The definition of an attribute: of contacts, rewards, promotions, loyalty
    transactions or a custom entity (its type, label, options, read-only flags)."""

    name: str
    type: str | None = None
    field_type: str | None = None
    label: str | None = None
    description: str | None = None
    placeholder: str | None = None
    id: int | None = None
    options: list[AttributeOption] = []
    is_piggy_defined: bool = False
    is_soft_read_only: bool = False
    is_hard_read_only: bool = False
    entity: str | None = None
    group_name: str | None = None


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
    current_values: dict[str, Any] = {}
    current_display_values: dict[str, Any] = {}


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


# -- loyalty transactions: a tagged union on `type` ------------------------------------------


class _TransactionBase(_Model, tag_field="type"):
    """Fields every loyalty transaction has; ``type`` is the tag of the subclass."""

    uuid: str
    credits: int | None = None
    created_at: str | None = None
    channel: str | None = None
    contact_identifier: Any = None
    contact: TransactionContact | None = None
    shop: Shop | None = None

    @property
    def type(self) -> str:
        """Piggy's ``type`` of this transaction (``credit_reception``, ...)."""
        return str(self.__struct_config__.tag)


class CreditReception(_TransactionBase, tag="credit_reception"):
    """Credits a contact received (``type`` = ``credit_reception``), for a purchase of
    ``unit_value`` ``unit``. ``attributes`` holds the custom loyalty-transaction
    attributes sent with it, where Piggy echoes them."""

    unit_value: float | None = None
    unit: Unit | None = None
    pos_transaction_id: str | None = None
    attributes: dict[str, Any] = {}


class RewardRef(_Model):
    """The reward a reception is for."""

    uuid: str | None = None
    reward_type: str | None = None
    title: str | None = None


class RewardReception(_TransactionBase, tag="reward_reception"):
    """A physical reward a contact spent credits on (``type`` = ``reward_reception``)."""

    title: str | None = None
    reward: RewardRef | None = None
    expires_at: str | None = None
    has_been_collected: bool | None = None


class DigitalRewardCode(_Model):
    """The code of a digital reward."""

    code: str | None = None


class DigitalRewardReception(_TransactionBase, tag="digital_reward_reception"):
    """A digital reward a contact received (``type`` = ``digital_reward_reception``)."""

    title: str | None = None
    digital_reward: RewardRef | None = None
    digital_reward_code: DigitalRewardCode | None = None


class OtherTransaction(_Model):
    """A loyalty transaction of a type this client does not know yet: kept, not dropped.

    ``type`` says what it is; ``data`` holds the whole JSON object.
    """

    type: str
    uuid: str | None = None
    credits: int | None = None
    created_at: str | None = None
    data: dict[str, Any] = {}


#: Any loyalty transaction; dispatch with ``isinstance`` or ``match`` on the class.
LoyaltyTransaction = CreditReception | RewardReception | DigitalRewardReception | OtherTransaction


# -- the rest of the API -----------------------------------------------------------------------


class ContactIdentifier(_Model):
    """A contact identifier (a card number, a barcode, ...) and the contact it is linked to."""

    value: str
    name: str | None = None
    active: bool | None = None
    contact: ContactRef | None = None


class PrepaidTransaction(_Model):
    """A change of a contact's prepaid balance."""

    uuid: str
    amount_in_cents: int | None = None
    prepaid_balance: PrepaidBalance | None = None
    created_at: str | None = None
    contact: ContactRef | None = None
    shop: Shop | None = None


class CreditCalculation(_Model):
    """How many credits a purchase is worth."""

    credits: int


class Reward(_Model):
    """A reward contacts can spend credits on (``reward_type`` PHYSICAL or DIGITAL)."""

    uuid: str
    title: str | None = None
    description: str | None = None
    media: Any = None
    active: bool | None = None
    reward_type: str | None = None
    required_credits: int | None = None
    attributes: dict[str, Any] = {}


class CollectableReward(_Model):
    """A physical reward reception waiting to be collected by the contact."""

    uuid: str
    title: str | None = None
    contact: TransactionContact | None = None
    reward: Reward | None = None
    created_at: str | None = None
    expires_at: str | None = None
    has_been_collected: bool | None = None


class GiftcardProgram(_Model):
    """A giftcard program of the account."""

    uuid: str
    name: str | None = None
    active: bool | str | None = None
    max_amount_in_cents: int | None = None
    calculator_flow: str | None = None
    expiration_days: int | None = None


class Giftcard(_Model):
    """A giftcard (``type`` PHYSICAL or DIGITAL) and its balance in cents."""

    uuid: str
    hash: str | None = None
    amount_in_cents: int | None = None
    type: str | int | None = None
    active: bool | None = None
    upgradeable: bool | None = None
    expiration_date: str | None = None
    giftcard_program: GiftcardProgram | None = None


class GiftcardTransaction(_Model):
    """A payment with or top-up of a giftcard."""

    uuid: str
    id: int | None = None
    amount_in_cents: int | None = None
    type: str | None = None
    settled: bool | None = None
    card_id: int | None = None
    shop_id: int | None = None
    settlements: list[Any] = []
    created_at: str | None = None


class Promotion(_Model):
    """A promotion vouchers are issued for."""

    uuid: str
    name: str | None = None
    description: str | None = None
    type: str | None = None
    redemptions_per_voucher: int | None = None
    voucher_limit: int | None = None
    limit_per_contact: int | None = None
    expiration_duration: int | None = None
    attributes: dict[str, Any] = {}


class Voucher(_Model):
    """A voucher of a promotion (``status``: ACTIVE, REDEEMED, EXPIRED, LOCKED, ...)."""

    uuid: str
    code: str | None = None
    status: str | None = None
    name: str | None = None
    description: str | None = None
    activation_date: str | None = None
    expiration_date: str | None = None
    redeemed_at: str | None = None
    is_redeemed: bool | None = None
    promotion: Promotion | None = None
    contact: ContactRef | None = None
    attributes: dict[str, Any] = {}


class VoucherLockInfo(_Model):
    """A lock on a voucher: ``release_key`` unlocks it."""

    release_key: str | None = None
    locked_at: str | None = None
    unlocked_at: str | None = None
    system_release_at: str | None = None


class VoucherLock(_Model):
    """A voucher and its lock."""

    voucher: Voucher
    lock: VoucherLockInfo | None = None


class Perk(_Model):
    """A perk (a benefit of a tier)."""

    uuid: str
    name: str | None = None
    label: str | None = None
    data_type: str | None = None
    options: list[AttributeOption] = []


class BrandKit(_Model):
    """The account's logos, colours and font."""

    small_logo_url: str | None = None
    large_logo_url: str | None = None
    primary_color: str | None = None
    secondary_color: str | None = None
    tertiary_color: str | None = None
    quaternary_color: str | None = None
    font_family: str | None = None


class LoyaltyProgram(_Model):
    """The account's loyalty program."""

    id: int | None = None
    name: str | None = None
    max_amount: int | None = None
    custom_credit_name: str | None = None


class Referral(_Model):
    """A referral: one contact brought in another."""

    uuid: str | None = None
    status: str | None = None
    referring_contact: ContactRef | None = None
    referred_contact: ContactRef | None = None
    created_at: str | None = None


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


class PageMeta(_Model):
    """Pagination facts Piggy sends with a list: page number, size, last page, total."""

    page: int | None = None
    limit: int | None = None
    viewing_from: int | None = None
    viewing_to: int | None = None
    last_page: int | None = None
    total: int | None = None
    # Laravel-style pagination (voucher lists)
    current_page: int | None = None
    per_page: int | None = None
    from_: int | None = msgspec.field(default=None, name="from")
    to: int | None = None


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
    page = meta.page or meta.current_page or 1
    if meta.last_page is not None:
        return page + 1 if page < meta.last_page else None
    if meta.total is not None and meta.viewing_to is not None:
        return page + 1 if meta.viewing_to < meta.total else None
    size = meta.limit or meta.per_page
    if size is not None and item_count >= size and item_count > 0:
        return page + 1
    return None
