"""The fake server's routes of Piggy's ``brand-kit`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._base import Routes, route

__all__ = ["BrandKitRoutes"]


class BrandKitRoutes(Routes):
    """Brand kit: the fake's answers to the ``brand-kit`` calls."""

    @route("GET", "/brand-kit")
    async def brand_kit(self, request: web.Request) -> web.Response:
        return ok(self.store.brand_kit)
