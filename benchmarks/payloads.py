"""The bytes every contender decodes: Piggy's seed Contacts and a generated large one.

The seed payloads come from the shared seed directory: ``$PIGGY_SHARED_DIR`` if set, else
``../shared`` next to the repository. Without them the benchmark stops with an error: a
stand-in contact would be measured under the seed's name.
"""

from __future__ import annotations

import json
import os
import random
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

ROOT = Path(__file__).resolve().parent.parent

# The seed fixtures that carry a full Contact (the others hold a bare uuid or a balance).
SEED_CONTACT_FILES = (
    "contact_get.json",
    "contact_find_one_by.json",
    "contact_find_or_create.json",
    "contact_update.json",
    "contact_claim_anonymous.json",
)


class MissingSeedError(RuntimeError):
    """The shared seed payloads are not where the benchmark looks for them."""


def shared_dir() -> Path:
    """The shared directory holding ``fixtures/seed``."""
    configured = os.environ.get("PIGGY_SHARED_DIR")
    return Path(configured) if configured else ROOT.parent / "shared"


@cache
def seed_file(name: str = "contact_get.json") -> bytes:
    """One seed fixture's bytes, exactly as shipped; MissingSeedError if it is absent."""
    path = shared_dir() / "fixtures" / "seed" / name
    try:
        return path.read_bytes()
    except OSError as exc:
        raise MissingSeedError(
            f"seed payload {path} not found ({exc.strerror}): set PIGGY_SHARED_DIR to the "
            "directory holding fixtures/seed/ (the benchmark does not measure a stand-in)"
        ) from None


def seed_contact() -> bytes:
    """``contact_get.json`` from the seeds, pretty-printed as shipped."""
    return seed_file("contact_get.json")


def compact(raw: bytes) -> bytes:
    """The same JSON without whitespace, as the API sends it."""
    return msgspec.json.encode(msgspec.json.decode(raw))


def decode_payloads(quick: bool) -> dict[str, bytes]:
    """label -> bytes of every payload the decode benchmark measures."""
    out = {"seed pretty": seed_contact(), "seed compact": compact(seed_contact())}
    out["large"] = large_contact()
    if not quick:
        for name in SEED_CONTACT_FILES[1:]:
            out[f"seed {name.removesuffix('.json')}"] = seed_file(name)
    return out


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
