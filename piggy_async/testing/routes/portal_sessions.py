"""The fake server's routes of Piggy's ``portal-sessions`` docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import contact_not_found, ok, piggy_error
from ._base import Routes, required, route
from ._refs import contact_ref, int_field, shop_ref

__all__ = ["PortalSessionsRoutes"]


class PortalSessionsRoutes(Routes):
    """Portal sessions: the fake's answers to the ``portal-sessions`` calls."""

    @route("POST", "/portal-sessions")
    async def create_portal_session(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        shop_uuid = body.get("shop_uuid")
        if shop_uuid != self.store.shop["uuid"]:
            raise piggy_error(ErrorCode.SHOP_NOT_FOUND)
        contact_uuid = body.get("contact_uuid")
        if contact_uuid is not None and contact_uuid not in self.store.contacts:
            raise contact_not_found()
        session_uuid = new_uuid(self.store.rng)
        session = {
            "uuid": session_uuid,
            "url": f"https://api.piggy.eu/portal-sessions?uuid={session_uuid}",
            "contact": {"uuid": contact_uuid} if contact_uuid else None,
            "shop": {
                "id": self.store.shop["id"],
                "uuid": self.store.shop["uuid"],
                "name": self.store.shop["name"],
            },
            "created_at": "2024-06-30T13:29:16+00:00",
        }
        self.store.portal_sessions[session_uuid] = session
        return ok(session)

    @route("GET", "/portal-sessions/{uuid}")
    async def get_portal_session(self, request: web.Request) -> web.Response:
        session = self.store.portal_sessions.get(request.match_info["uuid"])
        if session is None:
            raise piggy_error(ErrorCode.MODEL_NOT_FOUND)
        return ok(session)

    def _kind_session(self, body: dict[str, Any]) -> dict[str, Any]:
        """A portal session of one of the documented kinds, as Piggy answers it (400 with
        1008 or 55031 when the shop or contact is unknown)."""
        required(body, "shop_uuid")
        shop = shop_ref(self.store, body["shop_uuid"])
        contact_uuid = body.get("contact_uuid")
        contact = (
            None
            if contact_uuid is None
            else {"uuid": contact_ref(self.store, contact_uuid)["uuid"]}
        )
        session_uuid = new_uuid(self.store.rng)
        session: dict[str, Any] = {
            "uuid": session_uuid,
            "url": f"https://api.piggy.eu/portal-sessions?uuid={session_uuid}",
            "contact": contact,
            "shop": {
                "id": shop.get("id"),
                "uuid": shop["uuid"],
                "reference": shop.get("reference"),
                "name": shop.get("name"),
            },
            "events": [],
            "created_at": "2024-06-30T13:29:16+00:00",
        }
        self.store.portal_sessions[session_uuid] = session
        return session

    @route("POST", "/portal-sessions/credit-reception")
    @route("POST", "/portal-sessions/top-up-giftcards")
    @route("POST", "/portal-sessions/pay-prepaid")
    @route("POST", "/portal-sessions/top-up-prepaid")
    @route("POST", "/portal-sessions/vouchers")
    async def create_kind_portal_session(self, request: web.Request) -> web.Response:
        return ok(self._kind_session(self.body_of(request)))

    @route("POST", "/portal-sessions/redeem-giftcards")
    async def create_redeem_giftcards_portal_session(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "amount_in_cents", "shop_uuid")
        int_field(body, "amount_in_cents", 1)
        return ok(self._kind_session(body))
