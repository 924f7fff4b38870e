"""Models of Piggy's ``referrals`` docs page."""

from __future__ import annotations

from ._base import ContactRef, _Model

__all__ = ["Referral"]


class Referral(_Model):
    """A referral: one contact brought in another."""

    uuid: str | None = None
    status: str | None = None
    referring_contact: ContactRef | None = None
    referred_contact: ContactRef | None = None
    created_at: str | None = None
