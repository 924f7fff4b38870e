"""The fake server's routes of Piggy's ``contact-subscriptions`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._base import Routes, not_found, route

__all__ = ["ContactSubscriptionsRoutes"]


class ContactSubscriptionsRoutes(Routes):
    """Contact subscriptions: the fake's answers to the ``contact-subscriptions`` calls."""

    @route("GET", "/contact-subscriptions/{uuid}")
    async def contact_subscriptions(self, request: web.Request) -> web.Response:
        return ok(self.contact_of(request.match_info["uuid"])["subscriptions"])

    async def change_subscription(self, request: web.Request, subscribe: bool) -> web.Response:
        contact = self.contact_of(request.match_info["uuid"])
        wanted = self.body_of(request).get("subscription_type_uuid")
        for sub in contact["subscriptions"]:
            if sub["subscription_type"].get("uuid") == wanted and wanted:
                sub["is_subscribed"] = subscribe
                sub["status"] = "SUBSCRIBED" if subscribe else "UNSUBSCRIBED"
                self.store.changed(contact["uuid"])
                return ok(sub)
        raise not_found("Subscription type")

    @route("PUT", "/contact-subscriptions/{uuid}/subscribe")
    async def subscribe(self, request: web.Request) -> web.Response:
        return await self.change_subscription(request, True)

    @route("PUT", "/contact-subscriptions/{uuid}/unsubscribe")
    async def unsubscribe(self, request: web.Request) -> web.Response:
        return await self.change_subscription(request, False)
