"""The fake server's routes of Piggy's ``portal-sessions`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import contact_not_found, ok, piggy_error
from ._base import Routes, route

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
