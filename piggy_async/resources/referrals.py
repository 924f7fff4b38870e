"""Referrals: the calls of Piggy's ``referrals`` docs page."""

from __future__ import annotations

from ..types import Referral
from ._base import Resource

__all__ = ["Referrals"]


class Referrals(Resource):
    """Referrals between contacts."""

    __slots__ = ()

    async def list(self) -> list[Referral]:
        """Every referral. ``GET /referrals``."""
        result: list[Referral] = await self._transport.request("GET", "/referrals", list[Referral])
        return result
