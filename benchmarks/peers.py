"""What a user would write instead: pydantic v2 models of the same Contact (field for field
the models of piggy_async.types; the benchmark checks both decode to the same values)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _M(BaseModel):
    model_config = ConfigDict(extra="ignore")


class PCreditBalance(_M):
    balance: int
    id: int | None = None


class PPrepaidBalance(_M):
    balance_in_cents: int
    balance: str | None = None


class PTier(_M):
    uuid: str | None = None
    name: str | None = None
    description: str | None = None
    position: int | None = None
    media: Any = None


class POption(_M):
    value: Any = None
    label: str | None = None
    name: str | None = None
    description: str | None = None
    media: Any = None
    default: bool | None = None


class PAttributeGroup(_M):
    id: int | None = None
    name: str | None = None
    position: int | None = None
    created_by_user: Any = None


class PAttributeDefinition(_M):
    name: str
    type: str | None = None
    field_type: str | None = None
    label: str | None = None
    description: str | None = None
    placeholder: str | None = None
    id: int | None = None
    options: list[POption] = []
    is_piggy_defined: bool = False
    is_soft_read_only: bool = False
    is_hard_read_only: bool = False
    entity: str | None = None
    group_name: str | None = None
    group: PAttributeGroup | None = None
    position: int | None = None
    has_unique_value: bool | None = None
    can_be_deleted: bool | None = None
    created_at: str | None = None
    last_used_date: str | None = None
    created_by_user: Any = None
    meta: Any = None


class PContactAttribute(_M):
    attribute: PAttributeDefinition
    value: Any = None


class PSubscriptionType(_M):
    name: str | None = None
    description: str | None = None
    active: bool | None = None
    strategy: str | None = None
    uuid: str | None = None
    id: int | None = None


class PSubscription(_M):
    subscription_type: PSubscriptionType
    is_subscribed: bool | None = None
    status: str | int | None = None


class PContact(_M):
    uuid: str
    id: int | None = None
    email: str | None = None
    attributes: list[PContactAttribute] = []
    tier: PTier | None = None
    subscriptions: list[PSubscription] = []
    credit_balance: PCreditBalance | None = None
    prepaid_balance: PPrepaidBalance | None = None
    current_values: dict[str, Any] = {}
    current_display_values: dict[str, Any] = {}


class PContactEnvelope(_M):
    data: PContact
