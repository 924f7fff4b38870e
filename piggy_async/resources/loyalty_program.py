"""Loyalty Program: the calls of Piggy's ``loyalty-program`` docs page."""

from __future__ import annotations

from ..types import LoyaltyProgram
from ._base import Resource

__all__ = ["LoyaltyProgramResource"]


class LoyaltyProgramResource(Resource):
    """The account's loyalty program."""

    __slots__ = ()

    async def get(self) -> LoyaltyProgram:
        """The loyalty program (its name, credit name, maximum). ``GET /loyalty-program``.

        (docs: loyalty-program, "Get Loyalty Program").
        """
        result: LoyaltyProgram = await self._transport.request(
            "GET", "/loyalty-program", LoyaltyProgram
        )
        return result
