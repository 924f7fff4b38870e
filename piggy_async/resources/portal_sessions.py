"""Portal Sessions: the calls of Piggy's ``portal-sessions`` docs page."""

from __future__ import annotations

from .._validate import check_text, segment
from ..types import PortalSession
from ._base import Resource

__all__ = ["PortalSessions"]


class PortalSessions(Resource):
    """Portal sessions: a portal visit for a shop, optionally for a known contact."""

    __slots__ = ()

    async def create(self, *, shop_uuid: str, contact_uuid: str | None = None) -> PortalSession:
        """Start a portal session for a shop (and contact). ``POST /portal-sessions``."""
        body = {"shop_uuid": check_text(shop_uuid, "shop_uuid")}
        if contact_uuid is not None:
            body["contact_uuid"] = check_text(contact_uuid, "contact_uuid")
        result: PortalSession = await self._transport.request(
            "POST", "/portal-sessions", PortalSession, json=body
        )
        return result

    async def get(self, uuid: str) -> PortalSession:
        """One portal session. ``GET /portal-sessions/{uuid}``."""
        path = f"/portal-sessions/{segment(uuid, 'uuid')}"
        result: PortalSession = await self._transport.request("GET", path, PortalSession)
        return result
