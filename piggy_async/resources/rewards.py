"""Rewards: the calls of Piggy's ``rewards`` docs page."""

from __future__ import annotations

from typing import Any

from .._paging import AsyncPager
from .._validate import check_limit, check_page, segment
from ..types import AttributeDefinition, Page, Reward
from ._base import Options, Resource, definition_body

__all__ = ["RewardAttributes", "Rewards"]


class RewardAttributes(Resource):
    """Custom attributes of rewards."""

    __slots__ = ()

    async def list(
        self, *, page: int | None = None, limit: int | None = None
    ) -> Page[AttributeDefinition]:
        """One page of reward attributes. ``GET /reward-attributes?page=&limit=``."""
        params = {"page": check_page(page), "limit": check_limit(limit)}
        result: Page[AttributeDefinition] = await self._transport.request_page(
            "GET", "/reward-attributes", AttributeDefinition, params=params
        )
        return result

    def iter_all(self, *, page_size: int = 100) -> AsyncPager[AttributeDefinition]:
        """Every reward attribute, page by page. ``GET /reward-attributes``."""
        check_limit(page_size, "page_size")

        async def fetch(page: int) -> Page[AttributeDefinition]:
            return await self.list(page=page, limit=page_size)

        return AsyncPager(fetch)

    async def create(
        self,
        *,
        name: str,
        label: str,
        type: str,
        description: str | None = None,
        options: Options | None = None,
        placeholder: str | None = None,
    ) -> AttributeDefinition:
        """Add a reward attribute (``type``: text, select, phone, ...).

        ``POST /reward-attributes`` (linked from docs page rewards; body as the PHP SDK).
        """
        body = definition_body(
            name, label, type, description, options, type_key="type", placeholder=placeholder
        )
        result: AttributeDefinition = await self._transport.request(
            "POST", "/reward-attributes", AttributeDefinition, json=body
        )
        return result


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
