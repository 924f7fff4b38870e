"""Models of Piggy's ``giftcard-transactions`` docs page."""

from __future__ import annotations

from typing import Any

from ._base import _Model
from .shops import Shop

__all__ = ["GiftcardRef", "GiftcardTransaction"]


class GiftcardRef(_Model):
    """The giftcard a transaction is of: its id and uuid."""

    id: int | None = None
    uuid: str | None = None


class GiftcardTransaction(_Model):
    """A payment with or top-up of a giftcard."""

    #: null in the docs' example (giftcard-transactions, "Create Giftcard Transaction")
    uuid: str | None = None
    id: int | None = None
    amount_in_cents: int | None = None
    type: str | None = None
    settled: bool | None = None
    card_id: int | None = None
    shop_id: int | None = None
    settlements: list[Any] = []
    created_at: str | None = None
    #: the giftcard and the shop (docs: giftcard-transactions, "Get Giftcard Transaction")
    card: GiftcardRef | None = None
    shop: Shop | None = None
