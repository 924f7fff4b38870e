"""Shift types: the calls of Piggy's ``shift-types`` docs page (beta in Piggy)."""

from __future__ import annotations

from .._paging import AsyncPager
from .._validate import check_limit, check_page, check_text, segment
from ..types import Page, ShiftType
from ._base import Headers, Resource

__all__ = ["ShiftTypes"]


class ShiftTypes(Resource):
    """Shift types: kinds of shift (night, weekend, ...)."""

    __slots__ = ()

    async def list(
        self,
        *,
        page: int | None = None,
        limit: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[ShiftType]:
        """One page of shift types (``limit`` up to 100, default 30).

        ``GET /shift-types?page=&limit=`` (docs: shift-types, "List Shift Types").
        """
        params = {"page": check_page(page), "limit": check_limit(limit)}
        return await self._transport.request_page(
            "GET", "/shift-types", ShiftType, params=params, headers=extra_headers
        )

    def iter_all(self, *, page_size: int = 100) -> AsyncPager[ShiftType]:
        """Every shift type, page by page. ``GET /shift-types`` (docs: shift-types,
        "List Shift Types")."""
        check_limit(page_size, "page_size")

        async def fetch(page: int) -> Page[ShiftType]:
            return await self.list(page=page, limit=page_size)

        return AsyncPager(fetch)

    async def create(
        self, *, name: str, description: str, extra_headers: Headers | None = None
    ) -> ShiftType:
        """Create a shift type. ``POST /shift-types`` (docs: shift-types,
        "Create Shift Type")."""
        body = {
            "name": check_text(name, "name"),
            "description": check_text(description, "description"),
        }
        return await self._transport.request(
            "POST", "/shift-types", ShiftType, json=body, headers=extra_headers
        )

    async def find_one_by(self, *, name: str, extra_headers: Headers | None = None) -> ShiftType:
        """The shift type with this name. ``GET /shift-types/find?name=`` (docs: shift-types,
        "Find Shift Type by Name")."""
        params = {"name": check_text(name, "name")}
        return await self._transport.request(
            "GET", "/shift-types/find", ShiftType, params=params, headers=extra_headers
        )

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> ShiftType:
        """One shift type. ``GET /shift-types/{uuid}`` (docs: shift-types,
        "Get Shift Type")."""
        path = f"/shift-types/{segment(uuid, 'uuid')}"
        return await self._transport.request("GET", path, ShiftType, headers=extra_headers)

    async def update(
        self,
        uuid: str,
        *,
        name: str,
        description: str,
        extra_headers: Headers | None = None,
    ) -> ShiftType:
        """Change a shift type's name and description. ``PUT /shift-types/{uuid}`` (docs:
        shift-types, "Update Shift Type")."""
        path = f"/shift-types/{segment(uuid, 'uuid')}"
        body = {
            "name": check_text(name, "name"),
            "description": check_text(description, "description"),
        }
        return await self._transport.request(
            "PUT", path, ShiftType, json=body, headers=extra_headers
        )
