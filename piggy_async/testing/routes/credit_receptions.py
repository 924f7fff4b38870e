"""The fake server's routes of Piggy's ``credit-receptions`` docs page."""

from __future__ import annotations

import hashlib
from typing import Any

from aiohttp import web

from ..._codes import ErrorCode
from .._seed import new_uuid
from ..server_base import invalid, ok, piggy_error
from ._base import Routes, now_iso, required, route

__all__ = ["CreditReceptionsRoutes"]


class CreditReceptionsRoutes(Routes):
    """Credit receptions: the fake's answers to the ``credit-receptions`` calls."""

    def credit_reception(
        self,
        contact_uuid: str,
        shop: dict[str, Any],
        credits: int,
        extra: dict[str, Any],
        unit_value: Any = None,
    ) -> dict[str, Any]:
        contact = self.store.contacts[contact_uuid]
        self.store.change_credits(contact_uuid, credits)
        tx = {
            **extra,
            "uuid": new_uuid(self.store.rng),
            "type": "credit_reception",
            "credits": credits,
            "created_at": now_iso(),
            "channel": "API",
            "contact_identifier": None,
            "contact": {
                "uuid": contact_uuid,
                "email": contact["email"],
                "credit_balance": {"balance": contact["credit_balance"]["balance"]},
            },
            "shop": {"uuid": shop["uuid"], "name": shop["name"], "id": shop["id"]},
            "unit_value": unit_value,
            "unit": self.store.unit,
        }
        self.store.record(contact_uuid, tx)
        self.fake.emit("credit_reception_created", tx)
        return tx

    known_credit_fields = {
        "contact_uuid",
        "shop_uuid",
        "credits",
        "unit_value",
        "contact_identifier_value",
        "pos_transaction_uuid",
        "unit_name",
    }

    @route("POST", "/credit-receptions")
    async def create_credit_reception(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "shop_uuid")
        contact_uuid = body.get("contact_uuid")
        value = body.get("contact_identifier_value")
        if value:
            # docs: credit-receptions, "Create Credit Reception": 60003 for an unknown one
            ident = self.store.identifiers.get(value) if isinstance(value, str) else None
            if ident is None:
                raise piggy_error(ErrorCode.CONTACT_IDENTIFIER_NOT_FOUND)
            contact_uuid = contact_uuid or ident["contact_uuid"]
        self.contact_of(contact_uuid)
        shop = self.shop_of(body["shop_uuid"])
        self.unit_named(body.get("unit_name"))
        credits = body.get("credits")
        if credits is None:
            if body.get("unit_value") is None:
                raise invalid(
                    "credits", "The credits field is required when unit value is not present."
                )
            credits = int(float(body["unit_value"]))
        extra = {k: v for k, v in body.items() if k not in self.known_credit_fields}
        if body.get("pos_transaction_uuid"):
            extra["pos_transaction_uuid"] = body["pos_transaction_uuid"]
        return ok(
            self.credit_reception(
                str(contact_uuid), shop, int(credits), extra, body.get("unit_value")
            )
        )

    def unit_named(self, name: Any) -> None:
        """60007 "Unit not found." for a ``unit_name`` the account has no unit of."""
        if name and not any(unit["name"] == name for unit in self.store.units):
            raise piggy_error(ErrorCode.UNIT_NOT_FOUND)

    @route("GET", "/credit-receptions/calculate")
    async def calculate(self, request: web.Request) -> web.Response:
        self.shop_of(request.query.get("shop_uuid"))
        if request.query.get("contact_uuid"):  # docs: "Calculate Credits" lists 55031
            self.contact_of(request.query["contact_uuid"])
        self.unit_named(request.query.get("unit_name"))
        try:
            unit_value = float(request.query.get("unit_value", ""))
        except ValueError:
            raise invalid("unit_value", "The unit value must be a number.") from None
        return ok({"credits": int(unit_value)})

    @route("POST", "/credit-receptions/{uuid}/reverse")
    async def reverse_credit_reception(self, request: web.Request) -> web.Response:
        contact_uuid, tx = self.transaction_of(request.match_info["uuid"], "credit_reception")
        if tx.get("reversed"):
            raise invalid("uuid", "The credit reception has already been reversed.")
        tx["reversed"] = True
        shop = self.shop_of(tx["shop"]["uuid"])
        return ok(
            self.credit_reception(contact_uuid, shop, -tx["credits"], {"reversal_of": tx["uuid"]})
        )

    @route("POST", "/credit-receptions/{uuid}/correct")
    async def correct_credit_reception(self, request: web.Request) -> web.Response:
        contact_uuid, tx = self.transaction_of(request.match_info["uuid"], "credit_reception")
        body = self.body_of(request)
        new = body.get("credits")
        if new is None:
            raise invalid("credits", "The credits field is required.")
        self.store.change_credits(contact_uuid, int(new) - tx["credits"])
        tx["credits"] = int(new)
        return ok(tx)

    def token_hash(self, body: dict[str, Any]) -> str:
        fields = [
            str(body.get(k, ""))
            for k in (
                "version",
                "shop_id",
                "unique_id",
                "credits",
                "unit_name",
                "unit_value",
                "timestamp",
            )
        ]
        return hashlib.sha1(("|".join(fields) + self.fake.client_secret).encode()).hexdigest()

    @route("POST", "/loyalty-tokens")
    async def create_token(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "version", "shop_id", "unique_id")
        body["timestamp"] = 1_700_000_000
        query = "&".join(
            f"{k}={body[k]}"
            for k in (
                "version",
                "shop_id",
                "unique_id",
                "credits",
                "unit_name",
                "unit_value",
                "timestamp",
            )
            if body.get(k) is not None
        )
        return ok(f"https://customer.piggy.eu/l?{query}&hash={self.token_hash(body)}")

    @route("POST", "/loyalty-tokens/claim")
    async def claim_token(self, request: web.Request) -> web.Response:
        body = self.body_of(request)
        required(body, "version", "shop_id", "unique_id", "timestamp", "hash", "contact_uuid")
        self.contact_of(body["contact_uuid"])
        if body["hash"] != self.token_hash(body):
            raise invalid("hash", "The hash is invalid.")
        credits = int(body.get("credits") or float(body.get("unit_value") or 0))
        return ok(
            self.credit_reception(
                body["contact_uuid"], self.store.shop, credits, {}, body.get("unit_value")
            )
        )
