"""The fake server's routes of Piggy's ``units`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..._codes import ErrorCode
from ..server_base import ok, piggy_error
from ._base import Routes, now_iso, required, route

__all__ = ["UnitsRoutes"]


class UnitsRoutes(Routes):
    """Units: the fake's answers to the ``units`` calls."""

    @route("GET", "/units")
    async def list_units(self, request: web.Request) -> web.Response:
        return ok(self.store.units)

    @route("POST", "/units")
    async def create_unit(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "name", "label")
        if any(u["name"] == body["name"] for u in self.store.units):
            raise piggy_error(ErrorCode.UNIT_ALREADY_EXISTS)  # docs: units, "Create Unit"
        unit = {
            "name": body["name"],
            "label": body["label"],
            "is_default": bool(body.get("is_default")),
            "prefix": body.get("prefix") or "",
            "id": len(self.store.units) + 300,
            "format": "int",
            "created_at": now_iso(),
            "updated_at": now_iso(),
        }
        if unit["is_default"]:
            for other in self.store.units:
                other["is_default"] = False
        self.store.units.append(unit)
        return ok(unit)
