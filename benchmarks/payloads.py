"""The bytes every contender decodes: Piggy's seed Contact and a generated large one."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import msgspec

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "fixtures" / "seed" / "contact_get.json"


def seed_contact() -> bytes:
    """``contact_get.json`` from the seeds (or the fake server's seed-shaped contact)."""
    if SEED.exists():
        return SEED.read_bytes()
    from piggy_async.testing import Store

    store = Store(0)
    return store.encoded_contact(store.add_contact("bench@example.com")["uuid"])


def large_contact(attributes: int = 300, subscription_types: int = 80) -> bytes:
    """A big account's Contact: many custom attributes with options, many subscriptions."""
    rng = random.Random(7)
    base = json.loads(seed_contact())["data"]
    kinds = ["text", "number", "select", "multi_select", "boolean", "date_time", "float"]
    attrs: list[dict[str, Any]] = list(base["attributes"])
    values: dict[str, Any] = dict(base["current_values"])
    display: dict[str, Any] = dict(base["current_display_values"])
    for i in range(attributes):
        kind = kinds[i % len(kinds)]
        name = f"custom_attribute_{i}"
        options = []
        if kind in ("select", "multi_select"):
            options = [
                {
                    "value": f"option_{i}_{j}",
                    "label": f"Option {j} of attribute {i}",
                    "description": f"A longer description of option {j}" if j % 2 else None,
                    "media": None,
                }
                for j in range(8)
            ]
        attrs.append(
            {
                "value": "",
                "attribute": {
                    "id": 10_000 + i,
                    "type": kind,
                    "field_type": kind,
                    "name": name,
                    "label": f"Custom attribute number {i}",
                    "options": options,
                    "is_piggy_defined": False,
                    "is_soft_read_only": False,
                    "is_hard_read_only": False,
                },
            }
        )
        value: Any = {
            "number": rng.randrange(1000),
            "boolean": rng.random() < 0.5,
            "float": rng.random() * 100,
            "date_time": "2024-03-01T10:00:00+00:00",
        }.get(kind, f"value {rng.getrandbits(40):x}")
        values[name] = value
        display[name] = str(value)
    subs = [
        {
            "is_subscribed": rng.random() < 0.5,
            "status": rng.choice(["SUBSCRIBED", "UNSUBSCRIBED"]),
            "subscription_type": {
                "name": f"Newsletter {i}",
                "description": f"Mails about topic {i}, sent now and then",
                "active": True,
                "strategy": "DOUBLE_OPT_IN",
                "uuid": f"{rng.getrandbits(128):032x}",
                "id": i + 1,
            },
        }
        for i in range(subscription_types)
    ]
    contact = {**base, "attributes": attrs, "subscriptions": subs}
    contact["current_values"] = values
    contact["current_display_values"] = display
    return msgspec.json.encode({"data": contact, "meta": []})
