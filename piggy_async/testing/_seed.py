"""The fake account's seed data and the helpers that shape it: Piggy's sample catalog
(``catalog.json``), names for generated contacts, dates and uuids as Piggy writes them."""

from __future__ import annotations

import json
import random
import uuid as uuid_mod
from datetime import datetime, timezone
from importlib import resources
from typing import Any

CATALOG: dict[str, Any] = json.loads(
    resources.files(__package__).joinpath("catalog.json").read_text("utf-8")
)

FIRST = ["Anna", "Bram", "Chloe", "Daan", "Emma", "Finn", "Julia", "Lucas", "Mila", "Noah"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]
CITIES = ["Amsterdam", "Utrecht", "Rotterdam", "Duckburg", "Maarssen", "Eindhoven"]
EPOCH = datetime(2023, 1, 1, tzinfo=timezone.utc)


def iso(moment: datetime) -> str:
    """Piggy's date format: ISO 8601 with offset, seconds precision."""
    return moment.replace(microsecond=0).isoformat()


def new_uuid(rng: random.Random) -> str:
    return str(uuid_mod.UUID(int=rng.getrandbits(128), version=4))


ATTRIBUTE_SETS: dict[str, list[dict[str, Any]]] = {
    "reward": [
        {"name": "colour", "label": "Colour", "type": "color", "options": []},
    ],
    "promotion": [
        {"id": 1, "name": "region", "label": "Region", "type": "select", "options": []},
    ],
    "loyalty_transaction": [
        {"name": "receipt_number", "label": "Receipt", "type": "text", "options": []},
    ],
}

LOYALTY_PROGRAM: dict[str, Any] = {
    "id": 1,
    "name": "Piggy Points",
    "max_amount": 100_000,
    "custom_credit_name": "points",
}

BRAND_KIT: dict[str, Any] = {
    "small_logo_url": "https://example.com/logo-small.png",
    "large_logo_url": "https://example.com/logo-large.png",
    "primary_color": "#dee7ff",
    "secondary_color": "#d9d9d9",
    "tertiary_color": "#000000",
    # docs: brand-kit, "Get Brand Kit" spells it so (the PHP SDK: quaternary_color)
    "quarternary_color": "#44c6c4",
    "font_family": None,
}


def seed_rewards(rng: random.Random) -> dict[str, dict[str, Any]]:
    """The account's two seed rewards (one physical, one digital)."""
    rewards: dict[str, dict[str, Any]] = {}
    for title, kind, cost in (("Free coffee", "PHYSICAL", 50), ("E-book", "DIGITAL", 80)):
        reward_uuid = new_uuid(rng)
        rewards[reward_uuid] = {
            "uuid": reward_uuid,
            "title": title,
            "description": f"{title} for loyal customers",
            "media": {"type": "image", "value": "https://example.com/reward.png"},
            "active": True,
            "reward_type": kind,
            "required_credits": cost,
            "attributes": {},
        }
    return rewards
