"""Giftcard Transactions: the calls of Piggy's ``giftcard-transactions`` docs page."""

from __future__ import annotations

from .._paging import AsyncPager
from .._validate import check_int, check_limit, check_page, check_text, segment
from ..errors import InvalidArgumentError
from ..types import GiftcardTransaction, Page
from ._base import Headers, Resource

__all__ = ["GiftcardTransactions"]


class GiftcardTransactions(Resource):
    """Payments with and top-ups of giftcards."""

    __slots__ = ()

    async def list(
        self,
        *,
        giftcard_hash: str | None = None,
        giftcard_program_uuid: str | None = None,
        shop_uuid: str | None = None,
        page: int | None = None,
        limit: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[GiftcardTransaction]:
        """One page (``limit`` up to 100, Piggy's ``perPage``) of the transactions of one
        giftcard (its hash), one giftcard program or one shop: give at least one.

        ``GET /giftcard-transactions`` (docs: giftcard-transactions, "List Giftcard
        Transactions"; the docs spell the hash parameter ``gifcard_hash``, sent as such).
        """
        if giftcard_hash is None and giftcard_program_uuid is None and shop_uuid is None:
            raise InvalidArgumentError(
                "give giftcard_hash, giftcard_program_uuid or shop_uuid", argument="giftcard_hash"
            )
        params = {
            "gifcard_hash": giftcard_hash,
            "giftcard_program_uuid": giftcard_program_uuid,
            "shop_uuid": shop_uuid,
            "page": check_page(page),
            "perPage": check_limit(limit),
        }
        return await self._transport.request_page(
            "GET",
            "/giftcard-transactions",
            GiftcardTransaction,
            params=params,
            headers=extra_headers,
        )

    def iter_all(
        self,
        *,
        giftcard_hash: str | None = None,
        giftcard_program_uuid: str | None = None,
        shop_uuid: str | None = None,
        page_size: int = 100,
    ) -> AsyncPager[GiftcardTransaction]:
        """Every transaction of a giftcard, program or shop, page by page.
        ``GET /giftcard-transactions`` (docs: giftcard-transactions,
        "List Giftcard Transactions")."""
        check_limit(page_size, "page_size")

        async def fetch(page: int) -> Page[GiftcardTransaction]:
            return await self.list(
                giftcard_hash=giftcard_hash,
                giftcard_program_uuid=giftcard_program_uuid,
                shop_uuid=shop_uuid,
                page=page,
                limit=page_size,
            )

        return AsyncPager(fetch)

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> GiftcardTransaction:
        """One giftcard transaction. ``GET /giftcard-transactions/{uuid}`` (docs:
        giftcard-transactions, "Get Giftcard Transaction")."""
        path = f"/giftcard-transactions/{segment(uuid, 'uuid')}"
        return await self._transport.request(
            "GET", path, GiftcardTransaction, headers=extra_headers
        )

    async def create(
        self,
        *,
        shop_uuid: str,
        giftcard_uuid: str,
        amount_in_cents: int,
        extra_headers: Headers | None = None,
    ) -> GiftcardTransaction:
        """Pay with (negative) or top up (positive) a giftcard.

        ``POST /giftcard-transactions`` (docs: giftcard-transactions,
        "Create Giftcard Transaction").
        """
        body = {
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
            "giftcard_uuid": check_text(giftcard_uuid, "giftcard_uuid"),
            "amount_in_cents": check_int(amount_in_cents, "amount_in_cents", -(2**31), 2**31),
        }
        return await self._transport.request(
            "POST", "/giftcard-transactions", GiftcardTransaction, json=body, headers=extra_headers
        )

    async def correct(
        self, uuid: str, *, extra_headers: Headers | None = None
    ) -> GiftcardTransaction:
        """Correct a giftcard transaction. ``POST /giftcard-transactions/{uuid}/correct``
        (not in Piggy's docs: the PHP SDK's call)."""
        path = f"/giftcard-transactions/{segment(uuid, 'uuid')}/correct"
        return await self._transport.request(
            "POST", path, GiftcardTransaction, headers=extra_headers
        )

    async def reverse(
        self, uuid: str, *, extra_headers: Headers | None = None
    ) -> GiftcardTransaction:
        """Undo a giftcard transaction. ``POST /giftcard-transactions/{uuid}/reverse``
        (docs: giftcard-transactions, "Reverse Giftcard Transaction")."""
        path = f"/giftcard-transactions/{segment(uuid, 'uuid')}/reverse"
        return await self._transport.request(
            "POST", path, GiftcardTransaction, headers=extra_headers
        )
