"""The fake server's routes of Piggy's ``shift-teams`` docs page (team names are unique)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, now_iso, required, route
from ._refs import page_meta_answer, text_field

__all__ = ["ShiftTeamsRoutes"]


class ShiftTeamsRoutes(Routes):
    """Shift teams: the fake's answers to the ``shift-teams`` calls."""

    def _team(self, uuid: str) -> dict[str, Any]:
        team = self.store.shift_teams.get(uuid)
        if team is None:
            raise piggy_error(ErrorCode.SHIFT_TEAM_NOT_FOUND)
        return team

    def _name(self, body: dict[str, Any], uuid: str | None) -> str:
        required(body, "name")
        name = text_field(body, "name")
        assert name is not None
        if any(t["name"] == name and t["uuid"] != uuid for t in self.store.shift_teams.values()):
            raise invalid("name", "The name has already been taken.")
        return name

    @route("GET", "/shift-teams")
    async def list_shift_teams(self, request: web.Request) -> web.Response:
        return page_meta_answer(list(self.store.shift_teams.values()), request)

    @route("POST", "/shift-teams")
    async def create_shift_team(self, request: web.Request) -> web.Response:
        name = self._name(self.body_of(request), None)
        now = now_iso()
        team = {"uuid": new_uuid(self.store.rng), "name": name, "created_at": now}
        team["updated_at"] = now
        self.store.shift_teams[team["uuid"]] = team
        return ok(team)

    @route("GET", "/shift-teams/find")
    async def find_shift_team(self, request: web.Request) -> web.Response:
        name = request.query.get("name")
        for team in self.store.shift_teams.values():
            if name and team["name"] == name:
                return ok(team)
        raise piggy_error(ErrorCode.SHIFT_TEAM_NOT_FOUND)

    @route("GET", "/shift-teams/{uuid}")
    async def get_shift_team(self, request: web.Request) -> web.Response:
        return ok(self._team(request.match_info["uuid"]))

    @route("PUT", "/shift-teams/{uuid}")
    async def update_shift_team(self, request: web.Request) -> web.Response:
        team = self._team(request.match_info["uuid"])
        team.update(name=self._name(self.body_of(request), team["uuid"]), updated_at=now_iso())
        return ok(team)
