"""Webhooks: the calls of Piggy's ``webhooks`` docs page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._validate import check_choice, check_text, check_texts, segment
from ..types import WebhookSubscription
from ._base import Headers, Resource, compact

__all__ = ["WebhookSubscriptions"]


class WebhookSubscriptions(Resource):
    """Where Piggy sends webhooks (see :mod:`piggy_async.webhooks` to receive them)."""

    __slots__ = ()

    async def list(
        self,
        *,
        event_type: str | None = None,
        status: str | None = None,
        extra_headers: Headers | None = None,
    ) -> list[WebhookSubscription]:
        """The account's webhook subscriptions. ``GET /webhook-subscriptions``.

        (docs: webhooks, "List Webhook Subscriptions").
        """
        params = {"event_type": event_type, "status": status}
        return await self._transport.request(
            "GET",
            "/webhook-subscriptions",
            list[WebhookSubscription],
            params=params,
            headers=extra_headers,
        )

    async def create(
        self,
        *,
        name: str,
        url: str,
        event_type: str,
        secret: str | None = None,
        extra_headers: Headers | None = None,
    ) -> WebhookSubscription:
        """Have Piggy POST ``event_type`` events to ``url``, signed with ``secret``. (The
        contact attributes a ``contact_updated`` subscription watches are set with
        :meth:`update`'s ``attributes``: the docs give create no such parameter.)

        ``POST /webhook-subscriptions`` (docs: webhooks, "Create Webhook Subscription").
        """
        body = compact(
            {
                "name": check_text(name, "name"),
                "url": check_text(url, "url"),
                "event_type": check_text(event_type, "event_type"),
                "secret": secret,
            }
        )
        return await self._transport.request(
            "POST", "/webhook-subscriptions", WebhookSubscription, json=body, headers=extra_headers
        )

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> WebhookSubscription:
        """One webhook subscription. ``GET /webhook-subscriptions/{webhook_subscription_uuid}``
        (docs: webhooks, "Get Webhook Subscription")."""
        path = f"/webhook-subscriptions/{segment(uuid, 'uuid')}"
        return await self._transport.request(
            "GET", path, WebhookSubscription, headers=extra_headers
        )

    async def update(
        self,
        uuid: str,
        *,
        name: str | None = None,
        url: str | None = None,
        status: str | None = None,
        attributes: Sequence[str] | None = None,
        extra_headers: Headers | None = None,
    ) -> WebhookSubscription:
        """Change a webhook subscription's name, url, status (ACTIVE or INACTIVE) or, for
        ``contact_updated`` subscriptions, the contact ``attributes`` it watches. Its
        ``event_type`` and ``secret`` cannot change.

        ``PUT /webhook-subscriptions/{uuid}`` (docs: webhooks, "Update Webhook
        Subscription").
        """
        path = f"/webhook-subscriptions/{segment(uuid, 'uuid')}"
        body = compact(
            {
                "name": name,
                "url": url,
                "status": None
                if status is None
                else check_choice(status, "status", ("ACTIVE", "INACTIVE")),
                "attributes": None if attributes is None else check_texts(attributes, "attributes"),
            }
        )
        return await self._transport.request(
            "PUT", path, WebhookSubscription, json=body, headers=extra_headers
        )

    async def delete(self, uuid: str, *, extra_headers: Headers | None = None) -> None:
        """Remove a webhook subscription. ``DELETE /webhook-subscriptions/{uuid}``.

        (docs: webhooks, "Delete Webhook Subscription").
        """
        path = f"/webhook-subscriptions/{segment(uuid, 'uuid')}"
        await self._transport.request("DELETE", path, Any, headers=extra_headers)
