"""Models of Piggy's ``giftcards`` docs page."""

from __future__ import annotations

from typing import Any

from ._base import _Model
from .giftcard_programs import GiftcardProgram

__all__ = ["Giftcard"]


class Giftcard(_Model):
    """A giftcard (``type`` PHYSICAL or DIGITAL) and its balance in cents."""

    uuid: str
    hash: str | None = None
    amount_in_cents: int | None = None
    type: str | int | None = None
    active: bool | None = None
    upgradeable: bool | None = None
    expiration_date: str | None = None
    giftcard_program: GiftcardProgram | None = None
    # docs: giftcards, "Create Giftcard"
    id: int | None = None
    amount: float | None = None
    display_amount: str | None = None
    url: str | None = None
    formatted_expiration_date: str | None = None
    giftcard_recipients: list[Any] = []
