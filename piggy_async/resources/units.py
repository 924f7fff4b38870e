"""Units: the calls of Piggy's ``units`` docs page."""

from __future__ import annotations

from .._validate import check_text
from ..types import Unit
from ._base import Resource

__all__ = ["Units"]


class Units(Resource):
    """Units purchases are measured in (euros, liters, ...)."""

    __slots__ = ()

    async def list(self) -> list[Unit]:
        """Every unit. ``GET /units``."""
        result: list[Unit] = await self._transport.request("GET", "/units", list[Unit])
        return result

    async def create(self, *, name: str, label: str, is_default: bool = False) -> Unit:
        """Add a unit. ``POST /units``."""
        body = {
            "name": check_text(name, "name"),
            "label": check_text(label, "label"),
            "is_default": bool(is_default),
        }
        result: Unit = await self._transport.request("POST", "/units", Unit, json=body)
        return result
