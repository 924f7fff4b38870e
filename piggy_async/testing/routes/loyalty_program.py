"""The fake server's routes of Piggy's ``loyalty-program`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._base import Routes, route

__all__ = ["LoyaltyProgramRoutes"]


class LoyaltyProgramRoutes(Routes):
    """Loyalty program: the fake's answers to the ``loyalty-program`` calls."""

    @route("GET", "/loyalty-program")
    async def loyalty_program(self, request: web.Request) -> web.Response:
        return ok(self.store.loyalty_program)
