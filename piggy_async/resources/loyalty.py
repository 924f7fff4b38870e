"""Credits and rewards: receptions, loyalty transactions, tokens, the loyalty program and
prepaid balance changes."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable
from datetime import datetime
from typing import Any, Literal

from .._bulk import DEFAULT_CONCURRENCY, BulkRun, ProgressCallback
from .._paging import AsyncPager
from .._validate import check_int, check_limit, check_page, check_text, segment
from ..errors import InvalidArgumentError
from ..types import (
    CreditCalculation,
    CreditReception,
    LoyaltyProgram,
    LoyaltyTransaction,
    Page,
    PrepaidTransaction,
)
from . import Resource, compact, created_at_filters

__all__ = [
    "CreditReceptions",
    "LoyaltyProgramResource",
    "LoyaltyTokens",
    "LoyaltyTransactions",
    "PrepaidTransactions",
    "RewardReceptions",
]

# The PHP SDK reverses receptions with GET in places and POST in others; the API reference
# (piggy-api.md, section 3) says POST, which is also the only safe verb for a state change.


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
        pos_transaction_id: str | None = None,
        unit_name: str | None = None,
        **attributes: Any,
    ) -> CreditReception:
        """Award credits: a fixed number (``credits``) or as many as ``unit_value`` of
        ``unit_name`` is worth. Extra keywords are custom loyalty-transaction attributes,
        sent along and returned in ``attributes``. ``POST /credit-receptions``.
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
                "pos_transaction_id": pos_transaction_id,
                "unit_name": unit_name,
            }
        )
        result: CreditReception = await self._transport.request(
            "POST", "/credit-receptions", LoyaltyTransaction, json=body
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
    ) -> BulkRun[str, CreditReception]:
        """Award the same ``credits`` to many contacts, concurrently, one result per
        contact in input order. ``POST /credit-receptions`` for each (never retried after
        Piggy may have processed it: see ``outcome_unknown`` on failed items).
        """
        check_text(shop_uuid, "shop_uuid")

        async def award(contact_uuid: str) -> CreditReception:
            return await self.create(
                contact_uuid=contact_uuid, shop_uuid=shop_uuid, credits=credits
            )

        return self._bulk(award, contact_uuids, concurrency, on_progress)

    async def calculate(
        self, *, shop_uuid: str, unit_value: float, contact_uuid: str | None = None
    ) -> int:
        """How many credits spending ``unit_value`` at this shop is worth.

        ``GET /credit-receptions/calculate?shop_uuid=&unit_value=&contact_uuid=``.
        """
        params: dict[str, str | float | None] = {
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
            "unit_value": unit_value,
            "contact_uuid": contact_uuid,
        }
        result: CreditCalculation = await self._transport.request(
            "GET", "/credit-receptions/calculate", CreditCalculation, params=params
        )
        return result.credits

    async def reverse(self, uuid: str) -> LoyaltyTransaction:
        """Undo a credit reception (the credits are taken back).

        ``POST /credit-receptions/{uuid}/reverse``.
        """
        path = f"/credit-receptions/{segment(uuid, 'uuid')}/reverse"
        result: LoyaltyTransaction = await self._transport.request("POST", path, LoyaltyTransaction)
        return result

    async def correct(
        self, uuid: str, *, credits: int | None = None, unit_value: float | None = None
    ) -> LoyaltyTransaction:
        """Correct the amount of a credit reception.

        ``POST /credit-receptions/{uuid}/correct``.
        """
        path = f"/credit-receptions/{segment(uuid, 'uuid')}/correct"
        # The API reference names no body for this call; the amounts a correction can change
        # are those a reception is created with.
        body = compact({"credits": credits, "unit_value": unit_value})
        result: LoyaltyTransaction = await self._transport.request(
            "POST", path, LoyaltyTransaction, json=body
        )
        return result


class RewardReceptions(Resource):
    """Reward receptions: a contact spends credits on a reward."""

    __slots__ = ()

    async def create(
        self, *, contact_uuid: str, reward_uuid: str, shop_uuid: str
    ) -> LoyaltyTransaction:
        """Give a contact a reward for its credits (a ``RewardReception`` for a physical
        reward, a ``DigitalRewardReception`` for a digital one). ``POST /reward-receptions``.
        """
        body = {
            "contact_uuid": check_text(contact_uuid, "contact_uuid"),
            "reward_uuid": check_text(reward_uuid, "reward_uuid"),
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
        }
        result: LoyaltyTransaction = await self._transport.request(
            "POST", "/reward-receptions", LoyaltyTransaction, json=body
        )
        return result

    async def reverse(self, uuid: str) -> LoyaltyTransaction:
        """Undo a reward reception (the credits go back).

        ``POST /reward-receptions/{uuid}/reverse``.
        """
        path = f"/reward-receptions/{segment(uuid, 'uuid')}/reverse"
        result: LoyaltyTransaction = await self._transport.request("POST", path, LoyaltyTransaction)
        return result


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
    ) -> Page[LoyaltyTransaction]:
        """One page of loyalty transactions, filtered. ``GET /loyalty-transactions``."""
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
            "GET", "/loyalty-transactions", LoyaltyTransaction, params=params
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
        """Every matching loyalty transaction, page by page. ``GET /loyalty-transactions``."""
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


class LoyaltyProgramResource(Resource):
    """The account's loyalty program."""

    __slots__ = ()

    async def get(self) -> LoyaltyProgram:
        """The loyalty program (its name, credit name, maximum). ``GET /loyalty-program``."""
        result: LoyaltyProgram = await self._transport.request(
            "GET", "/loyalty-program", LoyaltyProgram
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
    ) -> str:
        """A loyalty token URL worth ``credits`` (or ``unit_value`` of ``unit_name``).

        ``POST /loyalty-tokens``.
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
        result: str = await self._transport.request("POST", "/loyalty-tokens", str, json=body)
        return result

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
    ) -> LoyaltyTransaction:
        """Claim a loyalty token for a contact (a credit reception).

        ``POST /loyalty-tokens/claim``.
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
            "POST", "/loyalty-tokens/claim", LoyaltyTransaction, json=body
        )
        return result


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
