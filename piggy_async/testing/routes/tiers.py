"""The fake server's routes of Piggy's ``tiers`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._base import Routes, route

__all__ = ["TiersRoutes"]


class TiersRoutes(Routes):
    """Tiers: the fake's answers to the ``tiers`` calls."""

    @route("GET", "/tiers")
    async def list_tiers(self, request: web.Request) -> web.Response:
        return ok(sorted(self.store.tiers, key=lambda t: t["position"]))
