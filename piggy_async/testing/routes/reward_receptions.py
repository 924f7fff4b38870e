"""The fake server's routes of Piggy's ``reward-receptions`` docs page."""

from __future__ import annotations

import secrets

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, not_found, now_iso, required, route

__all__ = ["RewardReceptionsRoutes"]


class RewardReceptionsRoutes(Routes):
    """Reward receptions: the fake's answers to the ``reward-receptions`` calls."""

    @route("POST", "/reward-receptions")
    async def create_reward_reception(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "contact_uuid", "reward_uuid", "shop_uuid")
        contact = self.contact_of(body["contact_uuid"])
        shop = self.shop_of(body["shop_uuid"])
        reward = self.store.rewards.get(body["reward_uuid"])
        if reward is None:
            raise not_found("Reward")
        # docs: reward-receptions, "Create Reward Reception": 1052, 1018, 1017
        if not reward.get("active", True):
            raise piggy_error(ErrorCode.REWARD_INACTIVE)
        if reward.get("stock") is not None and reward["stock"] <= 0:
            raise piggy_error(ErrorCode.REWARD_STOCK_EMPTY)
        cost = reward["required_credits"]
        if contact["credit_balance"]["balance"] < cost:
            raise piggy_error(ErrorCode.INSUFFICIENT_CREDITS)
        if reward.get("stock") is not None:
            reward["stock"] -= 1
        self.store.change_credits(contact["uuid"], -cost)
        base = {
            "uuid": new_uuid(self.store.rng),
            "credits": -cost,
            "created_at": now_iso(),
            "channel": "API",
            "contact": {"uuid": contact["uuid"]},
            "shop": {"uuid": shop["uuid"], "name": shop["name"]},
            "title": reward["title"],
        }
        ref = {"uuid": reward["uuid"], "reward_type": reward["reward_type"]}
        if reward["reward_type"] == "DIGITAL":
            tx = {
                **base,
                "type": "digital_reward_reception",
                "digital_reward": ref,
                "digital_reward_code": {"code": secrets.token_hex(4).upper()},
            }
        else:
            tx = {
                **base,
                "type": "reward_reception",
                "reward": ref,
                "expires_at": "2030-01-01T00:00:00+00:00",
                "has_been_collected": False,
            }
            self.store.collectable[tx["uuid"]] = {
                "uuid": tx["uuid"],
                "title": reward["title"],
                "contact": {
                    "uuid": contact["uuid"],
                    "email": contact["email"],
                    "credit_balance": {"balance": contact["credit_balance"]["balance"]},
                },
                "reward": reward,
                "created_at": tx["created_at"],
                "expires_at": tx["expires_at"],
                "has_been_collected": False,
            }
        self.store.record(contact["uuid"], tx)
        return ok(tx)

    @route("POST", "/reward-receptions/{uuid}/reverse")
    async def reverse_reward_reception(self, request: web.Request) -> web.Response:
        uuid = request.match_info["uuid"]
        found = self.store.transaction_index.get(uuid)
        if found is None or found[1]["type"] not in (
            "reward_reception",
            "digital_reward_reception",
        ):
            raise not_found("Reward reception")
        contact_uuid, tx = found
        if tx.get("reversed"):
            raise invalid("uuid", "The reward reception has already been reversed.")
        tx["reversed"] = True
        self.store.change_credits(contact_uuid, -tx["credits"])
        self.store.collectable.pop(uuid, None)
        return ok({**tx, "uuid": new_uuid(self.store.rng), "credits": -tx["credits"]})
