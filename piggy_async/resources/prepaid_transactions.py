"""Prepaid Transactions: the calls of Piggy's ``prepaid-transactions`` docs page."""

from __future__ import annotations

from .._paging import AsyncPager
from .._validate import check_int, check_limit, check_page, check_text, segment
from ..errors import InvalidArgumentError
from ..types import Page, PrepaidTransaction
from ._base import Headers, Resource, compact

__all__ = ["PrepaidTransactions"]


class PrepaidTransactions(Resource):
    """Prepaid transactions: top-ups and payments of a contact's prepaid balance."""

    __slots__ = ()

    async def create(
        self,
        *,
        amount_in_cents: int,
        shop_uuid: str,
        contact_uuid: str | None = None,
        contact_identifier_value: str | None = None,
        extra_headers: Headers | None = None,
    ) -> PrepaidTransaction:
        """Change a contact's prepaid balance by ``amount_in_cents`` (negative: a payment);
        the contact is named by ``contact_uuid`` or by ``contact_identifier_value`` (one of
        them is required).

        ``POST /prepaid-transactions`` (docs: prepaid-transactions, "Create Prepaid
        Transaction").
        """
        if contact_uuid is None and contact_identifier_value is None:
            raise InvalidArgumentError(
                "give contact_uuid or contact_identifier_value", argument="contact_uuid"
            )
        body = compact(
            {
                "contact_uuid": None
                if contact_uuid is None
                else check_text(contact_uuid, "contact_uuid"),
                "contact_identifier_value": None
                if contact_identifier_value is None
                else check_text(contact_identifier_value, "contact_identifier_value"),
                "amount_in_cents": check_int(amount_in_cents, "amount_in_cents", -(2**31), 2**31),
                "shop_uuid": check_text(shop_uuid, "shop_uuid"),
            }
        )
        return await self._transport.request(
            "POST", "/prepaid-transactions", PrepaidTransaction, json=body, headers=extra_headers
        )

    async def reverse(
        self, uuid: str, *, extra_headers: Headers | None = None
    ) -> PrepaidTransaction:
        """Undo a prepaid transaction.

        ``POST /prepaid-transactions/{prepaid_transaction_uuid}/reverse`` (docs:
        prepaid-transactions, "Reverse Prepaid Transaction").
        """
        path = f"/prepaid-transactions/{segment(uuid, 'uuid')}/reverse"
        return await self._transport.request(
            "POST", path, PrepaidTransaction, headers=extra_headers
        )

    async def list(
        self,
        *,
        contact_uuid: str | None = None,
        shop_uuid: str | None = None,
        page: int | None = None,
        limit: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[PrepaidTransaction]:
        """One page of prepaid transactions (``limit`` up to 30), of a contact or a shop.

        ``GET /prepaid-transactions`` (docs: prepaid-transactions, "List Prepaid
        Transactions").
        """
        params = {
            "contact_uuid": contact_uuid,
            "shop_uuid": shop_uuid,
            "limit": check_limit(limit, maximum=30),
            "page": check_page(page),
        }
        return await self._transport.request_page(
            "GET", "/prepaid-transactions", PrepaidTransaction, params=params, headers=extra_headers
        )

    def iter_all(
        self,
        *,
        contact_uuid: str | None = None,
        shop_uuid: str | None = None,
        page_size: int = 30,
    ) -> AsyncPager[PrepaidTransaction]:
        """Every matching prepaid transaction, page by page. ``GET /prepaid-transactions``.

        (docs: prepaid-transactions, "List Prepaid Transactions").
        """
        check_limit(page_size, "page_size", maximum=30)

        async def fetch(page: int) -> Page[PrepaidTransaction]:
            return await self.list(
                contact_uuid=contact_uuid, shop_uuid=shop_uuid, page=page, limit=page_size
            )

        return AsyncPager(fetch)
