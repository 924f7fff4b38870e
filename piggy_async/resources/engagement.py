"""Contact verification, subscriptions, and webhook subscriptions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._validate import check_email, check_text, segment
from ..types import Subscription, SubscriptionType, WebhookSubscription
from . import Resource, compact

__all__ = [
    "ContactSubscriptions",
    "ContactVerification",
    "SubscriptionTypes",
    "WebhookSubscriptions",
]


def _confirmed(data: Any) -> bool:
    """Piggy answers ``[true]`` when it worked."""
    if isinstance(data, list):
        return bool(data) and data[0] is True
    return data is True


class ContactVerification(Resource):
    """Email login codes for contacts (passwordless verification)."""

    __slots__ = ()

    async def send(self, *, email: str) -> bool:
        """Mail a login code to the contact. ``POST /contact-verification/send``."""
        body = {"email": check_email(email)}
        data = await self._transport.request("POST", "/contact-verification/send", Any, json=body)
        return _confirmed(data)

    async def verify(self, *, email: str, code: str) -> bool:
        """Check a login code the contact typed. ``POST /contact-verification/verify``."""
        body = {"email": check_email(email), "code": check_text(code, "code")}
        data = await self._transport.request("POST", "/contact-verification/verify", Any, json=body)
        return _confirmed(data)

    async def get_auth_token(self, contact_uuid: str) -> str:
        """An auth token to log the contact in elsewhere.

        ``GET /contact-verification/auth-token/{contact_uuid}``.
        """
        path = f"/contact-verification/auth-token/{segment(contact_uuid, 'contact_uuid')}"
        result: str = await self._transport.request("GET", path, str)
        return result


class SubscriptionTypes(Resource):
    """The kinds of communication contacts can subscribe to."""

    __slots__ = ()

    async def list(self) -> list[SubscriptionType]:
        """Every subscription type. ``GET /subscription-types``."""
        result: list[SubscriptionType] = await self._transport.request(
            "GET", "/subscription-types", list[SubscriptionType]
        )
        return result


class ContactSubscriptions(Resource):
    """A contact's subscriptions to the subscription types."""

    __slots__ = ()

    async def list(self, contact_uuid: str) -> list[Subscription]:
        """The contact's subscriptions. ``GET /contact-subscriptions/{contact_uuid}``."""
        path = f"/contact-subscriptions/{segment(contact_uuid, 'contact_uuid')}"
        result: list[Subscription] = await self._transport.request("GET", path, list[Subscription])
        return result

    async def subscribe(self, contact_uuid: str, *, subscription_type_uuid: str) -> Subscription:
        """Subscribe the contact. ``PUT /contact-subscriptions/{contact_uuid}/subscribe``."""
        return await self._change(contact_uuid, "subscribe", subscription_type_uuid)

    async def unsubscribe(self, contact_uuid: str, *, subscription_type_uuid: str) -> Subscription:
        """Unsubscribe the contact. ``PUT /contact-subscriptions/{contact_uuid}/unsubscribe``."""
        return await self._change(contact_uuid, "unsubscribe", subscription_type_uuid)

    async def _change(self, contact_uuid: str, verb: str, type_uuid: str) -> Subscription:
        path = f"/contact-subscriptions/{segment(contact_uuid, 'contact_uuid')}/{verb}"
        body = {"subscription_type_uuid": check_text(type_uuid, "subscription_type_uuid")}
        result: Subscription = await self._transport.request("PUT", path, Subscription, json=body)
        return result


class WebhookSubscriptions(Resource):
    """Where Piggy sends webhooks (see :mod:`piggy_async.webhooks` to receive them)."""

    __slots__ = ()

    async def list(
        self, *, event_type: str | None = None, status: str | None = None
    ) -> list[WebhookSubscription]:
        """The account's webhook subscriptions. ``GET /webhook-subscriptions``."""
        params = {"event_type": event_type, "status": status}
        result: list[WebhookSubscription] = await self._transport.request(
            "GET", "/webhook-subscriptions", list[WebhookSubscription], params=params
        )
        return result

    async def create(
        self,
        *,
        name: str,
        url: str,
        event_type: str,
        secret: str | None = None,
        properties: Sequence[str] | None = None,
    ) -> WebhookSubscription:
        """Have Piggy POST ``event_type`` events to ``url``, signed with ``secret``.

        ``POST /webhook-subscriptions``.
        """
        body = compact(
            {
                "name": check_text(name, "name"),
                "url": check_text(url, "url"),
                "event_type": check_text(event_type, "event_type"),
                "secret": secret,
                "properties": None if properties is None else list(properties),
            }
        )
        result: WebhookSubscription = await self._transport.request(
            "POST", "/webhook-subscriptions", WebhookSubscription, json=body
        )
        return result

    async def get(self, uuid: str) -> WebhookSubscription:
        """One webhook subscription. ``GET /webhook-subscriptions/{uuid}``."""
        path = f"/webhook-subscriptions/{segment(uuid, 'uuid')}"
        result: WebhookSubscription = await self._transport.request(
            "GET", path, WebhookSubscription
        )
        return result

    async def update(
        self,
        uuid: str,
        *,
        name: str | None = None,
        url: str | None = None,
        event_type: str | None = None,
        status: str | None = None,
        properties: Sequence[str] | None = None,
    ) -> WebhookSubscription:
        """Change a webhook subscription. ``PUT /webhook-subscriptions/{uuid}``."""
        path = f"/webhook-subscriptions/{segment(uuid, 'uuid')}"
        body = compact(
            {
                "name": name,
                "url": url,
                "event_type": event_type,
                "status": status,
                "properties": None if properties is None else list(properties),
            }
        )
        result: WebhookSubscription = await self._transport.request(
            "PUT", path, WebhookSubscription, json=body
        )
        return result

    async def delete(self, uuid: str) -> None:
        """Remove a webhook subscription. ``DELETE /webhook-subscriptions/{uuid}``."""
        path = f"/webhook-subscriptions/{segment(uuid, 'uuid')}"
        await self._transport.request("DELETE", path, Any)
