"""Shifts: the calls of Piggy's ``shifts`` docs page (beta in Piggy)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .._paging import AsyncPager
from .._validate import check_int, check_limit, check_page, check_text, segment
from ..types import Page, Shift
from ._base import Headers, Resource, compact

__all__ = ["Shifts"]


def _optional_text(value: str | None, name: str) -> str | None:
    return None if value is None else check_text(value, name)


def _moment(value: str | datetime, name: str) -> str:
    """A required ISO 8601 date and time (a datetime is converted)."""
    return value.isoformat() if isinstance(value, datetime) else check_text(value, name)


def _break(value: int | None) -> int | None:
    return None if value is None else check_int(value, "break_in_minutes", 0)


class Shifts(Resource):
    """Shifts: the hours a contact (an employee) works at a shop."""

    __slots__ = ()

    async def list(
        self,
        *,
        shop_uuid: str,
        status: str,
        team_uuid: str | None = None,
        page: int | None = None,
        limit: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Page[Shift]:
        """One page of a shop's shifts with a status (``limit`` up to 100, default 30).

        ``GET /shifts?shop_uuid=&status=&team_uuid=&page=&limit=`` (docs: shifts,
        "List Shifts").
        """
        params = {
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
            "status": check_text(status, "status"),
            "team_uuid": _optional_text(team_uuid, "team_uuid"),
            "page": check_page(page),
            "limit": check_limit(limit),
        }
        return await self._transport.request_page(
            "GET", "/shifts", Shift, params=params, headers=extra_headers
        )

    def iter_all(
        self,
        *,
        shop_uuid: str,
        status: str,
        team_uuid: str | None = None,
        page_size: int = 100,
    ) -> AsyncPager[Shift]:
        """Every matching shift, page by page. ``GET /shifts`` (docs: shifts, "List Shifts")."""
        check_limit(page_size, "page_size")
        check_text(shop_uuid, "shop_uuid")
        check_text(status, "status")

        async def fetch(page: int) -> Page[Shift]:
            return await self.list(
                shop_uuid=shop_uuid, status=status, team_uuid=team_uuid, page=page, limit=page_size
            )

        return AsyncPager(fetch)

    async def create(
        self,
        *,
        contact_uuid: str,
        shop_uuid: str,
        started_at: str | datetime,
        ended_at: str | datetime,
        status: str,
        external_id: str | None = None,
        team_uuid: str | None = None,
        shift_type_uuid: str | None = None,
        break_in_minutes: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Shift:
        """Record a contact's shift at a shop. ``POST /shifts`` (docs: shifts,
        "Create Shift")."""
        body: dict[str, Any] = {
            "contact_uuid": check_text(contact_uuid, "contact_uuid"),
            "shop_uuid": check_text(shop_uuid, "shop_uuid"),
            "started_at": _moment(started_at, "started_at"),
            "ended_at": _moment(ended_at, "ended_at"),
            "status": check_text(status, "status"),
            **compact(
                {
                    "external_id": _optional_text(external_id, "external_id"),
                    "team_uuid": _optional_text(team_uuid, "team_uuid"),
                    "shift_type_uuid": _optional_text(shift_type_uuid, "shift_type_uuid"),
                    "break_in_minutes": _break(break_in_minutes),
                }
            ),
        }
        return await self._transport.request(
            "POST", "/shifts", Shift, json=body, headers=extra_headers
        )

    async def find_one_by(self, *, external_id: str, extra_headers: Headers | None = None) -> Shift:
        """The shift with this external ID. ``GET /shifts/find?external_id=`` (docs: shifts,
        "Find Shift by External ID")."""
        params = {"external_id": check_text(external_id, "external_id")}
        return await self._transport.request(
            "GET", "/shifts/find", Shift, params=params, headers=extra_headers
        )

    async def get(self, uuid: str, *, extra_headers: Headers | None = None) -> Shift:
        """One shift. ``GET /shifts/{uuid}`` (docs: shifts, "Get Shift")."""
        path = f"/shifts/{segment(uuid, 'uuid')}"
        return await self._transport.request("GET", path, Shift, headers=extra_headers)

    async def update(
        self,
        uuid: str,
        *,
        started_at: str | datetime,
        ended_at: str | datetime,
        status: str,
        contact_uuid: str | None = None,
        team_uuid: str | None = None,
        break_in_minutes: int | None = None,
        extra_headers: Headers | None = None,
    ) -> Shift:
        """Change a shift (times and status are always sent; its shop cannot change).

        ``PUT /shifts/{uuid}`` (docs: shifts, "Update Shift").
        """
        path = f"/shifts/{segment(uuid, 'uuid')}"
        body: dict[str, Any] = {
            "started_at": _moment(started_at, "started_at"),
            "ended_at": _moment(ended_at, "ended_at"),
            "status": check_text(status, "status"),
            **compact(
                {
                    "contact_uuid": _optional_text(contact_uuid, "contact_uuid"),
                    "team_uuid": _optional_text(team_uuid, "team_uuid"),
                    "break_in_minutes": _break(break_in_minutes),
                }
            ),
        }
        return await self._transport.request("PUT", path, Shift, json=body, headers=extra_headers)

    async def delete(self, shift_uuid: str, *, extra_headers: Headers | None = None) -> None:
        """Delete a shift. ``DELETE /shifts/{shift_uuid}`` (docs: shifts, "Delete Shift")."""
        path = f"/shifts/{segment(shift_uuid, 'shift_uuid')}"
        await self._transport.request("DELETE", path, Any, headers=extra_headers)
