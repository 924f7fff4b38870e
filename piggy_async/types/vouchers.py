"""Models of Piggy's ``vouchers`` docs page."""

from __future__ import annotations

from typing import Any

from ._base import ContactRef, _Model
from .promotions import Promotion

__all__ = [
    "Voucher",
    "VoucherLock",
    "VoucherLockInfo",
    "VoucherRedemption",
    "VoucherRedemptions",
]


class Voucher(_Model):
    """A voucher of a promotion (``status``: ACTIVE, REDEEMED, EXPIRED, LOCKED, ...)."""

    uuid: str
    code: str | None = None
    status: str | None = None
    name: str | None = None
    description: str | None = None
    activation_date: str | None = None
    expiration_date: str | None = None
    redeemed_at: str | None = None
    is_redeemed: bool | None = None
    promotion: Promotion | None = None
    contact: ContactRef | None = None
    attributes: dict[str, Any] = {}


class VoucherLockInfo(_Model):
    """A lock on a voucher: ``release_key`` unlocks it."""

    release_key: str | None = None
    locked_at: str | None = None
    unlocked_at: str | None = None
    system_release_at: str | None = None


class VoucherLock(_Model):
    """A voucher and its lock."""

    voucher: Voucher
    lock: VoucherLockInfo | None = None


class VoucherRedemption(_Model):
    """One redemption of a multi-use voucher."""

    uuid: str | None = None
    created_at: str | None = None


class VoucherRedemptions(_Model):
    """What a multi-redeem answers: the voucher and one entry per redemption made."""

    voucher: Voucher
    voucher_redemptions: list[VoucherRedemption] = []
