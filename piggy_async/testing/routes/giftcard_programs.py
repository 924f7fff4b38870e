"""The fake server's routes of Piggy's ``giftcard-programs`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._base import Routes, route

__all__ = ["GiftcardProgramsRoutes"]


class GiftcardProgramsRoutes(Routes):
    """Giftcard programs: the fake's answers to the ``giftcard-programs`` calls."""

    @route("GET", "/giftcard-programs")
    async def list_giftcard_programs(self, request: web.Request) -> web.Response:
        return ok(self.store.giftcard_programs)
