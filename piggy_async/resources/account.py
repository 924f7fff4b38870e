"""The account's setup: shops, tiers, units, perks, brand kit and referrals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._validate import check_text, segment
from ..types import BrandKit, Perk, Referral, Shop, Tier, Unit
from . import Resource, compact

__all__ = ["BrandKitResource", "Perks", "Referrals", "Shops", "Tiers", "Units"]


class Shops(Resource):
    """The account's shops (physical and web)."""

    __slots__ = ()

    async def list(self) -> list[Shop]:
        """Every shop. ``GET /shops``."""
        result: list[Shop] = await self._transport.request("GET", "/shops", list[Shop])
        return result

    async def get(self, uuid: str) -> Shop:
        """One shop. ``GET /shops/{uuid}``."""
        path = f"/shops/{segment(uuid, 'uuid')}"
        result: Shop = await self._transport.request("GET", path, Shop)
        return result


class Tiers(Resource):
    """Loyalty tiers (levels contacts reach)."""

    __slots__ = ()

    async def list(self) -> list[Tier]:
        """Every tier, by position. ``GET /tiers``."""
        result: list[Tier] = await self._transport.request("GET", "/tiers", list[Tier])
        return result


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


class BrandKitResource(Resource):
    """The account's brand kit."""

    __slots__ = ()

    async def get(self) -> BrandKit:
        """Logos, colours and font. ``GET /brand-kit``."""
        result: BrandKit = await self._transport.request("GET", "/brand-kit", BrandKit)
        return result


class Referrals(Resource):
    """Referrals between contacts."""

    __slots__ = ()

    async def list(self) -> list[Referral]:
        """Every referral. ``GET /referrals``."""
        result: list[Referral] = await self._transport.request("GET", "/referrals", list[Referral])
        return result
