"""The fake server's in-memory state: contacts shaped like Piggy's, transactions, and more.

Payloads follow the seed documents (``catalog.json`` holds the attribute definitions,
subscription types, tier, shop and unit of Piggy's own sample contact). Contacts are kept as
plain dicts, and their encoded JSON answer is cached until they change.
"""

from __future__ import annotations

import copy
import random
from datetime import datetime, timedelta
from typing import Any

import msgspec

from ._seed import (
    ATTRIBUTE_SETS,
    BRAND_KIT,
    CATALOG,
    CITIES,
    EPOCH,
    FIRST,
    LAST,
    LOYALTY_PROGRAM,
    iso,
    new_uuid,
    seed_rewards,
)

__all__ = ["Store"]


class Store:
    """Everything the fake Piggy server knows. Mutate it directly to arrange a test."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.attributes: list[dict[str, Any]] = [dict(a) for a in CATALOG["attributes"]]
        self.attribute_by_name = {a["name"]: a for a in self.attributes}
        self.subscription_types: list[dict[str, Any]] = list(CATALOG["subscription_types"])
        self.tier: dict[str, Any] = dict(CATALOG["tier"])
        self.shop: dict[str, Any] = dict(CATALOG["shop"])
        self.unit: dict[str, Any] = dict(CATALOG["unit"])
        self.contacts: dict[str, dict[str, Any]] = {}
        self.by_email: dict[str, str] = {}
        self.transactions: dict[str, list[dict[str, Any]]] = {}
        self.automations: list[dict[str, Any]] = []
        for item in CATALOG["automations"]:
            self.automations.append({"uuid": new_uuid(self.rng), **item})
        self.automation_runs: list[dict[str, Any]] = []
        self.forms: list[dict[str, Any]] = [
            self._form("Newsletter sign-up", "PUBLIC", "PUBLISHED"),
            self._form("Store survey", "PRIVATE", "PUBLISHED"),
            self._form("Old campaign", "PUBLIC", "BIN"),
        ]
        self.portal_sessions: dict[str, dict[str, Any]] = {}
        self.deleted: dict[str, str] = {}
        self._encoded: dict[str, bytes] = {}
        self._next_id = 1000
        self._init_account()

    def _init_account(self) -> None:
        """The rest of the account: shops, rewards, promotions, giftcards, webhooks, ..."""
        rng = self.rng
        self.shops: list[dict[str, Any]] = [
            self.shop,
            {"id": 16, "uuid": new_uuid(rng), "type": "web", "name": "Web shop", "address": None},
        ]
        self.tiers: list[dict[str, Any]] = [
            {**self.tier, "position": 2},
            {
                "uuid": new_uuid(rng),
                "name": "Silver",
                "description": "Regulars",
                "position": 1,
                "media": None,
            },
        ]
        self.units: list[dict[str, Any]] = [self.unit]
        self.identifiers: dict[str, dict[str, Any]] = {}
        self.transaction_index: dict[str, tuple[str, dict[str, Any]]] = {}
        self.prepaid_transactions: dict[str, dict[str, Any]] = {}
        self.rewards: dict[str, dict[str, Any]] = seed_rewards(rng)
        self.collectable: dict[str, dict[str, Any]] = {}
        self.promotions: dict[str, dict[str, Any]] = {}
        self.vouchers: dict[str, dict[str, Any]] = {}
        self.voucher_locks: dict[str, dict[str, Any]] = {}
        self.voucher_redemptions: dict[str, list[dict[str, Any]]] = {}
        promo = self.add_promotion("Free Pizza", "Get your free pizza slice!")
        for _ in range(3):
            self.add_voucher(promo["uuid"])
        self.giftcard_programs: list[dict[str, Any]] = [
            {
                "uuid": new_uuid(rng),
                "name": "Giftcards",
                "active": True,
                "max_amount_in_cents": 10_000,
                "calculator_flow": "default",
                "expiration_days": 365,
            }
        ]
        self.giftcards: dict[str, dict[str, Any]] = {}
        self.giftcard_transactions: dict[str, dict[str, Any]] = {}
        self.webhook_subscriptions: dict[str, dict[str, Any]] = {}
        self.perks: dict[str, dict[str, Any]] = {}
        self.referrals: list[dict[str, Any]] = []
        self.attribute_sets: dict[str, list[dict[str, Any]]] = copy.deepcopy(ATTRIBUTE_SETS)
        self.custom_attributes: dict[str, list[dict[str, Any]]] = {}
        self.loyalty_program = dict(LOYALTY_PROGRAM)
        self.brand_kit = dict(BRAND_KIT)
        self.verification_codes: dict[str, str] = {}
        self.sent_webhooks: list[dict[str, Any]] = []
        # bookings, visits, shifts, shift teams and types, orders, contact session tokens
        self.bookings: dict[str, dict[str, Any]] = {}
        self.visits: dict[str, dict[str, Any]] = {}
        self.shifts: dict[str, dict[str, Any]] = {}
        self.shift_teams: dict[str, dict[str, Any]] = {}
        self.shift_types: dict[str, dict[str, Any]] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.contact_session_tokens: dict[str, dict[str, Any]] = {}

    def add_promotion(self, name: str, description: str = "") -> dict[str, Any]:
        promo_uuid = new_uuid(self.rng)
        promo = {
            "uuid": promo_uuid,
            "name": name,
            "description": description,
            "type": "SINGLE_USE",
            "redemptions_per_voucher": 1,
            "voucher_limit": 0,
            "limit_per_contact": None,
            "expiration_duration": None,
            "attributes": [],  # PHP's empty map, as Piggy sends it
        }
        self.promotions[promo_uuid] = promo
        return promo

    def add_voucher(
        self, promotion_uuid: str, code: str | None = None, contact_uuid: str | None = None
    ) -> dict[str, Any]:
        promo = self.promotions[promotion_uuid]
        voucher_uuid = new_uuid(self.rng)
        voucher = {
            "uuid": voucher_uuid,
            "code": code or f"VOUCHER-{self.rng.getrandbits(32):08X}",
            "status": "ACTIVE",
            "name": promo["name"],
            "description": promo["description"],
            "activation_date": "2024-01-01T00:00:00+00:00",
            "expiration_date": "2030-01-01T00:00:00+00:00",
            "redeemed_at": None,
            "is_redeemed": False,
            "promotion": {k: promo[k] for k in ("uuid", "name", "description", "type")},
            "contact": {"uuid": contact_uuid} if contact_uuid else None,
        }
        self.vouchers[voucher_uuid] = voucher
        return voucher

    def add_contact_session_token(self, contact_uuid: str) -> dict[str, Any]:
        """Issue an active session token for a contact (as a contact's app would get one)."""
        token = f"{self.rng.getrandbits(64):016x}"
        entry = {"token": token, "contact_uuid": contact_uuid, "status": "active"}
        self.contact_session_tokens[token] = entry
        return entry

    def change_credits(self, contact_uuid: str, delta: int) -> None:
        contact = self.contacts[contact_uuid]
        contact["credit_balance"]["balance"] += delta
        contact["current_values"]["loyalty_balance"] = contact["credit_balance"]["balance"]
        self.changed(contact_uuid)

    def record(self, contact_uuid: str, tx: dict[str, Any]) -> dict[str, Any]:
        """Put a transaction at the head of the contact's list and in the global index."""
        self.transactions.setdefault(contact_uuid, []).insert(0, tx)
        self.transaction_index[tx["uuid"]] = (contact_uuid, tx)
        return tx

    # -- arranging -------------------------------------------------------------------------

    def _form(self, name: str, type_: str, status: str) -> dict[str, Any]:
        form_uuid = new_uuid(self.rng)
        return {
            "uuid": form_uuid,
            "name": name,
            "url": f"https://forms.piggy.eu/{form_uuid}",
            "status": status,
            "type": type_,
        }

    def _contact_values(
        self,
        contact_uuid: str,
        email: str | None,
        first: str,
        last: str,
        created: datetime,
        balance: int,
        prepaid: int,
        transactions: int,
        anonymous: bool,
    ) -> dict[str, Any]:
        """A contact's ``current_values`` as the seeds hold them."""
        rng = self.rng
        return {
            "avatar": "",
            "firstname": "" if anonymous else first,
            "lastname": "" if anonymous else last,
            "email": email,
            "previous_loyalty_balance": balance,
            "loyalty_balance": balance,
            "loyalty_number_of_transactions": transactions,
            "loyalty_first_transaction_date": None,
            "loyalty_last_transaction_date": None,
            "address": f"Sesame Street {rng.randrange(1, 200)}",
            "phonenumber": "",
            "birthdate": None,
            "channel": "API",
            "age": rng.choice([None, rng.randrange(18, 90)]),
            "locale": rng.choice(["nl_NL", "en_GB", None]),
            "status": "ACTIVE",
            "updated_at": iso(created),
            "created_at": iso(created),
            "is_anonymous": anonymous,
            "prepaid_balance": prepaid / 100,
            "loyalty_associated_shops": self.shop["uuid"],
            "loyalty_total_credits_received": balance,
            "tier": "1",
            "subscription_status_1": "UNSUBSCRIBED",
            "subscription_status_3": "UNSUBSCRIBED",
            "subscription_status_4": "UNSUBSCRIBED",
            "subscription_status_5": "UNSUBSCRIBED",
            "uuid": contact_uuid,
            "city": rng.choice(CITIES),
            "housenumber": rng.randrange(1, 300),
            "postalcode": f"{rng.randrange(1000, 9999)}AB",
            "add_to_wallet": f"https://piggy.eu/add-to-wallet/loyalty?uuid={contact_uuid}",
            "default_contact_identifier": f"hash{rng.getrandbits(32):08x}",
            "subscription_preferences_url": (
                f"http://piggy.eu/subscription-preferences/{contact_uuid}"
            ),
        }

    def add_contact(
        self,
        email: str | None = None,
        *,
        uuid: str | None = None,
        credits: int | None = None,
        prepaid_cents: int | None = None,
        transactions: int = 0,
        anonymous: bool = False,
    ) -> dict[str, Any]:
        """Create a full, seed-shaped contact and return its payload dict."""
        rng = self.rng
        self._next_id += 1
        contact_uuid = uuid or new_uuid(rng)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if email is None and not anonymous:
            email = f"{first.lower()}.{self._next_id}@example.com"
        created = EPOCH + timedelta(minutes=rng.randrange(0, 900_000))
        balance = rng.randrange(0, 5000) if credits is None else credits
        prepaid = rng.randrange(0, 10_000) if prepaid_cents is None else prepaid_cents
        values = self._contact_values(
            contact_uuid, email, first, last, created, balance, prepaid, transactions, anonymous
        )
        contact: dict[str, Any] = {
            "id": self._next_id,
            "uuid": contact_uuid,
            "email": email,
            "attributes": [],
            "tier": dict(self.tier),
            "subscriptions": [
                {"is_subscribed": False, "status": "UNSUBSCRIBED", "subscription_type": st}
                for st in self.subscription_types
            ],
            "credit_balance": {"balance": balance, "id": self._next_id * 7},
            "prepaid_balance": {"balance_in_cents": prepaid},
            "current_values": values,
            "current_display_values": {},
        }
        self._refresh_derived(contact)
        self.contacts[contact_uuid] = contact
        if email:
            self.by_email[email.lower()] = contact_uuid
        self.transactions[contact_uuid] = []
        for _ in range(transactions):
            self.add_transaction(contact_uuid, rng.randrange(1, 100), bump_balance=False)
        return contact

    def add_transaction(
        self, contact_uuid: str, credits: int, *, bump_balance: bool = True
    ) -> dict[str, Any]:
        """Record a credit reception for a contact (newest first)."""
        contact = self.contacts[contact_uuid]
        txs = self.transactions[contact_uuid]
        when = EPOCH + timedelta(minutes=len(txs) * 37)
        if bump_balance:
            contact["credit_balance"]["balance"] += credits
            contact["current_values"]["loyalty_balance"] = contact["credit_balance"]["balance"]
            self.changed(contact_uuid)
        tx: dict[str, Any] = {
            "uuid": new_uuid(self.rng),
            "credits": credits,
            "created_at": iso(when),
            "type": "credit_reception",
            "contact_identifier": None,
            "contact": {
                "uuid": contact_uuid,
                "email": contact["email"],
                "credit_balance": dict(contact["credit_balance"]),
            },
            "shop": self.shop,
            "unit_value": round(credits * 1.15, 2),
            "unit": self.unit,
        }
        txs.insert(0, tx)
        self.transaction_index[tx["uuid"]] = (contact_uuid, tx)
        return tx

    # -- state changes ---------------------------------------------------------------------

    def _refresh_derived(self, contact: dict[str, Any]) -> None:
        values = contact["current_values"]
        contact["attributes"] = [
            {"value": _display(values.get(a["name"])), "attribute": a} for a in self.attributes
        ]
        contact["current_display_values"] = {k: _display(v) for k, v in values.items()}

    def changed(self, contact_uuid: str) -> None:
        """Forget a contact's cached answer after changing its dict."""
        self._encoded.pop(contact_uuid, None)
        contact = self.contacts.get(contact_uuid)
        if contact is not None:
            self._refresh_derived(contact)

    def encoded_contact(self, contact_uuid: str) -> bytes:
        """The contact's whole ``{"data": ..., "meta": []}`` answer, cached."""
        body = self._encoded.get(contact_uuid)
        if body is None:
            body = msgspec.json.encode({"data": self.contacts[contact_uuid], "meta": []})
            self._encoded[contact_uuid] = body
        return body

    def remove_contact(self, contact_uuid: str, how: str) -> None:
        contact = self.contacts.pop(contact_uuid)
        self._encoded.pop(contact_uuid, None)
        if contact.get("email"):
            self.by_email.pop(contact["email"].lower(), None)
        self.transactions.pop(contact_uuid, None)
        self.deleted[contact_uuid] = how

    def merge_contacts(self, source_uuid: str, destination_uuid: str) -> None:
        """Move the source's credits, prepaid balance, transactions and identifiers to the
        destination, then remove the source (Piggy's ``POST /contacts/merge``)."""
        source, destination = self.contacts[source_uuid], self.contacts[destination_uuid]
        destination["prepaid_balance"]["balance_in_cents"] += source["prepaid_balance"][
            "balance_in_cents"
        ]
        moved = self.transactions.get(source_uuid, [])
        self.transactions.setdefault(destination_uuid, []).extend(moved)
        for tx in moved:
            self.transaction_index[tx["uuid"]] = (destination_uuid, tx)
        for ident in self.identifiers.values():
            if ident["contact_uuid"] == source_uuid:
                ident["contact_uuid"] = destination_uuid
        self.change_credits(destination_uuid, source["credit_balance"]["balance"])
        self.remove_contact(source_uuid, "MERGED")

    def set_email(self, contact_uuid: str, email: str) -> None:
        contact = self.contacts[contact_uuid]
        contact["email"] = email
        contact["current_values"]["email"] = email
        contact["current_values"]["is_anonymous"] = False
        self.by_email[email.lower()] = contact_uuid
        self.changed(contact_uuid)


def _display(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)
