"""Attribute definitions: of contacts, custom entities, loyalty transactions, rewards and
promotions (``piggy.contact_attributes``, ``piggy.custom_attributes``, ...)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .._paging import AsyncPager
from .._validate import check_limit, check_page, check_text, segment
from ..types import AttributeDefinition, Page
from . import Resource, compact

__all__ = [
    "ContactAttributes",
    "CustomAttributes",
    "LoyaltyTransactionAttributes",
    "PromotionAttributes",
    "RewardAttributes",
]

Options = Sequence[Mapping[str, Any]]


# Only contact attributes are documented (body `data_type`); the other kinds of attribute
# definition are created with the same body here.
def _definition_body(
    name: str,
    label: str,
    data_type: str,
    description: str | None,
    options: Options | None,
    **more: Any,
) -> dict[str, Any]:
    return compact(
        {
            "name": check_text(name, "name"),
            "label": check_text(label, "label"),
            "data_type": check_text(data_type, "data_type"),
            "description": description,
            "options": None if options is None else [dict(o) for o in options],
            **more,
        }
    )


class ContactAttributes(Resource):
    """The attributes contacts have (built-in and the account's own)."""

    __slots__ = ()

    async def list(self) -> list[AttributeDefinition]:
        """Every contact attribute. ``GET /contact-attributes``."""
        result: list[AttributeDefinition] = await self._transport.request(
            "GET", "/contact-attributes", list[AttributeDefinition]
        )
        return result

    async def create(
        self,
        *,
        name: str,
        label: str,
        data_type: str,
        description: str | None = None,
        options: Options | None = None,
    ) -> AttributeDefinition:
        """Add a contact attribute (``data_type``: text, select, phone, ...).

        ``POST /contact-attributes``.
        """
        body = _definition_body(name, label, data_type, description, options)
        result: AttributeDefinition = await self._transport.request(
            "POST", "/contact-attributes", AttributeDefinition, json=body
        )
        return result


class CustomAttributes(Resource):
    """Custom attributes of other entities (``entity``: e.g. ``voucher``, ``reward``)."""

    __slots__ = ()

    async def list(self, *, entity: str) -> list[AttributeDefinition]:
        """The custom attributes of one entity. ``GET /custom-attributes?entity=``."""
        params = {"entity": check_text(entity, "entity")}
        result: list[AttributeDefinition] = await self._transport.request(
            "GET", "/custom-attributes", list[AttributeDefinition], params=params
        )
        return result

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
    ) -> AttributeDefinition:
        """Add a custom attribute to an entity. ``POST /custom-attributes``."""
        body = compact(
            {
                "entity": check_text(entity, "entity"),
                "name": check_text(name, "name"),
                "label": check_text(label, "label"),
                "type": check_text(type, "type"),
                "options": None if options is None else [dict(o) for o in options],
                "description": description,
                "group_name": group_name,
            }
        )
        result: AttributeDefinition = await self._transport.request(
            "POST", "/custom-attributes", AttributeDefinition, json=body
        )
        return result

    async def update(
        self,
        name: str,
        *,
        label: str | None = None,
        options: Options | None = None,
        description: str | None = None,
        group_name: str | None = None,
    ) -> AttributeDefinition:
        """Change a custom attribute. ``PUT /custom-attributes/{name}``."""
        path = f"/custom-attributes/{segment(name, 'name')}"
        body = compact(
            {
                "label": label,
                "options": None if options is None else [dict(o) for o in options],
                "description": description,
                "group_name": group_name,
            }
        )
        result: AttributeDefinition = await self._transport.request(
            "PUT", path, AttributeDefinition, json=body
        )
        return result


class LoyaltyTransactionAttributes(Resource):
    """Custom attributes loyalty transactions (credit receptions) can carry."""

    __slots__ = ()

    async def list(self) -> list[AttributeDefinition]:
        """Every loyalty transaction attribute. ``GET /loyalty-transaction-attributes``."""
        result: list[AttributeDefinition] = await self._transport.request(
            "GET", "/loyalty-transaction-attributes", list[AttributeDefinition]
        )
        return result

    async def create(
        self,
        *,
        name: str,
        label: str,
        data_type: str,
        description: str | None = None,
        options: Options | None = None,
    ) -> AttributeDefinition:
        """Add a loyalty transaction attribute. ``POST /loyalty-transaction-attributes``."""
        body = _definition_body(name, label, data_type, description, options)
        result: AttributeDefinition = await self._transport.request(
            "POST", "/loyalty-transaction-attributes", AttributeDefinition, json=body
        )
        return result


class RewardAttributes(Resource):
    """Custom attributes of rewards."""

    __slots__ = ()

    async def list(
        self, *, page: int | None = None, limit: int | None = None
    ) -> Page[AttributeDefinition]:
        """One page of reward attributes. ``GET /reward-attributes?page=&limit=``."""
        params = {"page": check_page(page), "limit": check_limit(limit)}
        result: Page[AttributeDefinition] = await self._transport.request_page(
            "GET", "/reward-attributes", AttributeDefinition, params=params
        )
        return result

    def iter_all(self, *, page_size: int = 100) -> AsyncPager[AttributeDefinition]:
        """Every reward attribute, page by page. ``GET /reward-attributes``."""
        check_limit(page_size, "page_size")

        async def fetch(page: int) -> Page[AttributeDefinition]:
            return await self.list(page=page, limit=page_size)

        return AsyncPager(fetch)

    async def create(
        self,
        *,
        name: str,
        label: str,
        data_type: str,
        description: str | None = None,
        options: Options | None = None,
        placeholder: str | None = None,
    ) -> AttributeDefinition:
        """Add a reward attribute. ``POST /reward-attributes``."""
        body = _definition_body(
            name, label, data_type, description, options, placeholder=placeholder
        )
        result: AttributeDefinition = await self._transport.request(
            "POST", "/reward-attributes", AttributeDefinition, json=body
        )
        return result


class PromotionAttributes(Resource):
    """Custom attributes of promotions."""

    __slots__ = ()

    async def list(self) -> list[AttributeDefinition]:
        """Every promotion attribute. ``GET /promotion-attributes``."""
        result: list[AttributeDefinition] = await self._transport.request(
            "GET", "/promotion-attributes", list[AttributeDefinition]
        )
        return result

    async def get(self, id: int) -> AttributeDefinition:
        """One promotion attribute. ``GET /promotion-attributes/{id}``."""
        path = f"/promotion-attributes/{segment(str(id), 'id')}"
        result: AttributeDefinition = await self._transport.request(
            "GET", path, AttributeDefinition
        )
        return result

    async def create(
        self,
        *,
        name: str,
        label: str,
        data_type: str,
        description: str | None = None,
        options: Options | None = None,
    ) -> AttributeDefinition:
        """Add a promotion attribute. ``POST /promotion-attributes``."""
        body = _definition_body(name, label, data_type, description, options)
        result: AttributeDefinition = await self._transport.request(
            "POST", "/promotion-attributes", AttributeDefinition, json=body
        )
        return result

    async def update(
        self,
        id: int,
        *,
        label: str | None = None,
        description: str | None = None,
        options: Options | None = None,
    ) -> AttributeDefinition:
        """Change a promotion attribute. ``PUT /promotion-attributes/{id}``."""
        path = f"/promotion-attributes/{segment(str(id), 'id')}"
        body = compact(
            {
                "label": label,
                "description": description,
                "options": None if options is None else [dict(o) for o in options],
            }
        )
        result: AttributeDefinition = await self._transport.request(
            "PUT", path, AttributeDefinition, json=body
        )
        return result
