"""Typed Piggy objects (msgspec Structs), decoded straight from response bytes.

Every model ignores fields it does not know (the API grows) and gives optional fields a
default, so partial payloads decode. Open sets (statuses, event names, attribute types)
are plain strings. Dates are the ISO 8601 strings Piggy sends (``""`` where none is set).

PHP sends an empty map as ``[]`` (or ``null``): wherever a model expects a map or an
optional object, such a value decodes as ``{}`` or ``None``.

Instances are not tracked by the cycle collector (``gc=False``): decoded data has no
reference cycles, and skipping the tracking makes large Contact payloads cheaper to keep.

One module per Piggy API section (named after its docs page); shared pieces in
``_base`` (the model base), ``_page`` (lists) and ``_attributes`` (attribute definitions).
"""

from __future__ import annotations

from ._attributes import AttributeDefinition, AttributeGroup, AttributeOption
from ._base import ContactRef, ContactSummary
from ._page import Page, PageMeta
from ._page import next_page_number as next_page_number  # the pagination rule, for tests
from .automations import Automation
from .bookings import Booking
from .brand_kit import BrandKit
from .collectable_rewards import CollectableReward
from .contact_identifiers import ContactIdentifier
from .contact_session_tokens import ContactSessionToken
from .contact_subscriptions import Subscription
from .contacts import Contact, ContactAttribute, CreditBalance, PrepaidBalance
from .credit_receptions import CreditCalculation
from .forms import Form
from .giftcard_programs import GiftcardProgram
from .giftcard_transactions import GiftcardRef, GiftcardTransaction
from .giftcards import Giftcard
from .loyalty_program import LoyaltyProgram
from .loyalty_transactions import (
    CreditReception,
    DigitalRewardCode,
    DigitalRewardReception,
    LoyaltyTransaction,
    OtherTransaction,
    RewardReception,
    RewardRef,
    TransactionContact,
)
from .orders import (
    AppliedDiscount,
    BusinessProfile,
    Order,
    OrderCharge,
    OrderCreated,
    OrderLineItem,
    OrderLineItemRef,
    OrderProduct,
    OrderResult,
)
from .perks import Perk
from .portal_sessions import PortalSession
from .prepaid_transactions import PrepaidTransaction
from .promotions import Promotion
from .referrals import Referral
from .rewards import Reward
from .shift_teams import ShiftTeam
from .shift_types import ShiftType
from .shifts import Shift
from .shops import Address, Shop
from .subscription_types import SubscriptionType
from .tiers import Tier
from .units import Unit
from .visits import Visit
from .vouchers import (
    Voucher,
    VoucherLock,
    VoucherLockInfo,
    VoucherRedemption,
    VoucherRedemptions,
)
from .webhooks import WebhookSubscription

__all__ = [
    "Address",
    "AppliedDiscount",
    "AttributeDefinition",
    "AttributeGroup",
    "AttributeOption",
    "Automation",
    "Booking",
    "BrandKit",
    "BusinessProfile",
    "CollectableReward",
    "Contact",
    "ContactAttribute",
    "ContactIdentifier",
    "ContactRef",
    "ContactSessionToken",
    "ContactSummary",
    "CreditBalance",
    "CreditCalculation",
    "CreditReception",
    "DigitalRewardCode",
    "DigitalRewardReception",
    "Form",
    "Giftcard",
    "GiftcardProgram",
    "GiftcardRef",
    "GiftcardTransaction",
    "LoyaltyProgram",
    "LoyaltyTransaction",
    "Order",
    "OrderCharge",
    "OrderCreated",
    "OrderLineItem",
    "OrderLineItemRef",
    "OrderProduct",
    "OrderResult",
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
    "Shift",
    "ShiftTeam",
    "ShiftType",
    "Shop",
    "Subscription",
    "SubscriptionType",
    "Tier",
    "TransactionContact",
    "Unit",
    "Visit",
    "Voucher",
    "VoucherLock",
    "VoucherLockInfo",
    "VoucherRedemption",
    "VoucherRedemptions",
    "WebhookSubscription",
]
