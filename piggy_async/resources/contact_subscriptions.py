"""Contact Subscriptions: the calls of Piggy's ``contact-subscriptions`` docs page."""

from __future__ import annotations

from .._validate import check_text, segment
from ..types import Subscription
from ._base import Headers, Resource

__all__ = ["ContactSubscriptions"]


class ContactSubscriptions(Resource):
    """A contact's subscriptions to the subscription types."""

    __slots__ = ()

    async def list(
        self, contact_uuid: str, *, extra_headers: Headers | None = None
    ) -> list[Subscription]:
        """The contact's subscriptions. ``GET /contact-subscriptions/{contact_uuid}``.

        (docs: contact-subscriptions, "List Contact Subscriptions").
        """
        path = f"/contact-subscriptions/{segment(contact_uuid, 'contact_uuid')}"
        return await self._transport.request("GET", path, list[Subscription], headers=extra_headers)

    async def subscribe(
        self,
        contact_uuid: str,
        *,
        subscription_type_uuid: str,
        extra_headers: Headers | None = None,
    ) -> Subscription:
        """Subscribe the contact. ``PUT /contact-subscriptions/{contact_uuid}/subscribe``.

        (docs: contact-subscriptions, "Subscribe Contact").
        """
        return await self._change(
            contact_uuid, "subscribe", subscription_type_uuid, extra_headers=extra_headers
        )

    async def unsubscribe(
        self,
        contact_uuid: str,
        *,
        subscription_type_uuid: str,
        extra_headers: Headers | None = None,
    ) -> Subscription:
        """Unsubscribe the contact. ``PUT /contact-subscriptions/{contact_uuid}/unsubscribe``.

        (docs: contact-subscriptions, "Unsubscribe Contact to Subscription Type").
        """
        return await self._change(
            contact_uuid, "unsubscribe", subscription_type_uuid, extra_headers=extra_headers
        )

    async def _change(
        self,
        contact_uuid: str,
        verb: str,
        type_uuid: str,
        *,
        extra_headers: Headers | None = None,
    ) -> Subscription:
        path = f"/contact-subscriptions/{segment(contact_uuid, 'contact_uuid')}/{verb}"
        body = {"subscription_type_uuid": check_text(type_uuid, "subscription_type_uuid")}
        return await self._transport.request(
            "PUT", path, Subscription, json=body, headers=extra_headers
        )
