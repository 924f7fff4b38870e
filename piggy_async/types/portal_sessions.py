"""Models of Piggy's ``portal-sessions`` docs page."""

from __future__ import annotations

from ._base import ContactRef, _Model
from .shops import Shop

__all__ = ["PortalSession"]


class PortalSession(_Model):
    """A contacts-portal session: open ``url`` to let the contact in."""

    uuid: str
    url: str | None = None
    contact: ContactRef | None = None
    shop: Shop | None = None
    created_at: str | None = None
