"""The fake server's routes of Piggy's ``shops`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._base import Routes, route

__all__ = ["ShopsRoutes"]


class ShopsRoutes(Routes):
    """Shops: the fake's answers to the ``shops`` calls."""

    @route("GET", "/shops")
    async def list_shops(self, request: web.Request) -> web.Response:
        return ok(self.store.shops)

    @route("GET", "/shops/{uuid}")
    async def get_shop(self, request: web.Request) -> web.Response:
        return ok(self.shop_of(request.match_info["uuid"]))
