"""The fake server's routes of Piggy's ``promotions`` docs page."""

from __future__ import annotations

from aiohttp import web

from ..server_base import ok
from ._attribute_sets import AttributeSetRoutes
from ._base import Routes, paged, required, route

__all__ = ["PromotionAttributesRoutes", "PromotionsRoutes"]


class PromotionsRoutes(Routes):
    """Promotions: the fake's answers to the ``promotions`` calls."""

    @route("GET", "/promotions")
    async def list_promotions(self, request: web.Request) -> web.Response:
        return paged(list(self.store.promotions.values()), request, 30)

    @route("POST", "/promotions")
    async def create_promotion(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "name", "description")
        promo = self.store.add_promotion(body["name"], body.get("description") or "")
        known = (
            "type",
            "redemptions_per_voucher",
            "voucher_limit",
            "limit_per_contact",
            "expiration_duration",
        )
        promo.update({k: body[k] for k in known if k in body})
        extra = {k: v for k, v in body.items() if k not in (*known, "name", "description")}
        if extra:
            promo["attributes"] = extra
        return ok(promo)

    @route("GET", "/promotions/{uuid}")
    async def get_promotion(self, request: web.Request) -> web.Response:
        return ok(self.promotion_of(request.match_info["uuid"]))


class PromotionAttributesRoutes(AttributeSetRoutes):
    """Promotion attributes (documented beside promotions): list, create, get, update."""

    entity = "promotion"
    path = "/promotion-attributes"
