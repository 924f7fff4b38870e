"""Contact Verification: the calls of Piggy's ``contact-verification`` docs page."""

from __future__ import annotations

from typing import Any

import msgspec

from .._validate import check_email, check_text, segment
from ..types import ContactRef
from ._base import Headers, Resource

__all__ = ["ContactVerification"]


def _confirmed(data: Any) -> bool:
    """Whether Piggy's answer confirms the email went out: the docs' ``{"type":
    "Success", "message": ...}``, or ``[true]`` as older answers had it."""
    if isinstance(data, dict):
        return str(data.get("type", "")).lower() == "success"
    if isinstance(data, list):
        return bool(data) and data[0] is True
    return data is True


class _AuthToken(msgspec.Struct):
    auth_token: str


class ContactVerification(Resource):
    """Email login codes for contacts (passwordless verification)."""

    __slots__ = ()

    async def send(self, *, email: str, extra_headers: Headers | None = None) -> bool:
        """Mail a login code to the contact; True when Piggy confirms it was sent.

        ``POST /contact-verification/send`` (docs: contact-verification, "Send Contact
        Verification Email").
        """
        body = {"email": check_email(email)}
        data = await self._transport.request(
            "POST", "/contact-verification/send", Any, json=body, headers=extra_headers
        )
        return _confirmed(data)

    async def verify(
        self, *, email: str, code: str, extra_headers: Headers | None = None
    ) -> ContactRef:
        """Check a login code the contact typed; answers the verified contact (its uuid).
        A wrong code raises (Piggy's "Passcode not found.").

        ``POST /contact-verification/verify`` (docs: contact-verification, "Verify Login
        Code").
        """
        body = {"email": check_email(email), "code": check_text(code, "code")}
        return await self._transport.request(
            "POST", "/contact-verification/verify", ContactRef, json=body, headers=extra_headers
        )

    async def get_auth_token(
        self, contact_uuid: str, *, extra_headers: Headers | None = None
    ) -> str:
        """An auth token to log the contact in elsewhere.

        ``GET /contact-verification/auth-token/{contact_uuid}`` (docs: contact-verification,
        "Get Auth Token": ``{"auth_token": ...}``; a bare string is accepted too).
        """
        path = f"/contact-verification/auth-token/{segment(contact_uuid, 'contact_uuid')}"
        result: _AuthToken | str = await self._transport.request(
            "GET", path, _AuthToken | str, headers=extra_headers
        )
        return result if isinstance(result, str) else result.auth_token
