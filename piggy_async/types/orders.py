"""Models of Piggy's ``orders`` docs page (an API Piggy announced, not yet live)."""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import ContactSummary, _Model

__all__ = [
    "AppliedDiscount",
    "BusinessProfile",
    "Order",
    "OrderCharge",
    "OrderCreated",
    "OrderLineItem",
    "OrderLineItemRef",
    "OrderProduct",
    "OrderResult",
]

#: Amounts are in the currency's lowest denomination; the docs type them "number".
Number = int | float


class BusinessProfile(_Model):
    """Where an order took place (what older calls call a shop)."""

    uuid: str
    name: str | None = None


class OrderProduct(_Model):
    """The product a line item is for."""

    external_identifier: str
    name: str | None = None


class OrderLineItem(_Model):
    """One product line of an order."""

    external_identifier: str
    uuid: str | None = None
    name: str | None = None
    quantity: Number | None = None
    price: Number | None = None
    total_amount: Number | None = None
    discount_amount: Number | None = None
    product: OrderProduct | None = None


class OrderLineItemRef(_Model):
    """A line item a discount applies to, by its external identifier."""

    external_identifier: str


class AppliedDiscount(_Model):
    """A discount applied to the order or to some of its line items."""

    external_identifier: str
    uuid: str | None = None
    name: str | None = None
    amount: Number | None = None
    type: str | None = None
    value: Number | None = None
    applied_to: str | None = None
    line_items: list[OrderLineItemRef] = msgspec.field(default_factory=list)


class OrderCharge(_Model):
    """A charge outside the line items: service charge, gratuity, shipping, ..."""

    external_identifier: str
    type: str | None = None
    name: str | None = None
    amount: Number | None = None
    discount_amount: Number | None = None
    total_amount: Number | None = None


class Order(_Model):
    """An order replicated from a web shop, ordering app or POS system."""

    uuid: str
    contact: ContactSummary | None = None
    business_profile: BusinessProfile | None = None
    external_id: str | None = None
    external_identifier: str | None = None
    reference: str | None = None
    status: str | None = None
    payment_status: str | None = None
    currency: str | None = None
    formatted_total_order_amount: str | None = None
    order_amount: Number | None = None
    total_charges_amount: Number | None = None
    total_discount_amount: Number | None = None
    total_order_amount: Number | None = None
    paid_at: str | None = None
    completed_at: str | None = None
    line_items: list[OrderLineItem] = msgspec.field(default_factory=list)
    applied_discounts: list[AppliedDiscount] = msgspec.field(default_factory=list)
    charges: list[OrderCharge] = msgspec.field(default_factory=list)
    created_at: str | None = None
    updated_at: str | None = None


class OrderResult(_Model):
    """What the account's order action did, e.g. a points transaction and the new balance."""

    type: str | None = None
    points: int | None = None
    data: dict[str, Any] = msgspec.field(default_factory=dict)


class OrderCreated(_Model):
    """The answer to creating an order: the order and the result of its order action."""

    order: Order
    result: OrderResult | None = None
