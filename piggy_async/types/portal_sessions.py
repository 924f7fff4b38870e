"""Models of Piggy's ``portal-sessions`` docs page."""

from __future__ import annotations

from typing import Any

import msgspec

from ._base import ContactRef, _Model
from .shops import Shop

__all__ = ["PortalSession"]


class PortalSession(_Model):
    """A contacts-portal session: open ``url`` to let the contact in."""

    uuid: str
    url: str | None = None
    contact: ContactRef | None = None
    shop: Shop | None = None
    #: what happened in the session (the docs show an empty list on creation)
    events: list[Any] = msgspec.field(default_factory=list)
    created_at: str | None = None
