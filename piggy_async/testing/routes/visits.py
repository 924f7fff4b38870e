"""The fake server's routes of Piggy's ``visits`` docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .._seed import new_uuid
from ..server_base import invalid, ok
from ._base import Routes, now_iso, required, route
from ._refs import contact_ref, moment_field, shop_ref, text_field

__all__ = ["VisitsRoutes"]


class VisitsRoutes(Routes):
    """Visits: the fake's answers to the ``visits`` calls (``external_id`` is unique)."""

    def _changes(self, body: dict[str, Any], visit_uuid: str | None) -> dict[str, Any]:
        changes: dict[str, Any] = {}
        for name in ("external_id", "source"):
            if text_field(body, name) is not None:
                changes[name] = body[name]
        for name in ("starts_at", "ends_at"):
            if moment_field(body, name) is not None:
                changes[name] = body[name]
        external_id = changes.get("external_id")
        if external_id is not None and any(
            v.get("external_id") == external_id and v["uuid"] != visit_uuid
            for v in self.store.visits.values()
        ):
            raise invalid("external_id", "The external id has already been taken.")
        return changes

    @route("POST", "/visits")
    async def create_visit(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "shop_uuid", "contact_uuid")
        changes = self._changes(body, None)
        contact = contact_ref(self.store, body["contact_uuid"])
        shop_ref(self.store, body["shop_uuid"])
        visit = {
            "uuid": new_uuid(self.store.rng),
            "contact": contact,
            **changes,
            "created_at": now_iso(),
        }
        self.store.visits[visit["uuid"]] = visit
        return ok(visit)

    @route("PUT", "/visits/{uuid}")
    async def update_visit(self, request: web.Request) -> web.Response:
        visit = self.store.visits.get(request.match_info["uuid"])
        if visit is None:
            # The page lists only 1003 for this call; no not-found code (docs/fidelity.md).
            raise invalid("uuid", "The selected visit is invalid.")
        visit.update(self._changes(self.body_of(request), visit["uuid"]))
        return ok(visit)
