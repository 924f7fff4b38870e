"""Promotions: the calls of Piggy's ``promotions`` docs page."""

from __future__ import annotations

from typing import Any

from .._paging import AsyncPager
from .._validate import check_int, check_limit, check_mappings, check_page, check_text, segment
from ..types import AttributeDefinition, Page, Promotion
from ._base import Headers, Options, Resource, compact, definition_body

__all__ = ["PromotionAttributes", "Promotions"]


class PromotionAttributes(Resource):
    """Custom attributes of promotions."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[AttributeDefinition]:
        """Every promotion attribute. ``GET /promotion-attributes`` (not in Piggy's docs:
        only linked from promotions; as the PHP SDK)."""
        return await self._transport.request(
            "GET", "/promotion-attributes", list[AttributeDefinition], headers=extra_headers
        )

    async def get(self, id: int, *, extra_headers: Headers | None = None) -> AttributeDefinition:
        """One promotion attribute. ``GET /promotion-attributes/{id}`` (not in Piggy's docs:
        only linked from promotions; as the PHP SDK)."""
        path = f"/promotion-attributes/{check_int(id, 'id', 1)}"
        return await self._transport.request(
            "GET", path, AttributeDefinition, headers=extra_headers
        )

    async def create(
        self,
        *,
        name: str,
        label: str,
        type: str,
        description: str | None = None,
        options: Options | None = None,
        extra_headers: Headers | None = None,
    ) -> AttributeDefinition:
        """Add a promotion attribute (``type``: text, select, ...).

        ``POST /promotion-attributes`` (not in Piggy's docs: only linked from promotions;
        body as the PHP SDK).
        """
        body = definition_body(name, label, type, description, options, type_key="type")
        return await self._transport.request(
            "POST", "/promotion-attributes", AttributeDefinition, json=body, headers=extra_headers
        )

    async def update(
        self,
        id: int,
        *,
        label: str | None = None,
        description: str | None = None,
        options: Options | None = None,
        extra_headers: Headers | None = None,
    ) -> AttributeDefinition:
        """Change a promotion attribute. ``PUT /promotion-attributes/{id}`` (not in Piggy's
        docs: only linked from promotions; as the PHP SDK)."""
        path = f"/promotion-attributes/{check_int(id, 'id', 1)}"
        body = compact(
            {
                "label": label,
                "description": description,
                "options": None if options is None else check_mappings(options, "options"),
            }
        )
        return await self._transport.request(
            "PUT", path, AttributeDefinition, json=body, headers=extra_headers
        )


class Promotions(Resource):
    """Promotions: what vouchers are for (a free pizza, 10% off)."""

    __slots__ = ()

    async def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[Promotion]:
        """One page of promotions. ``GET /promotions?page=&limit=``.

        (docs: promotions, "List Promotions").
        """
        params = {"page": check_page(page), "limit": check_limit(limit)}
        return await self._transport.request_page(
            "GET", "/promotions", Promotion, params=params, headers=extra_headers
        )

    def iter_all(self, *, page_size: int = 100) -> AsyncPager[Promotion]:
        """Every promotion, page by page. ``GET /promotions``.

        (docs: promotions, "List Promotions").
        """
        check_limit(page_size, "page_size")

        async def fetch(page: int) -> Page[Promotion]:
            return await self.list(page=page, limit=page_size)

        return AsyncPager(fetch)

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> Promotion:
        """One promotion. ``GET /promotions/{uuid}``.

        (docs: promotions, "Get Promotion").
        """
        path = f"/promotions/{segment(uuid, 'uuid')}"
        return await self._transport.request("GET", path, Promotion, headers=extra_headers)

    async def create(
        self,
        *,
        name: str,
        description: str,
        voucher_limit: int | None = None,
        limit_per_contact: int | None = None,
        expiration_duration: int | None = None,
        extra_headers: Headers | None = None,
        **attributes: Any,
    ) -> Promotion:
        """Create a promotion; ``expiration_duration`` is how long its vouchers stay valid,
        in seconds. Extra keywords are custom promotion attributes, sent along.

        ``POST /promotions`` (docs: promotions, "Create Promotion").
        """
        body = compact(
            {
                **attributes,
                "name": check_text(name, "name"),
                "description": check_text(description, "description"),
                "voucher_limit": voucher_limit,
                "limit_per_contact": limit_per_contact,
                "expiration_duration": expiration_duration,
            }
        )
        return await self._transport.request(
            "POST", "/promotions", Promotion, json=body, headers=extra_headers
        )
