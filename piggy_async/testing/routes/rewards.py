"""The fake server's routes of Piggy's ``rewards`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._attribute_sets import AttributeSetRoutes
from ._base import Routes, not_found, route

__all__ = ["RewardAttributesRoutes", "RewardsRoutes"]


class RewardsRoutes(Routes):
    """Rewards: the fake's answers to the ``rewards`` calls."""

    @route("GET", "/rewards")
    async def list_rewards(self, request: web.Request) -> web.Response:
        # docs: rewards, "List Rewards": 1008 for an unknown shop, 55031 for a contact
        if request.query.get("shop_uuid"):
            self.shop_of(request.query["shop_uuid"])
        if request.query.get("contact_uuid"):
            self.contact_of(request.query["contact_uuid"])
        return ok(list(self.store.rewards.values()))

    @route("GET", "/rewards/{uuid}")
    async def get_reward(self, request: web.Request) -> web.Response:
        reward = self.store.rewards.get(request.match_info["uuid"])
        if reward is None:
            raise not_found("Reward")
        return ok(reward)

    @route("PUT", "/rewards/{uuid}")
    async def update_reward(self, request: web.Request) -> web.Response:
        reward = self.store.rewards.get(request.match_info["uuid"])
        if reward is None:
            raise not_found("Reward")
        for key, value in self.body_of(request).items():
            if key in reward and key != "uuid":
                reward[key] = value
            else:
                reward["attributes"][key] = value
        return ok(reward)


class RewardAttributesRoutes(AttributeSetRoutes):
    """Reward attributes (documented beside rewards): list and create."""

    entity = "reward"
    path = "/reward-attributes"
