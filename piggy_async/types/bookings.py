"""Models of Piggy's ``bookings`` docs page."""

from __future__ import annotations

from ._base import ContactSummary, _Model

__all__ = ["Booking"]


class Booking(_Model):
    """A booking (reservation) a contact made at a shop; dates are ISO 8601 text."""

    uuid: str
    contact: ContactSummary | None = None
    external_id: str | None = None
    source: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    checked_in_at: str | None = None
    number_of_people: int | None = None
    company_name: str | None = None
    status: str | None = None
    #: in cents
    prepaid_amount: int | None = None
    created_at: str | None = None
