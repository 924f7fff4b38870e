"""custom-attributes.md: which method returns each documented example, and what each call
sends."""

from __future__ import annotations

from . import Call, shape

OPTIONS = [{"value": "100", "label": "Blue"}]

EXAMPLES: dict[str, Call] = {
    "List Custom Attributes": lambda p: p.custom_attributes.list(entity="voucher"),
    "Create Custom Attribute": lambda p: p.custom_attributes.create(
        entity="voucher", name="rens_123", label="Rens123", type="select", options=OPTIONS
    ),
    "Update Custom Attribute": lambda p: p.custom_attributes.update(
        "rens_123", entity="voucher", label="Rens123"
    ),
}

MISSING: dict[str, str] = {}

XFAIL: dict[str, str] = {}

SHAPES = [
    shape("List Custom Attributes", lambda p: p.custom_attributes.list(entity="voucher"), "entity"),
    shape(
        "Create Custom Attribute",
        lambda p: p.custom_attributes.create(
            entity="voucher", name="rens_123", label="Rens123", type="text"
        ),
        "entity",
        "name",
        "label",
        "type",
    ),
    shape(
        "Create Custom Attribute",
        lambda p: p.custom_attributes.create(
            entity="voucher",
            name="rens_123",
            label="Rens123",
            type="select",
            options=OPTIONS,
            description="some description",
            group_name="General",
        ),
        "entity",
        "name",
        "label",
        "type",
        "options",
        "description",
        "group_name",
    ),
    shape(
        "Update Custom Attribute",
        lambda p: p.custom_attributes.update("rens_123", entity="voucher"),
        "entity",
    ),
    shape(
        "Update Custom Attribute",
        lambda p: p.custom_attributes.update(
            "rens_123",
            entity="voucher",
            label="Rens",
            options=OPTIONS,
            description="d",
            group_name="General",
        ),
        "entity",
        "label",
        "options",
        "description",
        "group_name",
    ),
]
