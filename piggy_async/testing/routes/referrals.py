"""The fake server's routes of Piggy's ``referrals`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import int_query, invalid, ok
from ._base import Routes, route

__all__ = ["ReferralsRoutes"]


class ReferralsRoutes(Routes):
    """Referrals: the fake's answers to the ``referrals`` calls."""

    @route("GET", "/referrals")
    async def list_referrals(self, request: web.Request) -> web.Response:
        items = self.store.referrals
        q = request.query
        if q.get("status") and q["status"] not in ("pending", "completed", "failed"):
            raise invalid("status", "The selected status is invalid.")
        if q.get("referring_contact_uuid"):
            wanted = q["referring_contact_uuid"]
            items = [r for r in items if (r.get("referring_contact") or {}).get("uuid") == wanted]
        if q.get("status"):
            items = [r for r in items if r.get("status") == q["status"]]
        page = int_query(request, "page", 1, 1, None)
        limit = int_query(request, "limit", 30, 1, 100)
        return ok(items[(page - 1) * limit : page * limit])
