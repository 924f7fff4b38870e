"""Custom Attributes: the calls of Piggy's ``custom-attributes`` docs page, and the contacts'
own attribute definitions (``/contact-attributes``: not in the docs, from the PHP SDK)."""

from __future__ import annotations

from .._validate import check_mappings, check_text, segment
from ..types import AttributeDefinition
from ._base import Headers, Options, Resource, compact, definition_body

__all__ = ["ContactAttributes", "CustomAttributes"]


class CustomAttributes(Resource):
    """Custom attributes of other entities (``entity``: e.g. ``voucher``, ``reward``)."""

    __slots__ = ()

    async def list(
        self, *, entity: str, extra_headers: Headers | None = None
    ) -> list[AttributeDefinition]:
        """The custom attributes of one entity. ``GET /custom-attributes?entity=``.

        (docs: custom-attributes, "List Custom Attributes").
        """
        params = {"entity": check_text(entity, "entity")}
        return await self._transport.request(
            "GET",
            "/custom-attributes",
            list[AttributeDefinition],
            params=params,
            headers=extra_headers,
        )

    async def create(
        self,
        *,
        entity: str,
        name: str,
        label: str,
        type: str,
        options: Options | None = None,
        description: str | None = None,
        group_name: str | None = None,
        extra_headers: Headers | None = None,
    ) -> AttributeDefinition:
        """Add a custom attribute to an entity. ``POST /custom-attributes``.

        (docs: custom-attributes, "Create Custom Attribute").
        """
        body = compact(
            {
                "entity": check_text(entity, "entity"),
                "name": check_text(name, "name"),
                "label": check_text(label, "label"),
                "type": check_text(type, "type"),
                "options": None if options is None else check_mappings(options, "options"),
                "description": description,
                "group_name": group_name,
            }
        )
        return await self._transport.request(
            "POST", "/custom-attributes", AttributeDefinition, json=body, headers=extra_headers
        )

    async def update(
        self,
        name: str,
        *,
        entity: str,
        label: str | None = None,
        options: Options | None = None,
        description: str | None = None,
        group_name: str | None = None,
        extra_headers: Headers | None = None,
    ) -> AttributeDefinition:
        """Change the label, options, description or group of an entity's custom attribute.

        ``PUT /custom-attributes/{name}`` (docs: custom-attributes, "Update Custom
        Attribute").
        """
        path = f"/custom-attributes/{segment(name, 'name')}"
        body = compact(
            {
                "entity": check_text(entity, "entity"),
                "label": label,
                "options": None if options is None else check_mappings(options, "options"),
                "description": description,
                "group_name": group_name,
            }
        )
        return await self._transport.request(
            "PUT", path, AttributeDefinition, json=body, headers=extra_headers
        )


class ContactAttributes(Resource):
    """The attributes contacts have (built-in and the account's own)."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[AttributeDefinition]:
        """Every contact attribute. ``GET /contact-attributes`` (not in Piggy's docs: the PHP
        SDK's call)."""
        return await self._transport.request(
            "GET", "/contact-attributes", list[AttributeDefinition], headers=extra_headers
        )

    async def create(
        self,
        *,
        name: str,
        label: str,
        data_type: str,
        description: str | None = None,
        options: Options | None = None,
        extra_headers: Headers | None = None,
    ) -> AttributeDefinition:
        """Add a contact attribute (``data_type``: text, select, phone, ...).

        ``POST /contact-attributes`` (not in Piggy's docs: the PHP SDK's call).
        """
        body = definition_body(name, label, data_type, description, options)
        return await self._transport.request(
            "POST", "/contact-attributes", AttributeDefinition, json=body, headers=extra_headers
        )
