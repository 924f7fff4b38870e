"""Loyalty Transactions: the calls of Piggy's ``loyalty-transactions`` docs page."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from .._paging import AsyncPager
from .._validate import check_limit, check_page
from ..types import LoyaltyTransaction, Page
from ._base import Headers, Resource, created_at_filters

__all__ = ["LoyaltyTransactions"]


class LoyaltyTransactions(Resource):
    """Every loyalty transaction of the account (credit and reward receptions, ...)."""

    __slots__ = ()

    async def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        contact_uuid: str | None = None,
        type: str | None = None,
        shop_uuid: str | None = None,
        sort: Literal["created_at", "-created_at"] | None = None,
        created_at_gt: str | datetime | None = None,
        created_at_gte: str | datetime | None = None,
        created_at_lt: str | datetime | None = None,
        created_at_lte: str | datetime | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[LoyaltyTransaction]:
        """One page of loyalty transactions, filtered. ``GET /loyalty-transactions``.

        (docs: loyalty-transactions, "List Loyalty Transactions").
        """
        params = {
            "page": check_page(page),
            "limit": check_limit(limit),
            "contact_uuid": contact_uuid,
            "type": type,
            "shop_uuid": shop_uuid,
            "sort": sort,
            **created_at_filters(created_at_gt, created_at_gte, created_at_lt, created_at_lte),
        }
        result: Page[LoyaltyTransaction] = await self._transport.request_page(
            "GET", "/loyalty-transactions", LoyaltyTransaction, params=params, headers=extra_headers
        )
        return result

    def iter_all(
        self,
        *,
        contact_uuid: str | None = None,
        type: str | None = None,
        shop_uuid: str | None = None,
        sort: Literal["created_at", "-created_at"] | None = None,
        created_at_gt: str | datetime | None = None,
        created_at_gte: str | datetime | None = None,
        created_at_lt: str | datetime | None = None,
        created_at_lte: str | datetime | None = None,
        page_size: int = 100,
    ) -> AsyncPager[LoyaltyTransaction]:
        """Every matching loyalty transaction, page by page. ``GET /loyalty-transactions``.

        (docs: loyalty-transactions, "List Loyalty Transactions").
        """
        check_limit(page_size, "page_size")

        async def fetch(page: int) -> Page[LoyaltyTransaction]:
            return await self.list(
                page=page,
                limit=page_size,
                contact_uuid=contact_uuid,
                type=type,
                shop_uuid=shop_uuid,
                sort=sort,
                created_at_gt=created_at_gt,
                created_at_gte=created_at_gte,
                created_at_lt=created_at_lt,
                created_at_lte=created_at_lte,
            )

        return AsyncPager(fetch)
