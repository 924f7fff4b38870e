"""Attribute definitions and options, shared by every kind of attribute."""

from __future__ import annotations

from typing import Any

from ._base import _Model


class AttributeOption(_Model):
    """One choice of a select / multi-select attribute (``name`` in some endpoints,
    ``label`` in others)."""

    value: Any = None
    label: str | None = None
    name: str | None = None
    description: str | None = None
    media: Any = None
    default: bool | None = None


class AttributeDefinition(_Model):
    """The definition of an attribute: of contacts, rewards, promotions, loyalty
    transactions or a custom entity (its type, label, options, read-only flags)."""

    name: str
    type: str | None = None
    field_type: str | None = None
    label: str | None = None
    description: str | None = None
    placeholder: str | None = None
    id: int | None = None
    options: list[AttributeOption] = []
    is_piggy_defined: bool = False
    is_soft_read_only: bool = False
    is_hard_read_only: bool = False
    entity: str | None = None
    group_name: str | None = None
