"""Orders: the call of Piggy's ``orders`` docs page.

Piggy announced this API ("coming soon", May 2025) on a page that writes its URL as
``https://api.leat.com/v3/oauth/clients/orders``; the client sends ``POST /orders`` under its
base URL like every other call (see ``docs/fidelity.md``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from .._validate import check_choice, check_text
from ..errors import InvalidArgumentError
from ..types import OrderCreated
from ._base import Headers, Resource, compact

__all__ = ["ORDER_STATUSES", "PAYMENT_STATUSES", "Orders"]

ORDER_STATUSES = ("CREATED", "PENDING", "COMPLETED")
PAYMENT_STATUSES = ("UNPAID", "PENDING", "PAID")
DISCOUNT_TYPES = ("PERCENTAGE", "ABSOLUTE")
DISCOUNT_TARGETS = ("ORDER", "LINE_ITEMS")
CHARGE_TYPES = ("SERVICE_CHARGE", "GRATUITY", "SHIPPING", "WRAPPING", "CUSTOM")

Number = int | float
Item = Mapping[str, Any]


def _number(value: object, name: str) -> Number:
    """A finite int or float (amounts are in the currency's lowest denomination)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgumentError(
            f"{name} must be a number, not {type(value).__name__}", argument=name
        )
    if not math.isfinite(value):
        raise InvalidArgumentError(f"{name} must be finite, not {value}", argument=name)
    return value


def _when(value: str | datetime | None, name: str) -> str | None:
    """An optional ISO 8601 date and time (a datetime is converted), or None."""
    if value is None or isinstance(value, datetime):
        return None if value is None else value.isoformat()
    return check_text(value, name)


def _items(value: object, name: str) -> list[Item]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise InvalidArgumentError(f"{name} must be a list of mappings", argument=name)
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise InvalidArgumentError(
                f"{name}[{index}] must be a mapping, not {type(item).__name__}", argument=name
            )
    return list(value)


def _fields(item: Item, where: str, text: Sequence[str], numbers: Sequence[str]) -> dict[str, Any]:
    """``item`` as a dict whose required ``text`` and ``numbers`` keys are checked."""
    out = dict(item)
    for key in text:
        out[key] = check_text(item.get(key), f"{where}.{key}")
    for key in numbers:
        out[key] = _number(item.get(key), f"{where}.{key}")
    return out


def _line_item(item: Item, where: str) -> dict[str, Any]:
    out = _fields(item, where, ("external_identifier", "name"), ("quantity", "price"))
    out["total_amount"] = _number(item.get("total_amount"), f"{where}.total_amount")
    if item.get("discount_amount") is not None:
        out["discount_amount"] = _number(item["discount_amount"], f"{where}.discount_amount")
    product = item.get("product")
    if product is not None:
        if not isinstance(product, Mapping):
            raise InvalidArgumentError(f"{where}.product must be a mapping", argument=where)
        out["product"] = _fields(product, f"{where}.product", ("external_identifier",), ())
    return out


def _discount(item: Item, where: str) -> dict[str, Any]:
    out = _fields(item, where, ("external_identifier", "name"), ("amount",))
    out["applied_to"] = check_choice(
        item.get("applied_to"), f"{where}.applied_to", DISCOUNT_TARGETS
    )
    if item.get("type") is not None:
        out["type"] = check_choice(item["type"], f"{where}.type", DISCOUNT_TYPES)
    if item.get("value") is not None:
        out["value"] = _number(item["value"], f"{where}.value")
    if out["applied_to"] == "LINE_ITEMS" or item.get("line_items") is not None:
        refs = _items(item.get("line_items"), f"{where}.line_items")
        if not refs:
            raise InvalidArgumentError(
                f"{where}.line_items is required when applied_to is LINE_ITEMS", argument=where
            )
        out["line_items"] = [
            _fields(ref, f"{where}.line_items[{i}]", ("external_identifier",), ())
            for i, ref in enumerate(refs)
        ]
    return out


def _charge(item: Item, where: str) -> dict[str, Any]:
    out = _fields(item, where, ("external_identifier", "name"), ("total_amount",))
    out["type"] = check_choice(item.get("type"), f"{where}.type", CHARGE_TYPES)
    for key in ("amount", "discount_amount"):
        if item.get(key) is not None:
            out[key] = _number(item[key], f"{where}.{key}")
    return out


def _each(value: object, name: str, check: Any) -> list[dict[str, Any]] | None:
    if value is None:
        return None
    return [check(item, f"{name}[{i}]") for i, item in enumerate(_items(value, name))]


class Orders(Resource):
    """Orders: replicas of orders from web shops, ordering apps and POS systems."""

    __slots__ = ()

    async def create(
        self,
        *,
        external_identifier: str,
        status: str,
        payment_status: str,
        total_order_amount: Number,
        contact_uuid: str,
        business_profile_uuid: str,
        line_items: Sequence[Item],
        reference: str | None = None,
        order_amount: Number | None = None,
        total_discount_amount: Number | None = None,
        currency: str | None = None,
        paid_at: str | datetime | None = None,
        completed_at: str | datetime | None = None,
        applied_discounts: Sequence[Item] | None = None,
        charges: Sequence[Item] | None = None,
        extra_headers: Headers | None = None,
    ) -> OrderCreated:
        """Create an order; the account's order action (e.g. points) runs at once and its
        outcome comes back as ``result``. Amounts are in the currency's lowest denomination.

        Sent as Piggy documents it: ``contact`` and ``business_profile`` are objects
        (``{"uuid": ...}``), ``line_items``, ``applied_discounts`` and ``charges`` lists of
        objects with the documented keys (checked here before anything is sent).

        ``POST /orders`` (docs: orders, "Create Order").
        """
        body = {
            "external_identifier": check_text(external_identifier, "external_identifier"),
            "status": check_choice(status, "status", ORDER_STATUSES),
            "payment_status": check_choice(payment_status, "payment_status", PAYMENT_STATUSES),
            "total_order_amount": _number(total_order_amount, "total_order_amount"),
            "contact": {"uuid": check_text(contact_uuid, "contact_uuid")},
            "business_profile": {
                "uuid": check_text(business_profile_uuid, "business_profile_uuid")
            },
            "line_items": _each(line_items, "line_items", _line_item),
            **compact(
                {
                    "reference": None if reference is None else check_text(reference, "reference"),
                    "order_amount": None
                    if order_amount is None
                    else _number(order_amount, "order_amount"),
                    "total_discount_amount": None
                    if total_discount_amount is None
                    else _number(total_discount_amount, "total_discount_amount"),
                    "currency": None if currency is None else check_text(currency, "currency"),
                    "paid_at": _when(paid_at, "paid_at"),
                    "completed_at": _when(completed_at, "completed_at"),
                    "applied_discounts": _each(applied_discounts, "applied_discounts", _discount),
                    "charges": _each(charges, "charges", _charge),
                }
            ),
        }
        return await self._transport.request(
            "POST", "/orders", OrderCreated, json=body, headers=extra_headers
        )
