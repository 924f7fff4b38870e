"""perks.md: which method returns each documented example, and what each call sends."""

from __future__ import annotations

from . import UUID, Call, shape

OPTIONS = [{"label": "No discount", "value": "0_off", "default": True}]

EXAMPLES: dict[str, Call] = {
    "List Perks": lambda p: p.perks.list(),
    "Create Perk": lambda p: p.perks.create(
        label="Discount", name="discount", data_type="single_select", options=OPTIONS
    ),
    "Get Perk": lambda p: p.perks.get(UUID),
    "Update Perk": lambda p: p.perks.update(UUID, label="Discount"),
    "Delete Perk": lambda p: p.perks.delete(UUID),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Perks", lambda p: p.perks.list()),
    shape(
        "Create Perk",
        lambda p: p.perks.create(
            label="Discount", name="discount", data_type="single_select", options=OPTIONS
        ),
        "label",
        "name",
        "data_type",
        "options",
    ),
    shape("Get Perk", lambda p: p.perks.get(UUID)),
    shape("Update Perk", lambda p: p.perks.update(UUID, label="Discount"), "label"),
    shape("Delete Perk", lambda p: p.perks.delete(UUID)),
]
