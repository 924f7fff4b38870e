"""The fake server's routes of Piggy's ``loyalty-transactions`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import int_query, ok
from ._base import Routes, paged, route

__all__ = ["LoyaltyTransactionsRoutes"]


class LoyaltyTransactionsRoutes(Routes):
    """Loyalty transactions: the fake's answers to the ``loyalty-transactions`` calls."""

    @route("GET", "/contacts/{uuid}/loyalty-transactions")
    async def loyalty_transactions(self, request: web.Request) -> web.Response:
        contact_uuid = self.contact_uuid_of(request)
        page = int_query(request, "page", 1, 1, None)
        limit = int_query(request, "limit", 10, 1, 100)
        items = self.store.transactions[contact_uuid]
        wanted = request.query.get("type")
        if wanted:
            items = [t for t in items if t["type"] == wanted]
        total = len(items)
        start = (page - 1) * limit
        chunk = items[start : start + limit]
        meta = {
            "page": page,
            "limit": limit,
            "viewing_from": start + 1 if chunk else 0,
            "viewing_to": start + len(chunk),
            "last_page": max(1, -(-total // limit)),
            "total": total,
        }
        return ok(chunk, meta)

    @route("GET", "/loyalty-transactions")
    async def list_loyalty_transactions(self, request: web.Request) -> web.Response:
        # docs: loyalty-transactions, "List Loyalty Transactions": 55031, 1008
        if request.query.get("contact_uuid"):
            self.contact_of(request.query["contact_uuid"])
        if request.query.get("shop_uuid"):
            self.shop_of(request.query["shop_uuid"])
        items = [tx for txs in self.store.transactions.values() for tx in txs]
        items.sort(
            key=lambda tx: tx["created_at"], reverse=request.query.get("sort") != "created_at"
        )
        for key in ("type",):
            if request.query.get(key):
                items = [tx for tx in items if tx[key] == request.query[key]]
        if request.query.get("contact_uuid"):
            items = [tx for tx in items if tx["contact"]["uuid"] == request.query["contact_uuid"]]
        if request.query.get("shop_uuid"):
            items = [
                tx
                for tx in items
                if (tx.get("shop") or {}).get("uuid") == request.query["shop_uuid"]
            ]
        return paged(items, request, 10)
