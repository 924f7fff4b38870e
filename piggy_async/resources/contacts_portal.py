"""Contacts Portal: the calls of Piggy's ``contacts-portal`` docs page."""

from __future__ import annotations

import msgspec

from .._validate import check_text
from ._base import Headers, Resource

__all__ = ["ContactsPortal"]


class _AuthUrl(msgspec.Struct, gc=False):
    url: str


class ContactsPortal(Resource):
    """The contacts portal, where contacts see their own loyalty account."""

    __slots__ = ()

    async def get_auth_url(self, *, contact_uuid: str, extra_headers: Headers | None = None) -> str:
        """A URL that logs this contact into the portal.

        ``GET /contacts-portal/auth-url?contact_uuid=``.
        (docs: contacts-portal, "Get Authenticated Url").
        """
        params = {"contact_uuid": check_text(contact_uuid, "contact_uuid")}
        result: _AuthUrl = await self._transport.request(
            "GET", "/contacts-portal/auth-url", _AuthUrl, params=params, headers=extra_headers
        )
        return result.url
