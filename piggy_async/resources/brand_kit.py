"""Brand Kit: the calls of Piggy's ``brand-kit`` docs page."""

from __future__ import annotations

from ..types import BrandKit
from ._base import Headers, Resource

__all__ = ["BrandKitResource"]


class BrandKitResource(Resource):
    """The account's brand kit."""

    __slots__ = ()

    async def get(self, *, extra_headers: Headers | None = None) -> BrandKit:
        """Logos, colours and font. ``GET /brand-kit``.

        (docs: brand-kit, "Get Brand Kit").
        """
        return await self._transport.request("GET", "/brand-kit", BrandKit, headers=extra_headers)
