"""Units: the calls of Piggy's ``units`` docs page."""

from __future__ import annotations

from .._validate import check_flag, check_text
from ..types import Unit
from ._base import Headers, Resource, compact

__all__ = ["Units"]


class Units(Resource):
    """Units purchases are measured in (euros, liters, ...)."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[Unit]:
        """Every unit. ``GET /units`` (docs: units, "List Units")."""
        return await self._transport.request("GET", "/units", list[Unit], headers=extra_headers)

    async def create(
        self,
        *,
        name: str,
        label: str,
        is_default: bool | None = None,
        prefix: str | None = None,
        extra_headers: Headers | None = None,
    ) -> Unit:
        """Add a unit (``is_default``: make it the account's default unit; ``prefix``: shown
        before amounts). ``POST /units`` (docs: units, "Create Unit").
        """
        body = compact(
            {
                "name": check_text(name, "name"),
                "label": check_text(label, "label"),
                "is_default": None if is_default is None else check_flag(is_default, "is_default"),
                "prefix": prefix,
            }
        )
        return await self._transport.request(
            "POST", "/units", Unit, json=body, headers=extra_headers
        )
