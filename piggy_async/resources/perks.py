"""Perks: the calls of Piggy's ``perks`` docs page."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._validate import check_mappings, check_text, segment
from ..types import Perk
from ._base import Headers, Resource

__all__ = ["Perks"]


def _options(options: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A perk's options (label, value, default): a list of mappings, checked."""
    return check_mappings(options, "options")


class Perks(Resource):
    """Perks: benefits that come with tiers."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[Perk]:
        """Every perk. ``GET /perks`` (docs: perks, "List Perks")."""
        return await self._transport.request("GET", "/perks", list[Perk], headers=extra_headers)

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> Perk:
        """One perk. ``GET /perks/{perk_uuid}`` (docs: perks, "Get Perk")."""
        path = f"/perks/{segment(uuid, 'uuid')}"
        return await self._transport.request("GET", path, Perk, headers=extra_headers)

    async def create(
        self,
        *,
        name: str,
        label: str,
        data_type: str,
        options: Sequence[Mapping[str, Any]],
        extra_headers: Headers | None = None,
    ) -> Perk:
        """Add a perk with its ``options`` (each a ``label``, ``value`` and ``default``).

        ``POST /perks`` (docs: perks, "Create Perk": ``options`` is required).
        """
        body = {
            "name": check_text(name, "name"),
            "label": check_text(label, "label"),
            "data_type": check_text(data_type, "data_type"),
            "options": _options(options),
        }
        return await self._transport.request(
            "POST", "/perks", Perk, json=body, headers=extra_headers
        )

    async def update(self, uuid: str, *, label: str, extra_headers: Headers | None = None) -> Perk:
        """Rename a perk (its ``label``, the only field the docs let change).

        ``PUT /perks/{perk_uuid}`` (docs: perks, "Update Perk").
        """
        path = f"/perks/{segment(uuid, 'uuid')}"
        body = {"label": check_text(label, "label")}
        return await self._transport.request("PUT", path, Perk, json=body, headers=extra_headers)

    async def delete(self, uuid: str, *, extra_headers: Headers | None = None) -> None:
        """Remove a perk. ``DELETE /perks/{perk_uuid}`` (docs: perks, "Delete Perk")."""
        path = f"/perks/{segment(uuid, 'uuid')}"
        await self._transport.request("DELETE", path, Any, headers=extra_headers)
