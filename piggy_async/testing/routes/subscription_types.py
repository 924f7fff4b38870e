"""The fake server's routes of Piggy's ``subscription-types`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._base import Routes, route

__all__ = ["SubscriptionTypesRoutes"]


class SubscriptionTypesRoutes(Routes):
    """Subscription types: the fake's answers to the ``subscription-types`` calls."""

    @route("GET", "/subscription-types")
    async def list_subscription_types(self, request: web.Request) -> web.Response:
        return ok(self.store.subscription_types)
