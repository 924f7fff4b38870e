"""Models of Piggy's ``promotions`` docs page."""

from __future__ import annotations

from typing import Any, ClassVar

from ._base import _Model

__all__ = ["Promotion"]


class Promotion(_Model):
    """A promotion vouchers are issued for. ``attributes`` holds its custom attributes,
    given under ``attributes`` or, inside a voucher, as top-level keys (docs: vouchers)."""

    __piggy_extras__: ClassVar[str] = "attributes"

    uuid: str
    name: str | None = None
    description: str | None = None
    type: str | None = None
    redemptions_per_voucher: int | None = None
    voucher_limit: int | None = None
    limit_per_contact: int | None = None
    expiration_duration: int | None = None
    attributes: dict[str, Any] = {}
