"""The fake server's routes of Piggy's ``collectable-rewards`` docs page."""

from __future__ import annotations

from datetime import datetime, timezone

from aiohttp import web

from ..._codes import ErrorCode
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, not_found, route

__all__ = ["CollectableRewardsRoutes"]


class CollectableRewardsRoutes(Routes):
    """Collectable rewards: the fake's answers to the ``collectable-rewards`` calls."""

    @route("GET", "/collectable-rewards")
    async def list_collectable(self, request: web.Request) -> web.Response:
        contact = self.contact_of(request.query.get("contact_uuid"))
        return ok(
            [
                c
                for c in self.store.collectable.values()
                if c["contact"]["uuid"] == contact["uuid"] and not c["has_been_collected"]
            ]
        )

    @route("PUT", "/collectable-rewards/collect/{uuid}")
    async def collect(self, request: web.Request) -> web.Response:
        item = self.store.collectable.get(request.match_info["uuid"])
        if item is None:
            raise not_found("Collectable reward")
        if item["has_been_collected"]:
            raise invalid("uuid", "The reward has already been collected.")
        expires_at = item.get("expires_at")
        if expires_at and datetime.fromisoformat(expires_at) < datetime.now(timezone.utc):
            # docs: collectable-rewards, "Collect Reward": 80300 "Reward is expired."
            raise piggy_error(ErrorCode.COLLECTABLE_REWARD_EXPIRED, "Reward is expired.")
        item["has_been_collected"] = True
        return ok(item)
