"""The fake server's routes of Piggy's ``perks`` docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .._seed import new_uuid
from ..server_base import invalid, ok
from ._base import Routes, lookup, required, route

__all__ = ["PerksRoutes"]


class PerksRoutes(Routes):
    """Perks: the fake's answers to the ``perks`` calls."""

    def perk_of(self, uuid: str) -> dict[str, Any]:
        return lookup(self.store.perks, uuid, "Perk")

    @route("GET", "/perks")
    async def list_perks(self, request: web.Request) -> web.Response:
        return ok(list(self.store.perks.values()))

    @route("POST", "/perks")
    async def create_perk(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "name", "label", "data_type")
        if not isinstance(body.get("options"), list):  # docs: perks, "Create Perk"
            raise invalid("options", "The options field is required.")
        perk = {
            "uuid": new_uuid(self.store.rng),
            "name": body["name"],
            "label": body["label"],
            "data_type": body["data_type"],
            "options": body["options"],
        }
        self.store.perks[perk["uuid"]] = perk
        return ok(perk)

    @route("GET", "/perks/{uuid}")
    async def get_perk(self, request: web.Request) -> web.Response:
        return ok(self.perk_of(request.match_info["uuid"]))

    @route("PUT", "/perks/{uuid}")
    async def update_perk(self, request: web.Request) -> web.Response:
        perk = self.perk_of(request.match_info["uuid"])
        body = self.body_of(request)
        required(body, "label")  # docs: perks, "Update Perk": label only, required
        perk["label"] = body["label"]
        return ok(perk)

    @route("DELETE", "/perks/{uuid}")
    async def delete_perk(self, request: web.Request) -> web.Response:
        del self.store.perks[self.perk_of(request.match_info["uuid"])["uuid"]]
        return ok(None, {})  # docs: perks, "Delete Perk": {"data": null, "meta": {}}
