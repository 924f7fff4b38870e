"""``piggy.contacts_portal`` and ``piggy.portal_sessions``: the Piggy contacts portal."""

from __future__ import annotations

import msgspec

from .._validate import check_text, segment
from ..types import PortalSession
from . import Resource

__all__ = ["ContactsPortal", "PortalSessions"]


class _AuthUrl(msgspec.Struct, gc=False):
    url: str


class ContactsPortal(Resource):
    """The contacts portal, where contacts see their own loyalty account."""

    __slots__ = ()

    async def get_auth_url(self, *, contact_uuid: str) -> str:
        """A URL that logs this contact into the portal.

        ``GET /contacts-portal/auth-url?contact_uuid=``.
        """
        params = {"contact_uuid": check_text(contact_uuid, "contact_uuid")}
        result: _AuthUrl = await self._transport.request(
            "GET", "/contacts-portal/auth-url", _AuthUrl, params=params
        )
        return result.url


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
