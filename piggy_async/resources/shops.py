"""Shops: the calls of Piggy's ``shops`` docs page."""

from __future__ import annotations

from .._validate import segment
from ..types import Shop
from ._base import Headers, Resource

__all__ = ["Shops"]


class Shops(Resource):
    """The account's shops (physical and web)."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[Shop]:
        """Every shop. ``GET /shops``.

        (docs: shops, "List Shops").
        """
        return await self._transport.request("GET", "/shops", list[Shop], headers=extra_headers)

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> Shop:
        """One shop. ``GET /shops/{uuid}``.

        (docs: shops, "Get Shop").
        """
        path = f"/shops/{segment(uuid, 'uuid')}"
        return await self._transport.request("GET", path, Shop, headers=extra_headers)
