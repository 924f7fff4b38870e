"""The fake server's routes of Piggy's ``custom-attributes`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import invalid, ok
from ._base import Routes, definition, not_found, required, route

__all__ = ["CustomAttributesRoutes"]


class CustomAttributesRoutes(Routes):
    """Custom attributes: the fake's answers to the ``custom-attributes`` calls."""

    @route("GET", "/custom-attributes")
    async def list_custom_attributes(self, request: web.Request) -> web.Response:
        entity = request.query.get("entity")
        if not entity:
            raise invalid("entity", "The entity field is required.")
        return ok(self.store.custom_attributes.get(entity, []))

    @route("POST", "/custom-attributes")
    async def create_custom_attribute(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "entity")
        attribute = {
            **definition(body, "type"),
            "entity": body["entity"],
            "group_name": body.get("group_name"),
        }
        self.store.custom_attributes.setdefault(body["entity"], []).append(attribute)
        return ok(attribute)

    @route("PUT", "/custom-attributes/{name}")
    async def update_custom_attribute(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        body = self.body_of(request)
        required(body, "entity")
        for entity, attributes in self.store.custom_attributes.items():
            for attribute in attributes:
                if entity == body["entity"] and attribute["name"] == name:
                    attribute.update(
                        {
                            k: v
                            for k, v in body.items()
                            if k in ("label", "options", "description", "group_name")
                        }
                    )
                    return ok(attribute)
        raise not_found("Custom attribute")
