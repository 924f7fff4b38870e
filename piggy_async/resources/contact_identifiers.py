"""Contact Identifiers: the calls of Piggy's ``contact-identifiers`` docs page."""

from __future__ import annotations

from typing import Any

from .._validate import check_text
from ..errors import InvalidArgumentError
from ..types import ContactIdentifier
from ._base import Headers, Resource, compact

__all__ = ["ContactIdentifiers"]


class ContactIdentifiers(Resource):
    """Contact identifiers: values (card numbers, barcodes) that point to a contact."""

    __slots__ = ()

    async def find_one_by(
        self, *, contact_identifier_value: str, extra_headers: Headers | None = None
    ) -> ContactIdentifier:
        """The identifier with this value (and its contact).

        ``GET /contact-identifiers/find?contact_identifier_value=``.
        (docs: contact-identifiers, "Find Contact Identifier").
        """
        params = {
            "contact_identifier_value": check_text(
                contact_identifier_value, "contact_identifier_value"
            )
        }
        return await self._transport.request(
            "GET",
            "/contact-identifiers/find",
            ContactIdentifier,
            params=params,
            headers=extra_headers,
        )

    async def create(
        self,
        *,
        contact_identifier_value: str,
        contact_identifier_name: str | None = None,
        contact_uuid: str | None = None,
        extra_headers: Headers | None = None,
    ) -> ContactIdentifier:
        """Register an identifier, optionally linked to a contact. ``POST /contact-identifiers``.

        (docs: contact-identifiers, "Create Contact Identifier").
        """
        body = compact(
            {
                "contact_identifier_value": check_text(
                    contact_identifier_value, "contact_identifier_value"
                ),
                "contact_identifier_name": contact_identifier_name,
                "contact_uuid": contact_uuid,
            }
        )
        return await self._transport.request(
            "POST", "/contact-identifiers", ContactIdentifier, json=body, headers=extra_headers
        )

    async def link(
        self,
        *,
        contact_identifier_value: str,
        contact_uuid: str,
        extra_headers: Headers | None = None,
    ) -> ContactIdentifier:
        """Link an identifier to a contact. ``PUT /contact-identifiers/link``.

        (docs: contact-identifiers, "Link Contact Identifier").
        """
        body = {
            "contact_identifier_value": check_text(
                contact_identifier_value, "contact_identifier_value"
            ),
            "contact_uuid": check_text(contact_uuid, "contact_uuid"),
        }
        return await self._transport.request(
            "PUT", "/contact-identifiers/link", ContactIdentifier, json=body, headers=extra_headers
        )

    async def unlink(
        self, *, contact_identifier_value: str, extra_headers: Headers | None = None
    ) -> ContactIdentifier:
        """Unlink an identifier from its contact. ``PUT /contact-identifiers/unlink``.

        (docs: contact-identifiers, "Unlink Contact Identifier").
        """
        body = {
            "contact_identifier_value": check_text(
                contact_identifier_value, "contact_identifier_value"
            )
        }
        return await self._transport.request(
            "PUT",
            "/contact-identifiers/unlink",
            ContactIdentifier,
            json=body,
            headers=extra_headers,
        )

    async def update(
        self,
        *,
        contact_identifier_value: str,
        contact_identifier_name: str | None = None,
        contact_identifier_active: bool | None = None,
        extra_headers: Headers | None = None,
    ) -> ContactIdentifier:
        """Rename or (de)activate an identifier (its value cannot change).

        ``PUT /contact-identifiers`` (docs: contact-identifiers, "Update Contact Identifier").
        """
        if contact_identifier_active is not None and not isinstance(
            contact_identifier_active, bool
        ):
            raise InvalidArgumentError(
                "contact_identifier_active must be True or False",
                argument="contact_identifier_active",
            )
        body = compact(
            {
                "contact_identifier_value": check_text(
                    contact_identifier_value, "contact_identifier_value"
                ),
                "contact_identifier_name": contact_identifier_name,
                "contact_identifier_active": contact_identifier_active,
            }
        )
        return await self._transport.request(
            "PUT", "/contact-identifiers", ContactIdentifier, json=body, headers=extra_headers
        )

    async def delete(
        self, *, contact_identifier_value: str, extra_headers: Headers | None = None
    ) -> None:
        """Remove an identifier. ``DELETE /contact-identifiers?contact_identifier_value=``.

        (docs: contact-identifiers, "Delete Contact Identifier").
        """
        params = {
            "contact_identifier_value": check_text(
                contact_identifier_value, "contact_identifier_value"
            )
        }
        await self._transport.request(
            "DELETE", "/contact-identifiers", Any, params=params, headers=extra_headers
        )
