"""Attribute definitions and options, shared by every kind of attribute."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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


class AttributeGroup(_Model):
    """The group a custom attribute is shown in (docs: custom-attributes)."""

    id: int | None = None
    name: str | None = None
    position: int | None = None
    created_by_user: Any = None


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
    if TYPE_CHECKING:
        options: list[AttributeOption] = []
    else:
        # A map ``{value: label}`` in the docs' loyalty-transaction-attributes example, a
        # list of option objects everywhere else: always a list once decoded.
        options: list[AttributeOption] | dict[str, Any] = []
    is_piggy_defined: bool = False
    is_soft_read_only: bool = False
    is_hard_read_only: bool = False
    entity: str | None = None
    group_name: str | None = None
    #: custom attributes' extras (docs: custom-attributes, "List Custom Attributes")
    group: AttributeGroup | None = None
    position: int | None = None
    has_unique_value: bool | None = None
    can_be_deleted: bool | None = None
    created_at: str | None = None
    last_used_date: str | None = None
    created_by_user: Any = None
    meta: Any = None

    def __post_init__(self) -> None:
        options: Any = self.options
        if isinstance(options, dict):
            self.options = [AttributeOption(value=k, label=v) for k, v in options.items()]
