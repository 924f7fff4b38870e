"""The fake server's routes of Piggy's ``shifts`` docs page.

The docs name no set of shift statuses; the fake knows the two its examples show
(:data:`SHIFT_STATUSES`) and answers any other with 80531 "Shift status not found.".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, now_iso, required, route
from ._refs import (
    contact_ref,
    int_field,
    moment_field,
    page_meta_answer,
    shop_ref,
    text_field,
)

__all__ = ["SHIFT_STATUSES", "ShiftsRoutes"]

SHIFT_STATUSES = ("pending", "approved")


def _net_minutes(started: datetime, ended: datetime, break_minutes: int) -> int:
    if ended <= started:
        raise invalid("ended_at", "The ended at must be a date after started at.")
    return int((ended - started).total_seconds() // 60) - break_minutes


class ShiftsRoutes(Routes):
    """Shifts: the fake's answers to the ``shifts`` calls."""

    def _shift(self, uuid: str) -> dict[str, Any]:
        shift = self.store.shifts.get(uuid)
        if shift is None:
            raise piggy_error(ErrorCode.SHIFT_NOT_FOUND)
        return shift

    def _status(self, status: Any) -> str:
        if status not in SHIFT_STATUSES:
            raise piggy_error(ErrorCode.SHIFT_STATUS_NOT_FOUND)
        return str(status)

    def _team(self, team_uuid: Any) -> Any:
        if team_uuid is not None and team_uuid not in self.store.shift_teams:
            raise piggy_error(ErrorCode.SHIFT_TEAM_NOT_FOUND)
        return team_uuid

    def _apply(self, shift: dict[str, Any], body: dict[str, Any]) -> None:
        """Check and apply the times, status, team, contact and break of ``body``."""
        started, ended = moment_field(body, "started_at"), moment_field(body, "ended_at")
        break_minutes = int_field(body, "break_in_minutes")
        if break_minutes is None:
            break_minutes = shift.get("break_in_minutes") or 0
        assert started is not None  # required() ran first
        assert ended is not None
        net = _net_minutes(started, ended, break_minutes)
        if body.get("contact_uuid") is not None:
            shift["contact"] = contact_ref(self.store, body["contact_uuid"])
        shift.update(
            status=self._status(body["status"]),
            team_uuid=self._team(body.get("team_uuid", shift.get("team_uuid"))),
            break_in_minutes=break_minutes,
            net_duration_in_minutes=net,
            started_at=body["started_at"],
            ended_at=body["ended_at"],
        )

    @route("GET", "/shifts")
    async def list_shifts(self, request: web.Request) -> web.Response:
        query = dict(request.query)
        required(query, "shop_uuid", "status")
        shop_ref(self.store, query["shop_uuid"])
        status = self._status(query["status"])
        team_uuid = self._team(query.get("team_uuid"))
        items = [
            s
            for s in self.store.shifts.values()
            if s["shop_uuid"] == query["shop_uuid"]
            and s["status"] == status
            and (team_uuid is None or s.get("team_uuid") == team_uuid)
        ]
        return page_meta_answer([_public(s) for s in items], request)

    @route("POST", "/shifts")
    async def create_shift(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "contact_uuid", "shop_uuid", "started_at", "ended_at", "status")
        contact = contact_ref(self.store, body["contact_uuid"])
        shop = shop_ref(self.store, body["shop_uuid"])
        external_id = text_field(body, "external_id")
        type_uuid = body.get("shift_type_uuid")
        if type_uuid is not None and type_uuid not in self.store.shift_types:
            raise piggy_error(ErrorCode.SHIFT_TYPE_NOT_FOUND)
        if external_id is not None and any(
            s.get("external_id") == external_id for s in self.store.shifts.values()
        ):
            # the code the docs give for this message (the same as "Shift status not found.")
            raise piggy_error(
                ErrorCode.SHIFT_EXTERNAL_ID_ALREADY_EXISTS,
                "Shift with external id already exists for this account.",
            )
        shift: dict[str, Any] = {
            "uuid": new_uuid(self.store.rng),
            "contact": contact,
            "external_id": external_id,
            "shift_type_uuid": type_uuid,
            "shop_uuid": shop["uuid"],
            "created_at": now_iso(),
        }
        self._apply(shift, body)
        self.store.shifts[shift["uuid"]] = shift
        return ok(_public(shift))

    @route("GET", "/shifts/find")
    async def find_shift(self, request: web.Request) -> web.Response:
        external_id = request.query.get("external_id")
        for shift in self.store.shifts.values():
            if external_id and shift.get("external_id") == external_id:
                return ok(_public(shift))
        raise piggy_error(ErrorCode.SHIFT_NOT_FOUND)

    @route("GET", "/shifts/{uuid}")
    async def get_shift(self, request: web.Request) -> web.Response:
        return ok(_public(self._shift(request.match_info["uuid"])))

    @route("PUT", "/shifts/{uuid}")
    async def update_shift(self, request: web.Request) -> web.Response:
        shift = self._shift(request.match_info["uuid"])
        body = self.body_of(request)
        required(body, "started_at", "ended_at", "status")
        changed = dict(shift)
        self._apply(changed, body)  # all checks pass before anything changes
        shift.update(changed)
        return ok(_public(shift))

    @route("DELETE", "/shifts/{uuid}")
    async def delete_shift(self, request: web.Request) -> web.Response:
        del self.store.shifts[self._shift(request.match_info["uuid"])["uuid"]]
        return ok([])


def _public(shift: dict[str, Any]) -> dict[str, Any]:
    """A shift as Piggy answers it (the shop it belongs to is not in the answer)."""
    return {k: v for k, v in shift.items() if k != "shop_uuid"}
