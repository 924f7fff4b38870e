"""Perks: the calls of Piggy's ``perks`` docs page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._validate import check_text, segment
from ..types import Perk
from ._base import Resource, compact

__all__ = ["Perks"]


class Perks(Resource):
    """Perks: benefits that come with tiers."""

    __slots__ = ()

    async def list(self) -> list[Perk]:
        """Every perk. ``GET /perks``."""
        result: list[Perk] = await self._transport.request("GET", "/perks", list[Perk])
        return result

    async def get(self, uuid: str) -> Perk:
        """One perk. ``GET /perks/{uuid}``."""
        path = f"/perks/{segment(uuid, 'uuid')}"
        result: Perk = await self._transport.request("GET", path, Perk)
        return result

    async def create(
        self,
        *,
        name: str,
        label: str,
        data_type: str,
        options: Sequence[Mapping[str, Any]] | None = None,
    ) -> Perk:
        """Add a perk. ``POST /perks``."""
        body = compact(
            {
                "name": check_text(name, "name"),
                "label": check_text(label, "label"),
                "data_type": check_text(data_type, "data_type"),
                "options": None if options is None else [dict(o) for o in options],
            }
        )
        result: Perk = await self._transport.request("POST", "/perks", Perk, json=body)
        return result

    async def update(
        self,
        uuid: str,
        *,
        label: str | None = None,
        options: Sequence[Mapping[str, Any]] | None = None,
    ) -> Perk:
        """Change a perk. ``PUT /perks/{uuid}``."""
        path = f"/perks/{segment(uuid, 'uuid')}"
        body = compact(
            {"label": label, "options": None if options is None else [dict(o) for o in options]}
        )
        result: Perk = await self._transport.request("PUT", path, Perk, json=body)
        return result

    async def delete(self, uuid: str) -> None:
        """Remove a perk. ``DELETE /perks/{uuid}``."""
        path = f"/perks/{segment(uuid, 'uuid')}"
        await self._transport.request("DELETE", path, Any)
