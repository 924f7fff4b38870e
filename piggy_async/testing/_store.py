"""The fake server's in-memory state: contacts shaped like Piggy's, transactions, and more.

Payloads follow the seed documents (``catalog.json`` holds the attribute definitions,
subscription types, tier, shop and unit of Piggy's own sample contact). Contacts are kept as
plain dicts, and their encoded JSON answer is cached until they change.
"""

from __future__ import annotations

import json
import random
import uuid as uuid_mod
from datetime import datetime, timedelta, timezone
from importlib import resources
from typing import Any

import msgspec

_CATALOG: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("catalog.json").read_text("utf-8")
)

_FIRST = ["Anna", "Bram", "Chloe", "Daan", "Emma", "Finn", "Julia", "Lucas", "Mila", "Noah"]
_LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]
_CITIES = ["Amsterdam", "Utrecht", "Rotterdam", "Duckburg", "Maarssen", "Eindhoven"]
_EPOCH = datetime(2023, 1, 1, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    """Piggy's date format: ISO 8601 with offset, seconds precision."""
    return moment.replace(microsecond=0).isoformat()


def new_uuid(rng: random.Random) -> str:
    return str(uuid_mod.UUID(int=rng.getrandbits(128), version=4))


class Store:
    """Everything the fake Piggy server knows. Mutate it directly to arrange a test."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.attributes: list[dict[str, Any]] = [dict(a) for a in _CATALOG["attributes"]]
        self.attribute_by_name = {a["name"]: a for a in self.attributes}
        self.subscription_types: list[dict[str, Any]] = list(_CATALOG["subscription_types"])
        self.tier: dict[str, Any] = dict(_CATALOG["tier"])
        self.shop: dict[str, Any] = dict(_CATALOG["shop"])
        self.unit: dict[str, Any] = dict(_CATALOG["unit"])
        self.contacts: dict[str, dict[str, Any]] = {}
        self.by_email: dict[str, str] = {}
        self.transactions: dict[str, list[dict[str, Any]]] = {}
        self.automations: list[dict[str, Any]] = []
        for item in _CATALOG["automations"]:
            self.automations.append({"uuid": new_uuid(self.rng), **item})
        self.automation_runs: list[dict[str, Any]] = []
        self.forms: list[dict[str, Any]] = [
            self._form("Newsletter sign-up", "PUBLIC", "ACTIVE"),
            self._form("Store survey", "PRIVATE", "ACTIVE"),
            self._form("Old campaign", "PUBLIC", "INACTIVE"),
        ]
        self.portal_sessions: dict[str, dict[str, Any]] = {}
        self.deleted: dict[str, str] = {}
        self._encoded: dict[str, bytes] = {}
        self._next_id = 1000

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
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        if email is None and not anonymous:
            email = f"{first.lower()}.{self._next_id}@example.com"
        created = _EPOCH + timedelta(minutes=rng.randrange(0, 900_000))
        balance = rng.randrange(0, 5000) if credits is None else credits
        prepaid = rng.randrange(0, 10_000) if prepaid_cents is None else prepaid_cents
        values: dict[str, Any] = {
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
            "city": rng.choice(_CITIES),
            "housenumber": rng.randrange(1, 300),
            "postalcode": f"{rng.randrange(1000, 9999)}AB",
            "add_to_wallet": f"https://piggy.eu/add-to-wallet/loyalty?uuid={contact_uuid}",
            "default_contact_identifier": f"hash{rng.getrandbits(32):08x}",
            "subscription_preferences_url": (
                f"http://piggy.eu/subscription-preferences/{contact_uuid}"
            ),
        }
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
        when = _EPOCH + timedelta(minutes=len(txs) * 37)
        if bump_balance:
            contact["credit_balance"]["balance"] += credits
            contact["current_values"]["loyalty_balance"] = contact["credit_balance"]["balance"]
            self.changed(contact_uuid)
        tx = {
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
