"""The fake server's routes beyond Contacts and Automations: the rest of the OAuth API.

Stateful where a test would notice: a credit reception raises the balance and shows in the
loyalty transactions (and a reversal takes it back), a reward reception spends credits, a
voucher cannot be redeemed twice, identifiers link and unlink, webhook subscriptions keep
what was set. Shapes follow the PHP SDK's recorded answers.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import web

from ._store import iso, new_uuid
from .server_base import PiggyHTTPError, contact_not_found, int_query, invalid, is_email, ok

if TYPE_CHECKING:
    from .server import FakePiggy

__all__ = ["register"]

Handler = TypeVar("Handler", bound=Callable[[web.Request], Awaitable[web.StreamResponse]])


def _now() -> str:
    return iso(datetime.now(timezone.utc))


def _not_found(what: str = "Model") -> PiggyHTTPError:
    return PiggyHTTPError(404, 60013, f"{what} not found.")


def _lookup(mapping: dict[str, dict[str, Any]], key: Any, what: str) -> dict[str, Any]:
    """``mapping[key]``, or Piggy's 404 naming ``what``."""
    found = mapping.get(key) if isinstance(key, str) else None
    if found is None:
        raise _not_found(what)
    return found


def _first(
    items: Any, field: str, value: Any, what: str, error: PiggyHTTPError | None = None
) -> dict[str, Any]:
    """The first item whose ``field`` equals ``value``, or a 404 (or ``error``)."""
    for item in items:
        if value is not None and item.get(field) == value:
            found: dict[str, Any] = item
            return found
    raise error or _not_found(what)


def _page(
    items: list[Any], request: web.Request, default_limit: int, laravel: bool = False
) -> web.Response:
    page = int_query(request, "page", 1, 1, None)
    limit = int_query(request, "limit", default_limit, 1, 500 if laravel else 100)
    total = len(items)
    start = (page - 1) * limit
    chunk = items[start : start + limit]
    last = max(1, -(-total // limit))
    if laravel:
        meta: dict[str, Any] = {
            "current_page": page,
            "from": start + 1 if chunk else None,
            "last_page": last,
            "per_page": limit,
            "to": start + len(chunk) if chunk else None,
            "total": total,
            "path": "/vouchers",
            "links": [],
        }
    else:
        meta = {
            "page": page,
            "limit": limit,
            "viewing_from": start + 1 if chunk else 0,
            "viewing_to": start + len(chunk),
            "last_page": last,
            "total": total,
        }
    return ok(chunk, meta)


def register(fake: FakePiggy, router: web.UrlDispatcher, prefix: str) -> None:
    """Add every route of section 3 of the API reference to ``router``."""
    store = fake.store
    body_of = fake.body_of

    def contact_of(contact_uuid: Any) -> dict[str, Any]:
        contact = store.contacts.get(contact_uuid) if isinstance(contact_uuid, str) else None
        if contact is None:
            raise contact_not_found()
        return contact

    def shop_of(shop_uuid: Any) -> dict[str, Any]:
        return _first(
            store.shops, "uuid", shop_uuid, "Shop", PiggyHTTPError(404, 1008, "Shop not found.")
        )

    def required(body: dict[str, Any], *names: str) -> None:
        errors = {n: [f"The {n} field is required."] for n in names if body.get(n) in (None, "")}
        if errors:
            raise PiggyHTTPError(400, 1003, "Invalid input.", errors)

    def route(method: str, path: str) -> Callable[[Handler], Handler]:
        def add(handler: Handler) -> Handler:
            router.add_route(method, prefix + path, handler)
            return handler

        return add

    # -- contacts (more) -------------------------------------------------------------------

    @route("GET", "/contacts")
    async def list_contacts(request: web.Request) -> web.Response:
        items = list(store.contacts.values())
        sort = request.query.get("sort")
        if sort not in (None, "created_at", "-created_at"):
            raise invalid("sort", "The selected sort is invalid.")
        if sort:
            items.sort(key=lambda c: c["current_values"]["created_at"], reverse=sort[0] == "-")
        for op in ("gt", "gte", "lt", "lte"):
            bound = request.query.get(f"created_at[{op}]")
            if bound:
                items = [c for c in items if _compare(c["current_values"]["created_at"], op, bound)]
        return _page(items, request, 30)

    @route("GET", "/contacts/{uuid}/tier")
    async def contact_tier(request: web.Request) -> web.Response:
        return ok(contact_of(request.match_info["uuid"])["tier"])

    # -- contact identifiers ---------------------------------------------------------------

    def identifier_answer(value: str) -> web.Response:
        ident = store.identifiers[value]
        contact = {"uuid": ident["contact_uuid"]} if ident["contact_uuid"] else None
        return ok(
            {"value": value, "name": ident["name"], "active": ident["active"], "contact": contact}
        )

    def identifier_of(value: Any) -> str:
        if not value:
            raise invalid(
                "contact_identifier_value", "The contact identifier value field is required."
            )
        if value not in store.identifiers:
            raise PiggyHTTPError(404, 60003, "Contact identifier not found.")
        return str(value)

    @route("GET", "/contact-identifiers/find")
    async def find_identifier(request: web.Request) -> web.Response:
        return identifier_answer(identifier_of(request.query.get("contact_identifier_value")))

    @route("POST", "/contact-identifiers")
    async def create_identifier(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "contact_identifier_value")
        value = str(body["contact_identifier_value"])
        if value in store.identifiers:
            raise invalid(
                "contact_identifier_value", "The contact identifier value has already been taken."
            )
        contact_uuid = body.get("contact_uuid")
        if contact_uuid is not None:
            contact_of(contact_uuid)
        store.identifiers[value] = {
            "name": body.get("contact_identifier_name") or "Piggy",
            "active": True,
            "contact_uuid": contact_uuid,
        }
        return identifier_answer(value)

    @route("PUT", "/contact-identifiers/link")
    async def link_identifier(request: web.Request) -> web.Response:
        body = body_of(request)
        value = identifier_of(body.get("contact_identifier_value"))
        contact_of(body.get("contact_uuid"))
        store.identifiers[value]["contact_uuid"] = body["contact_uuid"]
        return identifier_answer(value)

    @route("PUT", "/contact-identifiers/unlink")
    async def unlink_identifier(request: web.Request) -> web.Response:
        value = identifier_of(body_of(request).get("contact_identifier_value"))
        store.identifiers[value]["contact_uuid"] = None
        return identifier_answer(value)

    @route("DELETE", "/contact-identifiers")
    async def delete_identifier(request: web.Request) -> web.Response:
        del store.identifiers[identifier_of(request.query.get("contact_identifier_value"))]
        return ok(None)

    # -- attribute definitions -------------------------------------------------------------

    def definition(body: dict[str, Any], type_key: str = "data_type") -> dict[str, Any]:
        required(body, "name", "label", type_key)
        return {
            "name": body["name"],
            "label": body["label"],
            "type": body[type_key],
            "description": body.get("description"),
            "placeholder": body.get("placeholder"),
            "options": body.get("options") or [],
            "is_piggy_defined": False,
            "is_soft_read_only": False,
            "is_hard_read_only": False,
        }

    @route("GET", "/contact-attributes")
    async def list_contact_attributes(request: web.Request) -> web.Response:
        return ok(store.attributes)

    @route("POST", "/contact-attributes")
    async def create_contact_attribute(request: web.Request) -> web.Response:
        attribute = definition(body_of(request))
        if attribute["name"] in store.attribute_by_name:
            raise invalid("name", "The name has already been taken.")
        store.attributes.append(attribute)
        store.attribute_by_name[attribute["name"]] = attribute
        return ok(attribute)

    @route("GET", "/custom-attributes")
    async def list_custom_attributes(request: web.Request) -> web.Response:
        entity = request.query.get("entity")
        if not entity:
            raise invalid("entity", "The entity field is required.")
        return ok(store.custom_attributes.get(entity, []))

    @route("POST", "/custom-attributes")
    async def create_custom_attribute(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "entity")
        attribute = {
            **definition(body, "type"),
            "entity": body["entity"],
            "group_name": body.get("group_name"),
        }
        store.custom_attributes.setdefault(body["entity"], []).append(attribute)
        return ok(attribute)

    @route("PUT", "/custom-attributes/{name}")
    async def update_custom_attribute(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        for attributes in store.custom_attributes.values():
            for attribute in attributes:
                if attribute["name"] == name:
                    body = body_of(request)
                    attribute.update(
                        {
                            k: v
                            for k, v in body.items()
                            if k in ("label", "options", "description", "group_name")
                        }
                    )
                    return ok(attribute)
        raise _not_found("Custom attribute")

    for entity, path in (
        ("loyalty_transaction", "/loyalty-transaction-attributes"),
        ("reward", "/reward-attributes"),
        ("promotion", "/promotion-attributes"),
    ):
        register_attribute_set(router, prefix + path, entity, store, definition, body_of)

    # -- verification, portal --------------------------------------------------------------

    @route("POST", "/contact-verification/send")
    async def send_code(request: web.Request) -> web.Response:
        email = body_of(request).get("email")
        if not is_email(email):
            raise invalid("email", "The email must be a valid email address.")
        store.verification_codes[str(email)] = f"{secrets.randbelow(10**6):06d}"
        return ok([True])

    @route("POST", "/contact-verification/verify")
    async def verify_code(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "email", "code")
        if store.verification_codes.get(body["email"]) != str(body["code"]):
            raise invalid("code", "The code is invalid.")
        return ok([True])

    @route("GET", "/contact-verification/auth-token/{uuid}")
    async def auth_token(request: web.Request) -> web.Response:
        contact_of(request.match_info["uuid"])
        return ok(secrets.token_urlsafe(48))

    # -- subscriptions ---------------------------------------------------------------------

    @route("GET", "/subscription-types")
    async def list_subscription_types(request: web.Request) -> web.Response:
        return ok(store.subscription_types)

    @route("GET", "/contact-subscriptions/{uuid}")
    async def contact_subscriptions(request: web.Request) -> web.Response:
        return ok(contact_of(request.match_info["uuid"])["subscriptions"])

    async def change_subscription(request: web.Request, subscribe: bool) -> web.Response:
        contact = contact_of(request.match_info["uuid"])
        wanted = body_of(request).get("subscription_type_uuid")
        for sub in contact["subscriptions"]:
            if sub["subscription_type"].get("uuid") == wanted and wanted:
                sub["is_subscribed"] = subscribe
                sub["status"] = "SUBSCRIBED" if subscribe else "UNSUBSCRIBED"
                store.changed(contact["uuid"])
                return ok(sub)
        raise _not_found("Subscription type")

    @route("PUT", "/contact-subscriptions/{uuid}/subscribe")
    async def subscribe(request: web.Request) -> web.Response:
        return await change_subscription(request, True)

    @route("PUT", "/contact-subscriptions/{uuid}/unsubscribe")
    async def unsubscribe(request: web.Request) -> web.Response:
        return await change_subscription(request, False)

    # -- credits and rewards ---------------------------------------------------------------

    def credit_reception(
        contact_uuid: str,
        shop: dict[str, Any],
        credits: int,
        extra: dict[str, Any],
        unit_value: Any = None,
    ) -> dict[str, Any]:
        contact = store.contacts[contact_uuid]
        store.change_credits(contact_uuid, credits)
        tx = {
            **extra,
            "uuid": new_uuid(store.rng),
            "type": "credit_reception",
            "credits": credits,
            "created_at": _now(),
            "channel": "API",
            "contact_identifier": None,
            "contact": {
                "uuid": contact_uuid,
                "email": contact["email"],
                "credit_balance": {"balance": contact["credit_balance"]["balance"]},
            },
            "shop": {"uuid": shop["uuid"], "name": shop["name"], "id": shop["id"]},
            "unit_value": unit_value,
            "unit": store.unit,
        }
        store.record(contact_uuid, tx)
        fake.emit("credit_reception_created", tx)
        return tx

    known_credit_fields = {
        "contact_uuid",
        "shop_uuid",
        "credits",
        "unit_value",
        "contact_identifier_value",
        "pos_transaction_id",
        "unit_name",
    }

    @route("POST", "/credit-receptions")
    async def create_credit_reception(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "shop_uuid")
        contact_uuid = body.get("contact_uuid")
        if not contact_uuid and body.get("contact_identifier_value"):
            contact_uuid = store.identifiers.get(body["contact_identifier_value"], {}).get(
                "contact_uuid"
            )
        contact_of(contact_uuid)
        shop = shop_of(body["shop_uuid"])
        credits = body.get("credits")
        if credits is None:
            if body.get("unit_value") is None:
                raise invalid(
                    "credits", "The credits field is required when unit value is not present."
                )
            credits = int(float(body["unit_value"]))
        extra = {k: v for k, v in body.items() if k not in known_credit_fields}
        if body.get("pos_transaction_id"):
            extra["pos_transaction_id"] = body["pos_transaction_id"]
        return ok(
            credit_reception(str(contact_uuid), shop, int(credits), extra, body.get("unit_value"))
        )

    @route("GET", "/credit-receptions/calculate")
    async def calculate(request: web.Request) -> web.Response:
        shop_of(request.query.get("shop_uuid"))
        try:
            unit_value = float(request.query.get("unit_value", ""))
        except ValueError:
            raise invalid("unit_value", "The unit value must be a number.") from None
        return ok({"credits": int(unit_value)})

    def transaction_of(uuid: str, kind: str) -> tuple[str, dict[str, Any]]:
        found = store.transaction_index.get(uuid)
        if found is None or found[1]["type"] != kind:
            raise _not_found("Transaction")
        return found

    @route("POST", "/credit-receptions/{uuid}/reverse")
    async def reverse_credit_reception(request: web.Request) -> web.Response:
        contact_uuid, tx = transaction_of(request.match_info["uuid"], "credit_reception")
        if tx.get("reversed"):
            raise invalid("uuid", "The credit reception has already been reversed.")
        tx["reversed"] = True
        shop = shop_of(tx["shop"]["uuid"])
        return ok(credit_reception(contact_uuid, shop, -tx["credits"], {"reversal_of": tx["uuid"]}))

    @route("POST", "/credit-receptions/{uuid}/correct")
    async def correct_credit_reception(request: web.Request) -> web.Response:
        contact_uuid, tx = transaction_of(request.match_info["uuid"], "credit_reception")
        body = body_of(request)
        new = body.get("credits")
        if new is None:
            raise invalid("credits", "The credits field is required.")
        store.change_credits(contact_uuid, int(new) - tx["credits"])
        tx["credits"] = int(new)
        return ok(tx)

    @route("POST", "/reward-receptions")
    async def create_reward_reception(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "contact_uuid", "reward_uuid", "shop_uuid")
        contact = contact_of(body["contact_uuid"])
        shop = shop_of(body["shop_uuid"])
        reward = store.rewards.get(body["reward_uuid"])
        if reward is None:
            raise _not_found("Reward")
        cost = reward["required_credits"]
        if contact["credit_balance"]["balance"] < cost:
            raise invalid("credits", "The contact does not have enough credits.")
        store.change_credits(contact["uuid"], -cost)
        base = {
            "uuid": new_uuid(store.rng),
            "credits": -cost,
            "created_at": _now(),
            "channel": "API",
            "contact": {"uuid": contact["uuid"]},
            "shop": {"uuid": shop["uuid"], "name": shop["name"]},
            "title": reward["title"],
        }
        ref = {"uuid": reward["uuid"], "reward_type": reward["reward_type"]}
        if reward["reward_type"] == "DIGITAL":
            tx = {
                **base,
                "type": "digital_reward_reception",
                "digital_reward": ref,
                "digital_reward_code": {"code": secrets.token_hex(4).upper()},
            }
        else:
            tx = {
                **base,
                "type": "reward_reception",
                "reward": ref,
                "expires_at": "2030-01-01T00:00:00+00:00",
                "has_been_collected": False,
            }
            store.collectable[tx["uuid"]] = {
                "uuid": tx["uuid"],
                "title": reward["title"],
                "contact": {
                    "uuid": contact["uuid"],
                    "email": contact["email"],
                    "credit_balance": {"balance": contact["credit_balance"]["balance"]},
                },
                "reward": reward,
                "created_at": tx["created_at"],
                "expires_at": tx["expires_at"],
                "has_been_collected": False,
            }
        store.record(contact["uuid"], tx)
        return ok(tx)

    @route("POST", "/reward-receptions/{uuid}/reverse")
    async def reverse_reward_reception(request: web.Request) -> web.Response:
        uuid = request.match_info["uuid"]
        found = store.transaction_index.get(uuid)
        if found is None or found[1]["type"] not in (
            "reward_reception",
            "digital_reward_reception",
        ):
            raise _not_found("Reward reception")
        contact_uuid, tx = found
        if tx.get("reversed"):
            raise invalid("uuid", "The reward reception has already been reversed.")
        tx["reversed"] = True
        store.change_credits(contact_uuid, -tx["credits"])
        store.collectable.pop(uuid, None)
        return ok({**tx, "uuid": new_uuid(store.rng), "credits": -tx["credits"]})

    @route("GET", "/loyalty-transactions")
    async def list_loyalty_transactions(request: web.Request) -> web.Response:
        items = [tx for txs in store.transactions.values() for tx in txs]
        items.sort(
            key=lambda tx: tx["created_at"], reverse=request.query.get("sort") != "created_at"
        )
        for key in ("type",):
            if request.query.get(key):
                items = [tx for tx in items if tx[key] == request.query[key]]
        if request.query.get("contact_uuid"):
            items = [tx for tx in items if tx["contact"]["uuid"] == request.query["contact_uuid"]]
        if request.query.get("shop_uuid"):
            items = [
                tx
                for tx in items
                if (tx.get("shop") or {}).get("uuid") == request.query["shop_uuid"]
            ]
        return _page(items, request, 10)

    @route("GET", "/loyalty-program")
    async def loyalty_program(request: web.Request) -> web.Response:
        return ok(store.loyalty_program)

    def token_hash(body: dict[str, Any]) -> str:
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
        return hashlib.sha1(("|".join(fields) + fake.client_secret).encode()).hexdigest()

    @route("POST", "/loyalty-tokens")
    async def create_token(request: web.Request) -> web.Response:
        body = body_of(request)
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
        return ok(f"https://customer.piggy.eu/l?{query}&hash={token_hash(body)}")

    @route("POST", "/loyalty-tokens/claim")
    async def claim_token(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "version", "shop_id", "unique_id", "timestamp", "hash", "contact_uuid")
        contact_of(body["contact_uuid"])
        if body["hash"] != token_hash(body):
            raise invalid("hash", "The hash is invalid.")
        credits = int(body.get("credits") or float(body.get("unit_value") or 0))
        return ok(
            credit_reception(body["contact_uuid"], store.shop, credits, {}, body.get("unit_value"))
        )

    @route("POST", "/prepaid-transactions")
    async def create_prepaid(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "contact_uuid", "amount_in_cents", "shop_uuid")
        contact = contact_of(body["contact_uuid"])
        shop = shop_of(body["shop_uuid"])
        balance = contact["prepaid_balance"]
        if balance["balance_in_cents"] + int(body["amount_in_cents"]) < 0:
            raise invalid("amount_in_cents", "The prepaid balance is too low.")
        balance["balance_in_cents"] += int(body["amount_in_cents"])
        store.changed(contact["uuid"])
        tx: dict[str, Any] = {
            "uuid": new_uuid(store.rng),
            "amount_in_cents": int(body["amount_in_cents"]),
            "prepaid_balance": {"balance_in_cents": balance["balance_in_cents"]},
            "created_at": _now(),
            "contact": {"uuid": contact["uuid"]},
            "shop": {"uuid": shop["uuid"], "name": shop["name"]},
        }
        store.prepaid_transactions[tx["uuid"]] = tx
        return ok(tx)

    @route("POST", "/prepaid-transactions/{uuid}/reverse")
    async def reverse_prepaid(request: web.Request) -> web.Response:
        tx = store.prepaid_transactions.get(request.match_info["uuid"])
        if tx is None:
            raise _not_found("Prepaid transaction")
        contact = contact_of(tx["contact"]["uuid"])
        contact["prepaid_balance"]["balance_in_cents"] -= tx["amount_in_cents"]
        store.changed(contact["uuid"])
        return ok(
            {
                **tx,
                "uuid": new_uuid(store.rng),
                "amount_in_cents": -tx["amount_in_cents"],
                "prepaid_balance": dict(contact["prepaid_balance"]),
            }
        )

    @route("GET", "/rewards")
    async def list_rewards(request: web.Request) -> web.Response:
        if request.query.get("contact_uuid"):
            contact_of(request.query["contact_uuid"])
        return ok(list(store.rewards.values()))

    @route("GET", "/rewards/{uuid}")
    async def get_reward(request: web.Request) -> web.Response:
        reward = store.rewards.get(request.match_info["uuid"])
        if reward is None:
            raise _not_found("Reward")
        return ok(reward)

    @route("PUT", "/rewards/{uuid}")
    async def update_reward(request: web.Request) -> web.Response:
        reward = store.rewards.get(request.match_info["uuid"])
        if reward is None:
            raise _not_found("Reward")
        for key, value in body_of(request).items():
            if key in reward and key != "uuid":
                reward[key] = value
            else:
                reward["attributes"][key] = value
        return ok(reward)

    @route("GET", "/collectable-rewards")
    async def list_collectable(request: web.Request) -> web.Response:
        contact = contact_of(request.query.get("contact_uuid"))
        return ok(
            [
                c
                for c in store.collectable.values()
                if c["contact"]["uuid"] == contact["uuid"] and not c["has_been_collected"]
            ]
        )

    @route("PUT", "/collectable-rewards/collect/{uuid}")
    async def collect(request: web.Request) -> web.Response:
        item = store.collectable.get(request.match_info["uuid"])
        if item is None:
            raise _not_found("Collectable reward")
        if item["has_been_collected"]:
            raise invalid("uuid", "The reward has already been collected.")
        item["has_been_collected"] = True
        return ok(item)

    # -- giftcards -------------------------------------------------------------------------

    @route("GET", "/giftcard-programs")
    async def list_giftcard_programs(request: web.Request) -> web.Response:
        return ok(store.giftcard_programs)

    def giftcard_of(uuid: Any) -> dict[str, Any]:
        return _lookup(store.giftcards, uuid, "Giftcard")

    @route("POST", "/giftcards")
    async def create_giftcard(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "giftcard_program_uuid")
        program = _first(
            store.giftcard_programs, "uuid", body["giftcard_program_uuid"], "Giftcard program"
        )
        if body.get("type") not in (0, 1):
            raise invalid("type", "The selected type is invalid.")
        card: dict[str, Any] = {
            "uuid": new_uuid(store.rng),
            "hash": secrets.token_hex(5).upper(),
            "amount_in_cents": 0,
            "type": "PHYSICAL" if body["type"] == 0 else "DIGITAL",
            "active": True,
            "upgradeable": True,
            "expiration_date": "2030-06-13T12:09:00+00:00",
            "giftcard_program": {k: program[k] for k in ("uuid", "name", "active")},
        }
        store.giftcards[card["uuid"]] = card
        return ok(card)

    @route("GET", "/giftcards/find-one-by")
    async def find_giftcard(request: web.Request) -> web.Response:
        return ok(_first(store.giftcards.values(), "hash", request.query.get("hash"), "Giftcard"))

    @route("GET", "/giftcards/{uuid}")
    async def get_giftcard(request: web.Request) -> web.Response:
        return ok(giftcard_of(request.match_info["uuid"]))

    @route("POST", "/giftcards/{uuid}/send-by-email")
    async def send_giftcard(request: web.Request) -> web.Response:
        giftcard_of(request.match_info["uuid"])
        contact_of(body_of(request).get("contact_uuid"))
        return ok([])

    def giftcard_tx(card: dict[str, Any], shop: dict[str, Any], amount: int) -> dict[str, Any]:
        if card["amount_in_cents"] + amount < 0:
            raise invalid("amount_in_cents", "The giftcard balance is too low.")
        card["amount_in_cents"] += amount
        tx = {
            "uuid": new_uuid(store.rng),
            "id": len(store.giftcard_transactions) + 1,
            "amount_in_cents": amount,
            "type": "STANDARD",
            "settled": False,
            "card_id": abs(hash(card["uuid"])) % 100_000,
            "shop_id": shop["id"],
            "settlements": [],
            "created_at": _now(),
            "giftcard_uuid": card["uuid"],
            "program_uuid": card["giftcard_program"]["uuid"],
        }
        store.giftcard_transactions[tx["uuid"]] = tx
        return tx

    @route("GET", "/giftcard-transactions")
    async def list_giftcard_transactions(request: web.Request) -> web.Response:
        items = list(store.giftcard_transactions.values())
        program = request.query.get("giftcard_program_uuid")
        if program:
            items = [t for t in items if t["program_uuid"] == program]
        return _page(items, request, 10)

    @route("POST", "/giftcard-transactions")
    async def create_giftcard_transaction(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "shop_uuid", "giftcard_uuid", "amount_in_cents")
        return ok(
            giftcard_tx(
                giftcard_of(body["giftcard_uuid"]),
                shop_of(body["shop_uuid"]),
                int(body["amount_in_cents"]),
            )
        )

    def giftcard_tx_of(uuid: str) -> dict[str, Any]:
        return _lookup(store.giftcard_transactions, uuid, "Giftcard transaction")

    @route("GET", "/giftcard-transactions/{uuid}")
    async def get_giftcard_transaction(request: web.Request) -> web.Response:
        return ok(giftcard_tx_of(request.match_info["uuid"]))

    @route("POST", "/giftcard-transactions/{uuid}/correct")
    async def correct_giftcard_transaction(request: web.Request) -> web.Response:
        tx = giftcard_tx_of(request.match_info["uuid"])
        tx["type"] = "CORRECTION"
        return ok(tx)

    @route("POST", "/giftcard-transactions/{uuid}/reverse")
    async def reverse_giftcard_transaction(request: web.Request) -> web.Response:
        tx = giftcard_tx_of(request.match_info["uuid"])
        card = giftcard_of(tx["giftcard_uuid"])
        shop = next(s for s in store.shops if s["id"] == tx["shop_id"])
        return ok(giftcard_tx(card, shop, -tx["amount_in_cents"]))

    # -- promotions and vouchers -----------------------------------------------------------

    def promotion_of(uuid: Any) -> dict[str, Any]:
        return _lookup(store.promotions, uuid, "Promotion")

    @route("GET", "/promotions")
    async def list_promotions(request: web.Request) -> web.Response:
        return _page(list(store.promotions.values()), request, 30)

    @route("POST", "/promotions")
    async def create_promotion(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "name", "type")
        promo = store.add_promotion(body["name"], body.get("description") or "")
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
    async def get_promotion(request: web.Request) -> web.Response:
        return ok(promotion_of(request.match_info["uuid"]))

    def voucher_of(uuid: str) -> dict[str, Any]:
        return _lookup(store.vouchers, uuid, "Voucher")

    @route("POST", "/vouchers")
    async def create_voucher(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "promotion_uuid")
        promotion_of(body["promotion_uuid"])
        if body.get("contact_uuid") is not None:
            contact_of(body["contact_uuid"])
        if body.get("code") and any(v["code"] == body["code"] for v in store.vouchers.values()):
            raise invalid("code", "The code has already been taken.")
        voucher = store.add_voucher(
            body["promotion_uuid"], body.get("code"), body.get("contact_uuid")
        )
        for key in ("activation_date", "expiration_date"):
            if body.get(key):
                voucher[key] = body[key]
        return ok(voucher)

    @route("POST", "/vouchers/batch")
    async def batch_vouchers(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "promotion_uuid", "quantity")
        promotion_of(body["promotion_uuid"])
        for _ in range(int(body["quantity"])):
            store.add_voucher(body["promotion_uuid"], contact_uuid=body.get("contact_uuid"))
        return ok(["Voucher generation successfully started in background."])

    @route("GET", "/vouchers")
    async def list_vouchers(request: web.Request) -> web.Response:
        items = list(store.vouchers.values())
        q = request.query
        if q.get("promotion_uuid"):
            items = [v for v in items if v["promotion"]["uuid"] == q["promotion_uuid"]]
        if q.get("contact_uuid"):
            items = [v for v in items if (v["contact"] or {}).get("uuid") == q["contact_uuid"]]
        if q.get("status"):
            items = [v for v in items if v["status"] == q["status"]]
        return _page(items, request, 30, laravel=True)

    @route("GET", "/vouchers/find")
    async def find_voucher(request: web.Request) -> web.Response:
        return ok(_first(store.vouchers.values(), "code", request.query.get("code"), "Voucher"))

    @route("POST", "/vouchers/redeem")
    async def redeem_voucher(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "code", "contact_uuid")
        contact_of(body["contact_uuid"])
        voucher = _first(store.vouchers.values(), "code", body["code"], "Voucher")
        if voucher["is_redeemed"]:
            raise invalid("code", "The voucher has already been redeemed.")
        owner = (voucher["contact"] or {}).get("uuid")
        if owner and owner != body["contact_uuid"]:
            raise invalid("contact_uuid", "The voucher belongs to another contact.")
        lock = store.voucher_locks.get(voucher["uuid"])
        if voucher["status"] == "LOCKED" and (
            lock is None or lock["release_key"] != body.get("release_key")
        ):
            raise invalid("release_key", "The voucher is locked.")
        voucher.update(
            status="REDEEMED",
            is_redeemed=True,
            redeemed_at=_now(),
            contact={"uuid": body["contact_uuid"]},
        )
        fake.emit("voucher_redeemed", voucher)
        return ok(voucher)

    @route("POST", "/vouchers/{uuid}/lock")
    async def lock_voucher(request: web.Request) -> web.Response:
        voucher = voucher_of(request.match_info["uuid"])
        if voucher["status"] != "ACTIVE":
            raise invalid("uuid", f"The voucher is {voucher['status'].lower()}.")
        voucher["status"] = "LOCKED"
        lock = {
            "release_key": new_uuid(store.rng),
            "locked_at": _now(),
            "unlocked_at": None,
            "system_release_at": None,
        }
        store.voucher_locks[voucher["uuid"]] = lock
        return ok({"voucher": {"uuid": voucher["uuid"], "status": "LOCKED"}, "lock": lock})

    @route("POST", "/vouchers/{uuid}/release")
    async def release_voucher(request: web.Request) -> web.Response:
        voucher = voucher_of(request.match_info["uuid"])
        lock = store.voucher_locks.get(voucher["uuid"])
        if lock is None or lock["release_key"] != body_of(request).get("release_key"):
            raise invalid("release_key", "The release key is invalid.")
        voucher["status"] = "ACTIVE"
        lock["unlocked_at"] = _now()
        return ok({"voucher": {"uuid": voucher["uuid"], "status": "ACTIVE"}, "lock": lock})

    @route("PUT", "/vouchers/{uuid}")
    async def update_voucher(request: web.Request) -> web.Response:
        voucher = voucher_of(request.match_info["uuid"])
        for key, value in body_of(request).items():
            if key in ("activation_date", "expiration_date", "status", "name", "description"):
                voucher[key] = value
        return ok(voucher)

    # -- the account -----------------------------------------------------------------------

    @route("GET", "/shops")
    async def list_shops(request: web.Request) -> web.Response:
        return ok(store.shops)

    @route("GET", "/shops/{uuid}")
    async def get_shop(request: web.Request) -> web.Response:
        return ok(shop_of(request.match_info["uuid"]))

    @route("GET", "/tiers")
    async def list_tiers(request: web.Request) -> web.Response:
        return ok(sorted(store.tiers, key=lambda t: t["position"]))

    @route("GET", "/units")
    async def list_units(request: web.Request) -> web.Response:
        return ok(store.units)

    @route("POST", "/units")
    async def create_unit(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "name", "label")
        unit = {
            "name": body["name"],
            "label": body["label"],
            "is_default": bool(body.get("is_default")),
            "prefix": None,
            "id": len(store.units) + 300,
        }
        if unit["is_default"]:
            for other in store.units:
                other["is_default"] = False
        store.units.append(unit)
        return ok(unit)

    def perk_of(uuid: str) -> dict[str, Any]:
        return _lookup(store.perks, uuid, "Perk")

    @route("GET", "/perks")
    async def list_perks(request: web.Request) -> web.Response:
        return ok(list(store.perks.values()))

    @route("POST", "/perks")
    async def create_perk(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "name", "label", "data_type")
        perk = {
            "uuid": new_uuid(store.rng),
            "name": body["name"],
            "label": body["label"],
            "data_type": body["data_type"],
            "options": body.get("options") or [],
        }
        store.perks[perk["uuid"]] = perk
        return ok(perk)

    @route("GET", "/perks/{uuid}")
    async def get_perk(request: web.Request) -> web.Response:
        return ok(perk_of(request.match_info["uuid"]))

    @route("PUT", "/perks/{uuid}")
    async def update_perk(request: web.Request) -> web.Response:
        perk = perk_of(request.match_info["uuid"])
        perk.update({k: v for k, v in body_of(request).items() if k in ("label", "options")})
        return ok(perk)

    @route("DELETE", "/perks/{uuid}")
    async def delete_perk(request: web.Request) -> web.Response:
        del store.perks[perk_of(request.match_info["uuid"])["uuid"]]
        return ok([])

    @route("GET", "/brand-kit")
    async def brand_kit(request: web.Request) -> web.Response:
        return ok(store.brand_kit)

    @route("GET", "/referrals")
    async def list_referrals(request: web.Request) -> web.Response:
        return ok(store.referrals)

    # -- webhook subscriptions -------------------------------------------------------------

    def subscription_of(uuid: str) -> dict[str, Any]:
        return _lookup(store.webhook_subscriptions, uuid, "Webhook subscription")

    @route("GET", "/webhook-subscriptions")
    async def list_webhooks(request: web.Request) -> web.Response:
        items = list(store.webhook_subscriptions.values())
        for key in ("event_type", "status"):
            if request.query.get(key):
                items = [s for s in items if s[key] == request.query[key]]
        return ok([_public(s) for s in items])

    @route("POST", "/webhook-subscriptions")
    async def create_webhook(request: web.Request) -> web.Response:
        body = body_of(request)
        required(body, "name", "url", "event_type")
        sub = {
            "uuid": new_uuid(store.rng),
            "name": body["name"],
            "event_type": body["event_type"],
            "url": body["url"],
            "properties": body.get("properties") or [],
            "status": "ACTIVE",
            "version": "V1",
            "created_at": _now(),
            "secret": body.get("secret") or secrets.token_hex(16),
        }
        store.webhook_subscriptions[sub["uuid"]] = sub
        return ok(_public(sub))

    @route("GET", "/webhook-subscriptions/{uuid}")
    async def get_webhook(request: web.Request) -> web.Response:
        return ok(_public(subscription_of(request.match_info["uuid"])))

    @route("PUT", "/webhook-subscriptions/{uuid}")
    async def update_webhook(request: web.Request) -> web.Response:
        sub = subscription_of(request.match_info["uuid"])
        body = body_of(request)
        if "status" in body and body["status"] not in ("ACTIVE", "INACTIVE"):
            raise invalid("status", "The selected status is invalid.")
        sub.update(
            {
                k: v
                for k, v in body.items()
                if k in ("name", "url", "event_type", "status", "properties")
            }
        )
        sub["updated_at"] = _now()
        return ok(_public(sub))

    @route("DELETE", "/webhook-subscriptions/{uuid}")
    async def delete_webhook(request: web.Request) -> web.Response:
        del store.webhook_subscriptions[subscription_of(request.match_info["uuid"])["uuid"]]
        return ok([])


def _public(subscription: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in subscription.items() if k != "secret"}


def _compare(value: str, op: str, bound: str) -> bool:
    return {"gt": value > bound, "gte": value >= bound, "lt": value < bound, "lte": value <= bound}[
        op
    ]


def register_attribute_set(
    router: web.UrlDispatcher, path: str, entity: str, store: Any, definition: Any, body_of: Any
) -> None:
    """List/create (and get/update by id for promotions) of one kind of attribute."""
    items: list[dict[str, Any]] = store.attribute_sets[entity]

    async def list_items(request: web.Request) -> web.Response:
        if entity == "reward":
            return _page(items, request, 30)
        return ok(items)

    async def create_item(request: web.Request) -> web.Response:
        item = definition(body_of(request))
        if any(i["name"] == item["name"] for i in items):
            raise invalid("name", "The name has already been taken.")
        if entity == "promotion":
            item["id"] = max((i.get("id", 0) for i in items), default=0) + 1
        items.append(item)
        return ok(item)

    def item_of(request: web.Request) -> dict[str, Any]:
        key = request.match_info["id"]
        return _first(items, "id", int(key) if key.isdigit() else key, "Attribute")

    async def get_item(request: web.Request) -> web.Response:
        return ok(item_of(request))

    async def update_item(request: web.Request) -> web.Response:
        item = item_of(request)
        item.update(
            {k: v for k, v in body_of(request).items() if k in ("label", "description", "options")}
        )
        return ok(item)

    router.add_get(path, list_items)
    router.add_post(path, create_item)
    if entity == "promotion":
        router.add_get(path + "/{id}", get_item)
        router.add_put(path + "/{id}", update_item)
