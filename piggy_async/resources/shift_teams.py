"""Shift teams: the calls of Piggy's ``shift-teams`` docs page (beta in Piggy)."""

from __future__ import annotations

from .._paging import AsyncPager
from .._validate import check_limit, check_page, check_text, segment
from ..types import Page, ShiftTeam
from ._base import Headers, Resource

__all__ = ["ShiftTeams"]


class ShiftTeams(Resource):
    """Shift teams: the teams shifts are worked in."""

    __slots__ = ()

    async def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[ShiftTeam]:
        """One page of teams (``limit`` up to 100, default 30).

        ``GET /shift-teams?page=&limit=`` (docs: shift-teams, "List Teams").
        """
        params = {"page": check_page(page), "limit": check_limit(limit)}
        return await self._transport.request_page(
            "GET", "/shift-teams", ShiftTeam, params=params, headers=extra_headers
        )

    def iter_all(self, *, page_size: int = 100) -> AsyncPager[ShiftTeam]:
        """Every team, page by page. ``GET /shift-teams`` (docs: shift-teams, "List Teams")."""
        check_limit(page_size, "page_size")

        async def fetch(page: int) -> Page[ShiftTeam]:
            return await self.list(page=page, limit=page_size)

        return AsyncPager(fetch)

    async def create(self, *, name: str, extra_headers: Headers | None = None) -> ShiftTeam:
        """Create a team. ``POST /shift-teams`` (docs: shift-teams, "Create Team")."""
        body = {"name": check_text(name, "name")}
        return await self._transport.request(
            "POST", "/shift-teams", ShiftTeam, json=body, headers=extra_headers
        )

    async def find_one_by(self, *, name: str, extra_headers: Headers | None = None) -> ShiftTeam:
        """The team with this name. ``GET /shift-teams/find?name=`` (docs: shift-teams,
        "Find Team by Name")."""
        params = {"name": check_text(name, "name")}
        return await self._transport.request(
            "GET", "/shift-teams/find", ShiftTeam, params=params, headers=extra_headers
        )

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> ShiftTeam:
        """One team. ``GET /shift-teams/{uuid}`` (docs: shift-teams, "Get Team")."""
        path = f"/shift-teams/{segment(uuid, 'uuid')}"
        return await self._transport.request("GET", path, ShiftTeam, headers=extra_headers)

    async def update(
        self, uuid: str, *, name: str, extra_headers: Headers | None = None
    ) -> ShiftTeam:
        """Rename a team. ``PUT /shift-teams/{uuid}`` (docs: shift-teams, "Update Team")."""
        path = f"/shift-teams/{segment(uuid, 'uuid')}"
        body = {"name": check_text(name, "name")}
        return await self._transport.request(
            "PUT", path, ShiftTeam, json=body, headers=extra_headers
        )
