"""The fake server's routes of Piggy's ``loyalty-transaction-attributes`` docs page."""

from __future__ import annotations

from ._attribute_sets import AttributeSetRoutes

__all__ = ["LoyaltyTransactionAttributesRoutes"]


class LoyaltyTransactionAttributesRoutes(AttributeSetRoutes):
    """Loyalty transaction attributes: list and create."""

    entity = "loyalty_transaction"
    path = "/loyalty-transaction-attributes"
    type_key = "data_type"
    label_required = False
