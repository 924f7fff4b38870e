"""The fake server's routes of Piggy's ``units`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._base import Routes, required, route

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
        unit = {
            "name": body["name"],
            "label": body["label"],
            "is_default": bool(body.get("is_default")),
            "prefix": None,
            "id": len(self.store.units) + 300,
        }
        if unit["is_default"]:
            for other in self.store.units:
                other["is_default"] = False
        self.store.units.append(unit)
        return ok(unit)
