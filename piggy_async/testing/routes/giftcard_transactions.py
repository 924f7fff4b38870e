"""The fake server's routes of Piggy's ``giftcard-transactions`` docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, lookup, now_iso, paged, required, route

__all__ = ["GiftcardTransactionsRoutes"]


class GiftcardTransactionsRoutes(Routes):
    """Giftcard transactions: the fake's answers to the ``giftcard-transactions`` calls."""

    def giftcard_tx(
        self, card: dict[str, Any], shop: dict[str, Any], amount: int
    ) -> dict[str, Any]:
        if card["amount_in_cents"] + amount < 0:
            raise piggy_error(ErrorCode.GIFTCARD_INSUFFICIENT_AMOUNT)
        card["amount_in_cents"] += amount
        tx = {
            "uuid": new_uuid(self.store.rng),
            "id": len(self.store.giftcard_transactions) + 1,
            "amount_in_cents": amount,
            "type": "STANDARD",
            "settled": False,
            "card_id": abs(hash(card["uuid"])) % 100_000,
            "shop_id": shop["id"],
            "settlements": [],
            "created_at": now_iso(),
            "giftcard_uuid": card["uuid"],
            "program_uuid": card["giftcard_program"]["uuid"],
        }
        self.store.giftcard_transactions[tx["uuid"]] = tx
        return tx

    @route("GET", "/giftcard-transactions")
    async def list_giftcard_transactions(self, request: web.Request) -> web.Response:
        items = list(self.store.giftcard_transactions.values())
        q = request.query
        if not (q.get("gifcard_hash") or q.get("giftcard_program_uuid") or q.get("shop_uuid")):
            raise invalid("gifcard_hash", "Give a giftcard hash, program uuid or shop uuid.")
        if q.get("giftcard_program_uuid"):
            items = [t for t in items if t["program_uuid"] == q["giftcard_program_uuid"]]
        if q.get("shop_uuid"):
            shop_id = self.shop_of(q["shop_uuid"])["id"]
            items = [t for t in items if t["shop_id"] == shop_id]
        if q.get("gifcard_hash"):
            cards = {
                c["uuid"] for c in self.store.giftcards.values() if c["hash"] == q["gifcard_hash"]
            }
            items = [t for t in items if t["giftcard_uuid"] in cards]
        # the docs' meta for this list (giftcard-transactions, "List ..."); its size: perPage
        return paged(items, request, 10, size_query="perPage")

    @route("POST", "/giftcard-transactions")
    async def create_giftcard_transaction(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "shop_uuid", "giftcard_uuid", "amount_in_cents")
        return ok(
            self.giftcard_tx(
                self.giftcard_of(body["giftcard_uuid"]),
                self.shop_of(body["shop_uuid"]),
                int(body["amount_in_cents"]),
            )
        )

    def giftcard_tx_of(self, uuid: str) -> dict[str, Any]:
        return lookup(self.store.giftcard_transactions, uuid, "Giftcard transaction")

    @route("GET", "/giftcard-transactions/{uuid}")
    async def get_giftcard_transaction(self, request: web.Request) -> web.Response:
        return ok(self.giftcard_tx_of(request.match_info["uuid"]))

    @route("POST", "/giftcard-transactions/{uuid}/correct")
    async def correct_giftcard_transaction(self, request: web.Request) -> web.Response:
        tx = self.giftcard_tx_of(request.match_info["uuid"])
        tx["type"] = "CORRECTION"
        return ok(tx)

    @route("POST", "/giftcard-transactions/{uuid}/reverse")
    async def reverse_giftcard_transaction(self, request: web.Request) -> web.Response:
        tx = self.giftcard_tx_of(request.match_info["uuid"])
        card = self.giftcard_of(tx["giftcard_uuid"])
        shop = next(s for s in self.store.shops if s["id"] == tx["shop_id"])
        return ok(self.giftcard_tx(card, shop, -tx["amount_in_cents"]))
