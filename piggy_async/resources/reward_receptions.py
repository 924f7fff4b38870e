"""Reward Receptions: the calls of Piggy's ``reward-receptions`` docs page."""

from __future__ import annotations

from .._validate import check_text, segment
from ..types import LoyaltyTransaction
from ._base import Headers, Resource, compact

__all__ = ["RewardReceptions"]


class RewardReceptions(Resource):
    """Reward receptions: a contact spends credits on a reward."""

    __slots__ = ()

    async def create(
        self,
        *,
        contact_uuid: str,
        reward_uuid: str,
        shop_uuid: str,
        contact_identifier_value: str | None = None,
        extra_headers: Headers | None = None,
    ) -> LoyaltyTransaction:
        """Give a contact a reward for its credits (a ``RewardReception`` for a physical
        reward, a ``DigitalRewardReception`` for a digital one), optionally through one of
        its contact identifiers.

        ``POST /reward-receptions`` (docs: reward-receptions, "Create Reward Reception").
        """
        body = compact(
            {
                "contact_uuid": check_text(contact_uuid, "contact_uuid"),
                "reward_uuid": check_text(reward_uuid, "reward_uuid"),
                "shop_uuid": check_text(shop_uuid, "shop_uuid"),
                "contact_identifier_value": contact_identifier_value,
            }
        )
        result: LoyaltyTransaction = await self._transport.request(
            "POST", "/reward-receptions", LoyaltyTransaction, json=body, headers=extra_headers
        )
        return result

    async def reverse(
        self, uuid: str, *, extra_headers: Headers | None = None
    ) -> LoyaltyTransaction:
        """Undo a reward reception (the credits go back).

        ``POST /reward-receptions/{reward_reception_uuid}/reverse`` (docs:
        reward-receptions, "Reverse Reward Reception").
        """
        path = f"/reward-receptions/{segment(uuid, 'uuid')}/reverse"
        result: LoyaltyTransaction = await self._transport.request(
            "POST", path, LoyaltyTransaction, headers=extra_headers
        )
        return result
