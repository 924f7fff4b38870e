"""The base every model shares, and the contact reference many models embed."""

from __future__ import annotations

import msgspec


class _Model(msgspec.Struct, gc=False, repr_omit_defaults=True):
    """Base of every model: unknown fields ignored, not GC-tracked."""


class ContactRef(_Model):
    """Just a contact's UUID: what the create calls and some nested objects return."""

    uuid: str
