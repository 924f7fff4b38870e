"""``piggy.rewards`` and ``piggy.collectable_rewards``."""

from __future__ import annotations

from typing import Any

from .._validate import check_text, segment
from ..types import CollectableReward, Reward
from . import Resource

__all__ = ["CollectableRewards", "Rewards"]


class Rewards(Resource):
    """Rewards contacts can spend credits on (``reward_type`` PHYSICAL or DIGITAL)."""

    __slots__ = ()

    async def list(
        self, *, contact_uuid: str | None = None, shop_uuid: str | None = None
    ) -> list[Reward]:
        """The rewards (those available to a contact, at a shop, if given).

        ``GET /rewards?contact_uuid=&shop_uuid=``.
        """
        params = {"contact_uuid": contact_uuid, "shop_uuid": shop_uuid}
        result: list[Reward] = await self._transport.request(
            "GET", "/rewards", list[Reward], params=params
        )
        return result

    async def get(self, uuid: str) -> Reward:
        """One reward. ``GET /rewards/{uuid}``."""
        path = f"/rewards/{segment(uuid, 'uuid')}"
        result: Reward = await self._transport.request("GET", path, Reward)
        return result

    async def update(self, uuid: str, **fields: Any) -> Reward:
        """Change a reward's fields (``title=``, ``description=``, ``active=``, custom
        attributes). ``PUT /rewards/{uuid}``."""
        path = f"/rewards/{segment(uuid, 'uuid')}"
        # The API reference lists no body fields for this call: whatever is given is sent.
        result: Reward = await self._transport.request("PUT", path, Reward, json=fields)
        return result


class CollectableRewards(Resource):
    """Physical rewards a contact has received but not yet collected."""

    __slots__ = ()

    async def list(self, *, contact_uuid: str) -> list[CollectableReward]:
        """A contact's rewards waiting to be collected.

        ``GET /collectable-rewards?contact_uuid=``.
        """
        params = {"contact_uuid": check_text(contact_uuid, "contact_uuid")}
        result: list[CollectableReward] = await self._transport.request(
            "GET", "/collectable-rewards", list[CollectableReward], params=params
        )
        return result

    async def collect(self, loyalty_transaction_uuid: str) -> CollectableReward:
        """Mark a reward as handed over.

        ``PUT /collectable-rewards/collect/{loyalty_transaction_uuid}``.
        """
        uuid = segment(loyalty_transaction_uuid, "loyalty_transaction_uuid")
        result: CollectableReward = await self._transport.request(
            "PUT", f"/collectable-rewards/collect/{uuid}", CollectableReward
        )
        return result
