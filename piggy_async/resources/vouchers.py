"""Vouchers: the calls of Piggy's ``vouchers`` docs page."""

from __future__ import annotations

from typing import Any

from .._paging import AsyncPager
from .._validate import check_choice, check_int, check_limit, check_page, check_text, segment
from ..types import Page, Voucher, VoucherLock, VoucherRedemptions
from ._base import Headers, Resource, compact

__all__ = ["Vouchers"]


VOUCHER_STATUSES = ("ACTIVE", "REDEEMED", "EXPIRED", "DEACTIVATED", "INACTIVE", "LOCKED")
#: What ``vouchers.update`` may set (docs: vouchers, "Update Voucher").
UPDATE_STATUSES = ("ACTIVE", "DEACTIVATED")


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
        extra_headers: Headers | None = None,
    ) -> Voucher:
        """Issue one voucher (Piggy picks the code unless ``code`` is given).

        ``POST /vouchers`` (docs: vouchers, "Create Voucher").
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
        return await self._transport.request(
            "POST", "/vouchers", Voucher, json=body, headers=extra_headers
        )

    async def create_batch(
        self,
        *,
        promotion_uuid: str,
        quantity: int,
        contact_uuid: str | None = None,
        activation_date: str | None = None,
        expiration_date: str | None = None,
        extra_headers: Headers | None = None,
    ) -> None:
        """Issue ``quantity`` vouchers in the background (list them later).

        ``POST /vouchers/batch`` (docs: vouchers, "Create Batch of Vouchers"; the PHP SDK
        also knows a ``/vouchers/batches`` path, not followed here).
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
        await self._transport.request(
            "POST", "/vouchers/batch", Any, json=body, headers=extra_headers
        )

    async def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        promotion_uuid: str | None = None,
        contact_uuid: str | None = None,
        status: str | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[Voucher]:
        """One page of vouchers (``limit`` up to 500), filtered.

        ``GET /vouchers?page=&limit=&promotion_uuid=&contact_uuid=&status=`` (docs: vouchers,
        "List Vouchers").
        """
        params = {
            "page": check_page(page),
            "limit": check_limit(limit, maximum=500),
            "promotion_uuid": promotion_uuid,
            "contact_uuid": contact_uuid,
            "status": None if status is None else check_choice(status, "status", VOUCHER_STATUSES),
        }
        return await self._transport.request_page(
            "GET", "/vouchers", Voucher, params=params, headers=extra_headers
        )

    def iter_all(
        self,
        *,
        promotion_uuid: str | None = None,
        contact_uuid: str | None = None,
        status: str | None = None,
        page_size: int = 500,
    ) -> AsyncPager[Voucher]:
        """Every matching voucher, page by page. ``GET /vouchers`` (docs: vouchers,
        "List Vouchers")."""
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

    async def find_one_by(self, *, code: str, extra_headers: Headers | None = None) -> Voucher:
        """The voucher with this code. ``GET /vouchers/find?code=`` (docs: vouchers,
        "Find Voucher")."""
        params = {"code": check_text(code, "code")}
        return await self._transport.request(
            "GET", "/vouchers/find", Voucher, params=params, headers=extra_headers
        )

    async def redeem(
        self,
        *,
        code: str,
        contact_uuid: str | None = None,
        release_key: str | None = None,
        shop_uuid: str | None = None,
        extra_headers: Headers | None = None,
    ) -> Voucher:
        """Redeem a voucher (``contact_uuid`` is needed when no contact is linked to it yet;
        a locked one needs its ``release_key``).

        ``POST /vouchers/redeem`` (docs: vouchers, "Redeem Voucher").
        """
        body = compact(
            {
                "code": check_text(code, "code"),
                "contact_uuid": None
                if contact_uuid is None
                else check_text(contact_uuid, "contact_uuid"),
                "release_key": release_key,
                "shop_uuid": None if shop_uuid is None else check_text(shop_uuid, "shop_uuid"),
            }
        )
        return await self._transport.request(
            "POST", "/vouchers/redeem", Voucher, json=body, headers=extra_headers
        )

    async def multi_redeem(
        self,
        *,
        code: str,
        number_of_times: int,
        shop_uuid: str,
        contact_uuid: str | None = None,
        release_key: str | None = None,
        extra_headers: Headers | None = None,
    ) -> VoucherRedemptions:
        """Redeem a multi-use voucher ``number_of_times`` (1 to 50) at once.

        ``POST /vouchers/multi-redeem`` (docs: vouchers, "Multi Redeem Voucher").
        """
        body = compact(
            {
                "code": check_text(code, "code"),
                "number_of_times": check_int(number_of_times, "number_of_times", 1, 50),
                "contact_uuid": None
                if contact_uuid is None
                else check_text(contact_uuid, "contact_uuid"),
                "shop_uuid": check_text(shop_uuid, "shop_uuid"),
                "release_key": release_key,
            }
        )
        return await self._transport.request(
            "POST", "/vouchers/multi-redeem", VoucherRedemptions, json=body, headers=extra_headers
        )

    async def reverse(self, uuid: str, *, extra_headers: Headers | None = None) -> None:
        """Undo the redemption of a voucher, so that it can be redeemed again.

        ``POST /vouchers/{uuid}/reverse`` (docs: vouchers, "Reverse Voucher Redemption").
        """
        path = f"/vouchers/{segment(uuid, 'uuid')}/reverse"
        await self._transport.request("POST", path, Any, headers=extra_headers)

    # The PHP SDK sends lock and release with a trailing slash in some releases; the API
    # reference has none, and a slash would be a different path: none is sent.

    async def lock(self, uuid: str, *, extra_headers: Headers | None = None) -> VoucherLock:
        """Lock a voucher while a checkout is in progress. ``POST /vouchers/{uuid}/lock``
        (docs: vouchers, "Lock Voucher (Optional)")."""
        path = f"/vouchers/{segment(uuid, 'uuid')}/lock"
        return await self._transport.request("POST", path, VoucherLock, headers=extra_headers)

    async def release(
        self, uuid: str, *, release_key: str, extra_headers: Headers | None = None
    ) -> VoucherLock:
        """Release a locked voucher. ``POST /vouchers/{uuid}/release`` (docs: vouchers,
        "Release Voucher (Optional)")."""
        path = f"/vouchers/{segment(uuid, 'uuid')}/release"
        body = {"release_key": check_text(release_key, "release_key")}
        return await self._transport.request(
            "POST", path, VoucherLock, json=body, headers=extra_headers
        )

    async def update(
        self,
        uuid: str,
        *,
        status: str,
        custom_attributes: dict[str, Any] | None = None,
        extra_headers: Headers | None = None,
    ) -> Voucher:
        """Activate or deactivate a voucher (``status``: ACTIVE or DEACTIVATED), and set its
        custom attributes.

        ``PUT /vouchers/update/{voucher_uuid}`` (docs: vouchers, "Update Voucher").
        """
        path = f"/vouchers/update/{segment(uuid, 'uuid')}"
        body = compact(
            {
                "status": check_choice(status, "status", UPDATE_STATUSES),
                "custom_attributes": custom_attributes,
            }
        )
        return await self._transport.request("PUT", path, Voucher, json=body, headers=extra_headers)
