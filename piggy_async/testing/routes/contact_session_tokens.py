"""The fake server's routes of Piggy's ``contact-session-tokens`` docs page.

Arrange a token with ``fake.store.add_contact_session_token(contact_uuid)``; using it once
marks it ``used``, and a used token cannot be used again.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, route
from ._refs import contact_ref

__all__ = ["ContactSessionTokensRoutes"]


class ContactSessionTokensRoutes(Routes):
    """Contact session tokens: the fake's answers to the ``contact-session-tokens`` calls."""

    def _token(self, request: web.Request) -> dict[str, Any]:
        entry = self.store.contact_session_tokens.get(request.match_info["token"])
        if entry is None:
            raise piggy_error(ErrorCode.MODEL_NOT_FOUND)
        return entry

    def _answer(self, entry: dict[str, Any]) -> web.Response:
        contact = contact_ref(self.store, entry["contact_uuid"])
        return ok({"token": entry["token"], "contact": contact, "status": entry["status"]})

    @route("GET", "/contact-session-tokens/{token}")
    async def find_contact_session_token(self, request: web.Request) -> web.Response:
        return self._answer(self._token(request))

    @route("POST", "/contact-session-tokens/{token}/use")
    async def use_contact_session_token(self, request: web.Request) -> web.Response:
        entry = self._token(request)
        if entry["status"] != "active":
            raise invalid("contact_session_token", "The contact session token was already used.")
        entry["status"] = "used"
        return self._answer(entry)
