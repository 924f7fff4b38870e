"""Portal Sessions: the calls of Piggy's ``portal-sessions`` docs page."""

from __future__ import annotations

from typing import Any

from .._validate import check_choice, check_int, check_text, segment
from ..errors import InvalidArgumentError
from ..types import PortalSession
from ._base import Headers, Resource, compact

__all__ = ["PortalSessions"]

SCANNER_TYPES = ("camera", "hand_scanner")
FACING_MODES = ("user", "environment")
IDENTIFICATION_METHODS = ("email", "identifier")


def _flag(value: bool | None, name: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise InvalidArgumentError(
            f"{name} must be True or False, not {type(value).__name__}", argument=name
        )
    return value


def session_body(
    shop_uuid: str,
    contact_uuid: str | None = None,
    scanner_type: str | None = None,
    enable_email_identification: bool | None = None,
    enable_registration: bool | None = None,
    enable_on_screen_keyboard: bool | None = None,
    camera_service: int | None = None,
    facing_mode: str | None = None,
    primary_identification_method: str | None = None,
) -> dict[str, Any]:
    """The body every "Create ... Portal Session" call takes, checked (None: not sent)."""
    method = primary_identification_method
    return {
        "shop_uuid": check_text(shop_uuid, "shop_uuid"),
        **compact(
            {
                "contact_uuid": None
                if contact_uuid is None
                else check_text(contact_uuid, "contact_uuid"),
                "scanner_type": None
                if scanner_type is None
                else check_choice(scanner_type, "scanner_type", SCANNER_TYPES),
                "enable_email_identification": _flag(
                    enable_email_identification, "enable_email_identification"
                ),
                "enable_registration": _flag(enable_registration, "enable_registration"),
                "enable_on_screen_keyboard": _flag(
                    enable_on_screen_keyboard, "enable_on_screen_keyboard"
                ),
                "camera_service": None
                if camera_service is None
                else check_int(camera_service, "camera_service", 1, 3),
                "facing_mode": None
                if facing_mode is None
                else check_choice(facing_mode, "facing_mode", FACING_MODES),
                "primary_identification_method": None
                if method is None
                else check_choice(method, "primary_identification_method", IDENTIFICATION_METHODS),
            }
        ),
    }


class PortalSessions(Resource):
    """Portal sessions: a portal visit for a shop, optionally for a known contact."""

    __slots__ = ()

    async def create(
        self,
        *,
        shop_uuid: str,
        contact_uuid: str | None = None,
        scanner_type: str | None = None,
        enable_email_identification: bool | None = None,
        enable_registration: bool | None = None,
        enable_on_screen_keyboard: bool | None = None,
        camera_service: int | None = None,
        facing_mode: str | None = None,
        primary_identification_method: str | None = None,
        extra_headers: Headers | None = None,
    ) -> PortalSession:
        """Start a portal session for a shop (and contact): scanner (``camera`` or
        ``hand_scanner``), email identification, registration, on-screen keyboard, camera
        service (1-3), facing mode (``user``/``environment``), first identification method.

        ``POST /portal-sessions`` (docs: portal-sessions, "Create Portal Session").
        """
        body = session_body(
            shop_uuid,
            contact_uuid,
            scanner_type,
            enable_email_identification,
            enable_registration,
            enable_on_screen_keyboard,
            camera_service,
            facing_mode,
            primary_identification_method,
        )
        return await self._transport.request(
            "POST", "/portal-sessions", PortalSession, json=body, headers=extra_headers
        )

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> PortalSession:
        """One portal session. ``GET /portal-sessions/{uuid}`` (docs: portal-sessions,
        "Get Portal Session")."""
        path = f"/portal-sessions/{segment(uuid, 'uuid')}"
        return await self._transport.request("GET", path, PortalSession, headers=extra_headers)

    async def _create_kind(
        self, kind: str, body: dict[str, Any], *, extra_headers: Headers | None = None
    ) -> PortalSession:
        return await self._transport.request(
            "POST", f"/portal-sessions/{kind}", PortalSession, json=body, headers=extra_headers
        )

    async def create_credit_reception(
        self,
        *,
        shop_uuid: str,
        contact_uuid: str | None = None,
        scanner_type: str | None = None,
        enable_email_identification: bool | None = None,
        enable_registration: bool | None = None,
        enable_on_screen_keyboard: bool | None = None,
        camera_service: int | None = None,
        facing_mode: str | None = None,
        primary_identification_method: str | None = None,
        extra_headers: Headers | None = None,
    ) -> PortalSession:
        """Start a portal session in which the contact receives credits.

        ``POST /portal-sessions/credit-reception`` (docs: portal-sessions,
        "Create Credit Reception Portal Session").
        """
        return await self._create_kind(
            "credit-reception",
            session_body(
                shop_uuid,
                contact_uuid,
                scanner_type,
                enable_email_identification,
                enable_registration,
                enable_on_screen_keyboard,
                camera_service,
                facing_mode,
                primary_identification_method,
            ),
            extra_headers=extra_headers,
        )

    async def create_redeem_giftcards(
        self,
        *,
        amount_in_cents: int,
        shop_uuid: str,
        allow_multiple_giftcards: bool | None = None,
        contact_uuid: str | None = None,
        scanner_type: str | None = None,
        enable_email_identification: bool | None = None,
        enable_registration: bool | None = None,
        enable_on_screen_keyboard: bool | None = None,
        camera_service: int | None = None,
        facing_mode: str | None = None,
        primary_identification_method: str | None = None,
        extra_headers: Headers | None = None,
    ) -> PortalSession:
        """Start a portal session that pays ``amount_in_cents`` with giftcards (several per
        purchase unless ``allow_multiple_giftcards=False``).

        ``POST /portal-sessions/redeem-giftcards`` (docs: portal-sessions,
        "Create Redeem Giftcard Portal Session").
        """
        body = {
            "amount_in_cents": check_int(amount_in_cents, "amount_in_cents", 1),
            **session_body(
                shop_uuid,
                contact_uuid,
                scanner_type,
                enable_email_identification,
                enable_registration,
                enable_on_screen_keyboard,
                camera_service,
                facing_mode,
                primary_identification_method,
            ),
        }
        allow = _flag(allow_multiple_giftcards, "allow_multiple_giftcards")
        if allow is not None:
            body["allow_multiple_giftcards"] = allow
        return await self._create_kind("redeem-giftcards", body, extra_headers=extra_headers)

    async def create_top_up_giftcards(
        self,
        *,
        shop_uuid: str,
        contact_uuid: str | None = None,
        scanner_type: str | None = None,
        enable_email_identification: bool | None = None,
        enable_registration: bool | None = None,
        enable_on_screen_keyboard: bool | None = None,
        camera_service: int | None = None,
        facing_mode: str | None = None,
        primary_identification_method: str | None = None,
        extra_headers: Headers | None = None,
    ) -> PortalSession:
        """Start a portal session that tops up giftcards.

        ``POST /portal-sessions/top-up-giftcards`` (docs: portal-sessions,
        "Create Top Up Giftcard Portal Session").
        """
        return await self._create_kind(
            "top-up-giftcards",
            session_body(
                shop_uuid,
                contact_uuid,
                scanner_type,
                enable_email_identification,
                enable_registration,
                enable_on_screen_keyboard,
                camera_service,
                facing_mode,
                primary_identification_method,
            ),
            extra_headers=extra_headers,
        )

    async def create_pay_prepaid(
        self,
        *,
        shop_uuid: str,
        contact_uuid: str | None = None,
        scanner_type: str | None = None,
        enable_email_identification: bool | None = None,
        enable_registration: bool | None = None,
        enable_on_screen_keyboard: bool | None = None,
        camera_service: int | None = None,
        facing_mode: str | None = None,
        primary_identification_method: str | None = None,
        extra_headers: Headers | None = None,
    ) -> PortalSession:
        """Start a portal session in which the contact pays with prepaid balance.

        ``POST /portal-sessions/pay-prepaid`` (docs: portal-sessions,
        "Create Pay Prepaid Portal Session").
        """
        return await self._create_kind(
            "pay-prepaid",
            session_body(
                shop_uuid,
                contact_uuid,
                scanner_type,
                enable_email_identification,
                enable_registration,
                enable_on_screen_keyboard,
                camera_service,
                facing_mode,
                primary_identification_method,
            ),
            extra_headers=extra_headers,
        )

    async def create_top_up_prepaid(
        self,
        *,
        shop_uuid: str,
        contact_uuid: str | None = None,
        scanner_type: str | None = None,
        enable_email_identification: bool | None = None,
        enable_registration: bool | None = None,
        enable_on_screen_keyboard: bool | None = None,
        camera_service: int | None = None,
        facing_mode: str | None = None,
        primary_identification_method: str | None = None,
        extra_headers: Headers | None = None,
    ) -> PortalSession:
        """Start a portal session that tops up the contact's prepaid balance.

        ``POST /portal-sessions/top-up-prepaid`` (docs: portal-sessions,
        "Create Top Up Prepaid Portal Session").
        """
        return await self._create_kind(
            "top-up-prepaid",
            session_body(
                shop_uuid,
                contact_uuid,
                scanner_type,
                enable_email_identification,
                enable_registration,
                enable_on_screen_keyboard,
                camera_service,
                facing_mode,
                primary_identification_method,
            ),
            extra_headers=extra_headers,
        )

    async def create_vouchers(
        self,
        *,
        shop_uuid: str,
        contact_uuid: str | None = None,
        scanner_type: str | None = None,
        enable_email_identification: bool | None = None,
        enable_registration: bool | None = None,
        enable_on_screen_keyboard: bool | None = None,
        camera_service: int | None = None,
        facing_mode: str | None = None,
        primary_identification_method: str | None = None,
        extra_headers: Headers | None = None,
    ) -> PortalSession:
        """Start a portal session in which the contact uses vouchers.

        ``POST /portal-sessions/vouchers`` (docs: portal-sessions,
        "Create Voucher Portal Session").
        """
        return await self._create_kind(
            "vouchers",
            session_body(
                shop_uuid,
                contact_uuid,
                scanner_type,
                enable_email_identification,
                enable_registration,
                enable_on_screen_keyboard,
                camera_service,
                facing_mode,
                primary_identification_method,
            ),
            extra_headers=extra_headers,
        )
