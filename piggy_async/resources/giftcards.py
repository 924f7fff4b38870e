"""Giftcards: the calls of Piggy's ``giftcards`` docs page."""

from __future__ import annotations

from typing import Any, Literal

from .._paging import AsyncPager
from .._validate import check_choice, check_limit, check_page, check_text, segment
from ..types import Giftcard, Page
from ._base import Headers, Resource

__all__ = ["Giftcards"]


GIFTCARD_TYPES = {"PHYSICAL": 0, "DIGITAL": 1}


class Giftcards(Resource):
    """Giftcards: prepaid cards of a giftcard program."""

    __slots__ = ()

    async def list(
        self,
        *,
        giftcard_program_uuid: str | None = None,
        page: int | None = None,
        limit: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[Giftcard]:
        """One page of giftcards (``limit`` up to 100), optionally of one giftcard program.

        ``GET /giftcards`` (docs: giftcards, "List Giftcards").
        """
        params = {
            "giftcard_program_uuid": giftcard_program_uuid,
            "page": check_page(page),
            "limit": check_limit(limit, maximum=100),
        }
        return await self._transport.request_page(
            "GET", "/giftcards", Giftcard, params=params, headers=extra_headers
        )

    def iter_all(
        self, *, giftcard_program_uuid: str | None = None, page_size: int = 100
    ) -> AsyncPager[Giftcard]:
        """Every giftcard (of one program), page by page. ``GET /giftcards`` (docs: giftcards,
        "List Giftcards")."""
        check_limit(page_size, "page_size", maximum=100)

        async def fetch(page: int) -> Page[Giftcard]:
            return await self.list(
                giftcard_program_uuid=giftcard_program_uuid, page=page, limit=page_size
            )

        return AsyncPager(fetch)

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> Giftcard:
        """One giftcard. ``GET /giftcards/{uuid}`` (docs: giftcards, "Get Giftcard")."""
        path = f"/giftcards/{segment(uuid, 'uuid')}"
        return await self._transport.request("GET", path, Giftcard, headers=extra_headers)

    async def find_one_by(self, *, hash: str, extra_headers: Headers | None = None) -> Giftcard:
        """The giftcard with this hash (the code on the card).

        ``GET /giftcards/find-one-by?hash=`` (docs: giftcards, "Find Giftcard by Hash").
        """
        params = {"hash": check_text(hash, "hash")}
        return await self._transport.request(
            "GET", "/giftcards/find-one-by", Giftcard, params=params, headers=extra_headers
        )

    async def create(
        self,
        *,
        giftcard_program_uuid: str,
        type: Literal["PHYSICAL", "DIGITAL"],
        extra_headers: Headers | None = None,
    ) -> Giftcard:
        """Issue a giftcard of a program. ``POST /giftcards`` (docs: giftcards,
        "Create Giftcard"; Piggy's ``type`` is 0 for physical, 1 for digital)."""
        body = {
            "giftcard_program_uuid": check_text(giftcard_program_uuid, "giftcard_program_uuid"),
            "type": GIFTCARD_TYPES[check_choice(type, "type", tuple(GIFTCARD_TYPES))],
        }
        return await self._transport.request(
            "POST", "/giftcards", Giftcard, json=body, headers=extra_headers
        )

    async def send_by_email(
        self, uuid: str, *, contact_uuid: str, extra_headers: Headers | None = None
    ) -> None:
        """Email a digital giftcard to a contact. ``POST /giftcards/{uuid}/send-by-email``
        (docs: giftcards, "Send Giftcard by Email")."""
        path = f"/giftcards/{segment(uuid, 'uuid')}/send-by-email"
        # The API reference names no body for this call; the contact to mail is the one
        # field it needs, so that is what is sent.
        body = {"contact_uuid": check_text(contact_uuid, "contact_uuid")}
        await self._transport.request("POST", path, Any, json=body, headers=extra_headers)
