"""The fake server's routes of Piggy's ``shift-types`` docs page (names are unique)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, now_iso, required, route
from ._refs import page_meta_answer, text_field

__all__ = ["ShiftTypesRoutes"]


class ShiftTypesRoutes(Routes):
    """Shift types: the fake's answers to the ``shift-types`` calls."""

    def _type(self, uuid: str) -> dict[str, Any]:
        shift_type = self.store.shift_types.get(uuid)
        if shift_type is None:
            raise piggy_error(ErrorCode.SHIFT_TYPE_NOT_FOUND)
        return shift_type

    def _fields(self, body: dict[str, Any], uuid: str | None) -> dict[str, Any]:
        required(body, "name", "description")
        name, description = text_field(body, "name"), text_field(body, "description")
        if any(t["name"] == name and t["uuid"] != uuid for t in self.store.shift_types.values()):
            raise invalid("name", "The name has already been taken.")
        return {"name": name, "description": description}

    @route("GET", "/shift-types")
    async def list_shift_types(self, request: web.Request) -> web.Response:
        return page_meta_answer(list(self.store.shift_types.values()), request)

    @route("POST", "/shift-types")
    async def create_shift_type(self, request: web.Request) -> web.Response:
        fields = self._fields(self.body_of(request), None)
        now = now_iso()
        shift_type = {"uuid": new_uuid(self.store.rng), **fields, "created_at": now}
        shift_type["updated_at"] = now
        self.store.shift_types[shift_type["uuid"]] = shift_type
        return ok(shift_type)

    @route("GET", "/shift-types/find")
    async def find_shift_type(self, request: web.Request) -> web.Response:
        name = request.query.get("name")
        for shift_type in self.store.shift_types.values():
            if name and shift_type["name"] == name:
                return ok(shift_type)
        raise piggy_error(ErrorCode.SHIFT_TYPE_NOT_FOUND)

    @route("GET", "/shift-types/{uuid}")
    async def get_shift_type(self, request: web.Request) -> web.Response:
        return ok(self._type(request.match_info["uuid"]))

    @route("PUT", "/shift-types/{uuid}")
    async def update_shift_type(self, request: web.Request) -> web.Response:
        shift_type = self._type(request.match_info["uuid"])
        shift_type.update(self._fields(self.body_of(request), shift_type["uuid"]))
        shift_type["updated_at"] = now_iso()
        return ok(shift_type)
