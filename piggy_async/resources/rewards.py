"""Rewards: the calls of Piggy's ``rewards`` docs page."""

from __future__ import annotations

from typing import Any

from .._paging import AsyncPager
from .._validate import check_int, check_limit, check_page, segment
from ..types import AttributeDefinition, Page, Reward
from ._base import Headers, Options, Resource, compact, definition_body

__all__ = ["RewardAttributes", "Rewards"]


class RewardAttributes(Resource):
    """Custom attributes of rewards."""

    __slots__ = ()

    async def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[AttributeDefinition]:
        """One page of reward attributes. ``GET /reward-attributes?page=&limit=`` (not in
        Piggy's docs: only linked from rewards; as the PHP SDK)."""
        params = {"page": check_page(page), "limit": check_limit(limit)}
        return await self._transport.request_page(
            "GET", "/reward-attributes", AttributeDefinition, params=params, headers=extra_headers
        )

    def iter_all(self, *, page_size: int = 100) -> AsyncPager[AttributeDefinition]:
        """Every reward attribute, page by page. ``GET /reward-attributes`` (not in Piggy's
        docs: only linked from rewards; as the PHP SDK)."""
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
        extra_headers: Headers | None = None,
    ) -> AttributeDefinition:
        """Add a reward attribute (``type``: text, select, phone, ...).

        ``POST /reward-attributes`` (not in Piggy's docs: only linked from rewards; body as
        the PHP SDK).
        """
        body = definition_body(
            name, label, type, description, options, type_key="type", placeholder=placeholder
        )
        return await self._transport.request(
            "POST", "/reward-attributes", AttributeDefinition, json=body, headers=extra_headers
        )


class Rewards(Resource):
    """Rewards contacts can spend credits on (``reward_type`` PHYSICAL or DIGITAL)."""

    __slots__ = ()

    async def list(
        self,
        *,
        contact_uuid: str | None = None,
        shop_uuid: str | None = None,
        extra_headers: Headers | None = None,
    ) -> list[Reward]:
        """The rewards (those available to a contact, at a shop, if given).

        ``GET /rewards?contact_uuid=&shop_uuid=`` (docs: rewards, "List Rewards").
        """
        params = {"contact_uuid": contact_uuid, "shop_uuid": shop_uuid}
        return await self._transport.request(
            "GET", "/rewards", list[Reward], params=params, headers=extra_headers
        )

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> Reward:
        """One reward. ``GET /rewards/{reward_uuid}`` (docs: rewards, "Get Reward")."""
        path = f"/rewards/{segment(uuid, 'uuid')}"
        return await self._transport.request("GET", path, Reward, headers=extra_headers)

    async def update(
        self,
        uuid: str,
        *,
        title: str | None = None,
        description: str | None = None,
        required_credits: int | None = None,
        extra_headers: Headers | None = None,
        **attributes: Any,
    ) -> Reward:
        """Change a reward's ``title``, ``description`` or ``required_credits``; extra
        keywords are the reward's custom attributes, sent along.

        ``PUT /rewards/{reward_uuid}`` (docs: rewards, "Update Reward").
        """
        path = f"/rewards/{segment(uuid, 'uuid')}"
        if required_credits is not None:
            check_int(required_credits, "required_credits", 0, 2**31)
        # custom attributes go as given (None clears one); the documented fields when given
        body = {
            **attributes,
            **compact(
                {"title": title, "description": description, "required_credits": required_credits}
            ),
        }
        return await self._transport.request("PUT", path, Reward, json=body, headers=extra_headers)
