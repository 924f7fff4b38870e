"""Loyalty Transaction Attributes: the calls of Piggy's
``loyalty-transaction-attributes`` docs page."""

from __future__ import annotations

from ..types import AttributeDefinition
from ._base import Headers, Options, Resource, definition_body

__all__ = ["LoyaltyTransactionAttributes"]


class LoyaltyTransactionAttributes(Resource):
    """Custom attributes loyalty transactions (credit receptions) can carry."""

    __slots__ = ()

    async def list(self, *, extra_headers: Headers | None = None) -> list[AttributeDefinition]:
        """Every loyalty transaction attribute. ``GET /loyalty-transaction-attributes``.

        (docs: loyalty-transaction-attributes, "List Loyalty Transaction Attributes").
        """
        return await self._transport.request(
            "GET",
            "/loyalty-transaction-attributes",
            list[AttributeDefinition],
            headers=extra_headers,
        )

    async def create(
        self,
        *,
        name: str,
        data_type: str,
        label: str | None = None,
        description: str | None = None,
        options: Options | None = None,
        extra_headers: Headers | None = None,
    ) -> AttributeDefinition:
        """Add a loyalty transaction attribute (``label`` is optional here).

        ``POST /loyalty-transaction-attributes`` (docs: loyalty-transaction-attributes,
        "Create Loyalty Transaction Attribute").
        """
        body = definition_body(name, label, data_type, description, options)
        return await self._transport.request(
            "POST",
            "/loyalty-transaction-attributes",
            AttributeDefinition,
            json=body,
            headers=extra_headers,
        )
