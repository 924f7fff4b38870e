"""Credit Receptions: the calls of Piggy's ``credit-receptions`` docs page."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from typing import Any

from .._bulk import DEFAULT_CONCURRENCY, BulkRun, ProgressCallback
from .._validate import check_int, check_text, segment
from ..errors import InvalidArgumentError
from ..types import CreditCalculation, CreditReception, LoyaltyTransaction
from ._base import Headers, Resource, compact

__all__ = ["CreditReceptions", "LoyaltyTokens"]


class CreditReceptions(Resource):
    """Credit receptions: a contact earns credits, usually for a purchase at a shop."""

    __slots__ = ()

    async def create(
        self,
        *,
        contact_uuid: str,
        shop_uuid: str,
        credits: int | None = None,
        unit_value: float | None = None,
        contact_identifier_value: str | None = None,
        pos_transaction_uuid: str | None = None,
        unit_name: str | None = None,
        extra_headers: Headers | None = None,
        **attributes: Any,
    ) -> CreditReception:
        """Award credits: a fixed number (``credits``) or as many as ``unit_value`` of
        ``unit_name`` is worth; ``pos_transaction_uuid`` links a POS transaction (docs:
        credit-receptions; the PHP SDK calls it ``pos_transaction_id``). Extra keywords are
        custom loyalty-transaction attributes,
        sent along and returned in ``attributes``. ``POST /credit-receptions`` (docs:
        credit-receptions, "Create Credit Reception").
        """
        if credits is None and unit_value is None:
            raise InvalidArgumentError(
                "give credits or unit_value (how much was spent)", argument="credits"
            )
        if credits is not None:
            check_int(credits, "credits", -(2**31), 2**31)
        body = compact(
            {
                **attributes,
                "contact_uuid": check_text(contact_uuid, "contact_uuid"),
                "shop_uuid": check_text(shop_uuid, "shop_uuid"),
                "credits": credits,
                "unit_value": unit_value,
                "contact_identifier_value": contact_identifier_value,
                "pos_transaction_uuid": pos_transaction_uuid,
                "unit_name": unit_name,
            }
        )
        result: CreditReception = await self._transport.request(
            "POST", "/credit-receptions", LoyaltyTransaction, json=body, headers=extra_headers
        )
        return result

    def create_many(
        self,
        contact_uuids: Iterable[str] | AsyncIterable[str],
        *,
        shop_uuid: str,
        credits: int,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_progress: ProgressCallback | None = None,
        ordered: bool = True,
        window: int | None = None,
    ) -> BulkRun[str, CreditReception]:
        """Award the same ``credits`` to many contacts, concurrently, one result per
        contact in input order (``ordered=False``: as they finish).
        ``POST /credit-receptions`` for each (never retried after Piggy may have processed
        it: see ``outcome_unknown`` on failed items).
        (docs: credit-receptions, "Create Credit Reception").
        """
        check_text(shop_uuid, "shop_uuid")

        async def award(contact_uuid: str) -> CreditReception:
            return await self.create(
                contact_uuid=contact_uuid, shop_uuid=shop_uuid, credits=credits
            )

        return self._bulk(
            award, contact_uuids, concurrency, on_progress, ordered=ordered, window=window
        )

    async def calculate(
        self,
        *,
        shop_uuid: str,
        unit_value: float,
        contact_uuid: str | None = None,
        unit_name: str | None = None,
        extra_headers: Headers | None = None,
    ) -> int:
        """How many credits spending ``unit_value`` (of ``unit_name``, else the default unit)
        at this shop is worth (for this contact, if given).

        ``GET /credit-receptions/calculate`` (docs: credit-receptions, "Calculate Credits").
        """
        params: dict[str, str | float | None] = {
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
            "unit_value": unit_value,
            "contact_uuid": contact_uuid,
            "unit_name": unit_name,
        }
        result: CreditCalculation = await self._transport.request(
            "GET",
            "/credit-receptions/calculate",
            CreditCalculation,
            params=params,
            headers=extra_headers,
        )
        return result.credits

    async def reverse(
        self, uuid: str, *, extra_headers: Headers | None = None
    ) -> LoyaltyTransaction:
        """Undo a credit reception (the credits are taken back).

        ``POST /credit-receptions/{credit_reception_uuid}/reverse`` (docs: credit-receptions,
        "Reverse Credit Reception").
        """
        path = f"/credit-receptions/{segment(uuid, 'uuid')}/reverse"
        result: LoyaltyTransaction = await self._transport.request(
            "POST", path, LoyaltyTransaction, headers=extra_headers
        )
        return result

    async def correct(
        self,
        uuid: str,
        *,
        credits: int | None = None,
        unit_value: float | None = None,
        extra_headers: Headers | None = None,
    ) -> LoyaltyTransaction:
        """Correct the amount of a credit reception.

        ``POST /credit-receptions/{uuid}/correct`` (not in Piggy's docs: the PHP SDK's call).
        """
        path = f"/credit-receptions/{segment(uuid, 'uuid')}/correct"
        # The API reference names no body for this call; the amounts a correction can change
        # are those a reception is created with.
        body = compact({"credits": credits, "unit_value": unit_value})
        result: LoyaltyTransaction = await self._transport.request(
            "POST", path, LoyaltyTransaction, json=body, headers=extra_headers
        )
        return result


class LoyaltyTokens(Resource):
    """Loyalty tokens: signed URLs (on a receipt, a QR code) a contact claims credits with."""

    __slots__ = ()

    async def create(
        self,
        *,
        version: str,
        shop_id: str,
        unique_id: str,
        credits: int | None = None,
        unit_name: str | None = None,
        unit_value: float | None = None,
        extra_headers: Headers | None = None,
    ) -> str:
        """A loyalty token URL worth ``credits`` (or ``unit_value`` of ``unit_name``).

        ``POST /loyalty-tokens`` (not in Piggy's docs: only linked from credit-receptions;
        body as the PHP SDK).
        """
        body = compact(
            {
                "version": check_text(version, "version"),
                "shop_id": check_text(shop_id, "shop_id"),
                "unique_id": check_text(unique_id, "unique_id"),
                "credits": credits,
                "unit_name": unit_name,
                "unit_value": unit_value,
            }
        )
        return await self._transport.request(
            "POST", "/loyalty-tokens", str, json=body, headers=extra_headers
        )

    async def claim(
        self,
        *,
        version: str,
        shop_id: str,
        unique_id: str,
        timestamp: int,
        hash: str,
        contact_uuid: str,
        credits: int | None = None,
        unit_name: str | None = None,
        unit_value: float | None = None,
        extra_headers: Headers | None = None,
    ) -> LoyaltyTransaction:
        """Claim a loyalty token for a contact (a credit reception).

        ``POST /loyalty-tokens/claim`` (not in Piggy's docs: only linked from
        credit-receptions; body as the PHP SDK).
        """
        body = compact(
            {
                "version": check_text(version, "version"),
                "shop_id": check_text(shop_id, "shop_id"),
                "unique_id": check_text(unique_id, "unique_id"),
                "timestamp": timestamp,
                "hash": check_text(hash, "hash"),
                "contact_uuid": check_text(contact_uuid, "contact_uuid"),
                "credits": credits,
                "unit_name": unit_name,
                "unit_value": unit_value,
            }
        )
        result: LoyaltyTransaction = await self._transport.request(
            "POST", "/loyalty-tokens/claim", LoyaltyTransaction, json=body, headers=extra_headers
        )
        return result
