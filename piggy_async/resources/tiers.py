"""Tiers: the calls of Piggy's ``tiers`` docs page."""

from __future__ import annotations

from ..types import Tier
from ._base import Headers, Resource

__all__ = ["Tiers"]


class Tiers(Resource):
    """Loyalty tiers (levels contacts reach)."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[Tier]:
        """Every tier, by position. ``GET /tiers``.

        (docs: tiers, "List Tiers").
        """
        return await self._transport.request("GET", "/tiers", list[Tier], headers=extra_headers)
