"""The fake server's routes of Piggy's ``webhooks`` docs page."""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from .._seed import new_uuid
from ..server_base import invalid, ok
from ._base import Routes, lookup, now_iso, required, route

__all__ = ["WebhooksRoutes"]


class WebhooksRoutes(Routes):
    """Webhooks: the fake's answers to the ``webhooks`` calls."""

    def subscription_of(self, uuid: str) -> dict[str, Any]:
        return lookup(self.store.webhook_subscriptions, uuid, "Webhook subscription")

    @route("GET", "/webhook-subscriptions")
    async def list_webhooks(self, request: web.Request) -> web.Response:
        items = list(self.store.webhook_subscriptions.values())
        for key in ("event_type", "status"):
            if request.query.get(key):
                items = [s for s in items if s[key] == request.query[key]]
        return ok([_public(s) for s in items])

    @route("POST", "/webhook-subscriptions")
    async def create_webhook(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "name", "url", "event_type")
        sub = {
            "uuid": new_uuid(self.store.rng),
            "name": body["name"],
            "event_type": body["event_type"],
            "url": body["url"],
            # docs: webhooks, "Create Webhook Subscription" takes no properties; they are
            # set by "Update Webhook Subscription" (``attributes``)
            "properties": [],
            "status": "ACTIVE",
            "version": "V1",
            "created_at": now_iso(),
            "secret": body.get("secret") or secrets.token_hex(16),
        }
        self.store.webhook_subscriptions[sub["uuid"]] = sub
        return ok(_public(sub))

    @route("GET", "/webhook-subscriptions/{uuid}")
    async def get_webhook(self, request: web.Request) -> web.Response:
        return ok(_public(self.subscription_of(request.match_info["uuid"])))

    @route("PUT", "/webhook-subscriptions/{uuid}")
    async def update_webhook(self, request: web.Request) -> web.Response:
        sub = self.subscription_of(request.match_info["uuid"])
        body = self.body_of(request)
        if "status" in body and body["status"] not in ("ACTIVE", "INACTIVE"):
            raise invalid("status", "The selected status is invalid.")
        if "event_type" in body or "secret" in body:
            raise invalid("event_type", "The event type and secret cannot be changed.")
        sub.update({k: v for k, v in body.items() if k in ("name", "url", "status")})
        if body.get("attributes") is not None:
            sub["properties"] = list(body["attributes"])
        sub["updated_at"] = now_iso()
        return ok(_public(sub))

    @route("DELETE", "/webhook-subscriptions/{uuid}")
    async def delete_webhook(self, request: web.Request) -> web.Response:
        del self.store.webhook_subscriptions[
            self.subscription_of(request.match_info["uuid"])["uuid"]
        ]
        return ok([])


def _public(subscription: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in subscription.items() if k != "secret"}
