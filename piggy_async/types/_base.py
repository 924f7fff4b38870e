"""The base every model shares, and the contact reference many models embed."""

from __future__ import annotations

import msgspec

from .._serialize import SerializableModel


class _Model(msgspec.Struct, SerializableModel, gc=False, repr_omit_defaults=True):
    """Base of every model: unknown fields ignored, not GC-tracked; ``to_dict()``,
    ``to_json()`` and Pydantic support from :class:`SerializableModel`."""


class ContactRef(_Model):
    """A contact's UUID: what the create calls return; nested in other objects, often with
    the contact's ``email`` too (docs: contact-identifiers, prepaid-transactions, referrals).
    """

    uuid: str
    email: str | None = None


#: How bookings, visits, shifts, orders and contact session tokens embed their contact: the
#: same UUID and email as :class:`ContactRef` (one model, two names).
ContactSummary = ContactRef
