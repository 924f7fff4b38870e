"""The fake server's routes of Piggy's ``contacts-portal`` docs page."""

from __future__ import annotations

import secrets

from aiohttp import web

from ..server_base import contact_not_found, ok
from ._base import Routes, route

__all__ = ["ContactsPortalRoutes"]


class ContactsPortalRoutes(Routes):
    """Contacts portal: the fake's answers to the ``contacts-portal`` calls."""

    @route("GET", "/contacts-portal/auth-url")
    async def portal_auth_url(self, request: web.Request) -> web.Response:
        contact_uuid = request.query.get("contact_uuid", "")
        if contact_uuid not in self.store.contacts:
            raise contact_not_found()
        token = secrets.token_urlsafe(32)
        return ok({"url": f"https://portal.piggy.eu/home?token={token}"})
