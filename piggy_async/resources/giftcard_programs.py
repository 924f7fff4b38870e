"""Giftcard Programs: the calls of Piggy's ``giftcard-programs`` docs page."""

from __future__ import annotations

from ..types import GiftcardProgram
from ._base import Headers, Resource

__all__ = ["GiftcardPrograms"]


class GiftcardPrograms(Resource):
    """Giftcard programs of the account."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[GiftcardProgram]:
        """Every giftcard program. ``GET /giftcard-programs``.

        (docs: giftcard-programs, "List Giftcard Programs").
        """
        return await self._transport.request(
            "GET", "/giftcard-programs", list[GiftcardProgram], headers=extra_headers
        )
