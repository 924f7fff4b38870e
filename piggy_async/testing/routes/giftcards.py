"""The fake server's routes of Piggy's ``giftcards`` docs page."""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from .._seed import new_uuid
from ..server_base import PiggyHTTPError, int_query, invalid, ok
from ._base import Routes, first_match, required, route

__all__ = ["GiftcardsRoutes"]


class GiftcardsRoutes(Routes):
    """Giftcards: the fake's answers to the ``giftcards`` calls."""

    @route("POST", "/giftcards")
    async def create_giftcard(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "giftcard_program_uuid")
        program = first_match(
            self.store.giftcard_programs, "uuid", body["giftcard_program_uuid"], "Giftcard program"
        )
        if body.get("type") not in (0, 1):
            raise invalid("type", "The selected type is invalid.")
        card: dict[str, Any] = {
            "uuid": new_uuid(self.store.rng),
            "hash": secrets.token_hex(5).upper(),
            "amount_in_cents": 0,
            "type": "PHYSICAL" if body["type"] == 0 else "DIGITAL",
            "active": True,
            "upgradeable": True,
            "expiration_date": "2030-06-13T12:09:00+00:00",
            "giftcard_program": {k: program[k] for k in ("uuid", "name", "active")},
        }
        self.store.giftcards[card["uuid"]] = card
        return ok(card)

    @route("GET", "/giftcards")
    async def list_giftcards(self, request: web.Request) -> web.Response:
        items = list(self.store.giftcards.values())
        program_uuid = request.query.get("giftcard_program_uuid")
        if program_uuid:
            first_match(
                self.store.giftcard_programs,
                "uuid",
                program_uuid,
                "Giftcard program",
                PiggyHTTPError(400, 1100, "Giftcard Program not found."),
            )
            items = [g for g in items if g["giftcard_program"]["uuid"] == program_uuid]
        # The docs' meta for this list: page, per_page, last_page, total.
        page = int_query(request, "page", 1, 1, None)
        limit = int_query(request, "limit", 30, 1, 100)
        chunk = items[(page - 1) * limit : page * limit]
        meta = {
            "page": page,
            "per_page": limit,
            "last_page": max(1, -(-len(items) // limit)),
            "total": len(items),
        }
        return ok(chunk, meta)

    @route("GET", "/giftcards/find-one-by")
    async def find_giftcard(self, request: web.Request) -> web.Response:
        return ok(
            first_match(
                self.store.giftcards.values(), "hash", request.query.get("hash"), "Giftcard"
            )
        )

    @route("GET", "/giftcards/{uuid}")
    async def get_giftcard(self, request: web.Request) -> web.Response:
        return ok(self.giftcard_of(request.match_info["uuid"]))

    @route("POST", "/giftcards/{uuid}/send-by-email")
    async def send_giftcard(self, request: web.Request) -> web.Response:
        self.giftcard_of(request.match_info["uuid"])
        self.contact_of(self.body_of(request).get("contact_uuid"))
        return ok([])
