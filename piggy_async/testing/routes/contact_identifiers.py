"""The fake server's routes of Piggy's ``contact-identifiers`` docs page."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, required, route

__all__ = ["ContactIdentifiersRoutes"]


class ContactIdentifiersRoutes(Routes):
    """Contact identifiers: the fake's answers to the ``contact-identifiers`` calls."""

    def identifier_answer(self, value: str) -> web.Response:
        ident = self.store.identifiers[value]
        contact = None
        if ident["contact_uuid"]:  # docs: contact-identifiers, the contact with its email
            known = self.store.contacts.get(ident["contact_uuid"]) or {}
            contact = {"uuid": ident["contact_uuid"], "email": known.get("email")}
        return ok(
            {"value": value, "name": ident["name"], "active": ident["active"], "contact": contact}
        )

    def identifier_of(self, value: Any) -> str:
        if not value:
            raise invalid(
                "contact_identifier_value", "The contact identifier value field is required."
            )
        if value not in self.store.identifiers:
            raise piggy_error(ErrorCode.CONTACT_IDENTIFIER_NOT_FOUND)
        return str(value)

    @route("GET", "/contact-identifiers/find")
    async def find_identifier(self, request: web.Request) -> web.Response:
        return self.identifier_answer(
            self.identifier_of(request.query.get("contact_identifier_value"))
        )

    @route("POST", "/contact-identifiers")
    async def create_identifier(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "contact_identifier_value")
        value = str(body["contact_identifier_value"])
        if value in self.store.identifiers:
            raise invalid(
                "contact_identifier_value", "The contact identifier value has already been taken."
            )
        contact_uuid = body.get("contact_uuid")
        if contact_uuid is not None:
            self.contact_of(contact_uuid)
        self.store.identifiers[value] = {
            "name": body.get("contact_identifier_name") or "Piggy",
            "active": True,
            "contact_uuid": contact_uuid,
        }
        return self.identifier_answer(value)

    @route("PUT", "/contact-identifiers/link")
    async def link_identifier(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        value = self.identifier_of(body.get("contact_identifier_value"))
        self.contact_of(body.get("contact_uuid"))
        self.store.identifiers[value]["contact_uuid"] = body["contact_uuid"]
        return self.identifier_answer(value)

    @route("PUT", "/contact-identifiers/unlink")
    async def unlink_identifier(self, request: web.Request) -> web.Response:
        value = self.identifier_of(self.body_of(request).get("contact_identifier_value"))
        self.store.identifiers[value]["contact_uuid"] = None
        return self.identifier_answer(value)

    @route("PUT", "/contact-identifiers")
    async def update_identifier(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        value = self.identifier_of(body.get("contact_identifier_value"))
        ident = self.store.identifiers[value]
        if body.get("contact_identifier_name") is not None:
            ident["name"] = str(body["contact_identifier_name"])
        active = body.get("contact_identifier_active")
        if active is not None:
            if not isinstance(active, bool):
                raise invalid("contact_identifier_active", "The field must be true or false.")
            ident["active"] = active
        return self.identifier_answer(value)

    @route("DELETE", "/contact-identifiers")
    async def delete_identifier(self, request: web.Request) -> web.Response:
        del self.store.identifiers[
            self.identifier_of(request.query.get("contact_identifier_value"))
        ]
        return ok(None)
