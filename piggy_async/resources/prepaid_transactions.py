"""Prepaid Transactions: the calls of Piggy's ``prepaid-transactions`` docs page."""

from __future__ import annotations

from .._validate import check_int, check_text, segment
from ..types import PrepaidTransaction
from ._base import Resource

__all__ = ["PrepaidTransactions"]


class PrepaidTransactions(Resource):
    """Prepaid transactions: top-ups and payments of a contact's prepaid balance."""

    __slots__ = ()

    async def create(
        self, *, contact_uuid: str, amount_in_cents: int, shop_uuid: str
    ) -> PrepaidTransaction:
        """Change a contact's prepaid balance by ``amount_in_cents`` (negative: a payment).

        ``POST /prepaid-transactions``.
        """
        body = {
            "contact_uuid": check_text(contact_uuid, "contact_uuid"),
            "amount_in_cents": check_int(amount_in_cents, "amount_in_cents", -(2**31), 2**31),
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
        }
        result: PrepaidTransaction = await self._transport.request(
            "POST", "/prepaid-transactions", PrepaidTransaction, json=body
        )
        return result

    async def reverse(self, uuid: str) -> PrepaidTransaction:
        """Undo a prepaid transaction. ``POST /prepaid-transactions/{uuid}/reverse``."""
        path = f"/prepaid-transactions/{segment(uuid, 'uuid')}/reverse"
        result: PrepaidTransaction = await self._transport.request("POST", path, PrepaidTransaction)
        return result
