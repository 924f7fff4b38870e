"""Models of Piggy's ``prepaid-transactions`` docs page."""

from __future__ import annotations

from ._base import ContactRef, _Model
from .contact_identifiers import ContactIdentifier
from .contacts import PrepaidBalance
from .shops import Shop

__all__ = ["PrepaidTransaction"]


class PrepaidTransaction(_Model):
    """A change of a contact's prepaid balance."""

    uuid: str
    amount_in_cents: int | None = None
    prepaid_balance: PrepaidBalance | None = None
    created_at: str | None = None
    contact: ContactRef | None = None
    shop: Shop | None = None
    contact_identifier: ContactIdentifier | None = None
