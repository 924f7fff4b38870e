"""``piggy.giftcards``, ``piggy.giftcard_programs`` and ``piggy.giftcard_transactions``."""

from __future__ import annotations

from typing import Any, Literal

from .._paging import AsyncPager
from .._validate import check_choice, check_int, check_limit, check_page, check_text, segment
from ..types import Giftcard, GiftcardProgram, GiftcardTransaction, Page
from . import Resource

__all__ = ["GiftcardPrograms", "GiftcardTransactions", "Giftcards"]

GIFTCARD_TYPES = {"PHYSICAL": 0, "DIGITAL": 1}


class Giftcards(Resource):
    """Giftcards: prepaid cards of a giftcard program."""

    __slots__ = ()

    async def get(self, uuid: str) -> Giftcard:
        """One giftcard. ``GET /giftcards/{uuid}``."""
        path = f"/giftcards/{segment(uuid, 'uuid')}"
        result: Giftcard = await self._transport.request("GET", path, Giftcard)
        return result

    async def find_one_by(self, *, hash: str) -> Giftcard:
        """The giftcard with this hash (the code on the card).

        ``GET /giftcards/find-one-by?hash=``.
        """
        params = {"hash": check_text(hash, "hash")}
        result: Giftcard = await self._transport.request(
            "GET", "/giftcards/find-one-by", Giftcard, params=params
        )
        return result

    async def create(
        self, *, giftcard_program_uuid: str, type: Literal["PHYSICAL", "DIGITAL"]
    ) -> Giftcard:
        """Issue a giftcard of a program. ``POST /giftcards`` (Piggy's ``type`` is 0 for
        physical, 1 for digital)."""
        body = {
            "giftcard_program_uuid": check_text(giftcard_program_uuid, "giftcard_program_uuid"),
            "type": GIFTCARD_TYPES[check_choice(type, "type", tuple(GIFTCARD_TYPES))],
        }
        result: Giftcard = await self._transport.request("POST", "/giftcards", Giftcard, json=body)
        return result

    async def send_by_email(self, uuid: str, *, contact_uuid: str) -> None:
        """Email a digital giftcard to a contact. ``POST /giftcards/{uuid}/send-by-email``."""
        path = f"/giftcards/{segment(uuid, 'uuid')}/send-by-email"
        # The API reference names no body for this call; the contact to mail is the one
        # field it needs, so that is what is sent.
        body = {"contact_uuid": check_text(contact_uuid, "contact_uuid")}
        await self._transport.request("POST", path, Any, json=body)


class GiftcardPrograms(Resource):
    """Giftcard programs of the account."""

    __slots__ = ()

    async def list(self) -> list[GiftcardProgram]:
        """Every giftcard program. ``GET /giftcard-programs``."""
        result: list[GiftcardProgram] = await self._transport.request(
            "GET", "/giftcard-programs", list[GiftcardProgram]
        )
        return result


class GiftcardTransactions(Resource):
    """Payments with and top-ups of giftcards."""

    __slots__ = ()

    async def list(
        self,
        *,
        giftcard_program_uuid: str | None = None,
        page: int | None = None,
        limit: int | None = None,
    ) -> Page[GiftcardTransaction]:
        """One page of giftcard transactions. ``GET /giftcard-transactions``."""
        params = {
            "giftcard_program_uuid": giftcard_program_uuid,
            "page": check_page(page),
            "limit": check_limit(limit),
        }
        result: Page[GiftcardTransaction] = await self._transport.request_page(
            "GET", "/giftcard-transactions", GiftcardTransaction, params=params
        )
        return result

    def iter_all(
        self, *, giftcard_program_uuid: str | None = None, page_size: int = 100
    ) -> AsyncPager[GiftcardTransaction]:
        """Every giftcard transaction, page by page. ``GET /giftcard-transactions``."""
        check_limit(page_size, "page_size")

        async def fetch(page: int) -> Page[GiftcardTransaction]:
            return await self.list(
                giftcard_program_uuid=giftcard_program_uuid, page=page, limit=page_size
            )

        return AsyncPager(fetch)

    async def get(self, uuid: str) -> GiftcardTransaction:
        """One giftcard transaction. ``GET /giftcard-transactions/{uuid}``."""
        path = f"/giftcard-transactions/{segment(uuid, 'uuid')}"
        result: GiftcardTransaction = await self._transport.request(
            "GET", path, GiftcardTransaction
        )
        return result

    async def create(
        self, *, shop_uuid: str, giftcard_uuid: str, amount_in_cents: int
    ) -> GiftcardTransaction:
        """Pay with (negative) or top up (positive) a giftcard.

        ``POST /giftcard-transactions``.
        """
        body = {
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
            "giftcard_uuid": check_text(giftcard_uuid, "giftcard_uuid"),
            "amount_in_cents": check_int(amount_in_cents, "amount_in_cents", -(2**31), 2**31),
        }
        result: GiftcardTransaction = await self._transport.request(
            "POST", "/giftcard-transactions", GiftcardTransaction, json=body
        )
        return result

    async def correct(self, uuid: str) -> GiftcardTransaction:
        """Correct a giftcard transaction. ``POST /giftcard-transactions/{uuid}/correct``."""
        path = f"/giftcard-transactions/{segment(uuid, 'uuid')}/correct"
        result: GiftcardTransaction = await self._transport.request(
            "POST", path, GiftcardTransaction
        )
        return result

    async def reverse(self, uuid: str) -> GiftcardTransaction:
        """Undo a giftcard transaction. ``POST /giftcard-transactions/{uuid}/reverse``."""
        path = f"/giftcard-transactions/{segment(uuid, 'uuid')}/reverse"
        result: GiftcardTransaction = await self._transport.request(
            "POST", path, GiftcardTransaction
        )
        return result
