"""Attribute definitions kept as a list per entity: loyalty transaction, reward and promotion
attributes answer the same list/create calls (and get/update by id for promotions)."""

from __future__ import annotations

from typing import Any, ClassVar

from aiohttp import web

from ..._codes import ErrorCode
from ..server_base import API_PREFIX, ok, piggy_error
from ._base import Routes, definition, first_match, paged

__all__ = ["AttributeSetRoutes"]


class AttributeSetRoutes(Routes):
    """List/create (and get/update by id for promotions) of one kind of attribute."""

    entity: ClassVar[str]
    path: ClassVar[str]
    #: the body key of the attribute's data type
    type_key: ClassVar[str] = "type"
    label_required: ClassVar[bool] = True

    @property
    def items(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.store.attribute_sets[self.entity]
        return found

    def routes(self) -> list[web.RouteDef]:
        path = API_PREFIX + self.path
        table = [web.get(path, self.list_items), web.post(path, self.create_item)]
        if self.entity == "promotion":
            table += [
                web.get(path + "/{id}", self.get_item),
                web.put(path + "/{id}", self.update_item),
            ]
        return table

    async def list_items(self, request: web.Request) -> web.Response:
        if self.entity == "reward":
            return paged(self.items, request, 30)
        return ok(self.items)

    async def create_item(self, request: web.Request) -> web.Response:
        item = definition(self.body_of(request), self.type_key, label_required=self.label_required)
        if any(i["name"] == item["name"] for i in self.items):
            # docs: loyalty-transaction-attributes, "Create Loyalty Transaction Attribute"
            raise piggy_error(ErrorCode.ATTRIBUTE_ALREADY_EXISTS)
        if self.entity == "promotion":
            item["id"] = max((i.get("id", 0) for i in self.items), default=0) + 1
        self.items.append(item)
        return ok(item)

    def item_of(self, request: web.Request) -> dict[str, Any]:
        key = request.match_info["id"]
        return first_match(self.items, "id", int(key) if key.isdigit() else key, "Attribute")

    async def get_item(self, request: web.Request) -> web.Response:
        return ok(self.item_of(request))

    async def update_item(self, request: web.Request) -> web.Response:
        item = self.item_of(request)
        wanted = ("label", "description", "options")
        item.update({k: v for k, v in self.body_of(request).items() if k in wanted})
        return ok(item)
