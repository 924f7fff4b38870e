"""The fake server's routes of Piggy's ``automations`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..._codes import ErrorCode
from ..server_base import PiggyHTTPError, contact_not_found, invalid, ok, piggy_error
from ._base import Routes, route

__all__ = ["AutomationsRoutes"]


class AutomationsRoutes(Routes):
    """Automations: the fake's answers to the ``automations`` calls."""

    @route("GET", "/automations")
    async def list_automations(self, request: web.Request) -> web.Response:
        return ok(self.store.automations)

    @route("POST", "/automations/runs")
    async def create_automation_run(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        errors = {
            name: [f"The {name} field is required."]
            for name in ("contact_uuid", "automation_uuid")
            if not body.get(name)
        }
        if "data" in body and not isinstance(body["data"], (dict, list)):
            errors["data"] = ["The data must be an array."]
        if errors:
            raise PiggyHTTPError(400, 1003, "Invalid input.", errors)
        if body["contact_uuid"] not in self.store.contacts:
            raise contact_not_found()
        automation = next(
            (a for a in self.store.automations if a["uuid"] == body["automation_uuid"]), None
        )
        if automation is None:
            raise piggy_error(ErrorCode.MODEL_NOT_FOUND)
        if automation["event"] != "contact_updated":
            raise invalid("automation_uuid", "Only contact_updated automations can be run.")
        self.store.automation_runs.append(body)
        return ok([])
