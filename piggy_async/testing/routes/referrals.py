"""The fake server's routes of Piggy's ``referrals`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._base import Routes, route

__all__ = ["ReferralsRoutes"]


class ReferralsRoutes(Routes):
    """Referrals: the fake's answers to the ``referrals`` calls."""

    @route("GET", "/referrals")
    async def list_referrals(self, request: web.Request) -> web.Response:
        return ok(self.store.referrals)
