"""Vouchers: the calls of Piggy's ``vouchers`` docs page."""

from __future__ import annotations

from typing import Any

from .._paging import AsyncPager
from .._validate import check_choice, check_int, check_limit, check_page, check_text, segment
from ..types import Page, Voucher, VoucherLock
from ._base import Resource, compact

__all__ = ["Vouchers"]


VOUCHER_STATUSES = ("ACTIVE", "REDEEMED", "EXPIRED", "DEACTIVATED", "INACTIVE", "LOCKED")


class Vouchers(Resource):
    """Vouchers: single codes of a promotion, redeemed once (or a few times)."""

    __slots__ = ()

    async def create(
        self,
        *,
        promotion_uuid: str,
        code: str | None = None,
        contact_uuid: str | None = None,
        activation_date: str | None = None,
        expiration_date: str | None = None,
    ) -> Voucher:
        """Issue one voucher (Piggy picks the code unless ``code`` is given).

        ``POST /vouchers``.
        """
        body = compact(
            {
                "promotion_uuid": check_text(promotion_uuid, "promotion_uuid"),
                "code": code,
                "contact_uuid": contact_uuid,
                "activation_date": activation_date,
                "expiration_date": expiration_date,
            }
        )
        result: Voucher = await self._transport.request("POST", "/vouchers", Voucher, json=body)
        return result

    async def create_batch(
        self,
        *,
        promotion_uuid: str,
        quantity: int,
        contact_uuid: str | None = None,
        activation_date: str | None = None,
        expiration_date: str | None = None,
    ) -> None:
        """Issue ``quantity`` vouchers in the background (list them later).

        ``POST /vouchers/batch``. (The PHP SDK also knows a ``/vouchers/batches`` path; the
        API reference says ``/vouchers/batch``, which is followed here.)
        """
        body = compact(
            {
                "promotion_uuid": check_text(promotion_uuid, "promotion_uuid"),
                "quantity": check_int(quantity, "quantity", 1, 100_000),
                "contact_uuid": contact_uuid,
                "activation_date": activation_date,
                "expiration_date": expiration_date,
            }
        )
        await self._transport.request("POST", "/vouchers/batch", Any, json=body)

    async def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        promotion_uuid: str | None = None,
        contact_uuid: str | None = None,
        status: str | None = None,
    ) -> Page[Voucher]:
        """One page of vouchers (``limit`` up to 500), filtered.

        ``GET /vouchers?page=&limit=&promotion_uuid=&contact_uuid=&status=``.
        """
        params = {
            "page": check_page(page),
            "limit": check_limit(limit, maximum=500),
            "promotion_uuid": promotion_uuid,
            "contact_uuid": contact_uuid,
            "status": None if status is None else check_choice(status, "status", VOUCHER_STATUSES),
        }
        result: Page[Voucher] = await self._transport.request_page(
            "GET", "/vouchers", Voucher, params=params
        )
        return result

    def iter_all(
        self,
        *,
        promotion_uuid: str | None = None,
        contact_uuid: str | None = None,
        status: str | None = None,
        page_size: int = 500,
    ) -> AsyncPager[Voucher]:
        """Every matching voucher, page by page. ``GET /vouchers``."""
        check_limit(page_size, "page_size", maximum=500)

        async def fetch(page: int) -> Page[Voucher]:
            return await self.list(
                page=page,
                limit=page_size,
                promotion_uuid=promotion_uuid,
                contact_uuid=contact_uuid,
                status=status,
            )

        return AsyncPager(fetch)

    async def find_one_by(self, *, code: str) -> Voucher:
        """The voucher with this code. ``GET /vouchers/find?code=``."""
        params = {"code": check_text(code, "code")}
        result: Voucher = await self._transport.request(
            "GET", "/vouchers/find", Voucher, params=params
        )
        return result

    async def redeem(
        self, *, code: str, contact_uuid: str, release_key: str | None = None
    ) -> Voucher:
        """Redeem a voucher for a contact (a locked one needs its ``release_key``).

        ``POST /vouchers/redeem``.
        """
        body = compact(
            {
                "code": check_text(code, "code"),
                "contact_uuid": check_text(contact_uuid, "contact_uuid"),
                "release_key": release_key,
            }
        )
        result: Voucher = await self._transport.request(
            "POST", "/vouchers/redeem", Voucher, json=body
        )
        return result

    # The PHP SDK sends lock and release with a trailing slash in some releases; the API
    # reference has none, and a slash would be a different path: none is sent.

    async def lock(self, uuid: str) -> VoucherLock:
        """Lock a voucher while a checkout is in progress. ``POST /vouchers/{uuid}/lock``."""
        path = f"/vouchers/{segment(uuid, 'uuid')}/lock"
        result: VoucherLock = await self._transport.request("POST", path, VoucherLock)
        return result

    async def release(self, uuid: str, *, release_key: str) -> VoucherLock:
        """Release a locked voucher. ``POST /vouchers/{uuid}/release``."""
        path = f"/vouchers/{segment(uuid, 'uuid')}/release"
        body = {"release_key": check_text(release_key, "release_key")}
        result: VoucherLock = await self._transport.request("POST", path, VoucherLock, json=body)
        return result

    async def update(self, uuid: str, **fields: Any) -> Voucher:
        """Change a voucher (dates, status, custom attributes). ``PUT /vouchers/{uuid}``."""
        path = f"/vouchers/{segment(uuid, 'uuid')}"
        # The API reference lists no body fields for this call: whatever is given is sent.
        result: Voucher = await self._transport.request("PUT", path, Voucher, json=fields)
        return result
