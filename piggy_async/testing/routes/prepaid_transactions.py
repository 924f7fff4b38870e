"""The fake server's routes of Piggy's ``prepaid-transactions`` docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import int_query, invalid, ok, piggy_error
from ._base import Routes, not_found, now_iso, required, route

__all__ = ["PrepaidTransactionsRoutes"]


class PrepaidTransactionsRoutes(Routes):
    """Prepaid transactions: the fake's answers to the ``prepaid-transactions`` calls."""

    @route("POST", "/prepaid-transactions")
    async def create_prepaid(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "amount_in_cents", "shop_uuid")
        contact, identifier = self.payer_of(body)
        shop = self.shop_of(body["shop_uuid"])
        balance = contact["prepaid_balance"]
        if balance["balance_in_cents"] + int(body["amount_in_cents"]) < 0:
            raise invalid("amount_in_cents", "The prepaid balance is too low.")
        balance["balance_in_cents"] += int(body["amount_in_cents"])
        self.store.changed(contact["uuid"])
        tx: dict[str, Any] = {
            "uuid": new_uuid(self.store.rng),
            "amount_in_cents": int(body["amount_in_cents"]),
            "prepaid_balance": {"balance_in_cents": balance["balance_in_cents"]},
            "created_at": now_iso(),
            "contact": {"uuid": contact["uuid"]},
            "shop": {"uuid": shop["uuid"], "name": shop["name"], "reference": None},
            "contact_identifier": identifier,
        }
        self.store.prepaid_transactions[tx["uuid"]] = tx
        return ok(tx)

    def payer_of(self, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """The contact named by ``contact_uuid`` or by ``contact_identifier_value`` (docs:
        prepaid-transactions, "Create Prepaid Transaction": each REQUIRED_WITHOUT the other),
        and the identifier used, if any."""
        value = body.get("contact_identifier_value")
        if not value:
            if not body.get("contact_uuid"):
                raise invalid("contact_uuid", "The contact uuid field is required.")
            return self.contact_of(body["contact_uuid"]), None
        ident = self.store.identifiers.get(value) if isinstance(value, str) else None
        if ident is None:
            raise piggy_error(ErrorCode.CONTACT_IDENTIFIER_NOT_FOUND)
        if not ident["active"]:
            raise piggy_error(ErrorCode.CONTACT_IDENTIFIER_INACTIVE)
        contact = self.contact_of(body.get("contact_uuid") or ident["contact_uuid"])
        answer = {"name": ident["name"], "value": value, "active": ident["active"]}
        return contact, answer

    @route("GET", "/prepaid-transactions")
    async def list_prepaid(self, request: web.Request) -> web.Response:
        items = list(self.store.prepaid_transactions.values())
        q = request.query
        if q.get("contact_uuid"):
            self.contact_of(q["contact_uuid"])
            items = [t for t in items if t["contact"]["uuid"] == q["contact_uuid"]]
        if q.get("shop_uuid"):
            items = [t for t in items if t["shop"]["uuid"] == q["shop_uuid"]]
        # The docs' meta for this list (prepaid-transactions, "List Prepaid Transactions"):
        # current_page, from, last_page, per_page, total; `limit` at most 30.
        page = int_query(request, "page", 1, 1, None)
        size = int_query(request, "limit", 10, 1, 30)
        start = (page - 1) * size
        chunk = items[start : start + size]
        meta = {
            "current_page": page,
            "from": start + 1 if chunk else None,
            "last_page": max(1, -(-len(items) // size)),
            "per_page": size,
            "total": len(items),
        }
        return ok(chunk, meta)

    @route("POST", "/prepaid-transactions/{uuid}/reverse")
    async def reverse_prepaid(self, request: web.Request) -> web.Response:
        tx = self.store.prepaid_transactions.get(request.match_info["uuid"])
        if tx is None:
            raise not_found("Prepaid transaction")
        contact = self.contact_of(tx["contact"]["uuid"])
        contact["prepaid_balance"]["balance_in_cents"] -= tx["amount_in_cents"]
        self.store.changed(contact["uuid"])
        return ok(
            {
                **tx,
                "uuid": new_uuid(self.store.rng),
                "amount_in_cents": -tx["amount_in_cents"],
                "prepaid_balance": dict(contact["prepaid_balance"]),
            }
        )
