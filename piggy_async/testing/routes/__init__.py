"""The fake server's routes, one module per Piggy API section (named after its docs page).

Each section is a class of handler methods tagged with ``@route(method, path)`` over the
fake's store; :func:`routes_of` gives aiohttp ``RouteDef``s for ``app.router.add_routes``.
"""

from __future__ import annotations

from aiohttp import web

from ._base import FakeServer, Routes
from .automations import AutomationsRoutes
from .bookings import BookingsRoutes
from .brand_kit import BrandKitRoutes
from .collectable_rewards import CollectableRewardsRoutes
from .contact_identifiers import ContactIdentifiersRoutes
from .contact_session_tokens import ContactSessionTokensRoutes
from .contact_subscriptions import ContactSubscriptionsRoutes
from .contact_verification import ContactVerificationRoutes
from .contacts import ContactsRoutes
from .contacts_portal import ContactsPortalRoutes
from .credit_receptions import CreditReceptionsRoutes
from .custom_attributes import CustomAttributesRoutes
from .forms import FormsRoutes
from .giftcard_programs import GiftcardProgramsRoutes
from .giftcard_transactions import GiftcardTransactionsRoutes
from .giftcards import GiftcardsRoutes
from .loyalty_program import LoyaltyProgramRoutes
from .loyalty_transaction_attributes import LoyaltyTransactionAttributesRoutes
from .loyalty_transactions import LoyaltyTransactionsRoutes
from .orders import OrdersRoutes
from .perks import PerksRoutes
from .portal_sessions import PortalSessionsRoutes
from .prepaid_transactions import PrepaidTransactionsRoutes
from .promotions import PromotionAttributesRoutes, PromotionsRoutes
from .referrals import ReferralsRoutes
from .reward_receptions import RewardReceptionsRoutes
from .rewards import RewardAttributesRoutes, RewardsRoutes
from .shift_teams import ShiftTeamsRoutes
from .shift_types import ShiftTypesRoutes
from .shifts import ShiftsRoutes
from .shops import ShopsRoutes
from .subscription_types import SubscriptionTypesRoutes
from .tiers import TiersRoutes
from .units import UnitsRoutes
from .visits import VisitsRoutes
from .vouchers import VouchersRoutes
from .webhooks import WebhooksRoutes

__all__ = ["SECTIONS", "routes_of"]

#: Every section's routes, in registration order.
SECTIONS: tuple[type[Routes], ...] = (
    ContactsRoutes,
    AutomationsRoutes,
    FormsRoutes,
    ContactsPortalRoutes,
    PortalSessionsRoutes,
    ContactIdentifiersRoutes,
    CustomAttributesRoutes,
    ContactVerificationRoutes,
    SubscriptionTypesRoutes,
    ContactSubscriptionsRoutes,
    CreditReceptionsRoutes,
    RewardReceptionsRoutes,
    LoyaltyTransactionsRoutes,
    LoyaltyProgramRoutes,
    PrepaidTransactionsRoutes,
    RewardsRoutes,
    RewardAttributesRoutes,
    CollectableRewardsRoutes,
    GiftcardProgramsRoutes,
    GiftcardsRoutes,
    GiftcardTransactionsRoutes,
    PromotionsRoutes,
    PromotionAttributesRoutes,
    VouchersRoutes,
    ShopsRoutes,
    TiersRoutes,
    UnitsRoutes,
    PerksRoutes,
    BrandKitRoutes,
    ReferralsRoutes,
    WebhooksRoutes,
    LoyaltyTransactionAttributesRoutes,
    ContactSessionTokensRoutes,
    BookingsRoutes,
    VisitsRoutes,
    ShiftsRoutes,
    ShiftTeamsRoutes,
    ShiftTypesRoutes,
    OrdersRoutes,
)


def routes_of(fake: FakeServer) -> list[web.RouteDef]:
    """The route table of every section, bound to ``fake``."""
    return [r for section in SECTIONS for r in section(fake).routes()]
