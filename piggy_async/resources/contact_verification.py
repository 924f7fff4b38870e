"""Contact Verification: the calls of Piggy's ``contact-verification`` docs page."""

from __future__ import annotations

from typing import Any

from .._validate import check_email, check_text, segment
from ._base import Resource

__all__ = ["ContactVerification"]


def _confirmed(data: Any) -> bool:
    """Piggy answers ``[true]`` when it worked."""
    if isinstance(data, list):
        return bool(data) and data[0] is True
    return data is True


class ContactVerification(Resource):
    """Email login codes for contacts (passwordless verification)."""

    __slots__ = ()

    async def send(self, *, email: str) -> bool:
        """Mail a login code to the contact. ``POST /contact-verification/send``."""
        body = {"email": check_email(email)}
        data = await self._transport.request("POST", "/contact-verification/send", Any, json=body)
        return _confirmed(data)

    async def verify(self, *, email: str, code: str) -> bool:
        """Check a login code the contact typed. ``POST /contact-verification/verify``."""
        body = {"email": check_email(email), "code": check_text(code, "code")}
        data = await self._transport.request("POST", "/contact-verification/verify", Any, json=body)
        return _confirmed(data)

    async def get_auth_token(self, contact_uuid: str) -> str:
        """An auth token to log the contact in elsewhere.

        ``GET /contact-verification/auth-token/{contact_uuid}``.
        """
        path = f"/contact-verification/auth-token/{segment(contact_uuid, 'contact_uuid')}"
        result: str = await self._transport.request("GET", path, str)
        return result
