"""Models of Piggy's ``contact-identifiers`` docs page."""

from __future__ import annotations

from ._base import ContactRef, _Model

__all__ = ["ContactIdentifier"]


class ContactIdentifier(_Model):
    """A contact identifier (a card number, a barcode, ...) and the contact it is linked to."""

    value: str
    name: str | None = None
    active: bool | None = None
    #: whether this is the contact's default identifier (``GET .../contact-identifiers``)
    default: bool | None = None
    contact: ContactRef | None = None
