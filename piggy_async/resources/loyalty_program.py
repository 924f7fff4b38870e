"""Loyalty Program: the calls of Piggy's ``loyalty-program`` docs page."""

from __future__ import annotations

from ..types import LoyaltyProgram
from ._base import Headers, Resource

__all__ = ["LoyaltyProgramResource"]


class LoyaltyProgramResource(Resource):
    """The account's loyalty program."""

    __slots__ = ()

    async def get(self, *, extra_headers: Headers | None = None) -> LoyaltyProgram:
        """The loyalty program (its name, credit name, maximum). ``GET /loyalty-program``.

        (docs: loyalty-program, "Get Loyalty Program").
        """
        return await self._transport.request(
            "GET", "/loyalty-program", LoyaltyProgram, headers=extra_headers
        )
