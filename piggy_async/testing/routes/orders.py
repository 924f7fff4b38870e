"""The fake server's routes of Piggy's ``orders`` docs page.

The page lists no errors; the fake answers like the other calls that name a contact and a
shop (55031, 1008) and a malformed order with 1003. Its order action: a completed, paid
order earns the contact one point per 100 of ``total_order_amount`` (lowest denomination),
answered as a ``POINTS_TRANSACTION`` result; any other order has no result (``null``).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .._seed import new_uuid
from ..server_base import invalid, ok
from ._base import Routes, now_iso, required, route
from ._refs import contact_ref, shop_ref

__all__ = ["OrdersRoutes"]

_STATUSES = ("CREATED", "PENDING", "COMPLETED")
_PAYMENT_STATUSES = ("UNPAID", "PENDING", "PAID")
_LINE_ITEM_KEYS = ("external_identifier", "name", "quantity", "price", "total_amount")


def _uuid_of(body: dict[str, Any], name: str) -> Any:
    value = body.get(name)
    if not isinstance(value, dict) or not value.get("uuid"):
        raise invalid(f"{name}.uuid", f"The {name}.uuid field is required.")
    return value["uuid"]


def _check(body: dict[str, Any]) -> None:
    """The documented required fields and closed sets of an order (1003 otherwise)."""
    required(body, "external_identifier", "status", "payment_status", "total_order_amount")
    if body["status"] not in _STATUSES:
        raise invalid("status", "The selected status is invalid.")
    if body["payment_status"] not in _PAYMENT_STATUSES:
        raise invalid("payment_status", "The selected payment status is invalid.")
    items = body.get("line_items")
    if not isinstance(items, list) or not items:
        raise invalid("line_items", "The line items field is required.")
    for index, item in enumerate(items):
        missing = [k for k in _LINE_ITEM_KEYS if not isinstance(item, dict) or k not in item]
        if missing:
            raise invalid(f"line_items.{index}.{missing[0]}", "The field is required.")


class OrdersRoutes(Routes):
    """Orders: the fake's answers to the ``orders`` call."""

    def _result(self, order: dict[str, Any], contact_uuid: str) -> dict[str, Any] | None:
        if order["status"] != "COMPLETED" or order["payment_status"] != "PAID":
            return None
        points = int(order["total_order_amount"]) // 100
        self.store.change_credits(contact_uuid, points)
        balance = self.store.contacts[contact_uuid]["credit_balance"]["balance"]
        return {"type": "POINTS_TRANSACTION", "points": points, "data": {"new_balance": balance}}

    @route("POST", "/orders")
    async def create_order(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        _check(body)
        contact = contact_ref(self.store, _uuid_of(body, "contact"))
        shop = shop_ref(self.store, _uuid_of(body, "business_profile"))
        if any(o["external_id"] == body["external_identifier"] for o in self.store.orders.values()):
            raise invalid("external_identifier", "The external identifier has already been taken.")
        charges = body.get("charges") or []
        now = now_iso()
        order = {
            "uuid": new_uuid(self.store.rng),
            "contact": contact,
            "business_profile": {"uuid": shop["uuid"], "name": shop.get("name")},
            "external_id": body["external_identifier"],
            "reference": body.get("reference"),
            "status": body["status"],
            "payment_status": body["payment_status"],
            "formatted_total_order_amount": f"€ {body['total_order_amount'] / 100:.2f}",
            "order_amount": body.get("order_amount"),
            "total_charges_amount": sum(c.get("total_amount", 0) for c in charges),
            "total_discount_amount": body.get("total_discount_amount"),
            "total_order_amount": body["total_order_amount"],
            "paid_at": body.get("paid_at"),
            "completed_at": body.get("completed_at"),
            "line_items": [{"uuid": new_uuid(self.store.rng), **i} for i in body["line_items"]],
            "applied_discounts": body.get("applied_discounts") or [],
            "charges": charges,
            "created_at": now,
            "updated_at": now,
        }
        self.store.orders[order["uuid"]] = order
        return ok({"order": order, "result": self._result(order, contact["uuid"])})
