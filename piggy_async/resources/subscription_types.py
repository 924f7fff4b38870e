"""Subscription Types: the calls of Piggy's ``subscription-types`` docs page."""

from __future__ import annotations

from ..types import SubscriptionType
from ._base import Headers, Resource

__all__ = ["SubscriptionTypes"]


class SubscriptionTypes(Resource):
    """The kinds of communication contacts can subscribe to."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[SubscriptionType]:
        """Every subscription type. ``GET /subscription-types``.

        (docs: subscription-types, "List Subscription Types").
        """
        return await self._transport.request(
            "GET", "/subscription-types", list[SubscriptionType], headers=extra_headers
        )
