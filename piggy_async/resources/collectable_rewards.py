"""Collectable Rewards: the calls of Piggy's ``collectable-rewards`` docs page."""

from __future__ import annotations

from .._validate import check_text, segment
from ..types import CollectableReward
from ._base import Headers, Resource

__all__ = ["CollectableRewards"]


class CollectableRewards(Resource):
    """Physical rewards a contact has received but not yet collected."""

    __slots__ = ()

    async def list(
        self, *, contact_uuid: str, extra_headers: Headers | None = None
    ) -> list[CollectableReward]:
        """A contact's rewards waiting to be collected.

        ``GET /collectable-rewards?contact_uuid=``.
        (docs: collectable-rewards, "List Collectable Rewards").
        """
        params = {"contact_uuid": check_text(contact_uuid, "contact_uuid")}
        return await self._transport.request(
            "GET",
            "/collectable-rewards",
            list[CollectableReward],
            params=params,
            headers=extra_headers,
        )

    async def collect(
        self, loyalty_transaction_uuid: str, *, extra_headers: Headers | None = None
    ) -> CollectableReward:
        """Mark a reward as handed over.

        ``PUT /collectable-rewards/collect/{loyalty_transaction_uuid}``.
        (docs: collectable-rewards, "Collect Reward").
        """
        uuid = segment(loyalty_transaction_uuid, "loyalty_transaction_uuid")
        return await self._transport.request(
            "PUT", f"/collectable-rewards/collect/{uuid}", CollectableReward, headers=extra_headers
        )
