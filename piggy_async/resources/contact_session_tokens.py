"""Contact session tokens: the calls of Piggy's ``contact-session-tokens`` docs page."""

from __future__ import annotations

from .._validate import segment
from ..types import ContactSessionToken
from ._base import Headers, Resource

__all__ = ["ContactSessionTokens"]


class ContactSessionTokens(Resource):
    """Contact session tokens: one-time tokens that identify a contact (e.g. from an app)."""

    __slots__ = ()

    async def get(
        self, contact_session_token: str, *, extra_headers: Headers | None = None
    ) -> ContactSessionToken:
        """Look up a token to identify and validate its contact (``status``: active or used).

        ``GET /contact-session-tokens/{contact_session_token}`` (docs:
        contact-session-tokens, "Find Contact Session Token").
        """
        token = segment(contact_session_token, "contact_session_token")
        return await self._transport.request(
            "GET",
            f"/contact-session-tokens/{token}",
            ContactSessionToken,
            secret=token,
            headers=extra_headers,
        )

    async def use(
        self, contact_session_token: str, *, extra_headers: Headers | None = None
    ) -> ContactSessionToken:
        """Mark a token as used: it is not valid for any later attempt.

        ``POST /contact-session-tokens/{contact_session_token}/use`` (docs:
        contact-session-tokens, "Use Contact Session Token").
        """
        token = segment(contact_session_token, "contact_session_token")
        return await self._transport.request(
            "POST",
            f"/contact-session-tokens/{token}/use",
            ContactSessionToken,
            secret=token,
            headers=extra_headers,
        )
